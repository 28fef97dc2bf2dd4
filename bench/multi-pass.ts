// The multi-pass methods on one sentence: the time of one explanation with each, next to LRP's.
import type { ExplainOptions, Model, SequenceInput } from '../lib/index.js'
import { median, timeEach } from './timing.js'

export const MULTI_PASS_METHODS: { name: string; options: ExplainOptions }[] = [
  { name: 'lrp', options: { method: 'lrp', rule: 'all' } },
  { name: 'integrated-gradients (64 points)', options: { method: 'integrated-gradients', integratedGradients: { steps: 64 } } },
  { name: 'cd (one decomposition per step)', options: { method: 'cd' } },
  { name: 'occlusion', options: { method: 'occlusion' } },
]

/** Median microseconds of one explanation of `input` per method, the calls alternating method by method. */
export function multiPassMicroseconds(model: Model, input: SequenceInput, repeats: number): Record<string, number> {
  const samples = timeEach(
    Array.from({ length: repeats }, () => input),
    MULTI_PASS_METHODS.map(({ options }) => (x: SequenceInput) => model.explain(x, options)),
  )
  return Object.fromEntries(MULTI_PASS_METHODS.map(({ name }, k) => [name, median(samples[k])]))
}
