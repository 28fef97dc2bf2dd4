/**
 * ONNX graphs with the LSTM and GRU operators, as torch.onnx.export and tf2onnx write them: an
 * optional Gather embedding, LSTM nodes (forward or bidirectional; W, R, B with Wb + Rb summed;
 * gates i, o, f, c) and GRU nodes (gates z, r, h; biases folded by gru-weights.ts, reset after the
 * recurrent product when linear_before_reset = 1), layout operators, and a Gemm or MatMul(+Add) head (optionally a Softmax). The
 * graph is followed value by value (onnx-values.ts) so that the readout is read off the graph
 * itself: which layer, which directions and which time steps the head sees.
 */
import type { CellConfig, DType, GActivation } from '../model/types.js'
import { convertArray, transpose } from './arrays.js'
import { assembleModel, type DirectionWeights, type ImportedLayer, type LstmStack } from './assemble.js'
import { GATE_ORDERS, GRU_GATE_ORDERS, toOurGateOrder } from './gate-order.js'
import { gruDirection } from './gru-weights.js'
import { formatShape } from './import-error.js'
import { DATA_TYPES, decodeOnnx, type OnnxGraph, type OnnxNode, type OnnxTensor } from './onnx-proto.js'
import { fail, partsWidth, selectAlong, squeezeAxes, transposeAxes, unsqueezeAxes, where, type Head, type LstmValue, type Part, type Value } from './onnx-values.js'
import type { ImportedModel, ImportHint } from './types.js'

/** Operators that only move data around without changing it: they pass what we know straight through. */
const PASS_THROUGH = new Set(['Identity', 'Cast', 'Dropout'])
/** Operators whose output is zero when their data input is (how exporters build zero initial states). */
const KEEPS_ZERO = new Set(['Identity', 'Cast', 'Expand', 'Reshape', 'Unsqueeze', 'Squeeze', 'Slice', 'Transpose', 'Tile', 'Concat', 'Gather'])
const LOOPS = new Set(['Loop', 'Scan', 'If'])
const G_ACTIVATIONS: Record<string, GActivation> = { Tanh: 'tanh', Sigmoid: 'sigmoid', Relu: 'relu' }
const DEFAULT_ACTIVATIONS = ['Sigmoid', 'Tanh', 'Tanh']
const GRU_ACTIVATIONS = ['Sigmoid', 'Tanh']
const UNSUPPORTED_LSTM_ATTRIBUTES = ['clip', 'activation_alpha', 'activation_beta']
/** A Slice end this large means "to the end" (exporters write INT64_MAX or INT32_MAX). */
const TO_THE_END = 2 ** 30

interface State {
  values: Map<string, Value>
  layers: ImportedLayer[]
  embedding?: { vocabSize: number; width: number; weight: Float64Array }
  inputSize?: number
  dtype: DType
  notes: string[]
}

function isZero(tensor: OnnxTensor): boolean {
  return tensor.values.every((value) => value === 0)
}

function valueOf(state: State, name: string, node: OnnxNode): Value {
  const value = state.values.get(name)
  if (value === undefined) fail(`${where(node)} reads "${name}", which no node or initializer produces`)
  return value
}

function constantTensor(state: State, node: OnnxNode, index: number, what: string): OnnxTensor {
  const name = node.inputs[index]
  const value = name ? valueOf(state, name, node) : undefined
  if (value?.kind !== 'const' || value.tensor === undefined) fail(`${where(node)}: ${what} must be a constant (an initializer or a Constant node)`)
  return value.tensor
}

function optionalConstant(state: State, node: OnnxNode, index: number, what: string): number[] | undefined {
  return node.inputs[index] ? Array.from(constantTensor(state, node, index, what).values) : undefined
}

function intsOf(node: OnnxNode, name: string): number[] | undefined {
  return node.attributes.get(name)?.ints
}

function intOf(node: OnnxNode, name: string, fallback: number): number {
  return node.attributes.get(name)?.int ?? fallback
}

