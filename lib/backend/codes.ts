/** The C ABI's enum codes (native/include/lstm_lrp.h) for the facade's names. */
import { fail, type LstmLrpErrorCode } from '../errors.js'
import type { DType, GActivation, HActivation, Readout } from '../model/types.js'

export const DTYPE_CODES: Record<DType, number> = { f32: 0, f64: 1 }
export const G_CODES: Record<GActivation, number> = { tanh: 0, sigmoid: 1, relu: 2, identity: 3 }
export const H_CODES: Record<HActivation, number> = { tanh: 0, identity: 1 }
export const READOUT_CODES: Record<Readout, number> = { last: 0, each: 1 }
/** lstm_lrp_cell_type */
export const CELL_TYPE_CODES = { lstm: 0, gru: 1 } as const

/** Whether a token model keeps its first layer's input projections per vocabulary row (lstm_lrp_input_projection_table). */
export const PROJECTION_TABLE_CODES = { auto: 0, off: 1 } as const

export type MethodName = 'lrp' | 'gradient' | 'gradient-x-input' | 'occlusion' | 'cd' | 'integrated-gradients' | 'shapley' | 'kernel-shap' | 'lime' | 'smoothgrad'
export const METHOD_CODES: Record<MethodName, number> = {
  lrp: 0,
  gradient: 1,
  'gradient-x-input': 2,
  occlusion: 3,
  cd: 4,
  'integrated-gradients': 5,
  shapley: 6,
  'kernel-shap': 7,
  lime: 8,
  smoothgrad: 9,
}

/** The methods SmoothGrad can smooth, by their lstm_lrp_method codes. */
export type SmoothedMethod = 'gradient' | 'gradient-x-input' | 'integrated-gradients'
export const SMOOTHED_METHOD_CODES: Record<SmoothedMethod, number> = { gradient: 1, 'gradient-x-input': 2, 'integrated-gradients': 5 }

export type RuleName = 'all' | 'prop' | 'abs' | 'half'
export const RULE_CODES: Record<RuleName, number> = { all: 0, prop: 1, abs: 2, half: 3 }

export type InitName = 'logit' | 'one'
export const INIT_CODES: Record<InitName, number> = { logit: 0, one: 1 }

export type OcclusionScore = 'logit' | 'prob'
export const OCCLUSION_SCORE_CODES: Record<OcclusionScore, number> = { logit: 0, prob: 1 }

export const REPLACEMENT_CODES = { zero: 0, vector: 1, delete: 2 } as const

export type CdConvention = 'reference' | 'inclusive'
export const CD_CONVENTION_CODES: Record<CdConvention, number> = { reference: 0, inclusive: 1 }

export type IntegrationRule = 'midpoint' | 'gauss-legendre'
export const INTEGRATION_RULE_CODES: Record<IntegrationRule, number> = { midpoint: 0, 'gauss-legendre': 1 }

/** LSTM_LRP_IG_MAX_STEPS */
export const MAX_INTEGRATION_STEPS = 4096

/** LSTM_LRP_MAX_SAMPLES: the sampling methods' samples per sequence. */
export const MAX_SAMPLES = 65536
/** LSTM_LRP_SHAPLEY_EXACT_MAX_STEPS: exact Shapley values enumerate 2^T coalitions. */
export const SHAPLEY_EXACT_MAX_STEPS = 16

/** LSTM_LRP_MAX_LAYERS, LSTM_LRP_MAX_WIDTH (inputSize, hiddenSize, outputs), LSTM_LRP_MAX_VOCAB: a description past them is a corrupt or hostile file. */
export const MAX_LAYERS = 64
export const MAX_WIDTH = 65536
export const MAX_VOCAB = 50_000_000

/** LSTM_LRP_MAX_CELL_SCALE: gScale and hScale are in (0, this]; larger scales only overflow. */
export const MAX_CELL_SCALE = 1000

/** LSTM_LRP_CONSERVATION_SIZE: the kernel's report per sequence (LRP conservation, CD's phrase split or IG's completeness). */
export const CONSERVATION_FIELDS = 4

/** LSTM_LRP_MAX_THREADS */
export const MAX_THREADS = 256

/** LSTM_LRP_ABI_VERSION: the interface this facade calls; a binding reporting another is refused at load. */
export const ABI_VERSION = 4

/** Refuses a binding that reports another interface version (or none: it predates versioning), naming the remedy. */
export function checkAbiVersion(binding: string, version: unknown, remedy: string): void {
  if (version === ABI_VERSION) return
  const reported = typeof version === 'number' ? `version ${version}` : 'no version (it predates versioning)'
  fail('E_BACKEND', `${binding} was built for C ABI ${reported}, but this package needs version ${ABI_VERSION}: ${remedy}`)
}

