/**
 * One GRU direction in lstm-lrp's layout (docs/IMPORT.md § GRU): blocks r, u, n, and the biases folded
 * as the model format wants them. Frameworks keep an input and a recurrent bias per gate; the gates'
 * two add up, and so do the candidate's when the reset comes before the recurrent product. When it
 * comes after, the candidate's recurrent bias sits inside the reset product and stays apart as b_hn.
 */
import type { FloatArray } from '../model/types.js'
import { arrayOf } from './arrays.js'
import type { DirectionWeights } from './assemble.js'
import { toOurGruOrder, type GruBlockName } from './gate-order.js'

export interface GruSourceWeights {
  /** [3H, I] row-major, blocks in `order`. */
  W: FloatArray
  /** [3H, H] row-major, blocks in `order`. */
  U: FloatArray
  /** [3H] in `order`; undefined for a GRU without biases. */
  inputBias?: FloatArray
  /** [3H] in `order`; undefined when the source has one bias only. */
  recurrentBias?: FloatArray
  order: readonly GruBlockName[]
}

export function gruDirection(source: GruSourceWeights, hiddenSize: number, inputSize: number, resetAfter: boolean): DirectionWeights {
  const dtype = source.W instanceof Float64Array ? 'f64' : 'f32'
  const rows = 3 * hiddenSize
  const inputBias = toOurGruOrder(source.inputBias ?? arrayOf(dtype, rows), source.order, hiddenSize, 1)
  const recurrentBias = toOurGruOrder(source.recurrentBias ?? arrayOf(dtype, rows), source.order, hiddenSize, 1)
  const candidate = 2 * hiddenSize
  const b = inputBias.map((value, index) => (resetAfter && index >= candidate ? value : value + recurrentBias[index]))
  return {
    W: toOurGruOrder(source.W, source.order, hiddenSize, inputSize),
    U: toOurGruOrder(source.U, source.order, hiddenSize, hiddenSize),
    b,
    ...(resetAfter && { bHn: recurrentBias.subarray(candidate) }),
  }
}
