// Occlusion per docs/METHODS.md: perStep[t] = F(x) − F(x with step t replaced).
import { embed, refForward, weightedSum } from './forward.js'
import type { RefInput, RefModel } from './model.js'

export interface RefOcclusionOptions {
  score: 'logit' | 'prob'
  /** zero vector, deletion of the step, or a caller vector of width inputSize */
  replacement: 'zero' | 'delete' | number[]
}

function softmax(row: number[]): number[] {
  const max = Math.max(...row)
  const exps = row.map((v) => Math.exp(v - max))
  const total = exps.reduce((a, b) => a + b, 0)
  return exps.map((e) => e / total)
}

export function refOcclusion(model: RefModel, input: RefInput, targetWeights: number[][], opts: RefOcclusionOptions): { perStep: number[]; relevance: number[][] } {
  const x = embed(model, input)
  const T = x.length
  const I = model.inputSize
  if (opts.replacement === 'delete') {
    if (model.head.readout !== 'last') throw new Error('deletion needs readout `last`')
    if (T < 2) throw new Error('a sequence of one step cannot be deleted from')
  } else if (Array.isArray(opts.replacement) && opts.replacement.length !== I) {
    throw new Error(`a replacement vector must have width ${I}`)
  }

  const F = (sequence: number[][]): number => {
    const { scores } = refForward(model, { x: sequence })
    return weightedSum(targetWeights, opts.score === 'prob' ? scores.map(softmax) : scores)
  }

  const full = F(x)
  const perStep = x.map((_, t) => {
    const occluded = opts.replacement === 'delete' ? x.filter((__, s) => s !== t) : x.map((row, s) => (s !== t ? row : opts.replacement === 'zero' ? new Array<number>(I).fill(0) : [...(opts.replacement as number[])]))
    return full - F(occluded)
  })
  // each step's value spread equally over its features
  const relevance = perStep.map((value) => new Array<number>(I).fill(value / I))
  return { perStep, relevance }
}
