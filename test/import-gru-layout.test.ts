// How a GRU direction of each framework lands in lstm-lrp's layout: blocks r, u, n, the gates' input and
// recurrent biases summed, the candidate's recurrent bias kept apart as b_hn (reset after) or summed
// into b (reset before). The source blocks are filled with values that say which block they are.
import test from 'ava'
import { gruDirection } from '../lib/io/gru-weights.js'
import { GRU_GATE_ORDERS } from '../lib/io/gate-order.js'

const H = 2
const I = 3

/** A [3H, columns] matrix whose entries in source block k are 100·(k + 1) + their index in the block. */
function blocks(columns: number, offset = 0): Float64Array {
  return Float64Array.from({ length: 3 * H * columns }, (_, index) => 100 * (Math.floor(index / (H * columns)) + 1) + (index % (H * columns)) + offset)
}

/** Source block k of `blocks(columns, offset)`, written out. */
function block(k: number, columns: number, offset = 0): number[] {
  return Array.from({ length: H * columns }, (_, index) => 100 * (k + 1) + index + offset)
}

test('PyTorch (r, z, n): blocks keep their order; b_r and b_u sum both biases, b_n is bias_ih, b_hn is bias_hh of n', (t) => {
  const direction = gruDirection({ W: blocks(I), U: blocks(H), inputBias: blocks(1), recurrentBias: blocks(1, 10), order: GRU_GATE_ORDERS.pytorch }, H, I, true)
  t.deepEqual(Array.from(direction.W), [...block(0, I), ...block(1, I), ...block(2, I)])
  t.deepEqual(Array.from(direction.U), [...block(0, H), ...block(1, H), ...block(2, H)])
  t.deepEqual(Array.from(direction.b), [100 + 110, 101 + 111, 200 + 210, 201 + 211, 300, 301])
  t.deepEqual(Array.from(direction.bHn!), [310, 311])
})

test('Keras and ONNX (z, r, h): r and u swap places; reset after keeps b_hn apart', (t) => {
  for (const order of [GRU_GATE_ORDERS.keras, GRU_GATE_ORDERS.onnx]) {
    const direction = gruDirection({ W: blocks(I), U: blocks(H), inputBias: blocks(1), recurrentBias: blocks(1, 10), order }, H, I, true)
    t.deepEqual(Array.from(direction.W), [...block(1, I), ...block(0, I), ...block(2, I)])
    t.deepEqual(Array.from(direction.U), [...block(1, H), ...block(0, H), ...block(2, H)])
    t.deepEqual(Array.from(direction.b), [200 + 210, 201 + 211, 100 + 110, 101 + 111, 300, 301])
    t.deepEqual(Array.from(direction.bHn!), [310, 311])
  }
})

test('reset before (Keras reset_after=False, ONNX linear_before_reset=0): the candidate biases add up and there is no b_hn', (t) => {
  const twoBiases = gruDirection({ W: blocks(I), U: blocks(H), inputBias: blocks(1), recurrentBias: blocks(1, 10), order: GRU_GATE_ORDERS.onnx }, H, I, false)
  t.deepEqual(Array.from(twoBiases.b), [200 + 210, 201 + 211, 100 + 110, 101 + 111, 300 + 310, 301 + 311])
  t.is(twoBiases.bHn, undefined)
  const oneBias = gruDirection({ W: blocks(I), U: blocks(H), inputBias: blocks(1), order: GRU_GATE_ORDERS.keras }, H, I, false)
  t.deepEqual(Array.from(oneBias.b), [200, 201, 100, 101, 300, 301])
})

test('a GRU without biases gets zero b and, resetting after, zero b_hn, in the dtype of its weights', (t) => {
  const direction = gruDirection({ W: Float32Array.from(blocks(I)), U: Float32Array.from(blocks(H)), order: GRU_GATE_ORDERS.pytorch }, H, I, true)
  t.true(direction.b instanceof Float32Array)
  t.deepEqual(Array.from(direction.b), [0, 0, 0, 0, 0, 0])
  t.deepEqual(Array.from(direction.bHn!), [0, 0])
})
