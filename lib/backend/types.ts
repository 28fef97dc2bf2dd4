/** What a backend offers the facade: the C ABI's calls over plain typed arrays. */
import type { FloatArray } from '../model/types.js'

export type BackendName = 'native' | 'wasm'
export type BackendChoice = BackendName | 'auto'

export interface BackendInfo {
  backend: BackendName
  simd: string
  /** The model's `threads`: the native kernel's threads per batch call, or the WASM workers that run explainBatch. */
  threads: number
  /** Backends tried before this one, each with the reason it did not load. */
  skipped?: string[]
}

/** A GRU cell (type CELL_TYPE_CODES.gru) ignores every field but type and resetAfter. */
export interface KernelCell {
  /** lstm_lrp_cell_type */
  type: number
  resetAfter: boolean
  g: number
  gScale: number
  h: number
  hScale: number
  gatePresent: [boolean, boolean, boolean, boolean]
  inputConnected: [boolean, boolean, boolean, boolean]
  recurrentConnected: [boolean, boolean, boolean, boolean]
}

export interface KernelLayer {
  hiddenSize: number
  bidirectional: boolean
  cell: KernelCell
  W: [FloatArray, FloatArray | null]
  U: [FloatArray, FloatArray | null]
  b: [FloatArray, FloatArray | null]
  /** A GRU with resetAfter: b_hn per direction; else null. */
  bHn: [FloatArray | null, FloatArray | null]
}

/** Mirrors lstm_lrp_model_desc; enum fields carry the C ABI's codes. */
export interface KernelModelDesc {
  dtype: number
  inputSize: number
  vocabSize: number
  embedding: FloatArray | null
  layers: KernelLayer[]
  outputs: number
  headWeight: FloatArray
  headBias: FloatArray | null
  readout: number
  /** lstm_lrp_input_projection_table */
  inputProjectionTable: number
}

export interface KernelBatch {
  lengths: Int32Array
  inputs: FloatArray | null
  tokens: Int32Array | null
}

/** Mirrors lstm_lrp_explain_options. */
export interface KernelExplainOptions {
  method: number
  eps: number
  biasFactor: number
  /** Per product: input, forget, output, update, reset (LSTM_LRP_PRODUCT_*). */
  productRule: [number, number, number, number, number]
  productEps: [number, number, number, number, number]
  init: number
  occlusionScore: number
  occlusionReplacement: number
  occlusionVector: FloatArray | null
  cdConvention: number
  /** CD phrase [start, stop) of steps; both 0: one decomposition per step. */
  cdPhraseStart: number
  cdPhraseStop: number
  igSteps: number
  igRule: number
  /** Integrated-gradients baseline vector; null: zeros. */
  igBaseline: FloatArray | null
  /** The sampling methods: samples per sequence, seed, and each method's parameters. */
  samples: number
  seed: number
  /** 1: exact Shapley values over every coalition. */
  shapleyExact: number
  limeKernelWidth: number
  limeRidge: number
  smoothgradNoise: number
  /** The smoothed method's lstm_lrp_method code. */
  smoothgradBase: number
}

export interface KernelExplainOutputs {
  scores: FloatArray
  relevance: FloatArray
  perStep: FloatArray
  conservation: Float64Array
  targets: Int32Array
}

/** One buffer per model tensor, laid out like KernelModelDesc (absent tensors null). */
export interface KernelTensors {
  embedding: FloatArray | null
  layers: {
    W: [FloatArray, FloatArray | null]
    U: [FloatArray, FloatArray | null]
    b: [FloatArray, FloatArray | null]
    bHn: [FloatArray | null, FloatArray | null]
  }[]
  headWeight: FloatArray
  headBias: FloatArray | null
}

/** Mirrors lstm_lrp_train_options. */
export interface KernelTrainOptions {
  loss: number
  optimizer: number
  learningRate: number
  beta1: number
  beta2: number
  epsilon: number
  weightDecay: number
  clipNorm: number
}

export interface KernelTrainer {
  /** One optimiser step; resolves with the batch's mean loss before the step. */
  stepAsync(batch: KernelBatch, targets: Float64Array): Promise<number>
  dispose(): void
}

export interface KernelModel {
  predict(batch: KernelBatch, scores: FloatArray, probabilities: Float64Array | null): void
  explain(batch: KernelBatch, options: KernelExplainOptions, targetWeights: Float64Array | null, outputs: KernelExplainOutputs): void
  /**
   * Natively on the kernel's threads, on WASM on the model's workers (where the platform has none: on
   * the calling thread, after a turn of the event loop); the arrays must not be touched until it settles.
   */
  explainAsync(batch: KernelBatch, options: KernelExplainOptions, targetWeights: Float64Array | null, outputs: KernelExplainOutputs): Promise<void>
  /** Copies the current weights into out. */
  weights(out: KernelTensors): void
  /** Mean loss of a batch; its gradient for every parameter lands in out. */
  gradients(batch: KernelBatch, loss: number, targets: Float64Array, out: KernelTensors): number
  /** Mean loss and the number of score rows whose argmax is the target (cross-entropy). */
  evaluateAsync(batch: KernelBatch, loss: number, targets: Float64Array): Promise<{ loss: number; correct: number }>
  /** A trainer that updates this model's weights in place. */
  createTrainer(options: KernelTrainOptions): KernelTrainer
  /** Natively the kernel threads each batch call splits its sequences across; on WASM the workers explainAsync spreads them over (results do not depend on it). */
  setThreads(threads: number): void
  dispose(): void
}

export interface Backend {
  /** The default thread count of a model's batch calls. */
  parallelism: number
  /** Bytes a call's JavaScript results may take (lib/model/memory.ts): half the machine's memory where it is known. */
  memoryLimit: number
  info(): BackendInfo
  /** Forces the kernels' SIMD level (e.g. 'sse2', 'scalar'); fails naming the supported ones. */
  selectSimd(level: string): void
  createModel(desc: KernelModelDesc): KernelModel
}
