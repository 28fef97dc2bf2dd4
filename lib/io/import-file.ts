/** Importing a model from a file or bytes in one of the supported formats (Node: reads files, and TF.js shards beside model.json). */
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { fail } from '../errors.js'
import { parseHint } from './hint.js'
import { importError, withBoundedMessage } from './import-error.js'
import { DEFAULT_HDF5_TIMEOUT_SECONDS, importKeras } from './keras-file.js'
import { importOnnx } from './onnx.js'
import { importPytorch } from './pytorch.js'
import { readRegularFile } from './read-regular-file.js'
import { importTfjs, type ShardReader } from './tfjs.js'
import { IMPORT_FORMATS, type ImportFormat, type ImportedModel, type ImportOptions } from './types.js'

/** Larger model files (and TF.js shards, together) are not models this package can explain. */
export const MAX_MODEL_FILE_BYTES = 1 << 30
/** model.json holds the topology and the manifest; the weights are in the shards. */
const MAX_MODEL_JSON_BYTES = 64 << 20
/** Longest timeout accepted: an hour. */
const MAX_TIMEOUT_SECONDS = 3600

async function readSource(format: ImportFormat, file: string, maxBytes = MAX_MODEL_FILE_BYTES): Promise<Uint8Array> {
  try {
    return await readRegularFile(file, { maxBytes })
  } catch (error) {
    return importError(format, `cannot read ${file}: ${(error as Error).message}`)
  }
}

/** Whether a manifest path is a plain relative path: no URL, no absolute path, no "..". */
function isPlainRelative(shard: string): boolean {
  if (shard === '' || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(shard) || path.isAbsolute(shard) || path.win32.isAbsolute(shard)) return false
  return !shard.split(/[/\\]/).includes('..')
}

/**
 * Shards are named relative to model.json and must be files inside its folder: a symbolic link
 * (to a shard or a sub-folder) that leads elsewhere is refused without reading it or saying how
 * large its target is. Together they may hold MAX_MODEL_FILE_BYTES.
 */
async function shardReader(modelJsonPath: string): Promise<ShardReader> {
  let folder: string
  try {
    folder = await realpath(path.dirname(path.resolve(modelJsonPath)))
  } catch (error) {
    return importError('tfjs', `cannot read the folder of ${modelJsonPath}: ${(error as Error).message}`)
  }
  let budget = MAX_MODEL_FILE_BYTES
  return async (shard: string): Promise<Uint8Array> => {
    const outside = (): never => importError('tfjs', `weight shard path "${shard}" points outside the folder of model.json`)
    if (!isPlainRelative(shard)) outside()
    let resolved: string
    try {
      resolved = await realpath(path.join(folder, shard))
    } catch (error) {
      return importError('tfjs', `cannot read weight shard "${shard}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
    const relative = path.relative(folder, resolved)
    if (relative === '' || relative.split(path.sep)[0] === '..' || path.isAbsolute(relative)) outside()
    let bytes: Uint8Array
    try {
      bytes = await readRegularFile(resolved, { maxBytes: budget, noFollow: true })
    } catch (error) {
      return importError('tfjs', `cannot read weight shard "${shard}": ${(error as Error).message}`)
    }
    budget -= bytes.length
    return bytes
  }
}

function checkFormat(format: unknown): ImportFormat {
  if (!(IMPORT_FORMATS as readonly unknown[]).includes(format)) fail('E_OPTIONS', `unknown import format ${JSON.stringify(format)} (supported: ${IMPORT_FORMATS.join(', ')})`)
  return format as ImportFormat
}

function timeoutSeconds(options: ImportOptions): number {
  const { timeout = DEFAULT_HDF5_TIMEOUT_SECONDS } = options
  if (typeof timeout !== 'number' || !(timeout > 0) || timeout > MAX_TIMEOUT_SECONDS) fail('E_OPTIONS', `the import timeout must be a number of seconds in (0, ${MAX_TIMEOUT_SECONDS}]`)
  return timeout
}

async function importFrom(source: string | Uint8Array, format: ImportFormat, hint: unknown, options: ImportOptions): Promise<ImportedModel> {
  const parsedHint = parseHint(hint)
  const timeout = timeoutSeconds(options)
  if (format === 'tfjs') {
    if (typeof source !== 'string') fail('E_OPTIONS', 'a TF.js model is imported from the path of its model.json (the weight shards are read beside it)')
    return importTfjs(await readSource(format, source, MAX_MODEL_JSON_BYTES), await shardReader(source), parsedHint)
  }
  const bytes = typeof source === 'string' ? await readSource(format, source) : source
  if (format === 'pytorch') return importPytorch(bytes, parsedHint)
  if (format === 'onnx') return importOnnx(bytes, parsedHint)
  return importKeras(bytes, parsedHint, timeout)
}

/**
 * Converts a PyTorch, Keras, TF.js or ONNX model into an lstm-lrp config and tensors. `source` is
 * a path or the file's bytes (TF.js needs the path of model.json, to find its shards). `hint` is
 * validated here (see ImportHint). Paths must be regular files of at most 1 GiB.
 */
export async function importModel(source: string | Uint8Array, format: ImportFormat, hint?: unknown, options: ImportOptions = {}): Promise<ImportedModel> {
  checkFormat(format)
  try {
    return await importFrom(source, format, hint, options)
  } catch (error) {
    throw withBoundedMessage(error)
  }
}
