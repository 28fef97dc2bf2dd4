// Float64 SmoothGrad per docs/METHODS.md § SmoothGrad: the mean of a base method's relevance over N
// noisy copies x̃_k = x + σ ε_k, all for the target weights of the unperturbed input.
import { embed } from './forward.js'
import { refGradient } from './gradient.js'
import { refIntegratedGradients, type RefIntegratedGradientsOptions } from './integrated-gradients.js'
import type { RefInput, RefModel } from './model.js'
import { mulberry32 } from './random.js'

export type SmoothedBase = 'gradient' | 'gradient-x-input' | 'integrated-gradients'

export interface RefSmoothGradOptions {
  samples: number
  noise: number
  seed: number
  base: SmoothedBase
  /** The path of base integrated-gradients. */
  integratedGradients: RefIntegratedGradientsOptions
}

export interface RefSmoothGradResult {
  /** T x I */
  relevance: number[][]
  perStep: number[]
  /** Base integrated gradients: the means over the copies of f(x̃_k) − f(x'), Σ R_k and their difference; null otherwise. */
  completeness: { difference: number; sum: number; delta: number } | null
}

/** Standard normal values from the generator seeded with `seed`: √(−2 ln(1 − u₁)) · cos(2π u₂), u₁ drawn first. */
export function standardNormals(seed: number): () => number {
  const uniform = mulberry32(seed)
  return () => {
    const u1 = uniform()
    const u2 = uniform()
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2)
  }
}

/** The noisy copies x + σ ε_k of x (T x I), ε_k drawn step after step, feature after feature, copy after copy. */
export function noisyCopies(x: number[][], samples: number, noise: number, seed: number): number[][][] {
  const normal = standardNormals(seed)
  return Array.from({ length: samples }, () => x.map((row) => row.map((v) => v + noise * normal())))
}

/** A base method's relevance at the (embedded) input x̃, and for integrated gradients f(x̃) − f(x'). */
function baseRelevance(model: RefModel, noisy: number[][], targetWeights: number[][], options: RefSmoothGradOptions): { relevance: number[][]; difference: number } {
  if (options.base === 'integrated-gradients') return refIntegratedGradients(model, { x: noisy }, targetWeights, options.integratedGradients)
  const g = refGradient(model, { x: noisy }, targetWeights)
  const relevance = options.base === 'gradient' ? g.map((row) => row.map((v) => v * v)) : g.map((row, t) => row.map((v, j) => noisy[t][j] * v))
  return { relevance, difference: 0 }
}

export function refSmoothGrad(model: RefModel, input: RefInput, targetWeights: number[][], options: RefSmoothGradOptions): RefSmoothGradResult {
  const x = embed(model, input)
  const relevance = x.map((row) => row.map(() => 0))
  let difference = 0
  let sum = 0
  for (const noisy of noisyCopies(x, options.samples, options.noise, options.seed)) {
    const copy = baseRelevance(model, noisy, targetWeights, options)
    copy.relevance.forEach((row, t) => row.forEach((r, j) => (relevance[t][j] += r / options.samples)))
    difference += copy.difference / options.samples
    sum += copy.relevance.flat().reduce((a, b) => a + b, 0) / options.samples
  }
  return {
    relevance,
    perStep: relevance.map((row) => row.reduce((a, b) => a + b, 0)),
    completeness: options.base === 'integrated-gradients' ? { difference, sum, delta: difference - sum } : null,
  }
}
