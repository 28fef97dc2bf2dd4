/**
 * Keras 3 `.keras` files: a zip with config.json (the model config) and model.weights.h5, whose
 * groups layers/<group>/... hold each layer's variables as vars/0, vars/1, ... in creation order
 * (an LSTM's under cell/vars, a Bidirectional's under forward_layer/ and backward_layer/); the
 * layer's name is the "name" attribute of <group>/vars.
 */
import { unzipSync } from 'fflate'
import type { Tensor } from '../model/types.js'
import { LstmLrpError } from '../errors.js'
import { importError } from './import-error.js'
import { kerasLayerChain, type KerasLayer } from './keras-config.js'
import { importKerasLayers, type KerasPart } from './keras-layers.js'
import type { ImportedModel, ImportHint } from './types.js'

type H5 = typeof import('h5wasm')

const CONFIG_ENTRY = 'config.json'
const WEIGHTS_ENTRY = 'model.weights.h5'
/** Larger entries are a zip bomb or not a model this package can explain. */
const MAX_ENTRY_BYTES = 1 << 30

/** The order Keras creates each layer's variables in, which is their vars/<n> index. */
const VARIABLE_ORDER: Record<string, string[]> = {
  LSTM: ['kernel', 'recurrent_kernel', 'bias'],
  Bidirectional: ['kernel', 'recurrent_kernel', 'bias'],
  Dense: ['kernel', 'bias'],
  TimeDistributed: ['kernel', 'bias'],
  Embedding: ['embeddings'],
}

function fail(message: string): never {
  importError('keras', message)
}

function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, {
      filter: (file) => {
        if (file.originalSize > MAX_ENTRY_BYTES) fail(`${file.name} is ${file.originalSize} bytes uncompressed, over the limit of ${MAX_ENTRY_BYTES}`)
        return file.name === CONFIG_ENTRY || file.name === WEIGHTS_ENTRY
      },
    })
  } catch (error) {
    if (error instanceof LstmLrpError) throw error
    return fail(`not a .keras file: cannot unzip it (${(error as Error).message})`)
  }
}

function parseConfigJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes))
  } catch (error) {
    return fail(`${CONFIG_ENTRY} is not valid JSON (${(error as Error).message})`)
  }
}

/** Dataset values as float tensors; h5wasm gives typed arrays for numeric datasets. */
function readDataset(h5: H5, file: InstanceType<H5['File']>, path: string): Tensor | undefined {
  const entity = file.get(path)
  if (!(entity instanceof h5.Dataset)) return undefined
  const value = entity.value
  const shape = entity.shape ?? []
  if (value instanceof Float32Array) return { dtype: 'f32', shape, data: value }
  if (value instanceof Float64Array) return { dtype: 'f64', shape, data: value }
  return fail(`${WEIGHTS_ENTRY}: dataset ${path} is not float32 or float64 (dtype ${JSON.stringify(entity.dtype)})`)
}

function groupNamesByLayer(h5: H5, file: InstanceType<H5['File']>): Map<string, string> {
  const layers = file.get('layers')
  if (!(layers instanceof h5.Group)) fail(`${WEIGHTS_ENTRY} has no "layers" group: not a Keras 3 weights file`)
  const byName = new Map<string, string>()
  for (const group of layers.keys()) {
    const vars = file.get(`layers/${group}/vars`)
    const name = vars instanceof h5.Group ? vars.attrs.name?.value : undefined
    if (typeof name === 'string') byName.set(name, `layers/${group}`)
  }
  return byName
}

function variablesOf(h5: H5, file: InstanceType<H5['File']>, groups: Map<string, string>) {
  return (layer: KerasLayer, part?: KerasPart): Map<string, Tensor> => {
    const group = groups.get(layer.name)
    if (group === undefined) fail(`${WEIGHTS_ENTRY} holds no weights for layer "${layer.name}"`)
    const recurrent = layer.className === 'LSTM' || layer.className === 'Bidirectional'
    const base = `${group}${part === undefined ? '' : `/${part}_layer`}${recurrent ? '/cell' : ''}/vars`
    const found = new Map<string, Tensor>()
    ;(VARIABLE_ORDER[layer.className] ?? []).forEach((role, index) => {
      const tensor = readDataset(h5, file, `${base}/${index}`)
      if (tensor !== undefined) found.set(role, tensor)
    })
    return found
  }
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]

/**
 * HDF5 files start with a signature at offset 0 or a power of two from 512 on (after a user block).
 * Checked before h5wasm opens the file: the HDF5 library prints its own diagnostics for damaged files.
 */
function hasHdf5Signature(bytes: Uint8Array): boolean {
  for (let offset = 0; offset + HDF5_SIGNATURE.length <= bytes.length; offset = offset === 0 ? 512 : offset * 2) {
    if (HDF5_SIGNATURE.every((byte, index) => bytes[offset + index] === byte)) return true
  }
  return false
}

/** h5wasm reads files from its own in-memory file system; each import uses a fresh name there. */
let openFiles = 0

export async function importKeras(bytes: Uint8Array, hint: ImportHint = {}): Promise<ImportedModel> {
  const entries = unzip(bytes)
  if (entries[CONFIG_ENTRY] === undefined) fail(`the archive has no ${CONFIG_ENTRY}: not a Keras 3 .keras file`)
  if (entries[WEIGHTS_ENTRY] === undefined) fail(`the archive has no ${WEIGHTS_ENTRY}: not a Keras 3 .keras file`)
  const chain = kerasLayerChain('keras', parseConfigJson(entries[CONFIG_ENTRY]))
  if (!hasHdf5Signature(entries[WEIGHTS_ENTRY])) fail(`${WEIGHTS_ENTRY} is not a readable HDF5 file (no HDF5 signature)`)

  const h5 = await import('h5wasm/node')
  const module = await h5.ready
  const path = `/lstm-lrp-import-${process.pid}-${openFiles++}.h5`
  module.FS.writeFile(path, entries[WEIGHTS_ENTRY])
  let file: InstanceType<H5['File']> | undefined
  try {
    file = new h5.File(path, 'r')
    const weights = variablesOf(h5, file, groupNamesByLayer(h5, file))
    // Keras trains in float32; a float64 variable is converted.
    return importKerasLayers('keras', chain, weights, 'f32', hint)
  } catch (error) {
    if (error instanceof LstmLrpError) throw error
    // h5wasm reports a damaged file only when it is read, with the HDF5 library's message.
    return fail(`${WEIGHTS_ENTRY} is not a readable HDF5 file (${(error as Error).message})`)
  } finally {
    file?.close()
    module.FS.unlink(path)
  }
}
