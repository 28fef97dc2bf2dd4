/**
 * Keras layers (shared by .keras files and TF.js): Embedding → LSTM or GRU / Bidirectional(LSTM or
 * GRU) ... → Dense, in lstm-lrp's layout. Keras kernels are [in, 4H] with gates i, f, c, o and one
 * bias (LSTM), or [in, 3H] with gates z, r, h and a bias [2, 3H] (input and recurrent rows) when
 * reset_after, [3H] otherwise (GRU).
 */
import type { DType, FloatArray, GActivation, GruCellConfig, HActivation, Tensor } from '../model/types.js'
import { arrayOf, convertArray, transpose } from './arrays.js'
import { assembleModel, isGru, type DirectionWeights, type ImportedLayer, type LstmStack } from './assemble.js'
import { GATE_ORDERS, GRU_GATE_ORDERS, toOurGateOrder } from './gate-order.js'
import { gruDirection } from './gru-weights.js'
import { formatShape, importError } from './import-error.js'
import type { KerasFormat, KerasLayer } from './keras-config.js'
import { isRecord } from './keras-config.js'
import type { ImportedModel, ImportHint } from './types.js'

export type KerasPart = 'forward' | 'backward'

/** The variables of a layer, or of one direction of a Bidirectional, by Keras name (kernel, recurrent_kernel, bias, embeddings). */
export type KerasWeights = (layer: KerasLayer, part?: KerasPart) => Map<string, Tensor>

/** Layers that are the identity at inference. */
const INFERENCE_IDENTITY = new Set(['Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization'])

/**
 * Keras' `activation` is both the cell input activation g and the output activation h; lstm-lrp's h
 * is tanh or identity, so only these two map.
 */
const CELL_ACTIVATIONS: Record<string, { g: GActivation; h: HActivation }> = {
  tanh: { g: 'tanh', h: 'tanh' },
  linear: { g: 'identity', h: 'identity' },
}

const HEAD_ACTIVATIONS = ['linear', 'softmax']

/** Recurrent layers lstm-lrp has a cell for, and the wrapper that runs one both ways. */
const RECURRENT_LAYERS = ['LSTM', 'GRU', 'Bidirectional']
const GATE_BLOCKS: Record<string, number> = { LSTM: 4, GRU: 3 }

interface Reader {
  format: KerasFormat
  weights: KerasWeights
  dtype: DType
}

function activationName(format: KerasFormat, layer: KerasLayer, key: string, fallback: string): string {
  const value = layer.config[key] ?? fallback
  // Keras 3 serialises built-in activations as strings; anything else is a custom function.
  if (typeof value !== 'string') importError(format, `layer "${layer.name}": ${key} is a custom function, which lstm-lrp cannot import`)
  return value
}

function variable(reader: Reader, layer: KerasLayer, variables: Map<string, Tensor>, role: string, shape: number[], part?: KerasPart): FloatArray {
  const where = `layer "${layer.name}"${part === undefined ? '' : ` (${part})`}`
  const found = variables.get(role)
  if (found === undefined) importError(reader.format, `${where}: missing weight "${role}" (expected shape ${formatShape(shape)})`)
  if (found.shape.length !== shape.length || found.shape.some((size, axis) => size !== shape[axis])) {
    const blocks = GATE_BLOCKS[layer.className] ?? 4
    const gateHint =
      role !== 'embeddings' && found.shape.at(-1) !== shape.at(-1) && shape.at(-1) === blocks * Number(layer.config.units)
        ? ` (an ${layer.className === 'GRU' ? 'GRU has 3' : 'LSTM has 4'} gate blocks of ${Number(layer.config.units)} units)`
        : ''
    importError(reader.format, `${where}: weight "${role}" has shape ${formatShape(found.shape)}, expected ${formatShape(shape)}${gateHint}`)
  }
  return convertArray(found.data, reader.dtype)
}

function gateActivation(format: KerasFormat, layer: KerasLayer): void {
  const recurrent = activationName(format, layer, 'recurrent_activation', 'sigmoid')
  if (recurrent !== 'sigmoid') importError(format, `layer "${layer.name}": recurrent_activation "${recurrent}" is not supported (the gates must use sigmoid)`)
}

