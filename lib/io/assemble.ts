/**
 * The one place importers turn what they read into an lstm-lrp model: the stack of LSTM and GRU
 * layers in lstm-lrp's layout becomes a config (validated by parseConfig, with the hint's task, labels
 * and tokenizer) and the tensors of docs/METHODS.md § Model file (checked like any model file).
 */
import { parseConfig } from '../model/config.js'
import { checkTensors } from '../model/tensors.js'
import type { CellConfig, DType, FloatArray, GruCellConfig, PresetName, Readout, Task, Tensor } from '../model/types.js'
import type { ImportedModel, ImportHint } from './types.js'

/**
 * One direction's weights, already in lstm-lrp's layout: for an LSTM W [4H, I], U [4H, H], b [4H], gate
 * blocks z, i, f, o; for a GRU W [3H, I], U [3H, H], b [3H], blocks r, u, n, and bHn [H] when the
 * reset comes after the recurrent product.
 */
export interface DirectionWeights {
  W: FloatArray
  U: FloatArray
  b: FloatArray
  bHn?: FloatArray
}

export function isGru(cell: ImportedLayer['cell']): cell is GruCellConfig {
  return typeof cell === 'object' && 'type' in cell && cell.type === 'gru'
}

export interface ImportedLayer {
  hiddenSize: number
  /** A preset name or a partial cell over one (parseConfig fills in the rest), or a GRU cell. */
  cell: PresetName | Partial<CellConfig> | GruCellConfig
  /** [forward] or [forward, backward]. */
  directions: DirectionWeights[]
}

export interface LstmStack {
  dtype: DType
  inputSize: number
  embedding?: { vocabSize: number; weight: FloatArray }
  layers: ImportedLayer[]
  /** weight [C, D] with D the last layer's output width. */
  head: { outputs: number; weight: FloatArray; bias?: FloatArray; readout: Readout }
  task?: Task
}

export function assembleModel(stack: LstmStack, hint: ImportHint, notes: string[]): ImportedModel {
  const config = parseConfig({
    inputSize: stack.inputSize,
    ...(stack.embedding && { embedding: { vocabSize: stack.embedding.vocabSize } }),
    layers: stack.layers.map((layer) => ({ hiddenSize: layer.hiddenSize, bidirectional: layer.directions.length === 2, cell: layer.cell })),
    head: { outputs: stack.head.outputs, bias: stack.head.bias !== undefined, readout: stack.head.readout },
    task: hint.task ?? stack.task ?? 'classification',
    ...(hint.labels && { labels: hint.labels }),
    ...(hint.tokenizer && { tokenizer: hint.tokenizer }),
  })
  const tensors = new Map<string, Tensor>()
  const add = (name: string, shape: number[], data: FloatArray): void => {
    tensors.set(name, { dtype: stack.dtype, shape, data })
  }
  if (stack.embedding) add('embedding.weight', [stack.embedding.vocabSize, stack.inputSize], stack.embedding.weight)
  let layerInput = stack.inputSize
  stack.layers.forEach((layer, index) => {
    const rows = (isGru(layer.cell) ? 3 : 4) * layer.hiddenSize
    layer.directions.forEach((weights, direction) => {
      const prefix = `layers.${index}.${direction === 0 ? 'fwd' : 'bwd'}`
      add(`${prefix}.W`, [rows, layerInput], weights.W)
      add(`${prefix}.U`, [rows, layer.hiddenSize], weights.U)
      add(`${prefix}.b`, [rows], weights.b)
      if (weights.bHn) add(`${prefix}.b_hn`, [layer.hiddenSize], weights.bHn)
    })
    layerInput = layer.hiddenSize * layer.directions.length
  })
  add('head.weight', [stack.head.outputs, layerInput], stack.head.weight)
  if (stack.head.bias) add('head.bias', [stack.head.outputs], stack.head.bias)
  checkTensors(config, tensors)
  return { config, tensors, notes }
}
