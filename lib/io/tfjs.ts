/**
 * TF.js layers models: model.json (a Keras model config in modelTopology, and a weightsManifest)
 * plus binary weight shards. Each manifest group's shards are concatenated and hold its weights
 * back to back, little-endian.
 */
import type { DType, Tensor } from '../model/types.js'
import { formatShape, importError } from './import-error.js'
import { isRecord, kerasLayerChain, type KerasLayer } from './keras-config.js'
import { importKerasLayers, type KerasPart } from './keras-layers.js'
import type { ImportedModel, ImportHint } from './types.js'

/** Reads a shard named in the manifest (a path relative to model.json). */
export type ShardReader = (path: string) => Promise<Uint8Array>

interface ManifestWeight {
  name: string
  shape: number[]
  dtype: string
}

const FLOAT_BYTES: Record<string, { dtype: DType; bytes: number }> = {
  float32: { dtype: 'f32', bytes: 4 },
}

/** TF.js writes 4 MB shards: this is 40 GB of them. */
const MAX_SHARDS = 10_000

function fail(message: string): never {
  importError('tfjs', message)
}

function parseJson(bytes: Uint8Array): Record<string, unknown> {
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(bytes))
  } catch (error) {
    fail(`model.json is not valid JSON (${(error as Error).message})`)
  }
  if (!isRecord(json)) fail('model.json is not a JSON object')
  return json
}

function parseWeight(value: unknown): ManifestWeight {
  if (!isRecord(value) || typeof value.name !== 'string' || !Array.isArray(value.shape) || typeof value.dtype !== 'string') {
    fail('a weightsManifest entry lacks "name", "shape" or "dtype"')
  }
  const shape: unknown[] = value.shape
  if (!shape.every((size) => typeof size === 'number' && Number.isSafeInteger(size) && size >= 0)) fail(`weight "${value.name}": invalid shape ${JSON.stringify(shape)}`)
  if (value.quantization !== undefined) fail(`weight "${value.name}" is quantized, which is not supported (convert the model without quantization)`)
  if (FLOAT_BYTES[value.dtype] === undefined) fail(`weight "${value.name}": dtype "${value.dtype}" is not supported (only float32)`)
  return { name: value.name, shape: shape as number[], dtype: value.dtype }
}

async function readGroup(group: unknown, readShard: ShardReader, into: Map<string, Tensor>): Promise<void> {
  if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) fail('a weightsManifest group lacks "paths" or "weights"')
  const paths: unknown[] = group.paths
  const shards: Uint8Array[] = []
  // One by one: the reader checks each shard against what the shards read so far leave of the size limit.
  for (const path of paths) {
    if (typeof path !== 'string') fail('a weightsManifest path is not a string')
    shards.push(await readShard(path))
  }
  const bytes = new Uint8Array(shards.reduce((total, shard) => total + shard.length, 0))
  shards.reduce((offset, shard) => (bytes.set(shard, offset), offset + shard.length), 0)
  let offset = 0
  for (const weight of group.weights.map(parseWeight)) {
    const { dtype, bytes: width } = FLOAT_BYTES[weight.dtype]
    const length = weight.shape.reduce((product, size) => product * size, 1)
    const end = offset + length * width
    if (end > bytes.length) fail(`weight "${weight.name}" ${formatShape(weight.shape)} runs past the end of its shards (${bytes.length} bytes): truncated or missing shard?`)
    // slice() copies into a fresh, aligned buffer.
    into.set(weight.name, { dtype, shape: weight.shape, data: new Float32Array(bytes.slice(offset, end).buffer) })
    offset = end
  }
  if (offset !== bytes.length) fail(`the shards of [${paths.join(', ')}] hold ${bytes.length} bytes but the manifest describes ${offset}`)
}

/**
 * Weight names are "<layer>/.../<variable>"; a Bidirectional's directions are sublayers named
 * "forward_…" and "backward_…".
 */
function weightsByLayer(weights: Map<string, Tensor>) {
  return (layer: KerasLayer, part?: KerasPart): Map<string, Tensor> => {
    const found = new Map<string, Tensor>()
    for (const [name, tensor] of weights) {
      const parts = name.split('/')
      if (parts[0] !== layer.name) continue
      if (part !== undefined && !parts.slice(1, -1).some((segment) => segment.startsWith(`${part}_`))) continue
      found.set(parts[parts.length - 1], tensor)
    }
    return found
  }
}

export async function importTfjs(modelJson: Uint8Array, readShard: ShardReader, hint: ImportHint = {}): Promise<ImportedModel> {
  const json = parseJson(modelJson)
  if (json.format !== undefined && json.format !== 'layers-model') fail(`model.json has format "${String(json.format)}": only TF.js layers models are supported (graph models have no layer structure)`)
  if (!Array.isArray(json.weightsManifest)) fail('model.json has no weightsManifest')
  const shardCount = json.weightsManifest.reduce((count: number, group: unknown) => count + (isRecord(group) && Array.isArray(group.paths) ? group.paths.length : 0), 0)
  if (shardCount > MAX_SHARDS) fail(`the weightsManifest names ${shardCount} shards, over the limit of ${MAX_SHARDS}`)
  const weights = new Map<string, Tensor>()
  for (const group of json.weightsManifest) await readGroup(group, readShard, weights)
  const chain = kerasLayerChain('tfjs', json.modelTopology)
  return importKerasLayers('tfjs', chain, weightsByLayer(weights), 'f32', hint)
}
