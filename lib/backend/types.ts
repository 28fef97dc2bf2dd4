/** What a backend offers the facade: the C ABI's calls over plain typed arrays. */
import type { FloatArray } from '../model/types.js'

export type BackendName = 'native' | 'wasm'
export type BackendChoice = BackendName | 'auto'

export interface BackendInfo {
  backend: BackendName
  simd: string
  threads: number
  /** Backends tried before this one, each with the reason it did not load. */
  skipped?: string[]
}

export interface KernelCell {
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
  productRule: [number, number, number]
  productEps: [number, number, number]
  init: number
  occlusionScore: number
  occlusionReplacement: number
  occlusionVector: FloatArray | null
}

export interface KernelExplainOutputs {
  scores: FloatArray
  relevance: FloatArray
  perStep: FloatArray
  conservation: Float64Array
  targets: Int32Array
}

export interface KernelModel {
  predict(batch: KernelBatch, scores: FloatArray, probabilities: Float64Array | null): void
  explain(batch: KernelBatch, options: KernelExplainOptions, targetWeights: Float64Array | null, outputs: KernelExplainOutputs): void
  /** Runs off the calling thread; the arrays must not be touched until it settles. */
  explainAsync(
    batch: KernelBatch,
    options: KernelExplainOptions,
    targetWeights: Float64Array | null,
    outputs: KernelExplainOutputs,
  ): Promise<void>
  dispose(): void
}

export interface Backend {
  /** How many batch calls may usefully run at once. */
  parallelism: number
  info(): BackendInfo
  createModel(desc: KernelModelDesc): KernelModel
}
