/**
 * PyTorch: a state_dict saved with safetensors. nn.LSTM and nn.GRU tensors are weight_ih_l{k}[_reverse]
 * [4H or 3H, I], weight_hh_l{k}[_reverse] [4H or 3H, H] and bias_ih/bias_hh, gates i, f, g, o (LSTM,
 * biases summed) or r, z, n (GRU, biases folded by gru-weights.ts); the gate count says which module
 * it is, num_layers and bidirectional come from which names exist. nn.Embedding and the nn.Linear
 * head are found by shape unless hint.names names them.
 */
import { readSafetensors } from '../model/safetensors.js'
import type { DType, FloatArray, Tensor } from '../model/types.js'
import { convertArray, sum } from './arrays.js'
import { assembleModel, type DirectionWeights, type ImportedLayer, type LstmStack } from './assemble.js'
import { GATE_ORDERS, GRU_GATE_ORDERS, toOurGateOrder } from './gate-order.js'
import { gruDirection } from './gru-weights.js'
import { formatShape, importError } from './import-error.js'
import type { ImportedModel, ImportHint } from './types.js'

const LSTM_MARKER = /^(.*)weight_ih_l0$/
const DIRECTION_SUFFIXES = ['', '_reverse']

function fail(message: string): never {
  importError('pytorch', message)
}

class StateDict {
  readonly used = new Set<string>()

  constructor(
    readonly tensors: Map<string, Tensor>,
    readonly dtype: DType,
  ) {}

  has(name: string): boolean {
    return this.tensors.has(name)
  }

  /** The tensor's data as the model's dtype, after checking its shape; `shape` entries of -1 match any size. */
  take(name: string, shape: number[], what: string): FloatArray {
    const found = this.tensors.get(name)
    if (found === undefined) fail(`missing tensor "${name}" (${what}, expected shape ${formatShape(shape.map((size) => (size < 0 ? 'N' : size)))})`)
    const matches = found.shape.length === shape.length && shape.every((size, axis) => size < 0 || size === found.shape[axis])
    if (!matches) fail(`tensor "${name}" (${what}): expected shape ${formatShape(shape)}, got ${formatShape(found.shape)}`)
    this.used.add(name)
    return convertArray(found.data, this.dtype)
  }

  shapeOf(name: string): number[] | undefined {
    return this.tensors.get(name)?.shape
  }
}

function lstmPrefixes(dict: StateDict, named: string | string[] | undefined): string[] {
  if (named !== undefined) return typeof named === 'string' ? [named] : named
  const prefixes = [...dict.tensors.keys()].flatMap((name) => LSTM_MARKER.exec(name)?.[1] ?? [])
  if (prefixes.length === 0) fail('no nn.LSTM or nn.GRU found: no tensor is named <prefix>weight_ih_l0 (name the module with hint names.lstm)')
  if (prefixes.length > 1) {
    fail(`several nn.LSTM or nn.GRU modules (${prefixes.map((prefix) => `"${prefix}"`).join(', ')}): list the ones the input runs through, in order, as hint names.lstm`)
  }
  return prefixes
}

type ModuleKind = 'LSTM' | 'GRU'

const GATE_BLOCKS: Record<ModuleKind, number> = { LSTM: 4, GRU: 3 }

/** The hidden size from weight_hh [4H, H] (nn.LSTM) or [3H, H] (nn.GRU), and which of the two it is. */
function recurrentShapeOf(dict: StateDict, name: string): { hiddenSize: number; kind: ModuleKind } {
  const shape = dict.shapeOf(name)
  if (shape === undefined) fail(`missing tensor "${name}"`)
  if (shape.length !== 2) fail(`tensor "${name}": expected a matrix [4H, H] (LSTM) or [3H, H] (GRU), got shape ${formatShape(shape)}`)
  const [rows, hiddenSize] = shape
  if (rows === 4 * hiddenSize) return { hiddenSize, kind: 'LSTM' }
  if (rows === 3 * hiddenSize) return { hiddenSize, kind: 'GRU' }
  return fail(`tensor "${name}": an LSTM has 4 gate blocks and a GRU 3, so shape [4H, H] or [3H, H]; got ${formatShape(shape)}`)
}

