/** Public shapes of training: data, options, progress and the report. */
import type { SequenceInput } from '../explain/types.js'
import type { BackendChoice } from '../backend/types.js'
import type { DType } from '../model/types.js'

/**
 * One training example. Classification: a class index or label name (readout `last`) or one per
 * step (`each`). Regression: a number or C numbers (`last`), T numbers or T rows of C (`each`).
 */
export interface TrainItem {
  input: SequenceInput
  target: number | string | (number | string)[] | number[][]
}

export type LossName = 'mse' | 'cross-entropy'
export type OptimizerName = 'adam' | 'adagrad'

export interface TrainProgress {
  epoch: number
  epochs: number
  /** Mini-batches done in this epoch, of `batches`. */
  batch: number
  batches: number
  /** Mean training loss of the epoch so far. */
  loss: number
  /** After an epoch with validation data. */
  validation?: Evaluation
}

export interface Evaluation {
  loss: number
  /** Share of score rows whose argmax is the target (classification). */
  accuracy?: number
}

export interface TrainOptions {
  /** Default: cross-entropy for classification models, mse for regression. */
  loss?: LossName
  epochs?: number
  batchSize?: number
  /** Learning rate (default 0.001). */
  lr?: number
  optimizer?: OptimizerName
  /** Adam's moment decay rates (0.9, 0.999) and the denominator's epsilon (1e-8). */
  beta1?: number
  beta2?: number
  epsilon?: number
  /** L2 term added to every gradient (0). */
  weightDecay?: number
  /** Clip the global gradient norm to this (0: no clipping). */
  clipNorm?: number
  /** Seed of the shuffling order; the same seed, data and backend give the same model bit for bit. */
  seed?: number
  validation?: TrainItem[]
  /** Stop after this many epochs without a better validation value (default: never). */
  patience?: number
  /** What decides the best epoch: validation loss (default) or accuracy. */
  monitor?: 'loss' | 'accuracy'
  /** Stop as soon as the validation loss is at most this. */
  stopAtLoss?: number
  /** Keep the weights of the best validation epoch (default true with validation data). */
  restoreBest?: boolean
  onProgress?: (progress: TrainProgress) => void
}

export interface EpochRecord {
  epoch: number
  loss: number
  validation?: Evaluation
}

export interface TrainReport {
  epochs: number
  history: EpochRecord[]
  /** The epoch whose weights the model keeps (with validation data). */
  best?: EpochRecord
  stoppedEarly: boolean
  seconds: number
}

export interface InitOptions {
  /** Weights uniform in ±scale/√fan (default scale 1, PyTorch's LSTM and Linear initialisation). */
  scale?: number
  /** Bias per gate block; default: f = 1 for gated cells with a forget gate, and z, i, o = −1
   * for the LRP presets (the paper's A2, A7, A8; docs/METHODS.md § Training). */
  biases?: Partial<Record<'z' | 'i' | 'f' | 'o', number>>
}

export interface CreateOptions {
  seed?: number
  dtype?: DType
  backend?: BackendChoice
  init?: InitOptions
  /** How many batch calls run at once (default: the backend's, the core count for native). */
  threads?: number
  /** false: a token model does not keep its first layer's input projections per vocabulary row (same results, less memory; default true). */
  inputProjectionTable?: boolean
}
