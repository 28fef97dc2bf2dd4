/** A Model from model-file bytes on a given backend (no file system: shared by Node and browsers). */
import type { Backend } from '../backend/types.js'
import type { DType, Tensor } from './types.js'
import { readModelFile } from './tensors.js'
import { Model, type KernelOptions } from './model.js'
import { fail } from '../errors.js'
import { describeValue } from '../describe-value.js'

function convert(tensors: Map<string, Tensor>, dtype: DType): Map<string, Tensor> {
  const ArrayType = dtype === 'f32' ? Float32Array : Float64Array
  return new Map([...tensors].map(([name, tensor]) => [name, tensor.dtype === dtype ? tensor : { dtype, shape: tensor.shape, data: ArrayType.from(tensor.data) }]))
}

export function checkDType(dtype: unknown): DType | undefined {
  if (dtype !== undefined && dtype !== 'f32' && dtype !== 'f64') fail('E_OPTIONS', `dtype must be 'f32' or 'f64'; got ${describeValue(dtype)}`)
  return dtype
}

export function asBytes(source: unknown): Uint8Array | null {
  if (source instanceof Uint8Array) return source
  if (source instanceof ArrayBuffer) return new Uint8Array(source)
  return null
}

/** dtype: the compute dtype (default: the file's); threads: batch calls at once (default: the backend's). */
export function modelFromBytes(bytes: Uint8Array, backend: Backend, dtype?: DType, threads?: number, kernelOptions: KernelOptions = {}): Model {
  const file = readModelFile(bytes)
  const computeDType = dtype ?? file.dtype
  return new Model(file.config, computeDType, convert(file.tensors, computeDType), backend, threads, kernelOptions)
}
