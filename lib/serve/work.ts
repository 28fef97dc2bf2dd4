/**
 * What an explanation costs the kernel, in steps run: a request's items and a kernel call are
 * bounded by --max-work, so no request, however small its body, can keep the kernel busy for long
 * (a kernel call cannot be stopped once it runs; a deadline only stops waiting for it).
 */
import type { ExplainOptions } from '../explain/types.js'
import { DEFAULT_INTEGRATION_STEPS, SAMPLING_DEFAULTS } from '../explain/options.js'

/**
 * Steps of a sequence of `steps` times the passes the method makes over it: one for LRP and the
 * gradients, T + 1 for occlusion (the input, then each step removed), T for per-step CD (one
 * decomposition per step; one with a phrase), the path's points for integrated gradients, and
 * for the sampling methods their forward passes: T + 1 per Shapley permutation (2^T coalitions
 * for exact values), one per KernelSHAP or LIME sample and the two ends, and per SmoothGrad
 * sample one pass of the smoothed method.
 */
export function explanationWork(options: ExplainOptions, steps: number): number {
  switch (options.method ?? 'lrp') {
    case 'occlusion':
      return steps * (steps + 1)
    case 'cd':
      return options.cd?.phrase === undefined ? steps * steps : steps
    case 'integrated-gradients':
      return steps * integrationPoints(options)
    case 'shapley': {
      const samples = options.shapley?.samples ?? SAMPLING_DEFAULTS.shapleySamples
      return steps * (samples === 'exact' ? 2 ** steps : samples * (steps + 1))
    }
    case 'kernel-shap':
      return steps * ((options.kernelShap?.samples ?? SAMPLING_DEFAULTS.kernelShapSamples) + 2)
    case 'lime':
      return steps * ((options.lime?.samples ?? SAMPLING_DEFAULTS.limeSamples) + 2)
    case 'smoothgrad': {
      const points = options.smoothgrad?.over === 'integrated-gradients' ? integrationPoints(options) + 1 : 1
      return steps * (options.smoothgrad?.samples ?? SAMPLING_DEFAULTS.smoothgradSamples) * points
    }
    default:
      return steps
  }
}

function integrationPoints(options: ExplainOptions): number {
  return options.integratedGradients?.steps ?? DEFAULT_INTEGRATION_STEPS
}
