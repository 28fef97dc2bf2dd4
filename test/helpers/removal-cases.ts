// The removals the step-removing sampling methods are checked with: zeros with the logit, a vector with
// the probability, and (readout last) deletion.
import type { RefRemoval } from '../reference/sampling.js'

export function removalCases(readout: 'last' | 'each', inputSize: number): RefRemoval[] {
  const vector = Array.from({ length: inputSize }, (_, i) => 0.25 - 0.1 * i)
  const list: RefRemoval[] = [
    { score: 'logit', replacement: 'zero' },
    { score: 'prob', replacement: vector },
  ]
  if (readout === 'last') list.push({ score: 'logit', replacement: 'delete' })
  return list
}

export const describeRemoval = (removal: RefRemoval): string => `${removal.score}, ${Array.isArray(removal.replacement) ? 'vector' : removal.replacement}`
