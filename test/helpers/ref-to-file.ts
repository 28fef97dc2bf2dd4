// Writes a reference model as an lstm-lrp model file, so tests reach the kernel through the real loader.
import { isGruCell, type RefLayerCell, type RefModel } from '../reference/model.js'
import type { DType, ModelConfig, Tensor } from '../../lib/model/types.js'
import { writeModelFile } from '../../lib/model/tensors.js'
import { parseConfig } from '../../lib/model/config.js'

function tensor(dtype: DType, values: number[] | number[][]): Tensor {
  const rows = values as number[][]
  const matrix = Array.isArray(values[0])
  const flat = matrix ? rows.flat() : (values as number[])
  const data = dtype === 'f32' ? Float32Array.from(flat) : Float64Array.from(flat)
  return { dtype, shape: matrix ? [rows.length, rows[0].length] : [flat.length], data }
}

function cellConfig(cell: RefLayerCell) {
  if (isGruCell(cell)) return { type: 'gru', resetAfter: cell.resetAfter }
  return { g: cell.g, gScale: cell.gScale, h: cell.h, hScale: cell.hScale, gates: cell.gates, connections: cell.connections }
}

export function refConfig(model: RefModel): ModelConfig {
  return parseConfig({
    inputSize: model.inputSize,
    ...(model.embedding ? { embedding: { vocabSize: model.embedding.length } } : {}),
    layers: model.layers.map((layer) => ({
      hiddenSize: layer.hiddenSize,
      bidirectional: layer.bidirectional,
      cell: cellConfig(layer.cell),
    })),
    head: { outputs: model.head.weight.length, bias: model.head.bias !== undefined, readout: model.head.readout },
    task: 'classification',
  })
}

export function refModelFile(model: RefModel, dtype: DType): Uint8Array {
  const tensors = new Map<string, Tensor>()
  if (model.embedding) tensors.set('embedding.weight', tensor(dtype, model.embedding))
  model.layers.forEach((layer, l) => {
    const directions = layer.bwd
      ? ([
          ['fwd', layer.fwd],
          ['bwd', layer.bwd],
        ] as const)
      : ([['fwd', layer.fwd]] as const)
    for (const [name, weights] of directions) {
      tensors.set(`layers.${l}.${name}.W`, tensor(dtype, weights.W))
      tensors.set(`layers.${l}.${name}.U`, tensor(dtype, weights.U))
      tensors.set(`layers.${l}.${name}.b`, tensor(dtype, weights.b))
      if (weights.bHn) tensors.set(`layers.${l}.${name}.b_hn`, tensor(dtype, weights.bHn))
    }
  })
  tensors.set('head.weight', tensor(dtype, model.head.weight))
  if (model.head.bias) tensors.set('head.bias', tensor(dtype, model.head.bias))
  return writeModelFile(refConfig(model), tensors)
}