/** The tensor of a Constant node, from whichever value attribute it uses. */
function constantNodeTensor(node: OnnxNode): OnnxTensor | undefined {
  const attribute = node.attributes.get('value') ?? node.attributes.get('value_float') ?? node.attributes.get('value_int') ?? node.attributes.get('value_floats') ?? node.attributes.get('value_ints')
  if (attribute?.tensor) return attribute.tensor
  if (attribute?.int !== undefined) return { dims: [], dataType: DATA_TYPES.int64, values: Float64Array.of(attribute.int) }
  if (attribute?.float !== undefined) return { dims: [], dataType: DATA_TYPES.float, values: Float64Array.of(attribute.float) }
  const list = attribute?.ints ?? attribute?.floats
  return list && { dims: [list.length], dataType: attribute?.ints ? DATA_TYPES.int64 : DATA_TYPES.float, values: Float64Array.from(list) }
}

function constantNode(state: State, node: OnnxNode): Value {
  if (node.opType === 'Constant') {
    const tensor = constantNodeTensor(node)
    return { kind: 'const', tensor, zero: tensor !== undefined && isZero(tensor) }
  }
  if (node.opType === 'ConstantOfShape') {
    const fill = node.attributes.get('value')?.tensor
    return { kind: 'const', zero: fill === undefined || isZero(fill) }
  }
  const data = node.inputs[0] ? state.values.get(node.inputs[0]) : undefined
  const dataConst = data?.kind === 'const' ? data : undefined
  if (PASS_THROUGH.has(node.opType) && dataConst) return dataConst
  const zero =
    KEEPS_ZERO.has(node.opType) &&
    (node.opType === 'Concat'
      ? node.inputs.every((name) => {
          const value = state.values.get(name)
          return value?.kind === 'const' && value.zero
        })
      : dataConst?.zero === true)
  return { kind: 'const', zero }
}

function lstmActivations(node: OnnxNode, directions: number): { g: GActivation } {
  const names = node.attributes.get('activations')?.strings ?? Array.from({ length: directions }, () => DEFAULT_ACTIVATIONS).flat()
  if (names.length !== 3 * directions) fail(`${where(node)}: expected ${3 * directions} activations (f, g, h per direction), got ${names.length}`)
  const [f, g, h] = names
  for (let direction = 0; direction < directions; direction++) {
    const own = names.slice(3 * direction, 3 * direction + 3)
    if (own[0] !== f || own[1] !== g || own[2] !== h) fail(`${where(node)}: the two directions use different activations (${names.join(', ')})`)
  }
  if (f !== 'Sigmoid') fail(`${where(node)}: gate activation ${f} is not supported (only Sigmoid)`)
  const mapped = G_ACTIVATIONS[g]
  if (mapped === undefined) fail(`${where(node)}: cell input activation ${g} is not supported (Tanh, Sigmoid, Relu)`)
  if (h !== 'Tanh') fail(`${where(node)}: cell output activation ${h} is not supported (only Tanh)`)
  return { g: mapped }
}

function checkShape(node: OnnxNode, what: string, tensor: OnnxTensor, shape: number[]): void {
  if (tensor.dims.length !== shape.length || tensor.dims.some((size, axis) => size !== shape[axis])) {
    const blocks = node.opType === 'GRU' ? 3 : 4
    const gates =
      what !== 'B' && tensor.dims.length === 3 && tensor.dims[1] !== shape[1] ? ` (${node.opType === 'GRU' ? 'a GRU' : 'an LSTM'} has ${blocks} gate blocks: ${shape[1]} rows for hidden_size ${shape[1] / blocks})` : ''
    fail(`${where(node)}: ${what} has shape ${formatShape(tensor.dims)}, expected ${formatShape(shape)}${gates}`)
  }
}

/** The width the LSTM's input must have; undefined for the raw model input, whose width W itself sets. */
function checkLstmInput(state: State, node: OnnxNode): number | undefined {
  const x = valueOf(state, node.inputs[0], node)
  const below = state.layers.at(-1)
  if (below === undefined) {
    if (x.kind !== 'input' && x.kind !== 'embedded') fail(`${where(node)}: the first LSTM must read the model input or its embedding`)
    return state.embedding?.width
  }
  const layer = state.layers.length - 1
  const expected = below.directions.map((_, direction) => `${layer}/${direction}/all`).join(' ')
  const got = x.kind === 'lstm' && x.stack === undefined ? x.parts.map((part) => `${part.layer}/${part.direction}/${part.step}`).join(' ') : ''
  if (got !== expected) fail(`${where(node)}: a stacked LSTM must read every step of every direction of the LSTM below it`)
  return below.hiddenSize * below.directions.length
}

