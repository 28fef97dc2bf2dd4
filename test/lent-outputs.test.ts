// lib/model/lent-outputs.ts: explainEach's output memory is reused call after call, within a bound,
// and every loan ends with the lent views emptied.
import test from 'ava'
import { LentOutputs } from '../lib/model/lent-outputs.js'

test('a returned buffer serves the next call that fits in it, and the views lent on it become empty', (t) => {
  const lent = new LentOutputs()
  const first = lent.take(1000)
  t.true(first.byteLength >= 1000)
  const view = new Float32Array(first, 8, 10)
  view.fill(7)
  lent.giveBack(first)
  t.is(view.length, 0)
  t.is(first.byteLength, 0)
  const again = lent.take(900)
  // The same memory under a new ArrayBuffer: what the last call left is still in it.
  t.is(new Float32Array(again, 8, 1)[0], 7)
  t.is(new Float32Array(lent.take(900), 8, 1)[0], 0, 'a buffer is lent to one call at a time')
})

test('the smallest kept buffer that fits is taken; a larger call gets a new one', (t) => {
  const lent = new LentOutputs()
  const [small, large] = [lent.take(100), lent.take(10000)]
  new Uint8Array(small)[0] = 1
  new Uint8Array(large)[0] = 2
  lent.giveBack(small)
  lent.giveBack(large)
  t.is(new Uint8Array(lent.take(50))[0], 1)
  t.is(new Uint8Array(lent.take(50))[0], 2)
  t.is(new Uint8Array(lent.take(50))[0], 0)
  t.true(lent.take(20000).byteLength >= 20000)
})

test('at most 64 MiB and four buffers are kept, the latest first; after close() none', (t) => {
  const lent = new LentOutputs()
  const mark = (buffer: ArrayBuffer, value: number) => {
    new Uint8Array(buffer)[0] = value
    return buffer
  }
  const huge = mark(lent.take(70 * 1024 * 1024), 9)
  lent.giveBack(huge)
  t.is(new Uint8Array(lent.take(1))[0], 0, 'a buffer over the bound is not kept')
  const buffers = [1, 2, 3, 4, 5].map((value) => mark(lent.take(1000), value))
  for (const buffer of buffers) lent.giveBack(buffer)
  const taken = [1, 2, 3, 4, 5].map(() => new Uint8Array(lent.take(1000))[0])
  t.deepEqual(taken.sort(), [0, 2, 3, 4, 5])
  const last = mark(lent.take(1000), 6)
  lent.close()
  lent.giveBack(last)
  t.is(last.byteLength, 0, 'a loan still ends after close()')
  t.is(new Uint8Array(lent.take(1000))[0], 0)
})
