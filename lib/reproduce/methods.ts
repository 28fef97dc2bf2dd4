/** The explanation methods the paper compares (Sec. 11.5.1), as named explain options. */
import type { ExplainOptions, RuleName } from '../explain/types.js'

export interface NamedMethod {
  name: string
  options: ExplainOptions
}

/** The LRP preset of one product rule; eps for linear maps, productEps for prop/abs. */
export function lrp(rule: RuleName, eps: number, productEps = eps): NamedMethod {
  return { name: `LRP-${rule}`, options: { preset: `lrp-${rule}`, eps, productEps } }
}

export const GRADIENT: NamedMethod = { name: 'Gradient', options: { method: 'gradient' } }
export const GRADIENT_X_INPUT: NamedMethod = { name: 'Gradient × Input', options: { method: 'gradient-x-input' } }
export const OCCLUSION_F_DIFF: NamedMethod = { name: 'Occlusion f-diff', options: { preset: 'occlusion-f-diff' } }
export const OCCLUSION_P_DIFF: NamedMethod = { name: 'Occlusion P-diff', options: { preset: 'occlusion-p-diff' } }
/** One decomposition per word with the convention of Murdoch et al.'s code, which the paper ran. */
export const CONTEXTUAL_DECOMPOSITION: NamedMethod = { name: 'CD', options: { method: 'cd', cd: { convention: 'reference' } } }
