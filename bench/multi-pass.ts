// The multi-pass methods on one sentence: the time of one explanation with each, next to LRP's.
import type { ExplainOptions, Model, SequenceInput } from '../lib/index.js'
import { median, timeEach } from './timing.js'

export const MULTI_PASS_METHODS: { name: string; options: ExplainOptions }[] = [
  { name: 'lrp', options: { method: 'lrp', rule: 'all' } },
  { name: 'integrated-gradients (64 points)', options: { method: 'integrated-gradients', integratedGradients: { steps: 64 } } },
  { name: 'cd (one decomposition per step)', options: { method: 'cd' } },
  { name: 'occlusion', options: { method: 'occlusion' } },
]

/**
 * Median microseconds of one explanation of `input` per method. Each method's calls run in a block
 * of their own: alternating with integrated gradients, whose buffers push LRP's out of the caches,
 * made LRP look twice as slow as it is.
 */
export function multiPassMicroseconds(model: Model, input: SequenceInput, repeats: number): Record<string, number> {
  const inputs = Array.from({ length: repeats }, () => input)
  return Object.fromEntries(MULTI_PASS_METHODS.map(({ name, options }) => [name, median(timeEach(inputs, [(x) => model.explain(x, options)])[0])]))
}
