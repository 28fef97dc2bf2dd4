/**
 * Keras 3 `.keras` files: a zip with config.json (the model config) and model.weights.h5, whose
 * groups layers/<group>/... hold each layer's variables as vars/0, vars/1, ... in creation order
 * (an LSTM's or GRU's under cell/vars, a Bidirectional's under forward_layer/ and backward_layer/); the
 * layer's name is the "name" attribute of <group>/vars.
 */
import { unzipSync } from 'fflate'
import type { Tensor } from '../model/types.js'
import { LstmLrpError } from '../errors.js'
import { HDF5_SIGNATURE } from './hdf5-signature.js'
import { importError } from './import-error.js'
import { kerasLayerChain, type KerasLayer } from './keras-config.js'
import { importKerasLayers, type KerasPart, type KerasWeights } from './keras-layers.js'
import { readKerasWeights, type Hdf5Reply, type VariableRequest } from './keras-weights.js'
import type { ImportedModel, ImportHint } from './types.js'

const CONFIG_ENTRY = 'config.json'
const WEIGHTS_ENTRY = 'model.weights.h5'
/** Larger entries are a zip bomb or not a model this package can explain. */
const MAX_ENTRY_BYTES = new Map([
  [CONFIG_ENTRY, 64 << 20],
  [WEIGHTS_ENTRY, 1 << 30],
])
/** A .keras file has three entries (metadata.json too); walking millions of them is not reading a model. */
const MAX_ENTRIES = 1000

/** The order Keras creates each layer's variables in, which is their vars/<n> index. */
const VARIABLE_ORDER: Record<string, string[]> = {
  LSTM: ['kernel', 'recurrent_kernel', 'bias'],
  GRU: ['kernel', 'recurrent_kernel', 'bias'],
  Bidirectional: ['kernel', 'recurrent_kernel', 'bias'],
  Dense: ['kernel', 'bias'],
  TimeDistributed: ['kernel', 'bias'],
  Embedding: ['embeddings'],
}

function fail(message: string): never {
  importError('keras', message)
}

/** The two entries we read, each decompressed into a buffer of its declared size (fflate writes no more than that). */
function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  let entries = 0
  const seen = new Set<string>()
  try {
    return unzipSync(bytes, {
      filter: (file) => {
        if (++entries > MAX_ENTRIES) fail(`the archive has more than ${MAX_ENTRIES} entries: not a Keras 3 .keras file`)
        const limit = MAX_ENTRY_BYTES.get(file.name)
        if (limit === undefined) return false
        if (seen.has(file.name)) fail(`the archive holds ${file.name} twice`)
        seen.add(file.name)
        if (file.originalSize > limit) fail(`${file.name} is ${file.originalSize} bytes uncompressed, over the limit of ${limit}`)
        return true
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

/** The variables every layer of the chain needs, to read in one pass of the worker. */
function variableRequests(chain: KerasLayer[]): VariableRequest[] {
  return chain.flatMap((layer) => {
    const roles = VARIABLE_ORDER[layer.className]
    if (roles === undefined) return []
    const recurrent = ['LSTM', 'GRU', 'Bidirectional'].includes(layer.className)
    const parts: (KerasPart | undefined)[] = layer.className === 'Bidirectional' ? ['forward', 'backward'] : [undefined]
    return parts.map((part) => ({ layer: layer.name, part, recurrent, roles }))
  })
}

function weightsFrom(reply: Extract<Hdf5Reply, { kind: 'weights' }>, requests: VariableRequest[]): KerasWeights {
  const present = new Set(reply.layers)
  return (layer: KerasLayer, part?: KerasPart): Map<string, Tensor> => {
    if (!present.has(layer.name)) fail(`${WEIGHTS_ENTRY} holds no weights for layer "${layer.name}"`)
    const request = requests.find((entry) => entry.layer === layer.name && entry.part === part)
    const found = new Map<string, Tensor>()
    const read = reply.variables.find((entry) => entry.layer === layer.name && entry.part === part)
    request?.roles.forEach((role, position) => {
      const tensor = read?.tensors[position]
      if (tensor) found.set(role, tensor)
    })
    return found
  }
}

/**
 * HDF5 files start with a signature at offset 0 or a power of two from 512 on (after a user block).
 * Checked before a worker starts the HDF5 library: most files that are not HDF5 fail here, quickly.
 */
function hasHdf5Signature(bytes: Uint8Array): boolean {
  for (let offset = 0; offset + HDF5_SIGNATURE.length <= bytes.length; offset = offset === 0 ? 512 : offset * 2) {
    if (HDF5_SIGNATURE.every((byte, index) => bytes[offset + index] === byte)) return true
  }
  return false
}

/** Seconds a damaged HDF5 file may keep the reader busy: a model's weights read in well under a second. */
export const DEFAULT_HDF5_TIMEOUT_SECONDS = 30

export async function importKeras(bytes: Uint8Array, hint: ImportHint = {}, timeoutSeconds = DEFAULT_HDF5_TIMEOUT_SECONDS): Promise<ImportedModel> {
  const entries = unzip(bytes)
  if (entries[CONFIG_ENTRY] === undefined) fail(`the archive has no ${CONFIG_ENTRY}: not a Keras 3 .keras file`)
  if (entries[WEIGHTS_ENTRY] === undefined) fail(`the archive has no ${WEIGHTS_ENTRY}: not a Keras 3 .keras file`)
  const chain = kerasLayerChain('keras', parseConfigJson(entries[CONFIG_ENTRY]))
  if (!hasHdf5Signature(entries[WEIGHTS_ENTRY])) fail(`${WEIGHTS_ENTRY} is not a readable HDF5 file (no HDF5 signature)`)

  const requests = variableRequests(chain)
  const reply = await readKerasWeights(entries[WEIGHTS_ENTRY], { weightsEntry: WEIGHTS_ENTRY, variables: requests }, timeoutSeconds)
  if (reply.kind === 'timeout') fail(`reading ${WEIGHTS_ENTRY} timed out after ${timeoutSeconds} s: a damaged HDF5 file (or raise the import timeout)`)
  if (reply.kind === 'problem') fail(reply.message)
  if (reply.kind === 'damaged') fail(`${WEIGHTS_ENTRY} is not a readable HDF5 file (${reply.message})`)
  // Keras trains in float32; a float64 variable is converted.
  return importKerasLayers('keras', chain, weightsFrom(reply, requests), 'f32', hint)
}
