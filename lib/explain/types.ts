/** The public shapes of explain's options, inputs and results. */
import type { FloatArray } from '../model/types.js'
import type { LstmLrpError } from '../errors.js'
import type { CdConvention, InitName, IntegrationRule, MethodName, OcclusionScore, RuleName, SmoothedMethod } from '../backend/codes.js'
import type { ExplainPresetName } from './presets.js'

export type { MethodName, RuleName, InitName, OcclusionScore, CdConvention, IntegrationRule, ExplainPresetName, SmoothedMethod }
/** The LSTM's gated products (input, forget, output) and the GRU's (update: both summands of h = (1 - u)⊙n + u⊙h'; reset: the reset product). */
export type Product = 'input' | 'forget' | 'output' | 'update' | 'reset'

/** One sequence: T rows of inputSize numbers, a row-major T × inputSize typed array, or token ids. */
export type SequenceInput = number[][] | { data: FloatArray; steps: number } | { tokens: ArrayLike<number> }

/** A class: its index, or its name in the model's `labels`. */
export type ClassRef = number | string

/**
 * What to explain: a class (readout `each`: that class at the last step), a [step, class]
 * pair (readout `each`), or explicit weights over the score rows (C numbers, T rows of C, or
 * { label: weight } on the last row).
 */
export type Target = ClassRef | [step: number, cls: ClassRef] | { weights: number[] | number[][] | Record<string, number> }

export interface OcclusionOptions {
  /** Score whose change is measured: the logit (f-diff) or the softmax probability (P-diff). */
  score?: OcclusionScore
  /** What replaces the occluded step: zeros, a given vector, or nothing (the step is deleted). */
  replacement?: 'zero' | 'delete' | ArrayLike<number>
}

export interface CdOptions {
  /**
   * Which steps' bias × bias term of i⊙z counts as relevant: 'reference' (default; as Murdoch
   * et al.'s code, every step of the phrase but its last) or 'inclusive' (every step of the phrase).
   */
  convention?: CdConvention
  /**
   * A phrase of steps [start, stop): one decomposition, whose relevant score is spread equally over
   * the phrase in perStep. Without it, one decomposition per step: perStep[t] is the score of {t}.
   */
  phrase?: [start: number, stop: number]
}

export interface IntegratedGradientsOptions {
  /** Points on the path from the baseline to the input (default 64, at most 4096). */
  steps?: number
  /** Quadrature along the path: the Riemann midpoint sum (default) or Gauss–Legendre. */
  rule?: IntegrationRule
  /** Where the path starts: zeros (default) or a vector of inputSize numbers used at every step (embedding space for token models). */
  baseline?: 'zero' | ArrayLike<number>
}

export interface ShapleyOptions {
  /** Permutations of the steps, drawn in antithetic pairs (an even number, default 32), or 'exact': every coalition (sequences of at most 16 steps). */
  samples?: number | 'exact'
}

export interface KernelShapOptions {
  /** Coalitions sampled per sequence (default 512). */
  samples?: number
}

export interface LimeOptions {
  /** Step masks sampled per sequence (default 1000). */
  samples?: number
  /** Width of the exponential kernel over the removed fraction of the steps (default 0.25). */
  kernelWidth?: number
  /** Ridge penalty of the weighted regression (default 1). */
  ridge?: number
}

export interface SmoothGradOptions {
  /** Noisy copies of the input per sequence (default 32). */
  samples?: number
  /** Standard deviation of the Gaussian noise added to every input value, in input units (default 0.1; embedding space for token models). */
  noise?: number
  /** The method averaged over the noisy copies (default 'gradient'); integrated gradients take the `integratedGradients` options. */
  over?: SmoothedMethod
}

export interface ExplainOptions {
  /** One of the paper's named variants (EXPLAIN_PRESETS); the options given next to it replace the preset's. */
  preset?: ExplainPresetName
  method?: MethodName
  target?: Target
  /** A class whose score is subtracted from the target's: explains "target rather than versus" (weights +1 and −1). */
  versus?: ClassRef
  /** Product rule for every gated product, the LSTM's three and the GRU's two (default 'all'). */
  rule?: RuleName
  /** Per-product rules; override `rule`. */
  rules?: Partial<Record<Product, RuleName>>
  /** Stabiliser of the epsilon rule (default 0.001). */
  eps?: number
  /** Stabiliser of the prop/abs product rules (default: eps). */
  productEps?: number | Partial<Record<Product, number>>
  /** Share of bias and stabiliser relevance spread over the inputs, in [0, 1] (default 0). */
  biasFactor?: number
  /** Initial relevance: the target logit (default), one, or a vector over the outputs. */
  init?: InitName | number[] | number[][]
  occlusion?: OcclusionOptions
  cd?: CdOptions
  integratedGradients?: IntegratedGradientsOptions
  /**
   * Seed of the sampling methods' generator, an integer in [0, 2^32 − 1] (default 0). Every
   * sequence's samples start from it, so an explanation does not depend on its batch.
   * Shapley values, KernelSHAP and LIME remove steps as occlusion replaces them (`occlusion`).
   */
  seed?: number
  shapley?: ShapleyOptions
  kernelShap?: KernelShapOptions
  lime?: LimeOptions
  smoothgrad?: SmoothGradOptions
}

export interface Conservation {
  /** Relevance put in at the outputs. */
  input: number
  /** Sum of the input relevance. */
  inputs: number
  /** Absorbed by biases, stabilisers and zero denominators. */
  absorbed: number
  /** Reached the initial state (c_0, y_0) of every layer and direction. */
  initialState: number
}

/** score = relevant + irrelevant + bias. */
export interface CdDecomposition {
  /** The explained score f = Σ w ⊙ scores. */
  score: number
  /** Σ w ⊙ (W_head β): the head applied to the phrase's part of its input, without the bias. */
  relevant: number
  /** Σ w ⊙ (W_head γ): the rest of the input's part. */
  irrelevant: number
  /** Σ w ⊙ head bias. */
  bias: number
}

export interface Completeness {
  /** f(x) − f(baseline). */
  difference: number
  /** Σ relevance. */
  sum: number
  /** difference − sum: the quadrature's error. */
  delta: number
}

export type ResolvedTarget = number | [step: number, cls: number] | { weights: number[] }

export interface Explanation {
  method: MethodName
  /** Score rows × outputs (one row for readout `last`, T for `each`). */
  scores: FloatArray
  target: ResolvedTarget
  /** Row-major T × inputSize. */
  relevance: FloatArray
  /** Relevance per step: the sum over features. */
  perStep: FloatArray
  steps: number
  features: number
  /** The LRP conservation report; null for the other methods. */
  conservation: Conservation | null
  /** CD with a phrase: the target score split into its parts; null otherwise. */
  decomposition: CdDecomposition | null
  /**
   * Integrated gradients: how far Σ relevance is from f(x) − f(baseline); Shapley values and
   * KernelSHAP: from f(x) − f(every step removed); SmoothGrad over integrated gradients: the
   * means over the noisy copies. Null for the other methods.
   */
  completeness: Completeness | null
}

export interface Prediction {
  /** Score rows × outputs. */
  scores: FloatArray
  /** Softmax of each score row (classification models). */
  probabilities: Float64Array | null
  /** Argmax class of the last score row (classification models). */
  label: number | null
}

export interface BatchItem {
  input: SequenceInput
  target?: Target
}

export interface BatchProgress {
  done: number
  total: number
}

/** One item's outcome in explainBatchSettled: its explanation, or the error explaining it alone would raise. */
export type SettledExplanation = { explanation: Explanation; error?: undefined } | { error: LstmLrpError; explanation?: undefined }
