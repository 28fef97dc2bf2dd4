/** Loading and saving model files (Node: paths or bytes). */
import { constants as bufferConstants } from 'node:buffer'
import { totalmem } from 'node:os'
import type { BackendChoice } from '../backend/types.js'
import type { DType } from './types.js'
import { loadBackend } from '../backend/registry.js'
import { writeModelFile } from './tensors.js'
import { writeAtomically } from './write-atomically.js'
import { asBytes, checkDType, modelFromBytes } from './from-bytes.js'
import { Model, type KernelOptions } from './model.js'
import { parseConfig } from './config.js'
import { initialTensors } from '../train/init.js'
import type { CreateOptions } from '../train/types.js'
import { fail } from '../errors.js'
import { importModel } from '../io/import-file.js'
import { readRegularFile } from '../io/read-regular-file.js'
import type { ImportFormat, ImportHint } from '../io/types.js'
import { describeValue } from '../describe-value.js'
import { notSafetensors } from './foreign-file.js'

export interface LoadOptions {
  /** Backend to run on (default: LSTM_LRP_BACKEND, else auto). */
  backend?: BackendChoice
  /** Compute dtype (default: the file's). */
  dtype?: DType
  /**
   * How many threads each batch call splits its sequences across, 1–256 (results do not depend on it):
   * natively the kernel's threads (default: the core count); on WASM the worker threads that run
   * explainBatch (default: the core count, at most 8).
   */
  threads?: number
  /** false: a token model does not keep its first layer's input projections per vocabulary row (same results, less memory; default true). */
  inputProjectionTable?: boolean
  /** The file's format (default 'lstm-lrp'); others are converted on load (docs/IMPORT.md; `lstm-lrp convert` does it once). */
  format?: 'lstm-lrp' | ImportFormat
  /** For imported formats: what the file cannot say (task, labels, tokenizer; for PyTorch the readout and tensor names). */
  hint?: ImportHint
  /** For Keras: seconds reading the HDF5 weights may take before the import fails (default 30). */
  importTimeout?: number
}

/** A model file larger than this cannot be held in memory at all, so it is refused before reading. */
const MAX_MODEL_FILE_BYTES = Math.min(bufferConstants.MAX_LENGTH, totalmem())

function kernelOptionsOf(options: { inputProjectionTable?: boolean }): KernelOptions {
  return { inputProjectionTable: options.inputProjectionTable }
}

async function readBytes(source: string | Uint8Array | ArrayBuffer): Promise<Uint8Array> {
  if (typeof source !== 'string') return asBytes(source) ?? fail('E_MODEL_FILE', 'loadModel takes a file path, a Uint8Array or an ArrayBuffer')
  try {
    // Regular files only: a device, FIFO or a file larger than memory would make a read without end.
    return await readRegularFile(source, { maxBytes: MAX_MODEL_FILE_BYTES })
  } catch (error) {
    return fail('E_MODEL_FILE', `cannot read model file ${source}: ${(error as Error).message}`)
  }
}

export async function loadModel(source: string | Uint8Array | ArrayBuffer, options: LoadOptions = {}): Promise<Model> {
  const dtype = checkDType(options.dtype)
  if (options.format !== undefined && options.format !== 'lstm-lrp') {
    const imported = await importModel(typeof source === 'string' ? source : await readBytes(source), options.format, options.hint, { timeout: options.importTimeout })
    return modelFromBytes(writeModelFile(imported.config, imported.tensors), loadBackend(options.backend), dtype, options.threads, kernelOptionsOf(options))
  }
  const bytes = await readBytes(source)
  // A file named by its path says what it is when it is no safetensors at all (bytes keep the reader's own messages).
  const foreign = typeof source === 'string' ? notSafetensors(bytes, source) : null
  if (foreign !== null) fail('E_MODEL_FILE', `${source} ${foreign}`)
  return modelFromBytes(bytes, loadBackend(options.backend), dtype, options.threads, kernelOptionsOf(options))
}

/** A new model with seeded initial weights, to train (config: the JSON architecture of docs/MODEL-CONFIG.md). */
export async function createModel(config: unknown, options: CreateOptions = {}): Promise<Model> {
  const parsed = parseConfig(config)
  const dtype = checkDType(options.dtype) ?? 'f32'
  const seed = options.seed ?? 0
  if (!Number.isInteger(seed)) fail('E_OPTIONS', `seed must be an integer; got ${describeValue(seed)}`)
  return Model.withKernelWeights(parsed, dtype, initialTensors(parsed, dtype, seed, options.init), loadBackend(options.backend), options.threads, kernelOptionsOf(options))
}

/** The model file's bytes; with a path, also written there atomically (temporary file, then rename). */
export async function saveModel(model: Model, path?: string): Promise<Uint8Array> {
  const bytes = writeModelFile(model.config, new Map(model.weights))
  if (path === undefined) return bytes
  try {
    await writeAtomically(path, bytes)
  } catch (error) {
    fail('E_MODEL_FILE', `cannot write model file ${path}: ${(error as Error).message}`)
  }
  return bytes
}