/** What LSTM and GRU nodes share: zero initial states, no clipping, forward or bidirectional, and where their outputs go. */
function recurrentDirections(state: State, node: OnnxNode, initialStates: [string | undefined, string][]): number {
  for (const name of UNSUPPORTED_LSTM_ATTRIBUTES) if (node.attributes.has(name)) fail(`${where(node)}: attribute ${name} is not supported`)
  for (const [name, what] of initialStates) {
    if (!name) continue
    const value = valueOf(state, name, node)
    if (value.kind !== 'const' || !value.zero) fail(`${where(node)}: ${what} must be zero (lstm-lrp starts every sequence from a zero state)`)
  }
  if (node.inputs[4]) state.notes.push(`${where(node)}: sequence_lens is ignored (lstm-lrp runs every sequence to its own end)`)
  const direction = node.attributes.get('direction')?.string ?? 'forward'
  if (direction === 'reverse') fail(`${where(node)}: a reverse-only ${node.opType} is not supported (only forward and bidirectional)`)
  return direction === 'bidirectional' ? 2 : 1
}

/** W, R and B of an LSTM (blocks = 4) or GRU (blocks = 3) node, checked against the node's input and hidden size. */
function recurrentWeights(state: State, node: OnnxNode, directions: number, blocks: number) {
  const W = constantTensor(state, node, 1, 'W')
  const R = constantTensor(state, node, 2, 'R')
  if (W.dims.length !== 3 || R.dims.length !== 3) fail(`${where(node)}: W and R must be [num_directions, ${blocks}·hidden_size, width]; got ${formatShape(W.dims)} and ${formatShape(R.dims)}`)
  const hiddenSize = intOf(node, 'hidden_size', R.dims[2])
  const rows = blocks * hiddenSize
  const inputSize = W.dims[2]
  const expectedInput = checkLstmInput(state, node)
  checkShape(node, 'W', W, [directions, rows, expectedInput ?? inputSize])
  checkShape(node, 'R', R, [directions, rows, hiddenSize])
  const B = node.inputs[3] ? constantTensor(state, node, 3, 'B') : undefined
  if (B) checkShape(node, 'B', B, [directions, 2 * rows])
  if (state.layers.length === 0) state.inputSize = inputSize
  if (W.dataType !== DATA_TYPES.double) state.dtype = 'f32'
  const of = (tensor: OnnxTensor, d: number, length: number): Float64Array => tensor.values.subarray(d * length, (d + 1) * length)
  return {
    hiddenSize,
    inputSize,
    directions: Array.from({ length: directions }, (_, d) => ({ w: of(W, d, rows * inputSize), r: of(R, d, rows * hiddenSize), bias: B && of(B, d, 2 * rows) })),
  }
}

function addRecurrentLayer(state: State, node: OnnxNode, layer: ImportedLayer): void {
  const index = state.layers.length
  state.layers.push(layer)
  const batchFirst = intOf(node, 'layout', 0) === 1
  const all: Part[] = layer.directions.map((_, d) => ({ layer: index, direction: d as 0 | 1, step: 'all' }))
  const final: Part[] = layer.directions.map((_, d) => ({ layer: index, direction: d as 0 | 1, step: d === 0 ? 'last' : 'first' }))
  const [y, yH, yC] = node.outputs
  if (y) state.values.set(y, { kind: 'lstm', parts: all, rank: 4, time: batchFirst ? 1 : 0, stack: batchFirst ? 2 : 1 })
  if (yH) state.values.set(yH, { kind: 'lstm', parts: final, rank: 3, stack: batchFirst ? 1 : 0 })
  if (yC) state.values.set(yC, { kind: 'cell-state' })
}