function gruCell(format: KerasFormat, gru: KerasLayer): GruCellConfig {
  gateActivation(format, gru)
  const activation = activationName(format, gru, 'activation', 'tanh')
  if (activation !== 'tanh') importError(format, `layer "${gru.name}": activation "${activation}" is not supported (lstm-lrp's GRU candidate uses tanh)`)
  // Absent, reset_after takes the writer's default: Keras' is true; TF.js' own GRU has only false.
  const resetAfter = gru.config.reset_after ?? format === 'keras'
  if (typeof resetAfter !== 'boolean') importError(format, `layer "${gru.name}": reset_after must be true or false`)
  return { type: 'gru', resetAfter }
}

function recurrentCell(format: KerasFormat, layer: KerasLayer): ImportedLayer['cell'] {
  if (layer.className === 'GRU') return gruCell(format, layer)
  if (layer.className !== 'LSTM') importError(format, `layer "${layer.name}": ${layer.className} is not supported (only LSTM and GRU)`)
  gateActivation(format, layer)
  const activation = activationName(format, layer, 'activation', 'tanh')
  const mapped = CELL_ACTIVATIONS[activation]
  if (mapped === undefined) {
    importError(
      format,
      `layer "${layer.name}": activation "${activation}" is not supported: Keras applies it to the cell input and to the cell output, and lstm-lrp's cell output activation is tanh or identity (Keras "tanh" or "linear")`,
    )
  }
  return activation === 'tanh' ? 'standard' : { preset: 'standard', g: mapped.g, h: mapped.h }
}

function lstmDirection(reader: Reader, lstm: KerasLayer, inputSize: number, part?: KerasPart): DirectionWeights {
  const hiddenSize = Number(lstm.config.units)
  const rows = 4 * hiddenSize
  const variables = reader.weights(lstm, part)
  const kernel = variable(reader, lstm, variables, 'kernel', [inputSize, rows], part)
  const recurrentKernel = variable(reader, lstm, variables, 'recurrent_kernel', [hiddenSize, rows], part)
  const bias = lstm.config.use_bias === false ? arrayOf(reader.dtype, rows) : variable(reader, lstm, variables, 'bias', [rows], part)
  const order = GATE_ORDERS.keras
  return {
    W: toOurGateOrder(transpose(kernel, inputSize, rows), order, hiddenSize, inputSize),
    U: toOurGateOrder(transpose(recurrentKernel, hiddenSize, rows), order, hiddenSize, hiddenSize),
    b: toOurGateOrder(bias, order, hiddenSize, 1),
  }
}

function gruDirectionOf(reader: Reader, gru: KerasLayer, cell: GruCellConfig, inputSize: number, part?: KerasPart): DirectionWeights {
  const hiddenSize = Number(gru.config.units)
  const rows = 3 * hiddenSize
  const variables = reader.weights(gru, part)
  const kernel = variable(reader, gru, variables, 'kernel', [inputSize, rows], part)
  const recurrentKernel = variable(reader, gru, variables, 'recurrent_kernel', [hiddenSize, rows], part)
  const W = transpose(kernel, inputSize, rows)
  const U = transpose(recurrentKernel, hiddenSize, rows)
  const order = GRU_GATE_ORDERS.keras
  if (gru.config.use_bias === false) return gruDirection({ W, U, order }, hiddenSize, inputSize, cell.resetAfter)
  if (!cell.resetAfter) return gruDirection({ W, U, inputBias: variable(reader, gru, variables, 'bias', [rows], part), order }, hiddenSize, inputSize, false)
  // reset_after keeps the input and the recurrent biases apart, as rows 0 and 1.
  const bias = variable(reader, gru, variables, 'bias', [2, rows], part)
  return gruDirection({ W, U, inputBias: bias.subarray(0, rows), recurrentBias: bias.subarray(rows), order }, hiddenSize, inputSize, true)
}

function directionOf(reader: Reader, layer: KerasLayer, cell: ImportedLayer['cell'], inputSize: number, part?: KerasPart): DirectionWeights {
  return isGru(cell) ? gruDirectionOf(reader, layer, cell, inputSize, part) : lstmDirection(reader, layer, inputSize, part)
}

