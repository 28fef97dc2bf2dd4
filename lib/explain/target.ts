/** Target weights over score rows: f = Σ w ⊙ scores is what every method explains. */
import type { Readout } from '../model/types.js'
import type { ClassRef, ResolvedTarget, Target } from './types.js'
import { describeValue, excerpt } from '../describe-value.js'
import { fail, type LstmLrpErrorCode } from '../errors.js'
import { readingCallerValues } from '../caller-values.js'

function targetError(message: string): never {
  fail('E_TARGET', message)
}

/** The label names a message lists, cut short for models with many classes. */
export function labelList(labels: readonly string[]): string {
  const shown = labels.slice(0, 20).map((label) => `'${excerpt(label)}'`)
  return `${shown.join(', ')}${labels.length > shown.length ? `, … (${labels.length} labels)` : ''}`
}

/** A class index, or a label name looked up in the model's labels. */
export function classIndex(value: unknown, outputs: number, what: string, labels?: readonly string[]): number {
  if (typeof value === 'string') {
    if (labels === undefined) targetError(`${what} '${excerpt(value)}' is a label name, but the model has no labels: give a class index in [0, ${outputs})`)
    const index = labels.indexOf(value)
    if (index < 0) targetError(`${what} '${excerpt(value)}' is not one of the model's labels (${labelList(labels)})`)
    return index
  }
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= outputs)
    targetError(`${what} must be an integer class index in [0, ${outputs})${labels ? ' or a label name' : ''}; got ${describeValue(value)}`)
  return value as number
}

/** Flattens C numbers or rows × C numbers into one row-major weight list, checking the shape. */
export function weightRows(value: unknown, rows: number, outputs: number, what: string, code: LstmLrpErrorCode = 'E_TARGET'): number[] {
  return readingCallerValues(code, what, () => checkedWeightRows(value, rows, outputs, what, code))
}

function checkedWeightRows(value: unknown, rows: number, outputs: number, what: string, code: LstmLrpErrorCode): number[] {
  const flat = Array.isArray(value) && value.every(Array.isArray) ? (value as unknown[][]).flat() : value
  if (!Array.isArray(flat) || flat.length !== rows * outputs) fail(code, `${what} must hold ${rows} × ${outputs} numbers (score rows × outputs)${code === 'E_TARGET' ? ', or map label names to numbers' : ''}`)
  for (const weight of flat) if (typeof weight !== 'number' || !Number.isFinite(weight)) fail(code, `${what} must contain finite numbers`)
  return flat as number[]
}

/** { label: weight, ... }: weights by label name on the last score row, zero elsewhere. */
function labelWeights(value: object, rows: number, outputs: number, labels: readonly string[] | undefined): number[] {
  const flat = new Array<number>(rows * outputs).fill(0)
  for (const [name, weight] of Object.entries(value)) {
    if (typeof weight !== 'number' || !Number.isFinite(weight)) targetError(`target.weights.${excerpt(name)} must be a finite number; got ${describeValue(weight)}`)
    flat[(rows - 1) * outputs + classIndex(name, outputs, 'target.weights key', labels)] = weight
  }
  return flat
}

export interface TargetShape {
  readout: Readout
  outputs: number
  steps: number
  /** The model's label names, which a target may use instead of class indices. */
  labels?: readonly string[]
}

/** Where a class target puts its weight: score row and class. */
function classCell(target: ClassRef | [step: number, cls: ClassRef], shape: TargetShape): { row: number; cls: number } {
  const { readout, outputs, steps, labels } = shape
  if (!Array.isArray(target)) return { row: readout === 'last' ? 0 : steps - 1, cls: classIndex(target, outputs, 'target', labels) }
  if (readout !== 'each') targetError("a [step, class] target needs a model with readout 'each'")
  if (target.length !== 2) targetError('a [step, class] target has two entries')
  const [step, cls] = target
  if (!Number.isInteger(step) || step < 0 || step >= steps) targetError(`target step must be an integer in [0, ${steps}); got ${describeValue(step)}`)
  return { row: step, cls: classIndex(cls, outputs, 'target class', labels) }
}

/**
 * Writes one sequence's target weights into `into` (its rows × outputs, zeros on entry) and
 * returns the target as reported back. `versus`: a class whose score is subtracted (weight −1 on
 * the target's score row), making a contrastive target.
 */
export function writeTargetWeights(target: Target, shape: TargetShape, into: Float64Array, versus?: ClassRef): ResolvedTarget {
  const { readout, outputs, steps, labels } = shape
  const rows = readout === 'last' ? 1 : steps
  const isClass = typeof target === 'number' || typeof target === 'string' || Array.isArray(target)
  if (versus !== undefined) {
    if (!isClass) targetError('versus needs a class target (an index, a label name or a [step, class] pair), not { weights }')
    const { row, cls } = classCell(target, shape)
    const other = classIndex(versus, outputs, 'versus', labels)
    if (other === cls) targetError(`versus names the target class itself (${describeValue(versus)}): the contrast would be zero`)
    into[row * outputs + cls] = 1
    into[row * outputs + other] = -1
    return { weights: Array.from(into) }
  }
  if (isClass) {
    const { row, cls } = classCell(target, shape)
    into[row * outputs + cls] = 1
    return readout === 'last' ? cls : [row, cls]
  }
  if (typeof target !== 'object' || target === null || !('weights' in target)) targetError('target must be a class index, a label name, a [step, class] pair or { weights }')
  const weights: unknown = target.weights
  const byLabel = typeof weights === 'object' && weights !== null && !Array.isArray(weights) && !ArrayBuffer.isView(weights)
  const flat = byLabel ? readingCallerValues('E_TARGET', 'target.weights', () => labelWeights(weights, rows, outputs, labels)) : weightRows(weights, rows, outputs, 'target.weights')
  into.set(flat)
  return { weights: flat }
}

/** The argmax target the kernel chose, as reported back. */
export function argmaxTarget(cls: number, readout: Readout, steps: number): ResolvedTarget {
  return readout === 'last' ? cls : [steps - 1, cls]
}

/** The class with the highest score in row `row` of row-major scores (the first of ties). */
export function argmaxOfRow(scores: ArrayLike<number>, row: number, outputs: number): number {
  let best = 0
  for (let k = 1; k < outputs; k++) if (scores[row * outputs + k] > scores[row * outputs + best]) best = k
  return best
}