function lstmNode(state: State, node: OnnxNode): void {
  const [, , , , , initialH, initialC, peepholes] = node.inputs
  if (peepholes) fail(`${where(node)}: peephole connections (input P) are not supported`)
  if (intOf(node, 'input_forget', 0) !== 0) fail(`${where(node)}: input_forget (coupled input and forget gates) is not supported`)
  const directionCount = recurrentDirections(state, node, [
    [initialH, 'initial_h'],
    [initialC, 'initial_c'],
  ])
  const { hiddenSize, inputSize, directions } = recurrentWeights(state, node, directionCount, 4)
  const rows = 4 * hiddenSize
  const order = GATE_ORDERS.onnx
  const weights: DirectionWeights[] = directions.map(({ w, r, bias = new Float64Array(2 * rows) }) => {
    const b = bias.subarray(0, rows).map((value, index) => value + bias[rows + index])
    return {
      W: toOurGateOrder(w, order, hiddenSize, inputSize),
      U: toOurGateOrder(r, order, hiddenSize, hiddenSize),
      b: toOurGateOrder(b, order, hiddenSize, 1),
    }
  })
  const { g } = lstmActivations(node, directionCount)
  const cell: 'standard' | Partial<CellConfig> = g === 'tanh' ? 'standard' : { preset: 'standard', g }
  addRecurrentLayer(state, node, { hiddenSize, cell, directions: weights })
}

function gruNode(state: State, node: OnnxNode): void {
  const directionCount = recurrentDirections(state, node, [[node.inputs[5], 'initial_h']])
  const names = node.attributes.get('activations')?.strings ?? Array.from({ length: directionCount }, () => GRU_ACTIVATIONS).flat()
  if (
    names.join() !==
    Array.from({ length: directionCount }, () => GRU_ACTIVATIONS)
      .flat()
      .join()
  ) {
    fail(`${where(node)}: activations ${names.join(', ')} are not supported (only Sigmoid, Tanh per direction)`)
  }
  const resetAfter = intOf(node, 'linear_before_reset', 0) !== 0
  const { hiddenSize, inputSize, directions } = recurrentWeights(state, node, directionCount, 3)
  const rows = 3 * hiddenSize
  const weights = directions.map(({ w, r, bias }) => gruDirection({ W: w, U: r, inputBias: bias?.subarray(0, rows), recurrentBias: bias?.subarray(rows), order: GRU_GATE_ORDERS.onnx }, hiddenSize, inputSize, resetAfter))
  addRecurrentLayer(state, node, { hiddenSize, cell: { type: 'gru', resetAfter }, directions: weights })
}

function axesOf(state: State, node: OnnxNode, inputIndex: number): number[] {
  const axes = optionalConstant(state, node, inputIndex, 'axes') ?? intsOf(node, 'axes')
  if (axes === undefined) fail(`${where(node)} without explicit axes is not supported on the LSTM outputs`)
  return axes
}

function sliceValue(state: State, node: OnnxNode, value: LstmValue): LstmValue {
  const starts = optionalConstant(state, node, 1, 'starts') ?? intsOf(node, 'starts') ?? []
  const ends = optionalConstant(state, node, 2, 'ends') ?? intsOf(node, 'ends') ?? []
  const axes = optionalConstant(state, node, 3, 'axes') ?? intsOf(node, 'axes') ?? starts.map((_, axis) => axis)
  const steps = optionalConstant(state, node, 4, 'steps') ?? starts.map(() => 1)
  if (steps.some((step) => step !== 1)) fail(`${where(node)}: slices with steps other than 1 are not supported on the LSTM outputs`)
  return axes.reduce((current, axis, k) => selectAlong(current, axis, starts[k], ends[k] >= TO_THE_END ? TO_THE_END : ends[k], node), value)
}

function gatherValue(state: State, node: OnnxNode, value: LstmValue): LstmValue {
  const indices = constantTensor(state, node, 1, 'the indices')
  if (indices.values.length !== 1) fail(`${where(node)}: gathering several entries of the LSTM outputs is not supported`)
  const index = indices.values[0]
  const axis = intOf(node, 'axis', 0)
  const selected = selectAlong(value, axis, index, index === -1 ? TO_THE_END : index + 1, node)
  return indices.dims.length === 0 ? squeezeAxes(selected, [axis], node) : selected
}