function checkUnits(format: KerasFormat, lstm: KerasLayer): number {
  const units = lstm.config.units
  if (typeof units !== 'number' || !Number.isInteger(units) || units < 1) importError(format, `layer "${lstm.name}": units must be a positive integer`)
  return units
}

/** An LSTM or GRU layer, or a Bidirectional wrapping one, as an lstm-lrp layer; `returnsSequences` says whether the next layer sees every step. */
function recurrentLayer(reader: Reader, layer: KerasLayer, inputSize: number): { layer: ImportedLayer; returnsSequences: boolean } {
  const { format } = reader
  if (layer.className !== 'Bidirectional') {
    const cell = recurrentCell(format, layer)
    if (layer.config.go_backwards === true) importError(format, `layer "${layer.name}": go_backwards outside a Bidirectional wrapper is not supported`)
    return { layer: { hiddenSize: checkUnits(format, layer), cell, directions: [directionOf(reader, layer, cell, inputSize)] }, returnsSequences: layer.config.return_sequences === true }
  }
  const mergeMode = layer.config.merge_mode ?? 'concat'
  if (mergeMode !== 'concat') importError(format, `layer "${layer.name}": Bidirectional merge_mode "${String(mergeMode)}" is not supported (only "concat")`)
  const inner = isRecord(layer.config.layer) ? layer.config.layer : {}
  const forward: KerasLayer = { className: String(inner.class_name), name: layer.name, config: isRecord(inner.config) ? inner.config : {} }
  const cell = recurrentCell(format, forward)
  const backwardConfig = isRecord(layer.config.backward_layer) ? layer.config.backward_layer : undefined
  if (backwardConfig !== undefined && isRecord(backwardConfig.config)) {
    const backward: KerasLayer = { className: String(backwardConfig.class_name), name: layer.name, config: backwardConfig.config }
    if (JSON.stringify(recurrentCell(format, backward)) !== JSON.stringify(cell) || backward.config.units !== forward.config.units) {
      importError(format, `layer "${layer.name}": the backward layer differs from the forward one in units, activations or reset_after`)
    }
  }
  const hiddenSize = checkUnits(format, forward)
  // The wrapper owns the variables; its config names the layer.
  const wrapper: KerasLayer = { ...layer, className: forward.className, config: { ...forward.config, name: layer.name } }
  const directions = [directionOf(reader, wrapper, cell, inputSize, 'forward'), directionOf(reader, wrapper, cell, inputSize, 'backward')]
  return { layer: { hiddenSize, cell, directions }, returnsSequences: forward.config.return_sequences === true }
}

function denseHead(reader: Reader, layer: KerasLayer, features: number): LstmStack['head'] & { activation: string } {
  const { format } = reader
  const dense =
    layer.className === 'TimeDistributed' && isRecord(layer.config.layer)
      ? { className: String(layer.config.layer.class_name), name: layer.name, config: isRecord(layer.config.layer.config) ? layer.config.layer.config : {} }
      : layer
  if (dense.className !== 'Dense') importError(format, `layer "${layer.name}": ${layer.className} after the recurrent layers is not supported (expected one Dense head)`)
  const outputs = dense.config.units
  if (typeof outputs !== 'number' || !Number.isInteger(outputs) || outputs < 1) importError(format, `layer "${layer.name}": units must be a positive integer`)
  const activation = activationName(format, dense, 'activation', 'linear')
  if (!HEAD_ACTIVATIONS.includes(activation)) {
    importError(format, `layer "${layer.name}": Dense activation "${activation}" is not supported (lstm-lrp's head is linear; "softmax" is accepted as its probabilities)`)
  }
  const variables = reader.weights(layer)
  const kernel = variable(reader, layer, variables, 'kernel', [features, outputs])
  const bias = dense.config.use_bias === false ? undefined : variable(reader, layer, variables, 'bias', [outputs])
  return { outputs, weight: transpose(kernel, features, outputs), bias, readout: 'last', activation }
}

