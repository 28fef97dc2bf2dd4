/** Loading and saving model files (Node: paths or bytes). */
import { randomBytes } from 'node:crypto'
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import type { BackendChoice } from '../backend/types.js'
import type { DType, Tensor } from './types.js'
import { loadBackend } from '../backend/registry.js'
import { readModelFile, writeModelFile } from './tensors.js'
import { Model } from './model.js'
import { fail } from '../errors.js'

export interface LoadOptions {
  /** Backend to run on (default: LSTM_LRP_BACKEND, else auto). */
  backend?: BackendChoice
  /** Compute dtype (default: the file's). */
  dtype?: DType
}

function convert(tensors: Map<string, Tensor>, dtype: DType): Map<string, Tensor> {
  const ArrayType = dtype === 'f32' ? Float32Array : Float64Array
  return new Map(
    [...tensors].map(([name, tensor]) => [
      name,
      tensor.dtype === dtype ? tensor : { dtype, shape: tensor.shape, data: ArrayType.from(tensor.data) },
    ]),
  )
}

async function readBytes(source: string | Uint8Array | ArrayBuffer): Promise<Uint8Array> {
  if (typeof source === 'string') {
    try {
      return new Uint8Array(await readFile(source))
    } catch (error) {
      return fail('E_MODEL_FILE', `cannot read model file ${source}: ${(error as Error).message}`)
    }
  }
  if (source instanceof Uint8Array) return source
  if (source instanceof ArrayBuffer) return new Uint8Array(source)
  return fail('E_MODEL_FILE', 'loadModel takes a file path, a Uint8Array or an ArrayBuffer')
}

export async function loadModel(source: string | Uint8Array | ArrayBuffer, options: LoadOptions = {}): Promise<Model> {
  if (options.dtype !== undefined && options.dtype !== 'f32' && options.dtype !== 'f64')
    fail('E_OPTIONS', `dtype must be 'f32' or 'f64'; got ${JSON.stringify(options.dtype)}`)
  const file = readModelFile(await readBytes(source))
  const dtype = options.dtype ?? file.dtype
  return new Model(file.config, dtype, convert(file.tensors, dtype), loadBackend(options.backend))
}

/** The model file's bytes; with a path, also written there atomically (temporary file, then rename). */
export async function saveModel(model: Model, path?: string): Promise<Uint8Array> {
  const bytes = writeModelFile(model.config, new Map(model.weights))
  if (path === undefined) return bytes
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temporary, bytes, { flag: 'wx' })
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true, recursive: false }).catch(() => undefined)
    fail('E_MODEL_FILE', `cannot write model file ${path}: ${(error as Error).message}`)
  }
  return bytes
}