/** lstm_lrp_status values that are not LSTM_LRP_INVALID_ARGUMENT, each with the error code it raises. */
const STATUS_ERROR_CODES: Record<number, LstmLrpErrorCode> = {
  /** LSTM_LRP_OUT_OF_MEMORY: the estimate exceeded the memory limit, or an allocation failed. */
  2: 'E_MEMORY',
  /** LSTM_LRP_NUMERIC_ERROR: a result overflowed to Infinity or NaN. */
  4: 'E_NUMERIC',
}

/** The error code of a failed kernel call: every backend raises the same one for the same status. */
export function errorCodeOfStatus(status: number): LstmLrpErrorCode {
  return STATUS_ERROR_CODES[status] ?? 'E_KERNEL'
}

/** LSTM_LRP_PACKED_*: where each numeric explain option sits in the array both bindings take. */
export const PACKED_OPTION_SLOTS = {
  METHOD: 0,
  EPS: 1,
  BIAS_FACTOR: 2,
  PRODUCT_RULE: 3,
  PRODUCT_EPS: 8,
  INIT: 13,
  OCCLUSION_SCORE: 14,
  OCCLUSION_REPLACEMENT: 15,
  CD_CONVENTION: 16,
  CD_PHRASE_START: 17,
  CD_PHRASE_STOP: 18,
  IG_STEPS: 19,
  IG_RULE: 20,
  SAMPLES: 21,
  SEED: 22,
  SHAPLEY_EXACT: 23,
  LIME_KERNEL_WIDTH: 24,
  LIME_RIDGE: 25,
  SMOOTHGRAD_NOISE: 26,
  SMOOTHGRAD_BASE: 27,
  OPTIONS_SIZE: 28,
} as const

/** LSTM_LRP_WASM_*: where each field of a WASM call sits in its float64 field array (a buffer is two fields, pointer and length). */
export const WASM_BATCH_FIELDS = { COUNT: 0, LENGTHS: 1, INPUTS: 2, TOKENS: 4, SIZE: 6 } as const
export const WASM_MODEL_FIELDS = {
  DTYPE: 0,
  INPUT_SIZE: 1,
  VOCAB_SIZE: 2,
  EMBEDDING: 3,
  NUM_LAYERS: 5,
  OUTPUTS: 6,
  HEAD_WEIGHT: 7,
  HEAD_BIAS: 9,
  READOUT: 11,
  INPUT_PROJECTION_TABLE: 12,
  SIZE: 13,
} as const
export const WASM_LAYER_FIELDS = {
  HIDDEN_SIZE: 0,
  BIDIRECTIONAL: 1,
  G: 2,
  G_SCALE: 3,
  H: 4,
  H_SCALE: 5,
  GATE_PRESENT: 6,
  INPUT_CONNECTED: 10,
  RECURRENT_CONNECTED: 14,
  W: 18,
  U: 22,
  B: 26,
  TYPE: 30,
  RESET_AFTER: 31,
  B_HN: 32,
  SIZE: 36,
} as const
export const WASM_PREDICT_FIELDS = { SCORES: 6, PROBABILITIES: 8, SIZE: 10 } as const
export const WASM_EXPLAIN_FIELDS = {
  OPTIONS: 6,
  OCCLUSION_VECTOR: 34,
  IG_BASELINE: 36,
  TARGET_WEIGHTS: 38,
  SCORES: 40,
  RELEVANCE: 42,
  PER_STEP: 44,
  CONSERVATION: 46,
  TARGETS: 48,
  SIZE: 50,
} as const
export const WASM_TENSORS_FIELDS = { EMBEDDING: 0, NUM_LAYERS: 2, LAYERS: 3 } as const
export const WASM_TENSOR_LAYER_FIELDS = { W: 0, U: 4, B: 8, B_HN: 12, SIZE: 16 } as const
export const WASM_TENSOR_HEAD_FIELDS = { WEIGHT: 0, BIAS: 2, SIZE: 4 } as const
export const WASM_LOSS_FIELDS = { LOSS: 6, TARGETS: 7, SIZE: 9 } as const
export const WASM_STEP_FIELDS = { TARGETS: 6, SIZE: 8 } as const
export const WASM_TRAINER_FIELDS = {
  LOSS: 0,
  OPTIMIZER: 1,
  LEARNING_RATE: 2,
  BETA1: 3,
  BETA2: 4,
  EPSILON: 5,
  WEIGHT_DECAY: 6,
  CLIP_NORM: 7,
  SIZE: 8,
} as const
