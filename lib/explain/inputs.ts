/** Turns the caller's sequences into the kernel's concatenated batch layout. */
import type { KernelBatch } from '../backend/types.js'
import type { DType, FloatArray, ModelConfig } from '../model/types.js'
import type { SequenceInput } from './types.js'
import { describeValue } from '../describe-value.js'
import { readingCallerValues } from '../caller-values.js'
import { fail } from '../errors.js'
import { slabArray } from '../model/result-slab.js'

/** The longest array JavaScript can hold; an array-like claiming more (or a negative, fractional, NaN length) is not a sequence. */
const MAX_ARRAY_LENGTH = 2 ** 32 - 1

function inputError(message: string): never {
  fail('E_INPUT', message)
}

/** A value given where a number belongs; a string shows as the number it spells. */
function describeNumber(value: unknown): string {
  return describeValue(value, { quoteStrings: false })
}

function isTokens(input: SequenceInput): input is { tokens: ArrayLike<number> } {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && 'tokens' in input
}

function isTyped(input: SequenceInput): input is { data: FloatArray; steps: number } {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && 'data' in input
}

/** Steps of a sequence already validated (or about to be) as one of the input forms; NaN when they cannot be read (validation names why). */
export function stepsOf(input: SequenceInput): number {
  try {
    if (Array.isArray(input)) return input.length
    return 'steps' in input ? input.steps : input.tokens.length
  } catch {
    return NaN
  }
}

/** Where a message puts its problem: a string, or an ItemName. */
type Where = string | ItemName

/**
 * Names the batch item a message is about ("input", or "input N" counted from the caller's first
 * item): one per batch, moved from item to item, so reading a batch builds no string per item.
 */
class ItemName {
  private index = 0

  constructor(private readonly firstIndex: number | null) {}

  at(index: number): this {
    this.index = index
    return this
  }

  toString(): string {
    return this.firstIndex === null ? 'input' : `input ${this.firstIndex + this.index}`
  }
}

/** Checks each id as it is copied: what the kernel gets is exactly what was checked, even from a getter that changes its answer. */
function copyTokenIds(ids: ArrayLike<unknown>, length: number, target: Int32Array, offset: number, config: ModelConfig, where: Where): void {
  const vocabSize = config.embedding!.vocabSize
  for (let t = 0; t < length; t++) {
    const id = ids[t]
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize) tokenError(id, config, `${where}, step ${t}`)
    target[offset + t] = id
  }
}

function tokenError(id: unknown, config: ModelConfig, where: Where): never {
  if (typeof id === 'string') {
    const words = config.tokenizer === undefined ? '' : ' (to look words up in the vocabulary, encode them first with encodeTokens)'
    inputError(`${where}: token ids must be integers; got the string ${describeValue(id)}${words}`)
  }
  inputError(`${where}: token id ${describeNumber(id)} is not in the vocabulary [0, ${config.embedding!.vocabSize})`)
}

/** Steps of one sequence, checking its shape (token ids are checked as they are copied, vectors by checkFinite). */
function sequenceSteps(input: SequenceInput, config: ModelConfig, where: Where): number {
  const width = config.inputSize
  if (isTokens(input)) {
    if (!config.embedding) inputError(`${where}: token ids need a model with an embedding`)
    const tokens = input.tokens
    if (tokens === null || typeof tokens !== 'object' || typeof tokens.length !== 'number') inputError(`${where}: tokens must be an array of token ids`)
    const length = tokens.length
    if (!Number.isInteger(length) || length < 0 || length > MAX_ARRAY_LENGTH) inputError(`${where}: tokens has length ${describeValue(length)}; expected an integer in [0, 2^32)`)
    if (length === 0) inputError(`${where}: the sequence is empty`)
    return length
  }
  if (isTyped(input)) {
    const { data, steps } = input
    if (!(data instanceof Float32Array || data instanceof Float64Array)) inputError(`${where}: data must be a Float32Array or Float64Array`)
    if (!Number.isInteger(steps) || steps < 1) inputError(`${where}: steps must be a positive integer, got ${describeNumber(steps)}`)
    if (data.length !== steps * width) inputError(`${where}: data has ${data.length} values; expected steps × inputSize = ${steps} × ${width}`)
    return steps
  }
  if (!Array.isArray(input)) inputError(`${where}: expected number[][], { data, steps } or { tokens }`)
  if (input.length === 0) inputError(`${where}: the sequence is empty`)
  input.forEach((row, t) => {
    if (!Array.isArray(row) || row.length !== width) inputError(`${where}, step ${t}: expected a row of ${width} numbers, got ${Array.isArray(row) ? row.length : typeof row}`)
    row.forEach((value, i) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) inputError(`${where}, step ${t}, feature ${i}: ${describeNumber(value)} is not a finite number`)
    })
  })
  return input.length
}

/** Names the first non-finite value of a laid-out batch (NaN, ±Infinity, or a number beyond float32). */
function checkFinite(data: FloatArray, lengths: Int32Array, inputs: SequenceInput[], width: number, where: (n: number) => string): void {
  let sequence = 0
  let sequenceStart = 0
  for (let k = 0; k < data.length; k++) {
    if (Number.isFinite(data[k])) continue
    while (k >= sequenceStart + lengths[sequence] * width) sequenceStart += lengths[sequence++] * width
    const step = Math.floor((k - sequenceStart) / width)
    const feature = (k - sequenceStart) % width
    const input = inputs[sequence]
    const original = Array.isArray(input) ? input[step][feature] : data[k]
    const problem = Number.isFinite(original) ? `${original} is too large for float32` : `${original} is not finite`
    inputError(`${where(sequence)}, step ${step}, feature ${feature}: ${problem}`)
  }
}

