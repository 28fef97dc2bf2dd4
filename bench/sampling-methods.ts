// The sampling methods on SST test sentences: the mean time of one explanation with each
// method's default samples, next to LRP's, one thread.
import type { ExplainOptions, Model, SequenceInput } from '../lib/index.js'
import { SAMPLING_DEFAULTS } from '../lib/explain/options.js'
import { mean, timeEach } from './timing.js'

export const SAMPLING_METHODS: { name: string; options: ExplainOptions }[] = [
  { name: 'lrp', options: { method: 'lrp', rule: 'all' } },
  { name: `shapley (${SAMPLING_DEFAULTS.shapleySamples} permutations)`, options: { method: 'shapley' } },
  { name: `kernel-shap (${SAMPLING_DEFAULTS.kernelShapSamples} samples)`, options: { method: 'kernel-shap' } },
  { name: `lime (${SAMPLING_DEFAULTS.limeSamples} samples)`, options: { method: 'lime' } },
  { name: `smoothgrad (${SAMPLING_DEFAULTS.smoothgradSamples} samples, gradient)`, options: { method: 'smoothgrad' } },
  {
    name: `smoothgrad (${SAMPLING_DEFAULTS.smoothgradSamples} samples, integrated gradients of 16 points)`,
    options: { method: 'smoothgrad', smoothgrad: { over: 'integrated-gradients' }, integratedGradients: { steps: 16 } },
  },
]

/**
 * Mean microseconds of one explanation per method over `inputs`. Each method's calls run in a block of
 * their own, as the multi-pass methods' do: interleaved, the long methods' buffers evict LRP's.
 */
export function samplingMicroseconds(model: Model, inputs: SequenceInput[]): Record<string, number> {
  return Object.fromEntries(SAMPLING_METHODS.map(({ name, options }) => [name, mean(timeEach(inputs, [(x) => model.explain(x, options)])[0])]))
}
