/** Target weights over score rows: f = Σ w ⊙ scores is what every method explains. */
import type { Readout } from '../model/types.js'
import type { ResolvedTarget, Target } from './types.js'
import { describeValue } from '../describe-value.js'
import { fail } from '../errors.js'
import { readingCallerValues } from '../caller-values.js'

function targetError(message: string): never {
  fail('E_TARGET', message)
}

function classIndex(value: unknown, outputs: number, what: string): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= outputs)
    targetError(`${what} must be an integer class index in [0, ${outputs}); got ${describeValue(value)}`)
  return value as number
}

/** Flattens C numbers or rows × C numbers into one row-major weight list, checking the shape. */
export function weightRows(value: unknown, rows: number, outputs: number, what: string, code = 'E_TARGET'): number[] {
  return readingCallerValues(code, what, () => checkedWeightRows(value, rows, outputs, what, code))
}

function checkedWeightRows(value: unknown, rows: number, outputs: number, what: string, code: string): number[] {
  const flat = Array.isArray(value) && value.every(Array.isArray) ? (value as unknown[][]).flat() : value
  if (!Array.isArray(flat) || flat.length !== rows * outputs)
    fail(code, `${what} must hold ${rows} × ${outputs} numbers (score rows × outputs)`)
  for (const weight of flat)
    if (typeof weight !== 'number' || !Number.isFinite(weight)) fail(code, `${what} must contain finite numbers`)
  return flat as number[]
}

export interface TargetShape {
  readout: Readout
  outputs: number
  steps: number
}

/**
 * Writes one sequence's target weights into `into` (its rows × outputs, zeros on entry) and
 * returns the target as reported back.
 */
export function writeTargetWeights(target: Target, shape: TargetShape, into: Float64Array): ResolvedTarget {
  const { readout, outputs, steps } = shape
  const rows = readout === 'last' ? 1 : steps
  if (typeof target === 'number') {
    const cls = classIndex(target, outputs, 'target')
    into[(rows - 1) * outputs + cls] = 1
    return readout === 'last' ? cls : [steps - 1, cls]
  }
  if (Array.isArray(target)) {
    if (readout !== 'each') targetError("a [step, class] target needs a model with readout 'each'")
    if (target.length !== 2) targetError('a [step, class] target has two entries')
    const [step, cls] = target
    if (!Number.isInteger(step) || step < 0 || step >= steps)
      targetError(`target step must be an integer in [0, ${steps}); got ${describeValue(step)}`)
    into[step * outputs + classIndex(cls, outputs, 'target class')] = 1
    return [step, cls]
  }
  if (typeof target !== 'object' || target === null || !('weights' in target))
    targetError('target must be a class index, a [step, class] pair or { weights }')
  const flat = weightRows(target.weights, rows, outputs, 'target.weights')
  into.set(flat)
  return { weights: flat }
}

/** The argmax target the kernel chose, as reported back. */
export function argmaxTarget(cls: number, readout: Readout, steps: number): ResolvedTarget {
  return readout === 'last' ? cls : [steps - 1, cls]
}
