/** Loading and saving model files (Node: paths or bytes). */
import { randomBytes } from 'node:crypto'
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import type { BackendChoice } from '../backend/types.js'
import type { DType } from './types.js'
import { loadBackend } from '../backend/registry.js'
import { writeModelFile } from './tensors.js'
import { asBytes, checkDType, modelFromBytes } from './from-bytes.js'
import type { Model } from './model.js'
import { fail } from '../errors.js'

export interface LoadOptions {
  /** Backend to run on (default: LSTM_LRP_BACKEND, else auto). */
  backend?: BackendChoice
  /** Compute dtype (default: the file's). */
  dtype?: DType
}

async function readBytes(source: string | Uint8Array | ArrayBuffer): Promise<Uint8Array> {
  if (typeof source !== 'string') return asBytes(source) ?? fail('E_MODEL_FILE', 'loadModel takes a file path, a Uint8Array or an ArrayBuffer')
  try {
    return new Uint8Array(await readFile(source))
  } catch (error) {
    return fail('E_MODEL_FILE', `cannot read model file ${source}: ${(error as Error).message}`)
  }
}

export async function loadModel(source: string | Uint8Array | ArrayBuffer, options: LoadOptions = {}): Promise<Model> {
  const dtype = checkDType(options.dtype)
  return modelFromBytes(await readBytes(source), loadBackend(options.backend), dtype)
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
    await rm(temporary, { force: true }).catch(() => undefined)
    fail('E_MODEL_FILE', `cannot write model file ${path}: ${(error as Error).message}`)
  }
  return bytes
}
