/**
 * Gate block orders (docs/IMPORT.md § Gate orders). Frameworks stack the gate blocks of W, U and b in
 * different orders. lstm-lrp stores an LSTM's four as z, i, f, o, where z is the cell input (PyTorch's g,
 * Keras' and ONNX's c), and a GRU's three as r, u, n: reset, update (PyTorch's, Keras' and ONNX's z)
 * and candidate (Keras' and ONNX's h).
 */
import { BLOCK_NAMES } from '../model/config.js'
import type { BlockName, FloatArray } from '../model/types.js'

export const GATE_ORDERS = {
  pytorch: ['i', 'f', 'z', 'o'],
  keras: ['i', 'f', 'z', 'o'],
  onnx: ['i', 'o', 'f', 'z'],
} as const satisfies Record<string, readonly BlockName[]>

export type GruBlockName = 'r' | 'u' | 'n'

export const GRU_BLOCK_NAMES: readonly GruBlockName[] = ['r', 'u', 'n']

export const GRU_GATE_ORDERS = {
  pytorch: ['r', 'u', 'n'],
  keras: ['u', 'r', 'n'],
  onnx: ['u', 'r', 'n'],
} as const satisfies Record<string, readonly GruBlockName[]>

/** Row blocks of a [blocks·H, columns] row-major matrix (or a vector with columns = 1) moved from `sourceOrder` into `targetOrder`. */
function reorderBlocks<Name>(data: FloatArray, sourceOrder: readonly Name[], targetOrder: readonly Name[], hiddenSize: number, columns: number): FloatArray {
  const blockLength = hiddenSize * columns
  const reordered = new (data.constructor as { new (length: number): FloatArray })(data.length)
  targetOrder.forEach((block, target) => {
    const source = sourceOrder.indexOf(block)
    reordered.set(data.subarray(source * blockLength, (source + 1) * blockLength), target * blockLength)
  })
  return reordered
}

/** A [4H, columns] matrix (or [4H] vector with columns = 1) from `sourceOrder` into lstm-lrp's z, i, f, o. */
export function toOurGateOrder(data: FloatArray, sourceOrder: readonly BlockName[], hiddenSize: number, columns: number): FloatArray {
  return reorderBlocks(data, sourceOrder, BLOCK_NAMES, hiddenSize, columns)
}

/** A [3H, columns] matrix (or [3H] vector with columns = 1) from `sourceOrder` into lstm-lrp's r, u, n. */
export function toOurGruOrder(data: FloatArray, sourceOrder: readonly GruBlockName[], hiddenSize: number, columns: number): FloatArray {
  return reorderBlocks(data, sourceOrder, GRU_BLOCK_NAMES, hiddenSize, columns)
}
