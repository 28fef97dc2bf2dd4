// What the reference's own tests (LSTM and GRU) share: random inputs and targets, matrix comparison,
// the conservation gap, and the input gradient by central differences of the reference forward pass.
import { refForward, weightedSum } from '../reference/forward.js'
import type { RefLrpResult } from '../reference/lrp.js'
import type { RefInput, RefModel } from '../reference/model.js'
import { mulberry32, randomSequence, type RefArchitecture } from '../reference/random.js'

/** A random input of T steps: token ids for an embedding, vectors otherwise. */
export function inputFor(arch: RefArchitecture, seed: number, T = 4): RefInput {
  if (arch.vocabSize === undefined) return { x: randomSequence(seed, T, arch.inputSize) }
  const next = mulberry32(seed)
  return { tokens: Array.from({ length: T }, () => Math.floor(next() * (arch.vocabSize as number))) }
}

/** Dense random target weights exercise every score at once. */
export function randomTarget(scores: number[][], seed: number): number[][] {
  const next = mulberry32(seed)
  return scores.map((row) => row.map(() => 2 * next() - 1))
}

export const maxAbs = (m: number[][]): number => Math.max(...m.flat().map(Math.abs))

/** Where two matrices differ by more than relTol of the expected one's largest magnitude (at least absFloor), or undefined. */
export function closeMatrices(actual: number[][], expected: number[][], relTol: number, absFloor = 1e-12): string | undefined {
  const scale = Math.max(maxAbs(expected), absFloor)
  for (let t = 0; t < expected.length; t++)
    for (let j = 0; j < expected[t].length; j++) if (!(Math.abs(actual[t][j] - expected[t][j]) <= relTol * scale)) return `[${t}][${j}]: ${actual[t][j]} vs ${expected[t][j]} (scale ${scale})`
  return undefined
}

/** How far input ≠ inputs + absorbed + initialState, and the magnitude it is relative to. */
export function conservationGap(result: RefLrpResult): { gap: number; scale: number } {
  const c = result.conservation
  const magnitude = Math.max(Math.abs(c.input), Math.abs(c.inputs), Math.abs(c.absorbed), Math.abs(c.initialState), 1e-300)
  return { gap: Math.abs(c.input - (c.inputs + c.absorbed + c.initialState)), scale: magnitude }
}

/** ∂(Σ w ⊙ scores)/∂x by central differences of the reference forward pass, over the (embedded) input x. */
export function numericInputGradient(model: RefModel, input: RefInput, w: number[][], h = 1e-6): number[][] {
  const x = refForward(model, input).x
  const f = (seq: number[][]) => weightedSum(w, refForward(model, { x: seq }).scores)
  return x.map((row, s) =>
    row.map((_, j) => {
      const plus = x.map((r) => [...r])
      const minus = x.map((r) => [...r])
      plus[s][j] += h
      minus[s][j] -= h
      return (f(plus) - f(minus)) / (2 * h)
    }),
  )
}
