// A random model of one test architecture, loaded through the real loader, with inputs of a few lengths,
// and the conversions between an explanation's target and the reference's target weights.
import { loadModel, type Model, type ExplainOptions, type Explanation } from '../../lib/index.js'
import type { DType } from '../../lib/model/types.js'
import { randomRefModel, randomSequence, mulberry32, type RefArchitecture } from '../reference/random.js'
import type { RefInput, RefModel } from '../reference/model.js'
import { refModelFile } from './ref-to-file.js'
import { ARCHITECTURES } from './architectures.js'

export const TOLERANCE: Record<DType, number> = { f64: 1e-9, f32: 1e-4 }
export const LENGTHS = [1, 2, 7]

export interface Case {
  ref: RefModel
  model: Model
  inputs: RefInput[]
}

export async function setUp(name: string, seed: number, dtype: DType, architectures: Record<string, RefArchitecture> = ARCHITECTURES): Promise<Case> {
  const ref = randomRefModel(seed, architectures[name])
  const model = await loadModel(refModelFile(ref, dtype))
  const next = mulberry32(seed + 1)
  const inputs: RefInput[] = LENGTHS.map((T, n) => (ref.embedding ? { tokens: Array.from({ length: T }, () => Math.floor(next() * ref.embedding!.length)) } : { x: randomSequence(seed * 10 + n, T, ref.inputSize) }))
  return { ref, model, inputs }
}

export function stepsOf(input: RefInput): number {
  return 'x' in input ? input.x.length : input.tokens.length
}

export function apiInput(input: RefInput) {
  return 'x' in input ? input.x : { tokens: input.tokens }
}

/** The reference's target weights (score rows × outputs) for the target an explanation reports. */
export function weightsFor(explanation: Explanation, ref: RefModel): number[][] {
  const C = ref.head.weight.length
  const rows = ref.head.readout === 'last' ? 1 : explanation.steps
  const weights = Array.from({ length: rows }, () => new Array<number>(C).fill(0))
  const target = explanation.target
  if (typeof target === 'number') weights[rows - 1][target] = 1
  else if (Array.isArray(target)) weights[target[0]][target[1]] = 1
  else target.weights.forEach((w, k) => (weights[Math.floor(k / C)][k % C] = w))
  return weights
}

/** An explicit class (readout `last`) or [step, class] (readout `each`) that varies with the seed. */
export function explicitTarget(ref: RefModel, steps: number, seed: number): ExplainOptions['target'] {
  const C = ref.head.weight.length
  return ref.head.readout === 'last' ? seed % C : [seed % steps, (seed + 1) % C]
}
