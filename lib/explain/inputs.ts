/** Turns the caller's sequences into the kernel's concatenated batch layout. */
import type { KernelBatch } from '../backend/types.js'
import type { DType, FloatArray, ModelConfig } from '../model/types.js'
import type { SequenceInput } from './types.js'
import { fail } from '../errors.js'

function inputError(message: string): never {
  fail('E_INPUT', message)
}

function arrayType(dtype: DType): Float32ArrayConstructor | Float64ArrayConstructor {
  return dtype === 'f32' ? Float32Array : Float64Array
}

function isTokens(input: SequenceInput): input is { tokens: ArrayLike<number> } {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && 'tokens' in input
}

function isTyped(input: SequenceInput): input is { data: FloatArray; steps: number } {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && 'data' in input
}

/** Steps of one sequence, checking its shape (values are checked by the kernel). */
function sequenceSteps(input: SequenceInput, config: ModelConfig, where: string): number {
  const width = config.inputSize
  if (isTokens(input)) {
    if (!config.embedding) inputError(`${where}: token ids need a model with an embedding`)
    const tokens = input.tokens
    if (tokens === null || typeof tokens !== 'object' || typeof tokens.length !== 'number')
      inputError(`${where}: tokens must be an array of token ids`)
    if (tokens.length === 0) inputError(`${where}: the sequence is empty`)
    for (let t = 0; t < tokens.length; t++) {
      const id = tokens[t]
      if (!Number.isInteger(id) || id < 0 || id >= config.embedding.vocabSize)
        inputError(`${where}, step ${t}: token id ${String(id)} is not in the vocabulary [0, ${config.embedding.vocabSize})`)
    }
    return tokens.length
  }
  if (isTyped(input)) {
    const { data, steps } = input
    if (!(data instanceof Float32Array || data instanceof Float64Array))
      inputError(`${where}: data must be a Float32Array or Float64Array`)
    if (!Number.isInteger(steps) || steps < 1) inputError(`${where}: steps must be a positive integer, got ${String(steps)}`)
    if (data.length !== steps * width)
      inputError(`${where}: data has ${data.length} values; expected steps × inputSize = ${steps} × ${width}`)
    return steps
  }
  if (!Array.isArray(input)) inputError(`${where}: expected number[][], { data, steps } or { tokens }`)
  if (input.length === 0) inputError(`${where}: the sequence is empty`)
  input.forEach((row, t) => {
    if (!Array.isArray(row) || row.length !== width)
      inputError(`${where}, step ${t}: expected a row of ${width} numbers, got ${Array.isArray(row) ? row.length : typeof row}`)
    row.forEach((value, i) => {
      if (typeof value !== 'number' || !Number.isFinite(value))
        inputError(`${where}, step ${t}, feature ${i}: ${String(value)} is not a finite number`)
    })
  })
  return input.length
}

function writeRows(input: SequenceInput, target: FloatArray, offset: number): void {
  if (isTyped(input)) {
    target.set(input.data, offset)
    return
  }
  const rows = input as number[][]
  rows.forEach((row, t) => target.set(row, offset + t * row.length))
}

/** Builds one kernel batch; a single typed-array sequence of the model dtype is used without copying. */
export function toKernelBatch(inputs: SequenceInput[], config: ModelConfig, dtype: DType, firstIndex: number | null = null): KernelBatch {
  if (inputs.length === 0) inputError('the batch is empty')
  const where = (n: number) => (firstIndex === null ? 'input' : `input ${firstIndex + n}`)
  const lengths = Int32Array.from(inputs, (input, n) => sequenceSteps(input, config, where(n)))
  const tokenCount = inputs.filter(isTokens).length
  if (tokenCount !== 0 && tokenCount !== inputs.length) inputError('a batch cannot mix token ids and input vectors')
  const total = lengths.reduce((sum, length) => sum + length, 0)

  if (tokenCount > 0) {
    const tokens = new Int32Array(total)
    let offset = 0
    for (const input of inputs as { tokens: ArrayLike<number> }[]) {
      tokens.set(Array.from(input.tokens), offset)
      offset += input.tokens.length
    }
    return { lengths, inputs: null, tokens }
  }

  const ArrayType = arrayType(dtype)
  const only = inputs[0]
  if (inputs.length === 1 && isTyped(only) && only.data instanceof ArrayType) return { lengths, inputs: only.data, tokens: null }
  const data = new ArrayType(total * config.inputSize)
  let offset = 0
  inputs.forEach((input, n) => {
    writeRows(input, data, offset)
    offset += lengths[n] * config.inputSize
  })
  return { lengths, inputs: data, tokens: null }
}
