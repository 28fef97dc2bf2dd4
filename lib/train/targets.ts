/** Training targets in the kernel's layout: one class index, or C values, per score row. */
import type { ModelConfig } from '../model/types.js'
import type { LossName, TrainItem } from './types.js'
import { fail } from '../errors.js'
import { readingCallerValues } from '../caller-values.js'
import { excerpt } from '../describe-value.js'
import { labelList } from '../explain/target.js'

function dataError(message: string): never {
  fail('E_TRAIN_DATA', message)
}

function numbers(value: unknown, count: number, what: string): number[] {
  const flat = Array.isArray(value) && value.every(Array.isArray) ? (value as unknown[][]).flat() : value
  if (typeof flat === 'number' && count === 1) return [flat]
  if (!Array.isArray(flat) || flat.length !== count) dataError(`${what} must hold ${count} number${count === 1 ? '' : 's'}`)
  for (const entry of flat) if (typeof entry !== 'number' || !Number.isFinite(entry)) dataError(`${what} must contain finite numbers`)
  return flat as number[]
}

/** A class target with label names replaced by their indices; anything else is left for the checks. */
function classesByName(target: unknown, labels: readonly string[] | undefined, what: string): unknown {
  if (Array.isArray(target)) return target.map((entry) => classesByName(entry, labels, what))
  if (typeof target !== 'string') return target
  if (labels === undefined) dataError(`${what}: target '${excerpt(target)}' is a label name, but the model has no labels`)
  const index = labels.indexOf(target)
  if (index < 0) dataError(`${what}: target '${excerpt(target)}' is not one of the model's labels (${labelList(labels)})`)
  return index
}

/** The target values of one item with `steps` steps, validated against the model and loss; classes may be label names. */
export function itemTargets(item: TrainItem, steps: number, config: ModelConfig, loss: LossName, what: string): number[] {
  const rows = config.head.readout === 'last' ? 1 : steps
  const C = config.head.outputs
  if (loss === 'mse') return numbers(item.target, rows * C, `${what}: target`)
  const classes = numbers(classesByName(item.target, config.labels, what), rows, `${what}: target`)
  for (const cls of classes) if (!Number.isInteger(cls) || cls < 0 || cls >= C) dataError(`${what}: target class ${cls} is not an integer in [0, ${C})`)
  return classes
}

export function checkItems(items: unknown, what: string): TrainItem[] {
  if (!Array.isArray(items) || items.length === 0) dataError(`${what} must be a non-empty array of { input, target }`)
  // A copy, read once: a getter among the items is asked only here, where what it throws is reported.
  const copy = readingCallerValues('E_TRAIN_DATA', what, () => Array.from(items as unknown[]))
  copy.forEach((item, n) => {
    if (typeof item !== 'object' || item === null || !('input' in item) || !('target' in item)) dataError(`${what}[${n}] must be an object { input, target }`)
  })
  return copy as TrainItem[]
}