function readDirection(dict: StateDict, prefix: string, layer: number, suffix: string, inputSize: number, hiddenSize: number, kind: ModuleKind): DirectionWeights {
  const name = (tensor: string): string => `${prefix}${tensor}_l${layer}${suffix}`
  const rows = GATE_BLOCKS[kind] * hiddenSize
  const W = dict.take(name('weight_ih'), [rows, inputSize], `layer ${layer} input weights`)
  const U = dict.take(name('weight_hh'), [rows, hiddenSize], `layer ${layer} recurrent weights`)
  // bias=False drops both biases; one without the other is a damaged file.
  const hasBias = dict.has(name('bias_ih')) || dict.has(name('bias_hh'))
  const inputBias = hasBias ? dict.take(name('bias_ih'), [rows], `layer ${layer} input bias`) : undefined
  const recurrentBias = hasBias ? dict.take(name('bias_hh'), [rows], `layer ${layer} recurrent bias`) : undefined
  // nn.GRU resets after the recurrent product (its b_hn inside the reset product).
  if (kind === 'GRU') return gruDirection({ W, U, inputBias, recurrentBias, order: GRU_GATE_ORDERS.pytorch }, hiddenSize, inputSize, true)
  const order = GATE_ORDERS.pytorch
  const b = inputBias && recurrentBias ? sum(inputBias, recurrentBias) : convertArray(new Float64Array(rows), dict.dtype)
  return {
    W: toOurGateOrder(W, order, hiddenSize, inputSize),
    U: toOurGateOrder(U, order, hiddenSize, hiddenSize),
    b: toOurGateOrder(b, order, hiddenSize, 1),
  }
}

function readModule(dict: StateDict, prefix: string, inputSize: number): ImportedLayer[] {
  if (!dict.has(`${prefix}weight_ih_l0`)) fail(`missing tensor "${prefix}weight_ih_l0": no nn.LSTM or nn.GRU under the prefix "${prefix}"`)
  const projection = [...dict.tensors.keys()].find((name) => name.startsWith(`${prefix}weight_hr_l`))
  if (projection !== undefined) fail(`tensor "${projection}": LSTMs with a projection (proj_size > 0) are not supported`)
  const bidirectional = dict.has(`${prefix}weight_ih_l0_reverse`)
  const { kind } = recurrentShapeOf(dict, `${prefix}weight_hh_l0`)
  const layers: ImportedLayer[] = []
  let layerInput = inputSize
  for (let layer = 0; dict.has(`${prefix}weight_ih_l${layer}`); layer++) {
    const recurrentName = `${prefix}weight_hh_l${layer}`
    const shape = recurrentShapeOf(dict, recurrentName)
    if (shape.kind !== kind) fail(`tensor "${recurrentName}" has ${GATE_BLOCKS[shape.kind]} gate blocks (${shape.kind}) but layer 0 of "${prefix}" has ${GATE_BLOCKS[kind]} (${kind})`)
    const suffixes = bidirectional ? DIRECTION_SUFFIXES : DIRECTION_SUFFIXES.slice(0, 1)
    const directions = suffixes.map((suffix) => readDirection(dict, prefix, layer, suffix, layerInput, shape.hiddenSize, kind))
    layers.push({ hiddenSize: shape.hiddenSize, cell: kind === 'GRU' ? { type: 'gru', resetAfter: true } : 'standard', directions })
    layerInput = shape.hiddenSize * directions.length
  }
  return layers
}

interface LinearCandidate {
  module: string
  shape: number[]
}

/** Unused 2-D "<module>weight" tensors: where the embedding and the head are looked for. */
function linearCandidates(dict: StateDict): LinearCandidate[] {
  return [...dict.tensors].flatMap(([name, tensor]) => (!dict.used.has(name) && name.endsWith('weight') && tensor.shape.length === 2 ? [{ module: name.slice(0, -'weight'.length), shape: tensor.shape }] : []))
}

function describeCandidates(candidates: LinearCandidate[]): string {
  return candidates.map(({ module, shape }) => `"${module}weight" ${formatShape(shape)}`).join(', ')
}