function embeddingLayer(reader: Reader, layer: KerasLayer, notes: string[]): { vocabSize: number; width: number; weight: FloatArray } {
  const vocabSize = layer.config.input_dim
  const width = layer.config.output_dim
  if (typeof vocabSize !== 'number' || typeof width !== 'number') importError(reader.format, `layer "${layer.name}": Embedding needs input_dim and output_dim`)
  if (layer.config.mask_zero === true) notes.push(`Embedding "${layer.name}" masks token 0: Keras skips those steps, lstm-lrp does not, so give sequences without padding`)
  return { vocabSize, width, weight: variable(reader, layer, reader.weights(layer), 'embeddings', [vocabSize, width]) }
}

/** The input width from the InputLayer (or a first layer's batch_input_shape), when the model has no Embedding. */
function declaredInputWidth(layers: KerasLayer[]): number | undefined {
  for (const layer of layers) {
    const shape = layer.config.batch_shape ?? layer.config.batch_input_shape
    if (Array.isArray(shape) && typeof shape.at(-1) === 'number') return shape.at(-1) as number
  }
  return undefined
}

function firstKernelRows(reader: Reader, layer: KerasLayer): number | undefined {
  const variables = reader.weights(layer, layer.className === 'Bidirectional' ? 'forward' : undefined)
  return variables.get('kernel')?.shape[0]
}

export function importKerasLayers(format: KerasFormat, chain: KerasLayer[], weights: KerasWeights, dtype: DType, hint: ImportHint): ImportedModel {
  const reader: Reader = { format, weights, dtype }
  const notes: string[] = []
  const layers = chain.filter((layer) => layer.className !== 'InputLayer' && !INFERENCE_IDENTITY.has(layer.className))
  let next = 0
  const embedding = layers[0]?.className === 'Embedding' ? embeddingLayer(reader, layers[next++], notes) : undefined
  const firstRecurrent = layers[next]
  if (firstRecurrent === undefined || !RECURRENT_LAYERS.includes(firstRecurrent.className)) {
    importError(format, `expected an LSTM or GRU layer (or a Bidirectional one)${embedding ? ' after the Embedding' : ''}, found ${firstRecurrent ? `${firstRecurrent.className} "${firstRecurrent.name}"` : 'none'}`)
  }
  const inputSize = embedding?.width ?? declaredInputWidth(chain) ?? firstKernelRows(reader, firstRecurrent)
  if (inputSize === undefined) importError(format, 'cannot tell the input width: no InputLayer shape and no kernel')

  const recurrent: ImportedLayer[] = []
  let returnsSequences = true
  let features = inputSize
  for (; next < layers.length && RECURRENT_LAYERS.includes(layers[next].className); next++) {
    if (!returnsSequences) importError(format, `layer "${layers[next - 1].name}" returns only its last state (return_sequences=False) but another recurrent layer follows`)
    const result = recurrentLayer(reader, layers[next], features)
    recurrent.push(result.layer)
    returnsSequences = result.returnsSequences
    features = result.layer.hiddenSize * result.layer.directions.length
  }
  const headLayer = layers[next]
  if (headLayer === undefined) importError(format, 'the model has no Dense head after its recurrent layers')
  const head = denseHead(reader, headLayer, features)
  const trailing = layers.slice(next + 1)
  if (trailing.length > 0) importError(format, `layer "${trailing[0].name}" (${trailing[0].className}) after the Dense head is not supported`)
  if (head.activation === 'softmax') notes.push(`the Dense head's softmax is not stored: lstm-lrp's scores are the logits, its probabilities the softmax`)

  const stack: LstmStack = {
    dtype,
    inputSize,
    embedding: embedding && { vocabSize: embedding.vocabSize, weight: embedding.weight },
    layers: recurrent,
    head: { outputs: head.outputs, weight: head.weight, bias: head.bias, readout: returnsSequences ? 'each' : 'last' },
  }
  if (hint.readout !== undefined && hint.readout !== stack.head.readout) {
    importError(format, `the hint asks for readout "${hint.readout}" but the model's last recurrent layer has return_sequences=${returnsSequences ? 'True' : 'False'} (readout "${stack.head.readout}")`)
  }
  return assembleModel(stack, hint, notes)
}
