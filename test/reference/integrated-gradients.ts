// Float64 Integrated Gradients per docs/METHODS.md: R = (x − x') ⊙ Σ_k w_k ∂f/∂x(x' + α_k (x − x')).
import { embed, refForward, weightedSum } from './forward.js'
import { refGradient } from './gradient.js'
import type { RefInput, RefModel } from './model.js'

export type IntegrationRule = 'midpoint' | 'gauss-legendre'

export interface Quadrature {
  /** Points α in (0, 1). */
  alphas: number[]
  /** Weights, summing to 1. */
  weights: number[]
}

export function midpointRule(m: number): Quadrature {
  return { alphas: Array.from({ length: m }, (_, k) => (k + 0.5) / m), weights: new Array<number>(m).fill(1 / m) }
}

/** P_m(x) and P_m'(x) from the three-term recurrence. */
function legendre(m: number, x: number): [number, number] {
  let previous = 0
  let value = 1
  for (let n = 1; n <= m; n++) [previous, value] = [value, ((2 * n - 1) * x * value - (n - 1) * previous) / n]
  return [value, (m * (x * value - previous)) / (x * x - 1)]
}

/**
 * Gauss–Legendre on [0, 1]. Independent of the kernel's Newton iteration: the roots of P_m are
 * bracketed by sign changes on a fine grid in θ (x = cos θ, where they are nearly evenly spaced
 * about π/m apart) and bisected to the last bit; the weights are 2/((1 − x²) P_m'(x)²), halved.
 */
export function gaussLegendreRule(m: number): Quadrature {
  const roots: number[] = []
  // Grid points off every multiple of π/(2·cells), so that the root x = 0 of odd m is never on one.
  const cells = 40 * m
  const grid = [1, ...Array.from({ length: cells }, (_, k) => Math.cos((Math.PI * (k + 0.5)) / cells)), -1]
  let previous = grid[0]
  for (const next of grid.slice(1)) {
    let [hi, lo] = [previous, next]
    if (Math.sign(legendre(m, hi)[0]) !== Math.sign(legendre(m, lo)[0])) {
      for (let iteration = 0; iteration < 200; iteration++) {
        const mid = (hi + lo) / 2
        if (mid === hi || mid === lo) break
        if (Math.sign(legendre(m, mid)[0]) === Math.sign(legendre(m, hi)[0])) hi = mid
        else lo = mid
      }
      roots.push((hi + lo) / 2)
    }
    previous = next
  }
  if (roots.length !== m) throw new Error(`found ${roots.length} roots of P_${m}`)
  return {
    alphas: roots.map((x) => (1 - x) / 2),
    weights: roots.map((x) => 1 / ((1 - x * x) * legendre(m, x)[1] ** 2)),
  }
}

export interface RefIntegratedGradientsOptions {
  steps: number
  rule: IntegrationRule
  /** One vector of inputSize, used at every step; null: zeros. */
  baseline: number[] | null
}

export interface RefIntegratedGradientsResult {
  /** T x I */
  relevance: number[][]
  perStep: number[]
  /** f(x) − f(baseline) */
  difference: number
}

export function refIntegratedGradients(model: RefModel, input: RefInput, targetWeights: number[][], options: RefIntegratedGradientsOptions): RefIntegratedGradientsResult {
  const x = embed(model, input)
  const base = x.map((row) => row.map((_, j) => (options.baseline ? options.baseline[j] : 0)))
  const { alphas, weights } = options.rule === 'midpoint' ? midpointRule(options.steps) : gaussLegendreRule(options.steps)
  const integral = x.map((row) => row.map(() => 0))
  alphas.forEach((alpha, k) => {
    const point = x.map((row, t) => row.map((v, j) => base[t][j] + alpha * (v - base[t][j])))
    refGradient(model, { x: point }, targetWeights).forEach((row, t) => row.forEach((g, j) => (integral[t][j] += weights[k] * g)))
  })
  const relevance = integral.map((row, t) => row.map((g, j) => (x[t][j] - base[t][j]) * g))
  const score = (sequence: number[][]): number => weightedSum(targetWeights, refForward(model, { x: sequence }).scores)
  return { relevance, perStep: relevance.map((row) => row.reduce((a, b) => a + b, 0)), difference: score(x) - score(base) }
}
