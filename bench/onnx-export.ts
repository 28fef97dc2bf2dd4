// An lstm-lrp token model (embedding, LSTM layers of the standard cell, readout 'last', linear head)
// written as an ONNX graph of standard operators, so that onnxruntime can run the same model:
// Gather → LSTM per layer (with sequence_lens, so padded batches run each sequence to its own end)
// → Y_h of the top layer, the final state of each direction → [N, directions · H] → Gemm.
import { isDeepStrictEqual } from 'node:util'
import onnxProto, { type onnx as proto } from 'onnx-proto'
import { GATE_ORDERS } from '../lib/io/gate-order.js'
import { BLOCK_NAMES, PRESETS } from '../lib/model/config.js'
import type { LayerConfig, ModelConfig, Tensor } from '../lib/model/types.js'

const { onnx } = onnxProto
const { AttributeType } = onnx.AttributeProto

/** Graph inputs: int64 token ids [T, N] (time first) and int32 lengths [N]; output: float scores [N, C]. */
export const ONNX_NAMES = { tokens: 'tokens', lengths: 'sequence_lens', scores: 'scores' } as const

const FLOAT = onnx.TensorProto.DataType.FLOAT
const INT32 = onnx.TensorProto.DataType.INT32
const INT64 = onnx.TensorProto.DataType.INT64
const OPSET = 17

/** Stored as raw_data, which ONNX defines little-endian, as typed arrays are on x64 and arm64. */
function floatTensor(name: string, dims: number[], values: ArrayLike<number>): proto.ITensorProto {
  const data = Float32Array.from(values)
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer) }
}

/** Our z, i, f, o row blocks of a [4H, columns] matrix restacked in ONNX's i, o, f, c (c is our z). */
function onnxGateOrder(data: ArrayLike<number>, hiddenSize: number, columns: number): number[] {
  const block = hiddenSize * columns
  return GATE_ORDERS.onnx.flatMap((name) => {
    const start = BLOCK_NAMES.indexOf(name) * block
    return Array.from({ length: block }, (_, k) => data[start + k])
  })
}

function node(opType: string, inputs: string[], outputs: string[], attributes: proto.IAttributeProto[] = []): proto.INodeProto {
  return { opType, name: outputs[0], input: inputs, output: outputs, attribute: attributes }
}

/** A graph input or output; named dims are the ones that vary from call to call. */
function valueInfo(name: string, elemType: number, dims: (string | number)[]): proto.IValueInfoProto {
  const dim = dims.map((size) => (typeof size === 'string' ? { dimParam: size } : { dimValue: size }))
  return { name, type: { tensorType: { elemType, shape: { dim } } } }
}

/** One layer's W, R, B initializers and its LSTM node, reading `input` (of `width` features per step). */
function lstmLayer(index: number, layer: LayerConfig, width: number, input: string, outputs: string[], tensors: ReadonlyMap<string, Tensor>) {
  const { hiddenSize } = layer
  const rows = 4 * hiddenSize
  const directions = layer.bidirectional ? ['fwd', 'bwd'] : ['fwd']
  const blocks = (direction: string, name: string, columns: number) => onnxGateOrder(tensors.get(`layers.${index}.${direction}.${name}`)!.data, hiddenSize, columns)
  const stacked = (name: string, columns: number) => directions.flatMap((d) => blocks(d, name, columns))
  const initializers = [
    floatTensor(`W${index}`, [directions.length, rows, width], stacked('W', width)),
    floatTensor(`R${index}`, [directions.length, rows, hiddenSize], stacked('U', hiddenSize)),
    // B is Wb then Rb per direction; our one bias goes into Wb.
    floatTensor(
      `B${index}`,
      [directions.length, 2 * rows],
      directions.flatMap((d) => [...blocks(d, 'b', 1), ...new Array(rows).fill(0)]),
    ),
  ]
  const lstm = node('LSTM', [input, `W${index}`, `R${index}`, `B${index}`, ONNX_NAMES.lengths], outputs, [
    { name: 'hidden_size', type: AttributeType.INT, i: hiddenSize },
    { name: 'direction', type: AttributeType.STRING, s: new TextEncoder().encode(layer.bidirectional ? 'bidirectional' : 'forward') },
  ])
  return { initializers, lstm }
}

/** The model as ONNX bytes, in float32 whatever its dtype (the benchmark compares f32). */
export function exportOnnx(config: ModelConfig, tensors: ReadonlyMap<string, Tensor>): Uint8Array {
  if (!config.embedding || config.head.readout !== 'last' || config.layers.some((layer) => !isDeepStrictEqual(layer.cell, PRESETS.standard)))
    throw new Error('exportOnnx writes token models of standard LSTM cells with readout "last"')
  const initializers: proto.ITensorProto[] = [
    floatTensor('embedding', [config.embedding.vocabSize, config.inputSize], tensors.get('embedding.weight')!.data),
    { name: 'features', dims: [2], dataType: INT64, int64Data: [0, -1] },
  ]
  if (config.layers.length > 1) initializers.push({ name: 'step_features', dims: [3], dataType: INT64, int64Data: [0, 0, -1] })
  const nodes = [node('Gather', ['embedding', ONNX_NAMES.tokens], ['layer0_input'])]
  let width = config.inputSize
  config.layers.forEach((layer, index) => {
    const top = index === config.layers.length - 1
    const { initializers: weights, lstm } = lstmLayer(index, layer, width, `layer${index}_input`, top ? ['', 'final'] : [`layer${index}_steps`], tensors)
    initializers.push(...weights)
    nodes.push(lstm)
    width = layer.hiddenSize * (layer.bidirectional ? 2 : 1)
    // Y [T, directions, N, H] → [T, N, directions, H] → [T, N, directions · H]: [y_fwd(t); y_bwd(t)] for the layer above.
    if (!top)
      nodes.push(
        node('Transpose', [`layer${index}_steps`], [`layer${index}_by_sequence`], [{ name: 'perm', type: AttributeType.INTS, ints: [0, 2, 1, 3] }]),
        node('Reshape', [`layer${index}_by_sequence`, 'step_features'], [`layer${index + 1}_input`]),
      )
  })
  initializers.push(floatTensor('head', [config.head.outputs, width], tensors.get('head.weight')!.data))
  if (config.head.bias) initializers.push(floatTensor('head_bias', [config.head.outputs], tensors.get('head.bias')!.data))
  nodes.push(
    // Y_h [directions, N, H] → [N, directions, H] → [N, directions · H]: [y_fwd(T); y_bwd(1)].
    node('Transpose', ['final'], ['final_by_sequence'], [{ name: 'perm', type: AttributeType.INTS, ints: [1, 0, 2] }]),
    node('Reshape', ['final_by_sequence', 'features'], ['head_input']),
    node('Gemm', ['head_input', 'head', ...(config.head.bias ? ['head_bias'] : [])], [ONNX_NAMES.scores], [{ name: 'transB', type: AttributeType.INT, i: 1 }]),
  )
  const graph: proto.IGraphProto = {
    name: 'lstm-lrp',
    node: nodes,
    initializer: initializers,
    input: [valueInfo(ONNX_NAMES.tokens, INT64, ['T', 'N']), valueInfo(ONNX_NAMES.lengths, INT32, ['N'])],
    output: [valueInfo(ONNX_NAMES.scores, FLOAT, ['N', config.head.outputs])],
  }
  return onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: OPSET }], producerName: 'lstm-lrp bench', graph }).finish()
}
