/** The explanation methods the paper compares (Sec. 11.5.1), as named explain options. */
import type { ExplainOptions, RuleName } from '../explain/types.js'

export interface NamedMethod {
  name: string
  options: ExplainOptions
}

/** LRP with one product rule for all three gated products; eps for linear maps, productEps for prop/abs. */
export function lrp(rule: RuleName, eps: number, productEps = eps): NamedMethod {
  return { name: `LRP-${rule}`, options: { method: 'lrp', rule, eps, productEps } }
}

export const GRADIENT: NamedMethod = { name: 'Gradient', options: { method: 'gradient' } }
export const GRADIENT_X_INPUT: NamedMethod = { name: 'Gradient × Input', options: { method: 'gradient-x-input' } }
/** The paper occludes a position by setting its input to zero. */
export const OCCLUSION_F_DIFF: NamedMethod = { name: 'Occlusion f-diff', options: { method: 'occlusion', occlusion: { score: 'logit', replacement: 'zero' } } }
export const OCCLUSION_P_DIFF: NamedMethod = { name: 'Occlusion P-diff', options: { method: 'occlusion', occlusion: { score: 'prob', replacement: 'zero' } } }
/** One decomposition per word with the convention of Murdoch et al.'s code, which the paper ran. */
export const CONTEXTUAL_DECOMPOSITION: NamedMethod = { name: 'CD', options: { method: 'cd', cd: { convention: 'reference' } } }
