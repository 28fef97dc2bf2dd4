/**
 * The paper's named explanation variants (Sec. 11.5.1) as presets: `{ preset: 'lrp-prop' }` stands
 * for the options listed here, and options given next to it replace the preset's value of that key.
 * The stabilisers (eps, productEps) are not part of a preset: the paper chose them per experiment
 * (docs/METHODS.md § Presets).
 */
import type { ExplainOptions } from './types.js'
import { describeValue } from '../describe-value.js'
import { fail } from '../errors.js'

export type ExplainPresetName = 'lrp-all' | 'lrp-prop' | 'lrp-abs' | 'lrp-half' | 'occlusion-f-diff' | 'occlusion-p-diff'

/** LRP as the paper ran it: the target's logit as initial relevance, and biases and stabilisers absorb their share. */
const PAPER_LRP = { method: 'lrp', biasFactor: 0, init: 'logit' } as const

export const EXPLAIN_PRESETS: Readonly<Record<ExplainPresetName, Readonly<ExplainOptions>>> = Object.freeze({
  'lrp-all': Object.freeze({ ...PAPER_LRP, rule: 'all' }),
  'lrp-prop': Object.freeze({ ...PAPER_LRP, rule: 'prop' }),
  'lrp-abs': Object.freeze({ ...PAPER_LRP, rule: 'abs' }),
  'lrp-half': Object.freeze({ ...PAPER_LRP, rule: 'half' }),
  // The paper occludes a step by setting its input to zero; f-diff is the change of the score, P-diff of the probability.
  'occlusion-f-diff': Object.freeze({ method: 'occlusion', occlusion: Object.freeze({ score: 'logit', replacement: 'zero' }) }),
  'occlusion-p-diff': Object.freeze({ method: 'occlusion', occlusion: Object.freeze({ score: 'prob', replacement: 'zero' }) }),
})

/** The options a preset stands for, with the ones given next to it (other than undefined) in their place. */
export function withPreset(options: ExplainOptions): ExplainOptions {
  const { preset, ...given } = options
  if (preset === undefined) return options
  if (typeof preset !== 'string' || !Object.hasOwn(EXPLAIN_PRESETS, preset)) fail('E_OPTIONS', `preset must be one of ${Object.keys(EXPLAIN_PRESETS).join(', ')}; got ${describeValue(preset)}`)
  return { ...EXPLAIN_PRESETS[preset], ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) }
}