function concatValues(state: State, node: OnnxNode): LstmValue {
  const inputs = node.inputs.map((name) => valueOf(state, name, node))
  if (!inputs.every((value): value is LstmValue => value.kind === 'lstm')) fail(`${where(node)} joins LSTM outputs with other values`)
  const [first] = inputs
  const axis = intOf(node, 'axis', 0) < 0 ? intOf(node, 'axis', 0) + first.rank : intOf(node, 'axis', 0)
  const alike = inputs.every((value) => value.rank === first.rank && value.time === first.time && value.stack === first.stack)
  const parts = inputs.flatMap((value) => value.parts)
  if (alike && axis === first.stack) return { ...first, parts }
  if (alike && first.stack === undefined && axis === first.rank - 1) return { ...first, parts }
  return fail(`${where(node)}: only concatenation of directions, or of features, is supported on the LSTM outputs`)
}

function reshapeValue(state: State, node: OnnxNode, value: LstmValue): LstmValue {
  const shape = node.opType === 'Flatten' ? [0, -1] : optionalConstant(state, node, 1, 'the target shape')
  if (shape === undefined) fail(`${where(node)}: a computed target shape is not supported on the LSTM outputs`)
  const rank = shape.length
  if (value.stack !== undefined) {
    // [..., directions, hidden] → [..., directions · hidden]: the directions join the features.
    if (value.stack !== value.rank - 2 || rank !== value.rank - 1) fail(`${where(node)} reshapes stacked directions in a way lstm-lrp cannot follow`)
    return { ...value, rank, stack: undefined }
  }
  if (rank === value.rank) return value
  const width = partsWidth(
    value.parts,
    state.layers.map((layer) => layer.hiddenSize),
  )
  if (rank < value.rank && shape[rank - 1] === width) {
    // Leading axes merged with the features intact (batch and time, Tensordot-style, before a per-step head).
    return { ...value, rank, time: undefined }
  }
  return fail(`${where(node)} reshapes the LSTM outputs in a way lstm-lrp cannot follow`)
}

function headFrom(state: State, node: OnnxNode, value: LstmValue, weight: Float64Array, outputs: number, features: number): Head {
  if (value.stack !== undefined) fail(`${where(node)}: the head reads directions that are still stacked, not concatenated`)
  const width = partsWidth(
    value.parts,
    state.layers.map((layer) => layer.hiddenSize),
  )
  if (features !== width) fail(`${where(node)}: the head has ${features} inputs but the LSTM outputs it reads are ${width} wide`)
  return { input: value.parts, outputs, weight, softmax: false }
}

function gemmNode(state: State, node: OnnxNode, value: LstmValue): Value {
  if (intOf(node, 'transA', 0) !== 0) fail(`${where(node)}: transA is not supported`)
  const B = constantTensor(state, node, 1, 'B (the head weight)')
  if (B.dims.length !== 2) fail(`${where(node)}: B has shape ${formatShape(B.dims)}, expected a matrix`)
  const alpha = node.attributes.get('alpha')?.float ?? 1
  const beta = node.attributes.get('beta')?.float ?? 1
  const transB = intOf(node, 'transB', 0) === 1
  const [outputs, features] = transB ? B.dims : [B.dims[1], B.dims[0]]
  const weight = (transB ? B.values : (transpose(B.values, B.dims[0], B.dims[1]) as Float64Array)).map((entry) => entry * alpha)
  const head = headFrom(state, node, value, weight, outputs, features)
  if (node.inputs[2]) head.bias = headBias(state, node, 2, outputs).map((entry) => entry * beta)
  return { kind: 'scores', head }
}

function headBias(state: State, node: OnnxNode, index: number, outputs: number): Float64Array {
  const bias = constantTensor(state, node, index, 'the head bias')
  if (bias.values.length !== outputs) fail(`${where(node)}: the head bias has ${bias.values.length} entries, expected ${outputs}`)
  return bias.values
}

