// explainBatchSettled: every item is checked alone before the kernel runs, so an invalid item gets
// the error explain() would raise for it while the others run together and come out exactly as
// explainBatch gives them; an item whose own results overflow fails alone (E_NUMERIC), on both backends.
import test from 'ava'
import type { ExecutionContext } from 'ava'
import { createModel, LstmLrpError, type BatchItem, type ExplainOptions, type Explanation, type Model, type SequenceInput } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'

const BACKENDS = ['native', 'wasm'] as const
const METHODS = ['lrp', 'gradient', 'gradient-x-input', 'occlusion', 'cd', 'integrated-gradients'] as const
const IDENTITY_CELL = { g: 'identity', h: 'identity' }

function numericModel(backend: (typeof BACKENDS)[number], dtype: DType): Promise<Model> {
  return createModel(
    {
      inputSize: 2,
      layers: [
        { hiddenSize: 3, cell: IDENTITY_CELL },
        { hiddenSize: 3, cell: IDENTITY_CELL },
      ],
      head: { outputs: 2 },
    },
    { backend, seed: 1, dtype },
  )
}

function tokenModel(backend: (typeof BACKENDS)[number]): Promise<Model> {
  return createModel({ inputSize: 4, embedding: { vocabSize: 10 }, layers: [{ hiddenSize: 3, bidirectional: true }], head: { outputs: 3 }, labels: ['negative', 'neutral', 'positive'] }, { backend, seed: 2 })
}

function plain(explanation: Explanation): unknown {
  return Object.fromEntries(Object.entries(explanation).map(([key, value]) => [key, ArrayBuffer.isView(value) ? Array.from(value as Float32Array) : value]))
}

function thrown(call: () => unknown): LstmLrpError {
  try {
    call()
  } catch (error) {
    if (error instanceof LstmLrpError) return error
    throw error
  }
  throw new Error('expected an LstmLrpError')
}

function itemOf(item: SequenceInput | BatchItem): BatchItem {
  return typeof item === 'object' && item !== null && 'input' in item ? item : { input: item as SequenceInput }
}

/** Settles items and checks each outcome against explain() of that item alone and the valid ones against explainBatch. */
async function expectSettled(t: ExecutionContext, model: Model, items: (SequenceInput | BatchItem)[], options: ExplainOptions, invalid: number[], what: string): Promise<void> {
  const settled = await model.explainBatchSettled(items, options)
  t.is(settled.length, items.length, what)
  const valid = items.filter((_, n) => !invalid.includes(n))
  const batch = await model.explainBatch(valid, options)
  let next = 0
  items.forEach((item, n) => {
    const { input, target } = itemOf(item)
    const alone = target === undefined ? options : { ...options, target }
    if (invalid.includes(n)) {
      const expected = thrown(() => model.explain(input, alone))
      t.is(settled[n].error?.code, expected.code, `${what}: item ${n}`)
      t.is(settled[n].error?.message, expected.message, `${what}: item ${n}`)
      t.is(settled[n].explanation, undefined, `${what}: item ${n}`)
      return
    }
    t.is(settled[n].error, undefined, `${what}: item ${n}: ${settled[n].error?.message}`)
    t.deepEqual(plain(settled[n].explanation!), plain(batch[next++]), `${what}: item ${n} equals explainBatch`)
    t.deepEqual(plain(settled[n].explanation!), plain(model.explain(input, alone)), `${what}: item ${n} equals explain`)
  })
}

for (const backend of BACKENDS) {
  test(`${backend}: invalid inputs and targets fail alone with explain()'s error; the valid items equal explainBatch for every method`, async (t) => {
    const model = await numericModel(backend, 'f64')
    const items: (SequenceInput | BatchItem)[] = [
      [
        [0.5, -1],
        [1, 0],
      ],
      [[1, 2, 3]],
      {
        input: [
          [0.25, 0.5],
          [0.1, 0.2],
          [1, 1],
        ],
        target: 1,
      },
      { input: [[1, 1]], target: 7 },
      { tokens: [1, 2] },
      [[Number.NaN, 1]],
      [],
      [[2, -3]],
    ]
    for (const method of METHODS) await expectSettled(t, model, items, { method }, [1, 3, 4, 5, 6], method)
    model.dispose()
  })

  test(`${backend}: token ids out of range, unknown label names and versus without a target fail alone`, async (t) => {
    const model = await tokenModel(backend)
    const items: BatchItem[] = [
      { input: { tokens: [1, 2, 3] } },
      { input: { tokens: [1, 10] }, target: 'positive' },
      { input: { tokens: [4] }, target: 'happy' },
      { input: { tokens: [5, 6, 7, 8] }, target: 'positive' },
      { input: { tokens: [-1] } },
      { input: [[1, 2, 3, Number.POSITIVE_INFINITY]] },
    ]
    await expectSettled(t, model, items, {}, [1, 2, 4, 5], 'argmax and label targets')
    await expectSettled(t, model, items, { versus: 'negative' }, [0, 1, 2, 4, 5], 'versus')
    model.dispose()
  })

  test(`${backend}: token ids and embedding vectors, which one batch cannot mix, are each explained as alone`, async (t) => {
    const model = await tokenModel(backend)
    const items: SequenceInput[] = [{ tokens: [1, 2] }, [[0.5, 0, 1, -1]], { tokens: [3] }]
    const settled = await model.explainBatchSettled(items)
    items.forEach((input, n) => t.deepEqual(plain(settled[n].explanation!), plain(model.explain(input)), `item ${n}`))
    model.dispose()
  })

  test(`${backend}: an item whose results overflow fails alone with explain()'s E_NUMERIC message; its neighbours are exact`, async (t) => {
    const model = await numericModel(backend, 'f32')
    const overflow = [
      [1e30, 1e30],
      [1e30, 1e30],
    ]
    const items = [
      [
        [1, 2],
        [3, 4],
      ],
      overflow,
      [[0.5, 0.5]],
      overflow,
      [[-1, 2]],
    ]
    for (const method of ['gradient', 'gradient-x-input', 'integrated-gradients'] as const) {
      t.throws(() => model.explain(overflow, { method }), { code: 'E_NUMERIC', message: /^sequence 0, step 0, column 0: the input relevance is -?nan;/ })
      await t.throwsAsync(model.explainBatch(items, { method }), { code: 'E_NUMERIC', message: /^sequence 1, / })
      await expectSettled(t, model, items, { method }, [1, 3], method)
    }
    model.dispose()
  })

  test(`${backend}: an f64 overflow of the relevance with finite scores is named by its result and step`, async (t) => {
    const model = await numericModel(backend, 'f64')
    const overflow = [
      [1.7e308, 1.7e308],
      [1.7e308, 1.7e308],
    ]
    await expectSettled(t, model, [[[1, 2]], overflow], { method: 'cd' }, [1], 'cd')
    const [, settled] = await model.explainBatchSettled([[[1, 2]], overflow], { method: 'cd' })
    t.regex(settled.error!.message, /^sequence 0, step \d, column \d: the (input|per-step) relevance is/)
    model.dispose()
  })
}

test('explainBatchSettled: no items give no results; a non-array or bad options fail the call', async (t) => {
  const model = await numericModel('native', 'f64')
  t.deepEqual(await model.explainBatchSettled([]), [])
  await t.throwsAsync(model.explainBatchSettled('x' as unknown as SequenceInput[]), { code: 'E_INPUT', message: 'explainBatchSettled takes an array of inputs' })
  await t.throwsAsync(model.explainBatchSettled([[[1, 2]]], { eps: -1 }), { code: 'E_OPTIONS' })
  model.dispose()
})
