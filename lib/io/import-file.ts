/** Importing a model from a file or bytes in one of the supported formats (Node: reads files, and TF.js shards beside model.json). */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fail } from '../errors.js'
import { parseHint } from './hint.js'
import { importError } from './import-error.js'
import { importKeras } from './keras-file.js'
import { importOnnx } from './onnx.js'
import { importPytorch } from './pytorch.js'
import { importTfjs } from './tfjs.js'
import { IMPORT_FORMATS, type ImportFormat, type ImportedModel } from './types.js'

async function readSource(format: ImportFormat, file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file))
  } catch (error) {
    return importError(format, `cannot read ${file}: ${(error as Error).message}`)
  }
}

/** Shards are named relative to model.json; a manifest must not reach outside that folder. */
function shardReader(modelJsonPath: string) {
  const folder = path.dirname(path.resolve(modelJsonPath))
  return (shard: string): Promise<Uint8Array> => {
    const resolved = path.resolve(folder, shard)
    if (path.isAbsolute(shard) || path.relative(folder, resolved).split(path.sep).includes('..')) {
      importError('tfjs', `weight shard path "${shard}" points outside the folder of model.json`)
    }
    return readSource('tfjs', resolved)
  }
}

function checkFormat(format: unknown): ImportFormat {
  if (!(IMPORT_FORMATS as readonly unknown[]).includes(format)) fail('E_OPTIONS', `unknown import format ${JSON.stringify(format)} (supported: ${IMPORT_FORMATS.join(', ')})`)
  return format as ImportFormat
}

/**
 * Converts a PyTorch, Keras, TF.js or ONNX model into an lstm-lrp config and tensors. `source` is
 * a path or the file's bytes (TF.js needs the path of model.json, to find its shards). `hint` is
 * validated here (see ImportHint).
 */
export async function importModel(source: string | Uint8Array, format: ImportFormat, hint?: unknown): Promise<ImportedModel> {
  checkFormat(format)
  const parsedHint = parseHint(hint)
  if (format === 'tfjs') {
    if (typeof source !== 'string') fail('E_OPTIONS', 'a TF.js model is imported from the path of its model.json (the weight shards are read beside it)')
    return importTfjs(await readSource(format, source), shardReader(source), parsedHint)
  }
  const bytes = typeof source === 'string' ? await readSource(format, source) : source
  if (format === 'pytorch') return importPytorch(bytes, parsedHint)
  if (format === 'onnx') return importOnnx(bytes, parsedHint)
  return importKeras(bytes, parsedHint)
}