/** The head prefix: the only unused matrix as wide as the LSTM's output, or of two such, the one with a bias (the other is the embedding). */
function findHead(dict: StateDict, features: number): string {
  const fits = linearCandidates(dict).filter(({ shape }) => shape[1] === features)
  if (fits.length === 0) fail(`no nn.Linear head: no unused tensor "<prefix>weight" of shape [C, ${features}] (name it with hint names.head)`)
  if (fits.length === 1) return fits[0].module
  const withBias = fits.filter(({ module }) => dict.has(`${module}bias`))
  if (fits.length === 2 && withBias.length === 1) return withBias[0].module
  fail(`cannot tell which tensor is the head among ${describeCandidates(fits)}: name it with hint names.head`)
}

/** The embedding table: the only unused matrix as wide as the first LSTM's input, if any. */
function findEmbedding(dict: StateDict, width: number): string | undefined {
  const fits = linearCandidates(dict).filter(({ shape }) => shape[1] === width)
  if (fits.length > 1) fail(`cannot tell which tensor is the embedding among ${describeCandidates(fits)}: name it with hint names.embedding`)
  return fits[0] === undefined ? undefined : `${fits[0].module}weight`
}

export function importPytorch(bytes: Uint8Array, hint: ImportHint = {}): ImportedModel {
  const { tensors } = readSafetensors(bytes)
  const dtype: DType = [...tensors.values()].every((entry) => entry.dtype === 'f64') ? 'f64' : 'f32'
  const dict = new StateDict(tensors, dtype)
  const names = hint.names ?? {}
  const prefixes = lstmPrefixes(dict, names.lstm)

  const firstInput = dict.shapeOf(`${prefixes[0]}weight_ih_l0`)
  if (firstInput === undefined) fail(`missing tensor "${prefixes[0]}weight_ih_l0": no nn.LSTM or nn.GRU under the prefix "${prefixes[0]}"`)
  if (firstInput.length !== 2) fail(`tensor "${prefixes[0]}weight_ih_l0" must be a matrix [4H, I] or [3H, I], got shape ${formatShape(firstInput)}`)
  const inputSize = firstInput[1]
  const layers: ImportedLayer[] = []
  for (const prefix of prefixes) {
    const below = layers.at(-1)
    for (const layer of readModule(dict, prefix, below === undefined ? inputSize : below.hiddenSize * below.directions.length)) layers.push(layer)
  }
  const last = layers[layers.length - 1]
  const features = last.hiddenSize * last.directions.length

  const headPrefix = names.head ?? findHead(dict, features)
  const outputs = dict.shapeOf(`${headPrefix}weight`)?.[0] ?? fail(`missing tensor "${headPrefix}weight" (the nn.Linear head)`)
  const headWeight = dict.take(`${headPrefix}weight`, [outputs, features], `head weight over the LSTM's ${features} outputs`)
  const headBias = dict.has(`${headPrefix}bias`) ? dict.take(`${headPrefix}bias`, [outputs], 'head bias') : undefined

  const embeddingName = names.embedding ?? findEmbedding(dict, inputSize)
  const embedding = embeddingName === undefined ? undefined : { vocabSize: dict.shapeOf(embeddingName)?.[0] ?? 0, weight: dict.take(embeddingName, [-1, inputSize], `embedding table of width ${inputSize}`) }

  const unused = [...tensors.keys()].filter((name) => !dict.used.has(name))
  const notes: string[] = []
  if (unused.length > 0) {
    const list = unused.map((name) => `"${name}"`).join(', ')
    // Guessed names must account for every tensor: a leftover may be a layer on the forward path that lstm-lrp would silently drop.
    if (hint.names === undefined) fail(`tensors ${list} are not part of an Embedding → LSTM → Linear model; if they are not on the forward path, name the parts with hint names`)
    notes.push(`ignored tensors ${list}`)
  }
  const stack: LstmStack = { dtype, inputSize, embedding, layers, head: { outputs, weight: headWeight, bias: headBias, readout: hint.readout ?? 'last' } }
  return assembleModel(stack, hint, notes)
}
