/**
 * ONNX protobuf (onnx-proto's generated decoder) turned into plain structures: nodes with their
 * attributes, and every constant tensor's values as float64 numbers.
 */
import onnxProto from 'onnx-proto'
import { importError } from './import-error.js'
import { CountingReader, DecodeBudgetExceeded, MAX_DECODED_VALUES } from './protobuf-budget.js'

const { onnx } = onnxProto

/** More than any LSTM export has; a hostile file of millions of empty nodes must be refused, not decoded into the heap. */
export const MAX_NODES = 100_000
export const MAX_INITIALIZERS = 100_000
export const MAX_ATTRIBUTES_PER_NODE = 1_000

export interface OnnxTensor {
  dims: number[]
  /** TensorProto.DataType: 1 float, 11 double, 6 int32, 7 int64, ... */
  dataType: number
  values: Float64Array
}

export interface OnnxAttribute {
  int?: number
  float?: number
  string?: string
  ints?: number[]
  floats?: number[]
  strings?: string[]
  tensor?: OnnxTensor
}

export interface OnnxNode {
  opType: string
  domain: string
  name: string
  inputs: string[]
  outputs: string[]
  attributes: Map<string, OnnxAttribute>
}

export interface OnnxGraph {
  nodes: OnnxNode[]
  initializers: Map<string, OnnxTensor>
  /** Graph inputs that are not initializers, with their declared rank. */
  inputs: { name: string; rank: number | undefined }[]
  outputs: string[]
}

type Int64 = number | { toNumber(): number }

export const DATA_TYPES = { float: 1, int32: 6, int64: 7, double: 11 } as const

function fail(message: string): never {
  importError('onnx', message)
}

function toNumber(value: Int64): number {
  return typeof value === 'number' ? value : value.toNumber()
}

function rawValues(raw: Uint8Array, dataType: number, name: string): Float64Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  const read: Record<number, [number, (offset: number) => number]> = {
    [DATA_TYPES.float]: [4, (offset) => view.getFloat32(offset, true)],
    [DATA_TYPES.double]: [8, (offset) => view.getFloat64(offset, true)],
    [DATA_TYPES.int32]: [4, (offset) => view.getInt32(offset, true)],
    [DATA_TYPES.int64]: [8, (offset) => Number(view.getBigInt64(offset, true))],
  }
  const reader = read[dataType]
  if (reader === undefined) fail(`tensor "${name}": data type ${dataType} is not supported (float, double, int32, int64)`)
  const [width, get] = reader
  if (raw.length % width !== 0) fail(`tensor "${name}": ${raw.length} bytes of raw data is not a whole number of elements`)
  return Float64Array.from({ length: raw.length / width }, (_, index) => get(index * width))
}

function decodeTensor(tensor: InstanceType<typeof onnx.TensorProto>, fallbackName: string): OnnxTensor {
  const name = tensor.name || fallbackName
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) fail(`tensor "${name}" keeps its data in an external file, which is not supported (save the model with its weights inside)`)
  const dims = tensor.dims.map(toNumber)
  const dataType = tensor.dataType
  let values: Float64Array
  if (tensor.rawData.length > 0) values = rawValues(tensor.rawData, dataType, name)
  else if (dataType === DATA_TYPES.float) values = Float64Array.from(tensor.floatData)
  else if (dataType === DATA_TYPES.double) values = Float64Array.from(tensor.doubleData)
  else if (dataType === DATA_TYPES.int32) values = Float64Array.from(tensor.int32Data)
  else if (dataType === DATA_TYPES.int64) values = Float64Array.from(tensor.int64Data.map(toNumber))
  else fail(`tensor "${name}": data type ${dataType} is not supported (float, double, int32, int64)`)
  const elements = dims.reduce((product, size) => product * size, 1)
  if (values.length !== elements) fail(`tensor "${name}": dims [${dims.join(', ')}] need ${elements} values, the file holds ${values.length}`)
  return { dims, dataType, values }
}

