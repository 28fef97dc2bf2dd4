/**
 * What the ONNX importer knows about each value of the graph: a constant, the model input, the
 * embedded input, LSTM outputs (which layer and direction, which time steps, where the time and
 * direction axes are), or the head's scores. Layout operators move the axes; this file follows them.
 */
import { importError } from './import-error.js'
import type { OnnxNode, OnnxTensor } from './onnx-proto.js'

/** One direction's outputs in a value: every step, or only the first or last one. */
export interface Part {
  layer: number
  direction: 0 | 1
  step: 'all' | 'first' | 'last'
}

export interface Head {
  input: Part[]
  outputs: number
  /** [C, D] row-major. */
  weight: Float64Array
  bias?: Float64Array
  softmax: boolean
}

/**
 * LSTM outputs: `parts` concatenated along the last (feature) axis, or stacked along `stack`
 * (ONNX's num_directions axis). `time` is the time axis while it can be followed.
 */
export interface LstmValue {
  kind: 'lstm'
  parts: Part[]
  rank: number
  time?: number
  stack?: number
}

export type Value = { kind: 'const'; tensor?: OnnxTensor; zero: boolean } | { kind: 'input' } | { kind: 'embedded' } | LstmValue | { kind: 'cell-state' } | { kind: 'scores'; head: Head }

export function fail(message: string): never {
  importError('onnx', message)
}

export function where(node: OnnxNode): string {
  return `${node.opType} node "${node.name}"`
}

function normalizeAxis(axis: number, rank: number, node: OnnxNode): number {
  const normalized = axis < 0 ? axis + rank : axis
  if (normalized < 0 || normalized >= rank) fail(`${where(node)}: axis ${axis} is out of range for rank ${rank}`)
  return normalized
}

export function transposeAxes(value: LstmValue, perm: number[] | undefined, node: OnnxNode): LstmValue {
  const order = perm ?? Array.from({ length: value.rank }, (_, axis) => value.rank - 1 - axis)
  if (order.length !== value.rank) fail(`${where(node)}: perm has ${order.length} axes, the value ${value.rank}`)
  if (order[value.rank - 1] !== value.rank - 1) fail(`${where(node)} moves the feature axis of the LSTM outputs away from the last place`)
  const moved = (axis: number | undefined): number | undefined => (axis === undefined ? undefined : order.indexOf(axis))
  return { ...value, time: moved(value.time), stack: moved(value.stack) }
}

export function squeezeAxes(value: LstmValue, axes: number[], node: OnnxNode): LstmValue {
  const removed = axes.map((axis) => normalizeAxis(axis, value.rank, node))
  const { parts } = value
  let { time, stack } = value
  for (const axis of removed) {
    if (axis === value.rank - 1) fail(`${where(node)} removes the feature axis of the LSTM outputs`)
    if (axis === stack) {
      if (parts.length !== 1) fail(`${where(node)} squeezes an axis holding ${parts.length} directions`)
      stack = undefined
    }
    if (axis === time) {
      if (parts.some((part) => part.step === 'all')) fail(`${where(node)} squeezes the time axis of a whole sequence`)
      time = undefined
    }
  }
  const shift = (axis: number | undefined): number | undefined => (axis === undefined ? undefined : axis - removed.filter((gone) => gone < axis).length)
  return { kind: 'lstm', parts, rank: value.rank - removed.length, time: shift(time), stack: shift(stack) }
}

export function unsqueezeAxes(value: LstmValue, axes: number[], node: OnnxNode): LstmValue {
  const rank = value.rank + axes.length
  const inserted = new Set(axes.map((axis) => normalizeAxis(axis, rank, node)))
  const newIndex: number[] = []
  for (let axis = 0; axis < rank; axis++) if (!inserted.has(axis)) newIndex.push(axis)
  const moved = (axis: number | undefined): number | undefined => (axis === undefined ? undefined : newIndex[axis])
  if (inserted.has(rank - 1)) fail(`${where(node)} adds an axis after the feature axis of the LSTM outputs`)
  return { ...value, rank, time: moved(value.time), stack: moved(value.stack) }
}

/** Selecting entries [start, end) of one axis: directions on the stacked axis, a single step on the time axis. */
export function selectAlong(value: LstmValue, axisIn: number, start: number, end: number, node: OnnxNode): LstmValue {
  const axis = normalizeAxis(axisIn, value.rank, node)
  if (axis === value.stack) {
    const count = value.parts.length
    const clamp = (index: number): number => Math.min(Math.max(index < 0 ? index + count : index, 0), count)
    const parts = value.parts.slice(clamp(start), clamp(end))
    if (parts.length === 0) fail(`${where(node)} selects no direction`)
    return { ...value, parts }
  }
  if (axis === value.time) {
    const single = value.parts.every((part) => part.step !== 'all')
    if (single) return value
    const step = start === -1 && end > 0 ? 'last' : start === 0 && end === 1 ? 'first' : undefined
    if (step === undefined) fail(`${where(node)} selects steps ${start}..${end}: only the first or the last step of a sequence can be read`)
    return { ...value, parts: value.parts.map((part) => ({ ...part, step })) }
  }
  if (axis === value.rank - 1) fail(`${where(node)} slices the feature axis of the LSTM outputs`)
  if (value.time === undefined && value.parts.some((part) => part.step === 'all')) {
    fail(`${where(node)} slices an axis of the LSTM outputs whose time axis could not be followed`)
  }
  return value // the batch axis
}

/** Width of the features a list of parts spans, given each layer's hidden size. */
export function partsWidth(parts: Part[], hiddenSizes: number[]): number {
  return parts.reduce((width, part) => width + hiddenSizes[part.layer], 0)
}