function lstmOperator(state: State, node: OnnxNode, value: LstmValue): Value {
  switch (node.opType) {
    case 'Transpose':
      return transposeAxes(value, intsOf(node, 'perm'), node)
    case 'Squeeze':
      return squeezeAxes(value, axesOf(state, node, 1), node)
    case 'Unsqueeze':
      return unsqueezeAxes(value, axesOf(state, node, 1), node)
    case 'Slice':
      return sliceValue(state, node, value)
    case 'Gather':
      return gatherValue(state, node, value)
    case 'Concat':
      return concatValues(state, node)
    case 'Reshape':
    case 'Flatten':
      return reshapeValue(state, node, value)
    case 'Gemm':
      return gemmNode(state, node, value)
    case 'MatMul': {
      const B = constantTensor(state, node, 1, 'the head weight')
      if (B.dims.length !== 2) fail(`${where(node)}: the head weight has shape ${formatShape(B.dims)}, expected a matrix`)
      return { kind: 'scores', head: headFrom(state, node, value, transpose(B.values, B.dims[0], B.dims[1]) as Float64Array, B.dims[1], B.dims[0]) }
    }
    default:
      return fail(`${where(node)}: this operator is not supported on the LSTM outputs (lstm-lrp models are Embedding → LSTM → linear head)`)
  }
}

function scoresOperator(state: State, node: OnnxNode, head: Head): Value {
  if (['Reshape', 'Squeeze', 'Unsqueeze', 'Flatten', 'Transpose'].includes(node.opType)) return { kind: 'scores', head }
  if (node.opType === 'Add' && head.bias === undefined) {
    const biasIndex = state.values.get(node.inputs[0])?.kind === 'const' ? 0 : 1
    return { kind: 'scores', head: { ...head, bias: headBias(state, node, biasIndex, head.outputs) } }
  }
  if (node.opType === 'Softmax' && !head.softmax) return { kind: 'scores', head: { ...head, softmax: true } }
  return fail(`${where(node)}: this operator after the head is not supported (only a bias and a Softmax)`)
}

function embeddingNode(state: State, node: OnnxNode): Value {
  const table = constantTensor(state, node, 0, 'the embedding table')
  if (table.dims.length !== 2) fail(`${where(node)}: the embedding table has shape ${formatShape(table.dims)}, expected [vocabulary, width]`)
  if (intOf(node, 'axis', 0) !== 0) fail(`${where(node)}: an embedding lookup gathers rows (axis 0)`)
  if (state.embedding) fail(`${where(node)}: a second embedding lookup is not supported`)
  state.embedding = { vocabSize: table.dims[0], width: table.dims[1], weight: table.values }
  return { kind: 'embedded' }
}

function visit(state: State, node: OnnxNode): void {
  if (node.domain !== '' && node.domain !== 'ai.onnx') fail(`${where(node)}: operators of domain "${node.domain}" are not supported`)
  const inputs = node.inputs.filter((name) => name !== '').map((name) => valueOf(state, name, node))
  const set = (value: Value): void => {
    for (const output of node.outputs) if (output) state.values.set(output, value)
  }
  if (node.opType === 'LSTM') return lstmNode(state, node)
  if (node.opType === 'GRU') return gruNode(state, node)
  // Subgraphs read outer values implicitly, so their inputs say nothing about what they compute.
  if (LOOPS.has(node.opType)) fail(`${where(node)}: the graph computes with a ${node.opType} rather than the LSTM or GRU operator (exporters unroll recurrent layers they cannot map onto them)`)
  if (inputs.every((value) => value.kind === 'const')) return set(constantNode(state, node))
  if (node.opType === 'Shape') return set({ kind: 'const', zero: false })
  const [data] = inputs
  if (PASS_THROUGH.has(node.opType) && data.kind !== 'cell-state') return set(data)
  if (inputs.some((value) => value.kind === 'cell-state')) fail(`${where(node)} reads the LSTM cell state, which lstm-lrp's head cannot`)
  if (node.opType === 'Gather' && data.kind === 'const' && inputs[1]?.kind === 'input') return set(embeddingNode(state, node))
  const main = inputs.find((value) => value.kind !== 'const') as Value
  if (main.kind === 'input' || main.kind === 'embedded') {
    if (['Transpose', 'Unsqueeze', 'Squeeze', 'Reshape'].includes(node.opType)) return set(main)
    return fail(`${where(node)}: this operator is not supported between the input and the first LSTM`)
  }
  if (main.kind === 'scores') return set(scoresOperator(state, node, main.head))
  if (main.kind === 'lstm') return set(lstmOperator(state, node, main))
}

