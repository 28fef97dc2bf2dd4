/**
 * The tensors a model file holds (docs/METHODS.md § Model file), their validation against the config, and
 * reading/writing whole model files (`lstm-lrp/1` inside safetensors).
 */
import { fail } from '../errors.js'
import { configToJson, isGruCell, parseConfig } from './config.js'
import { excerpt, findDuplicateJsonKey, formatJsonPath, readSafetensors, writeSafetensors } from './safetensors.js'
import type { SafetensorsLimits } from './safetensors.js'
import type { DType, FloatArray, ModelConfig, Tensor } from './types.js'

export const MODEL_FORMAT = 'lstm-lrp/1'

export interface TensorSpec {
  name: string
  shape: number[]
}

export interface ModelFile {
  config: ModelConfig
  dtype: DType
  tensors: Map<string, Tensor>
}

function modelFileError(message: string): never {
  fail('E_MODEL_FILE', message)
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`
}

/** Names and shapes of every tensor the config needs, in file order. */
export function expectedTensors(config: ModelConfig): TensorSpec[] {
  const specs: TensorSpec[] = []
  if (config.embedding) specs.push({ name: 'embedding.weight', shape: [config.embedding.vocabSize, config.inputSize] })
  let layerInput = config.inputSize
  config.layers.forEach((layer, index) => {
    // Blocks z, i, f, o of an LSTM; r, u, n of a GRU, which with resetAfter also has b_hn.
    const gru = isGruCell(layer.cell)
    const gateRows = (gru ? 3 : 4) * layer.hiddenSize
    const directions = layer.bidirectional ? ['fwd', 'bwd'] : ['fwd']
    for (const direction of directions) {
      const prefix = `layers.${index}.${direction}`
      specs.push({ name: `${prefix}.W`, shape: [gateRows, layerInput] }, { name: `${prefix}.U`, shape: [gateRows, layer.hiddenSize] }, { name: `${prefix}.b`, shape: [gateRows] })
      if (isGruCell(layer.cell) && layer.cell.resetAfter) specs.push({ name: `${prefix}.b_hn`, shape: [layer.hiddenSize] })
    }
    layerInput = layer.hiddenSize * directions.length
  })
  specs.push({ name: 'head.weight', shape: [config.head.outputs, layerInput] })
  if (config.head.bias) specs.push({ name: 'head.bias', shape: [config.head.outputs] })
  return specs
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((size, index) => size === b[index])
}

function checkTensorData(name: string, tensor: Tensor): void {
  const ArrayType = tensor.dtype === 'f32' ? Float32Array : tensor.dtype === 'f64' ? Float64Array : undefined
  if (ArrayType === undefined) modelFileError(`tensor "${name}": unsupported dtype "${String(tensor.dtype)}" (supported: f32, f64)`)
  if (!(tensor.data instanceof ArrayType)) modelFileError(`tensor "${name}": dtype ${tensor.dtype} but data is a ${tensor.data.constructor.name}`)
  const elements = tensor.shape.reduce((product, size) => product * size, 1)
  if (elements !== tensor.data.length) {
    modelFileError(`tensor "${name}": shape ${formatShape(tensor.shape)} has ${elements} elements but data has ${tensor.data.length}`)
  }
}

function firstNonFiniteIndex(data: FloatArray): number {
  // x - x is 0 for every finite x and NaN for NaN and ±Infinity: one cheap test per element.
  return data.findIndex((value) => value - value !== 0)
}

/**
 * Checks that `tensors` are exactly the tensors `config` needs: names, shapes, one dtype,
 * finite values. Returns that one dtype.
 */
export function checkTensors(config: ModelConfig, tensors: Map<string, Tensor>): DType {
  const expected = expectedTensors(config)
  const present = expected.map(({ name, shape }) => {
    const tensor = tensors.get(name)
    if (tensor === undefined) modelFileError(`missing tensor "${name}" (expected shape ${formatShape(shape)})`)
    if (!sameShape(tensor.shape, shape)) {
      modelFileError(`tensor "${name}": expected shape ${formatShape(shape)}, got ${formatShape(tensor.shape)}`)
    }
    return { name, tensor }
  })
  const expectedNames = new Set(expected.map(({ name }) => name))
  for (const name of tensors.keys()) {
    if (!expectedNames.has(name)) modelFileError(`unexpected tensor ${excerpt(name)}: the config has no place for it`)
  }
  const reference = present[0]
  for (const { name, tensor } of present) {
    checkTensorData(name, tensor)
    if (reference !== undefined && tensor.dtype !== reference.tensor.dtype) {
      modelFileError(`mixed dtypes: tensor "${name}" is ${tensor.dtype} but "${reference.name}" is ${reference.tensor.dtype}; all tensors must share one dtype`)
    }
  }
  for (const { name, tensor } of present) {
    const index = firstNonFiniteIndex(tensor.data)
    if (index >= 0) modelFileError(`tensor "${name}" holds a non-finite value (${tensor.data[index]}) at flat index ${index}`)
  }
  // The head weight exists in every model, so this is the dtype of all of them.
  return reference?.tensor.dtype ?? 'f32'
}

function parseConfigText(text: string): unknown {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    modelFileError(`__metadata__.config is not valid JSON (${(error as Error).message})`)
  }
  const duplicate = findDuplicateJsonKey(text)
  if (duplicate !== undefined) modelFileError(`__metadata__.config: duplicate key ${formatJsonPath('config', duplicate)}`)
  return json
}

/** Reads and fully validates an lstm-lrp model file. Container errors are E_MODEL_FILE, config errors E_CONFIG. */
export function readModelFile(bytes: Uint8Array, limits?: SafetensorsLimits): ModelFile {
  const { metadata, tensors } = readSafetensors(bytes, limits)
  const format = metadata.format
  if (format === undefined) modelFileError(`not an lstm-lrp model: __metadata__.format is missing (expected "${MODEL_FORMAT}"); a PyTorch state_dict is converted with \`lstm-lrp convert --from pytorch\``)
  if (format !== MODEL_FORMAT) modelFileError(`unsupported model format ${JSON.stringify(format)} (expected "${MODEL_FORMAT}")`)
  if (metadata.config === undefined) modelFileError('__metadata__.config is missing')
  const config = parseConfig(parseConfigText(metadata.config))
  const dtype = checkTensors(config, tensors)
  return { config, dtype, tensors }
}

/** Serialises a model: the config is re-validated and the tensors checked, so every written file reads back. */
export function writeModelFile(config: ModelConfig, tensors: Map<string, Tensor>): Uint8Array {
  const configJson = configToJson(config)
  parseConfig(configJson)
  checkTensors(config, tensors)
  const ordered = expectedTensors(config).map(({ name }) => ({ name, tensor: tensors.get(name) as Tensor }))
  return writeSafetensors(ordered, { format: MODEL_FORMAT, config: JSON.stringify(configJson) })
}
