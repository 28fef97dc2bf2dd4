/** The public shapes of explain's options, inputs and results. */
import type { FloatArray } from '../model/types.js'
import type { InitName, MethodName, OcclusionScore, RuleName } from '../backend/codes.js'

export type { MethodName, RuleName, InitName, OcclusionScore }
export type Product = 'input' | 'forget' | 'output'

/** One sequence: T rows of inputSize numbers, a row-major T × inputSize typed array, or token ids. */
export type SequenceInput = number[][] | { data: FloatArray; steps: number } | { tokens: ArrayLike<number> }

/**
 * What to explain: a class index (readout `each`: that class at the last step), a [step, class]
 * pair (readout `each`), or explicit weights over the score rows (C numbers, or T rows of C).
 */
export type Target = number | [step: number, cls: number] | { weights: number[] | number[][] }

export interface OcclusionOptions {
  /** Score whose change is measured: the logit (f-diff) or the softmax probability (P-diff). */
  score?: OcclusionScore
  /** What replaces the occluded step: zeros, a given vector, or nothing (the step is deleted). */
  replacement?: 'zero' | 'delete' | ArrayLike<number>
}

export interface ExplainOptions {
  method?: MethodName
  target?: Target
  /** Product rule for all three gated products (default 'all'). */
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