function readout(state: State, head: Head): 'last' | 'each' {
  const last = state.layers.length - 1
  const directions = state.layers[last].directions.length
  const describe = (parts: Part[]): string => parts.map((part) => `layer ${part.layer} ${part.direction === 0 ? 'forward' : 'backward'} ${part.step === 'all' ? 'every step' : `${part.step} step`}`).join(' + ')
  const matches = (steps: Part['step'][]): boolean => head.input.length === directions && head.input.every((part, d) => part.layer === last && part.direction === d && part.step === steps[d])
  if (matches(['all', 'all'])) return 'each'
  if (matches(['last', 'first'])) return 'last'
  if (directions === 2 && matches(['last', 'last'])) {
    fail(
      'the head reads output[:, -1] of a bidirectional LSTM, whose backward half has seen one step only; lstm-lrp\'s readout "last" is the final state of each direction, [y_fwd(T); y_bwd(1)] = h_n: export a head that reads h_n',
    )
  }
  return fail(`the head reads ${describe(head.input)}; lstm-lrp's head reads the last layer's final states (readout "last") or all its steps (readout "each")`)
}

function outputHead(state: State, graph: OnnxGraph): Head {
  const heads = graph.outputs.map((name) => state.values.get(name)).filter((value) => value?.kind === 'scores')
  if (heads.length === 0) fail('no graph output is a linear head (Gemm or MatMul) over LSTM outputs')
  if (heads.length > 1) fail('several graph outputs are heads: lstm-lrp models have one')
  const ignored = graph.outputs.filter((name) => state.values.get(name)?.kind !== 'scores')
  if (ignored.length > 0) state.notes.push(`ignored graph outputs ${ignored.map((name) => `"${name}"`).join(', ')}`)
  return (heads[0] as { head: Head }).head
}

export function importOnnx(bytes: Uint8Array, hint: ImportHint = {}): ImportedModel {
  const graph = decodeOnnx(bytes)
  const state: State = { values: new Map(), layers: [], dtype: 'f64', notes: [] }
  for (const [name, tensor] of graph.initializers) state.values.set(name, { kind: 'const', tensor, zero: isZero(tensor) })
  for (const input of graph.inputs) state.values.set(input.name, { kind: 'input' })
  for (const node of graph.nodes) visit(state, node)
  if (state.layers.length === 0) fail('the graph has no LSTM or GRU operator')
  const head = outputHead(state, graph)
  if (head.softmax) state.notes.push("the softmax after the head is not stored: lstm-lrp's scores are the logits, its probabilities the softmax")
  const modelReadout = readout(state, head)
  if (hint.readout !== undefined && hint.readout !== modelReadout) fail(`the hint asks for readout "${hint.readout}" but the graph's head reads "${modelReadout}"`)
  const { dtype } = state
  const convert = (data: ArrayLike<number>) => convertArray(data, dtype)
  const stack: LstmStack = {
    dtype,
    inputSize: state.inputSize ?? 0,
    embedding: state.embedding && { vocabSize: state.embedding.vocabSize, weight: convert(state.embedding.weight) },
    layers: state.layers.map((layer) => ({ ...layer, directions: layer.directions.map(({ W, U, b, bHn }) => ({ W: convert(W), U: convert(U), b: convert(b), ...(bHn && { bHn: convert(bHn) }) })) })),
    head: { outputs: head.outputs, weight: convert(head.weight), bias: head.bias && convert(head.bias), readout: modelReadout },
  }
  return assembleModel(stack, hint, state.notes)
}
