// The batcher's schedule, on a model whose calls settle when the test says: what queues during a
// call runs as soon as the call ends, without waiting --max-wait-ms again.
import test from 'ava'
import type { Model } from '../lib/model/model.js'
import type { BatchItem, SettledExplanation } from '../lib/explain/types.js'
import { Batcher } from '../lib/serve/batcher.js'

interface HeldCall {
  items: BatchItem[]
  finish(): void
}

function heldModel(): { model: Model; calls: HeldCall[] } {
  const calls: HeldCall[] = []
  const model = {
    explainBatchSettled(items: BatchItem[]) {
      return new Promise<SettledExplanation[]>((resolve) => {
        calls.push({ items, finish: () => resolve(items.map(() => ({ explanation: {} }) as SettledExplanation)) })
      })
    },
  } as unknown as Model
  return { model, calls }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))
const item = (id: number): BatchItem => ({ input: { tokens: [id] } })

test('what queued during a call runs right after it, without another --max-wait-ms pause', async (t) => {
  const { model, calls } = heldModel()
  const batcher = new Batcher(model, { maxBatch: 2, maxWaitMs: 60_000, maxQueue: 100, timeoutMs: 120_000, maxWork: 1000 })
  const first = batcher.explain('lrp', {}, [item(1), item(2)], [1, 1])
  await tick()
  t.is(calls.length, 1, 'a full batch runs at once')
  const second = batcher.explain('lrp', {}, [item(3)], [1])
  await tick()
  t.is(calls.length, 1, 'one call at a time')
  calls[0].finish()
  await first
  await tick()
  t.is(calls.length, 2, 'the queued item ran as soon as the first call ended')
  t.deepEqual(calls[1].items, [item(3)])
  calls[1].finish()
  t.is((await second).length, 1)
  await batcher.idle()
})

test('an idle batcher waits --max-wait-ms for more of the same options before a call', async (t) => {
  const { model, calls } = heldModel()
  const batcher = new Batcher(model, { maxBatch: 8, maxWaitMs: 60_000, maxQueue: 100, timeoutMs: 120_000, maxWork: 1000 })
  const pending = batcher.explain('lrp', {}, [item(1)], [1])
  await tick()
  t.is(calls.length, 0)
  const more = batcher.explain(
    'lrp',
    {},
    Array.from({ length: 7 }, (_, n) => item(n + 2)),
    Array(7).fill(1),
  )
  await tick()
  t.is(calls.length, 1, 'the batch ran once full')
  t.is(calls[0].items.length, 8)
  calls[0].finish()
  await Promise.all([pending, more])
  await batcher.idle()
})

test('a call holds no more than --max-work beyond its first item, and a full share of work does not wait', async (t) => {
  const { model, calls } = heldModel()
  const batcher = new Batcher(model, { maxBatch: 256, maxWaitMs: 60_000, maxQueue: 100, timeoutMs: 120_000, maxWork: 100 })
  const done = batcher.explain('occlusion', {}, [item(1), item(2), item(3), item(4)], [60, 40, 150, 10])
  await tick()
  t.deepEqual(
    calls.map((call) => call.items),
    [[item(1), item(2)]],
    'the first call stops where the next item would pass --max-work',
  )
  calls[0].finish()
  await tick()
  t.deepEqual(calls[1].items, [item(3)], 'an item over --max-work alone still runs, alone')
  calls[1].finish()
  await tick()
  t.deepEqual(calls[2].items, [item(4)])
  calls[2].finish()
  t.is((await done).length, 4)
  await batcher.idle()
})

test('requests beyond --max-queue waiting explanations are refused with E_OVERLOADED; those queued are answered', async (t) => {
  const { model, calls } = heldModel()
  const batcher = new Batcher(model, { maxBatch: 1, maxWaitMs: 0, maxQueue: 2, timeoutMs: 120_000, maxWork: 1000 })
  const running = batcher.explain('lrp', {}, [item(1)], [1])
  await tick()
  t.is(calls.length, 1, 'the first runs at once, leaving the queue empty')
  const queued = [batcher.explain('lrp', {}, [item(2)], [1]), batcher.explain('lrp', {}, [item(3)], [1])]
  t.is(batcher.queueDepth, 2)
  await t.throwsAsync(batcher.explain('lrp', {}, [item(4)], [1]), {
    code: 'E_OVERLOADED',
    message: 'the queue is full (2 explanations waiting, at most 2); retry shortly',
  })
  for (let n = 0; n < 3; n++) {
    calls[n].finish()
    await tick()
  }
  t.is((await running).length, 1)
  t.deepEqual(
    (await Promise.all(queued)).map((outcomes) => outcomes.length),
    [1, 1],
  )
  t.deepEqual(
    calls.map((call) => call.items),
    [[item(1)], [item(2)], [item(3)]],
  )
  await batcher.idle()
})