function writeRows(input: SequenceInput, target: FloatArray, offset: number): void {
  if (isTyped(input)) {
    target.set(input.data, offset)
    return
  }
  const rows = input as number[][]
  rows.forEach((row, t) => target.set(row, offset + t * row.length))
}

/** Rejects a batch that mixes token ids with input vectors. */
export function checkUniformKind(inputs: SequenceInput[], firstIndex: number | null = null): void {
  const odd = inputs.findIndex((input) => isTokens(input) !== isTokens(inputs[0]))
  if (odd < 0) return
  const where = firstIndex === null && inputs.length === 1 ? 'input' : `input ${(firstIndex ?? 0) + odd}`
  inputError(`${where}: a batch cannot mix token ids and input vectors (input ${firstIndex ?? 0} is ${isTokens(inputs[0]) ? 'token ids' : 'vectors'})`)
}

/**
 * Builds one kernel batch. A single typed-array sequence of the model dtype is used without
 * copying unless `copy` is set (calls that run later must not see the caller change it) or it
 * lives in a SharedArrayBuffer.
 */
export function toKernelBatch(inputs: SequenceInput[], config: ModelConfig, dtype: DType, { firstIndex = null, copy = false }: { firstIndex?: number | null; copy?: boolean } = {}): KernelBatch {
  if (inputs.length === 0) inputError('the batch is empty')
  const where = (n: number) => (firstIndex === null ? 'input' : `input ${firstIndex + n}`)
  // One name and one reader per pass over the items, not per item: reading a large batch makes no garbage.
  // The name moves to an item before anything of the item is read, so a message names the item that threw.
  const name = new ItemName(firstIndex)
  const lengths = new Int32Array(inputs.length)
  let total = 0
  readingCallerValues('E_INPUT', name, () => {
    for (let n = 0; n < inputs.length; n++) {
      lengths[n] = sequenceSteps(inputs[n], config, name.at(n))
      total += lengths[n]
    }
  })
  checkUniformKind(inputs, firstIndex)

  if (isTokens(inputs[0])) {
    const tokens = slabArray(Int32Array, total)
    readingCallerValues('E_INPUT', name, () => {
      let offset = 0
      for (let n = 0; n < inputs.length; n++) {
        name.at(n)
        copyTokenIds((inputs[n] as { tokens: ArrayLike<number> }).tokens, lengths[n], tokens, offset, config, name)
        offset += lengths[n]
      }
    })
    return { lengths, inputs: null, tokens }
  }

  const ArrayType = dtype === 'f32' ? Float32Array : Float64Array
  const only = inputs[0]
  // Data in a SharedArrayBuffer is copied too: another thread could change it between the checks below and the kernel.
  const data: FloatArray =
    !copy && inputs.length === 1 && isTyped(only) && only.data instanceof ArrayType && only.data.buffer instanceof ArrayBuffer ? only.data : slabArray<FloatArray>(ArrayType, total * config.inputSize)
  if (data !== (only as { data?: FloatArray }).data)
    readingCallerValues('E_INPUT', name, () => {
      let offset = 0
      for (let n = 0; n < inputs.length; n++) {
        name.at(n)
        writeRows(inputs[n], data, offset)
        offset += lengths[n] * config.inputSize
      }
    })
  checkFinite(data, lengths, inputs, config.inputSize, where)
  return { lengths, inputs: data, tokens: null }
}

/** One batch of the sequences of several (all tokens, or all vectors of one dtype), in order. */
export function joinBatches(batches: KernelBatch[]): KernelBatch {
  if (batches.length === 1) return batches[0]
  const lengths = Int32Array.from(batches.flatMap((batch) => Array.from(batch.lengths)))
  const join = <T extends Int32Array | FloatArray>(parts: T[]): T => {
    const joined = new (parts[0].constructor as new (length: number) => T)(parts.reduce((sum, part) => sum + part.length, 0))
    let offset = 0
    for (const part of parts) {
      joined.set(part, offset)
      offset += part.length
    }
    return joined
  }
  if (batches[0].tokens !== null) return { lengths, inputs: null, tokens: join(batches.map((batch) => batch.tokens as Int32Array)) }
  return { lengths, inputs: join(batches.map((batch) => batch.inputs as FloatArray)), tokens: null }
}

/**
 * The values of the sequences `members` (positions, in order) from values laid out sequence
 * after sequence, sequence n holding rows[n] rows of `width` values.
 */
export function gatherSequences<T extends Int32Array | FloatArray>(values: T, rows: ArrayLike<number>, members: number[], width: number): T {
  const starts = new Array<number>(rows.length + 1).fill(0)
  for (let n = 0; n < rows.length; n++) starts[n + 1] = starts[n] + rows[n]
  const gathered = new (values.constructor as new (length: number) => T)(members.reduce((sum, n) => sum + rows[n], 0) * width)
  let offset = 0
  for (const n of members) {
    gathered.set(values.subarray(starts[n] * width, starts[n + 1] * width), offset)
    offset += rows[n] * width
  }
  return gathered
}

/** The sequences `members` (positions, in order) of a batch, as a batch of their own. */
export function selectSequences(batch: KernelBatch, members: number[], inputSize: number): KernelBatch {
  const { lengths } = batch
  return {
    lengths: Int32Array.from(members, (n) => lengths[n]),
    inputs: batch.inputs === null ? null : gatherSequences(batch.inputs, lengths, members, inputSize),
    tokens: batch.tokens === null ? null : gatherSequences(batch.tokens, lengths, members, 1),
  }
}
