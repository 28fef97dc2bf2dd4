/** Lays a validated model (config + tensors) out as the kernel's model description. */
import type { KernelCell, KernelLayer, KernelModelDesc } from './types.js'
import type { BlockName, CellConfig, DType, FloatArray, ModelConfig, Tensor } from '../model/types.js'
import { isGruCell } from '../model/config.js'
import { CELL_TYPE_CODES, DTYPE_CODES, G_CODES, H_CODES, PROJECTION_TABLE_CODES, READOUT_CODES } from './codes.js'

const BLOCKS: BlockName[] = ['z', 'i', 'f', 'o']

type Flags = [boolean, boolean, boolean, boolean]

function blockFlags(pick: (block: BlockName) => boolean): Flags {
  return BLOCKS.map(pick) as Flags
}

const NO_FLAGS: Flags = [false, false, false, false]

function kernelCell(cell: CellConfig): KernelCell {
  if (isGruCell(cell)) {
    // The kernel ignores the LSTM's fields for a GRU: neutral values.
    return { type: CELL_TYPE_CODES.gru, resetAfter: cell.resetAfter, g: G_CODES.tanh, gScale: 1, h: H_CODES.tanh, hScale: 1, gatePresent: NO_FLAGS, inputConnected: NO_FLAGS, recurrentConnected: NO_FLAGS }
  }
  return {
    type: CELL_TYPE_CODES.lstm,
    resetAfter: false,
    g: G_CODES[cell.g],
    gScale: cell.gScale,
    h: H_CODES[cell.h],
    hScale: cell.hScale,
    gatePresent: blockFlags((block) => block === 'z' || cell.gates[block]),
    inputConnected: blockFlags((block) => cell.connections[block].input),
    recurrentConnected: blockFlags((block) => cell.connections[block].recurrent),
  }
}

/** inputProjectionTable: false keeps the kernel from building the table (docs/METHODS.md § Input projection table). */
export function kernelModelDesc(config: ModelConfig, dtype: DType, tensors: Map<string, Tensor>, inputProjectionTable = true): KernelModelDesc {
  const data = (name: string): FloatArray => {
    const tensor = tensors.get(name)
    if (!tensor) throw new Error(`internal: tensor ${name} missing after validation`)
    return tensor.data
  }
  const optional = (name: string): FloatArray | null => tensors.get(name)?.data ?? null
  const layers: KernelLayer[] = config.layers.map((layer, l) => ({
    hiddenSize: layer.hiddenSize,
    bidirectional: layer.bidirectional,
    cell: kernelCell(layer.cell),
    W: [data(`layers.${l}.fwd.W`), optional(`layers.${l}.bwd.W`)],
    U: [data(`layers.${l}.fwd.U`), optional(`layers.${l}.bwd.U`)],
    b: [data(`layers.${l}.fwd.b`), optional(`layers.${l}.bwd.b`)],
    bHn: [optional(`layers.${l}.fwd.b_hn`), optional(`layers.${l}.bwd.b_hn`)],
  }))
  return {
    dtype: DTYPE_CODES[dtype],
    inputSize: config.inputSize,
    vocabSize: config.embedding?.vocabSize ?? 0,
    embedding: optional('embedding.weight'),
    layers,
    outputs: config.head.outputs,
    headWeight: data('head.weight'),
    headBias: optional('head.bias'),
    readout: READOUT_CODES[config.head.readout],
    inputProjectionTable: inputProjectionTable ? PROJECTION_TABLE_CODES.auto : PROJECTION_TABLE_CODES.off,
  }
}
