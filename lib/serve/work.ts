/**
 * What an explanation costs the kernel, in steps run: a request's items and a kernel call are
 * bounded by --max-work, so no request, however small its body, can keep the kernel busy for long
 * (a kernel call cannot be stopped once it runs; a deadline only stops waiting for it).
 */
import type { ExplainOptions } from '../explain/types.js'
import { DEFAULT_INTEGRATION_STEPS } from '../explain/options.js'

/**
 * Steps of a sequence of `steps` times the passes the method makes over it: one for LRP and the
 * gradients, T + 1 for occlusion (the input, then each step removed), T for per-step CD (one
 * decomposition per step; one with a phrase), the path's points for integrated gradients.
 */
export function explanationWork(options: ExplainOptions, steps: number): number {
  switch (options.method ?? 'lrp') {
    case 'occlusion':
      return steps * (steps + 1)
    case 'cd':
      return options.cd?.phrase === undefined ? steps * steps : steps
    case 'integrated-gradients':
      return steps * (options.integratedGradients?.steps ?? DEFAULT_INTEGRATION_STEPS)
    default:
      return steps
  }
}