function decodeAttribute(attribute: InstanceType<typeof onnx.AttributeProto>, where: string): OnnxAttribute {
  const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)
  const { AttributeType } = onnx.AttributeProto
  switch (attribute.type) {
    case AttributeType.INT:
      return { int: toNumber(attribute.i) }
    case AttributeType.FLOAT:
      return { float: attribute.f }
    case AttributeType.STRING:
      return { string: text(attribute.s) }
    case AttributeType.INTS:
      return { ints: attribute.ints.map(toNumber) }
    case AttributeType.FLOATS:
      return { floats: attribute.floats }
    case AttributeType.STRINGS:
      return { strings: attribute.strings.map(text) }
    case AttributeType.TENSOR:
      // A damaged file can declare a tensor attribute and hold none.
      if (attribute.t === null || attribute.t === undefined) fail(`attribute ${where}.${attribute.name} is declared a tensor but holds none`)
      return { tensor: decodeTensor(attribute.t as InstanceType<typeof onnx.TensorProto>, `${where}.${attribute.name}`) }
    default:
      return {}
  }
}

function declaredRank(input: InstanceType<typeof onnx.ValueInfoProto>): number | undefined {
  const shape = input.type?.tensorType?.shape
  return shape?.dim ? shape.dim.length : undefined
}

export function decodeOnnx(bytes: Uint8Array): OnnxGraph {
  let model: InstanceType<typeof onnx.ModelProto>
  try {
    model = onnx.ModelProto.decode(new CountingReader(bytes) as unknown as Uint8Array)
  } catch (error) {
    if (error instanceof DecodeBudgetExceeded) fail(`the protobuf holds more than ${MAX_DECODED_VALUES} fields and values: not an LSTM model lstm-lrp can import (or a damaged file)`)
    // A stack overflow (RangeError) from messages nested too deeply is a damaged file too.
    fail(`not an ONNX model: the protobuf does not decode (${(error as Error).message})`)
  }
  // Decoded messages are class instances whose repeated fields default to empty arrays.
  const graph = model.graph as InstanceType<typeof onnx.GraphProto> | null | undefined
  if (!graph || graph.node.length === 0) fail('the model has no graph (or an empty one)')
  if (graph.node.length > MAX_NODES) fail(`the graph has ${graph.node.length} nodes, over the limit of ${MAX_NODES}`)
  if (graph.initializer.length > MAX_INITIALIZERS) fail(`the graph has ${graph.initializer.length} initializers, over the limit of ${MAX_INITIALIZERS}`)
  graph.node.forEach((node, index) => {
    const count = node.attribute?.length ?? 0
    if (count > MAX_ATTRIBUTES_PER_NODE) fail(`node #${index} has ${count} attributes, over the limit of ${MAX_ATTRIBUTES_PER_NODE}`)
  })
  const initializers = new Map(
    graph.initializer.map((tensor, index) => {
      const decoded = decodeTensor(tensor as InstanceType<typeof onnx.TensorProto>, `initializer ${index}`)
      return [tensor.name ?? '', decoded] as const
    }),
  )
  const nodes = graph.node.map((node, index): OnnxNode => {
    const name = node.name || `#${index}`
    return {
      opType: node.opType ?? '',
      domain: node.domain ?? '',
      name,
      inputs: node.input ?? [],
      outputs: node.output ?? [],
      attributes: new Map((node.attribute ?? []).map((attribute) => [attribute.name ?? '', decodeAttribute(attribute as InstanceType<typeof onnx.AttributeProto>, `node ${name}`)])),
    }
  })
  return {
    nodes,
    initializers,
    inputs: graph.input.filter((input) => !initializers.has(input.name ?? '')).map((input) => ({ name: input.name ?? '', rank: declaredRank(input as InstanceType<typeof onnx.ValueInfoProto>) })),
    outputs: graph.output.map((output) => output.name ?? ''),
  }
}
