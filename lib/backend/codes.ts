/** The C ABI's enum codes (native/include/lstm_lrp.h) for the facade's names. */
import type { DType, GActivation, HActivation, Readout } from '../model/types.js'

export const DTYPE_CODES: Record<DType, number> = { f32: 0, f64: 1 }
export const G_CODES: Record<GActivation, number> = { tanh: 0, sigmoid: 1, relu: 2, identity: 3 }
export const H_CODES: Record<HActivation, number> = { tanh: 0, identity: 1 }
export const READOUT_CODES: Record<Readout, number> = { last: 0, each: 1 }

export type MethodName = 'lrp' | 'gradient' | 'gradient-x-input' | 'occlusion'
export const METHOD_CODES: Record<MethodName, number> = { lrp: 0, gradient: 1, 'gradient-x-input': 2, occlusion: 3 }

export type RuleName = 'all' | 'prop' | 'abs' | 'half'
export const RULE_CODES: Record<RuleName, number> = { all: 0, prop: 1, abs: 2, half: 3 }

export type InitName = 'logit' | 'one'
export const INIT_CODES: Record<InitName, number> = { logit: 0, one: 1 }

export type OcclusionScore = 'logit' | 'prob'
export const OCCLUSION_SCORE_CODES: Record<OcclusionScore, number> = { logit: 0, prob: 1 }

export const REPLACEMENT_CODES = { zero: 0, vector: 1, delete: 2 } as const
