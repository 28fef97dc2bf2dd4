/**
 * Gate block orders (docs/IMPORT.md § Gate orders). Frameworks stack the four gate blocks of W, U and b in
 * different orders; lstm-lrp stores z, i, f, o, where z is the cell input (PyTorch's g,
 * Keras' and ONNX's c).
 */
import { BLOCK_NAMES } from '../model/config.js'
import type { BlockName, FloatArray } from '../model/types.js'

export const GATE_ORDERS = {
  pytorch: ['i', 'f', 'z', 'o'],
  keras: ['i', 'f', 'z', 'o'],
  onnx: ['i', 'o', 'f', 'z'],
} as const satisfies Record<string, readonly BlockName[]>

/**
 * Row blocks of a [4H, columns] row-major matrix (or a [4H] vector with columns = 1) moved
 * from `sourceOrder` into lstm-lrp's z, i, f, o.
 */
export function toOurGateOrder(data: FloatArray, sourceOrder: readonly BlockName[], hiddenSize: number, columns: number): FloatArray {
  const blockLength = hiddenSize * columns
  const reordered = new (data.constructor as { new (length: number): FloatArray })(data.length)
  BLOCK_NAMES.forEach((block, target) => {
    const source = sourceOrder.indexOf(block)
    reordered.set(data.subarray(source * blockLength, (source + 1) * blockLength), target * blockLength)
  })
  return reordered
}
