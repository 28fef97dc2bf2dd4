// Targets by label name and contrastive targets (versus): each equals the index or { weights } target it stands for.
import test from 'ava'
import { createModel, LstmLrpError, type Explanation, type Model } from '../lib/index.js'

const LABELS = ['negative', 'neutral', 'positive']
const x = [
  [0.5, -1],
  [1, 0.25],
  [-0.3, 0.8],
]

function modelWith(readout: 'last' | 'each', labels?: string[]): Promise<Model> {
  return createModel({ inputSize: 2, layers: [{ hiddenSize: 4 }], head: { outputs: 3, readout }, task: 'classification', ...(labels ? { labels } : {}) }, { seed: 7 })
}

const last = modelWith('last', LABELS)
const each = modelWith('each', LABELS)
const unlabelled = modelWith('last')

function sameRelevance(t: import('ava').ExecutionContext, actual: Explanation, expected: Explanation, what: string): void {
  t.deepEqual(Array.from(actual.relevance), Array.from(expected.relevance), `${what}: relevance`)
  t.deepEqual(actual.target, expected.target, `${what}: reported target`)
}

function targetError(t: import('ava').ExecutionContext, run: () => unknown, pattern: RegExp): void {
  const error = t.throws(run, { instanceOf: LstmLrpError })
  t.is(error?.code, 'E_TARGET')
  t.regex(error?.message ?? '', pattern)
}

test('a label name explains the same as its class index, and is reported as the index', async (t) => {
  const model = await last
  sameRelevance(t, model.explain(x, { target: 'positive' }), model.explain(x, { target: 2 }), 'explain')
  t.is(model.explain(x, { target: 'neutral', method: 'gradient' }).target, 1)
  const batch = await model.explainBatch([{ input: x, target: 'negative' }, x], { target: 'positive' })
  sameRelevance(t, batch[0], model.explain(x, { target: 0 }), 'batch item target')
  sameRelevance(t, batch[1], model.explain(x, { target: 2 }), 'batch-wide target')
})

test("readout 'each': [step, label] and a label at the last step", async (t) => {
  const model = await each
  sameRelevance(t, model.explain(x, { target: [1, 'positive'] }), model.explain(x, { target: [1, 2] }), '[step, label]')
  t.deepEqual(model.explain(x, { target: 'neutral' }).target, [2, 1])
})

test('weights by label name go on the last score row', async (t) => {
  const model = await last
  const byName = model.explain(x, { target: { weights: { positive: 1, negative: -0.5 } } })
  t.deepEqual(byName.target, { weights: [-0.5, 0, 1] })
  t.deepEqual(Array.from(byName.relevance), Array.from(model.explain(x, { target: { weights: [-0.5, 0, 1] } }).relevance))
  const perStep = (await each).explain(x, { target: { weights: { positive: 2 } } })
  t.deepEqual(perStep.target, { weights: [0, 0, 0, 0, 0, 0, 0, 0, 2] })
})

test('versus subtracts the other class: weights +1 and −1 on the target row', async (t) => {
  const model = await last
  const contrast = model.explain(x, { target: 'positive', versus: 'negative' })
  sameRelevance(t, contrast, model.explain(x, { target: { weights: [-1, 0, 1] } }), 'label versus label')
  sameRelevance(t, model.explain(x, { target: 2, versus: 0 }), contrast, 'index versus index')
  const [item] = await model.explainBatch([{ input: x, target: 'neutral' }], { versus: 'positive' })
  t.deepEqual(item.target, { weights: [0, 1, -1] })
  const perStep = (await each).explain(x, { target: [0, 'positive'], versus: 'neutral' })
  t.deepEqual(perStep.target, { weights: [0, -1, 1, 0, 0, 0, 0, 0, 0] })
})

test('bad label targets are E_TARGET errors that list the labels or say there are none', async (t) => {
  const model = await last
  targetError(t, () => model.explain(x, { target: 'postive' }), /target 'postive' is not one of the model's labels \('negative', 'neutral', 'positive'\)/)
  targetError(t, () => model.explain(x, { target: { weights: { great: 1 } } }), /'great' is not one of the model's labels/)
  targetError(t, () => model.explain(x, { target: { weights: { positive: Number.NaN } } }), /target\.weights\.positive must be a finite number/)
  targetError(t, () => model.explain(x, { target: 'positive', versus: 'positive' }), /versus names the target class itself/)
  targetError(t, () => model.explain(x, { versus: 'negative' }), /versus needs a target/)
  targetError(t, () => model.explain(x, { target: { weights: [1, 0, 0] }, versus: 0 }), /versus needs a class target/)
  targetError(t, () => model.explain(x, { target: 2, versus: 'nope' }), /versus 'nope' is not one of the model's labels/)
  targetError(t, () => model.explain(x, { target: 1, versus: [0] as unknown as number }), /versus must be a class index or a label name/)
  await t.throwsAsync(model.explainBatch([{ input: x, target: 1 }, x], { versus: 0 }), { code: 'E_TARGET', message: /^input 1: versus needs a target/ })
  const plain = await unlabelled
  targetError(t, () => plain.explain(x, { target: 'positive' }), /target 'positive' is a label name, but the model has no labels: give a class index in \[0, 3\)/)
})

test('training and evaluation targets may be label names, also per step', async (t) => {
  const model = await last
  const byIndex = await model.evaluate([
    { input: x, target: 2 },
    { input: x.slice(1), target: 0 },
  ])
  t.deepEqual(
    await model.evaluate([
      { input: x, target: 'positive' },
      { input: x.slice(1), target: 'negative' },
    ]),
    byIndex,
  )
  const perStep = await each
  t.deepEqual(await perStep.evaluate([{ input: x, target: ['negative', 'neutral', 'positive'] }]), await perStep.evaluate([{ input: x, target: [0, 1, 2] }]))
  await t.throwsAsync(model.evaluate([{ input: x, target: 'great' }]), { code: 'E_TRAIN_DATA', message: "data[0]: target 'great' is not one of the model's labels ('negative', 'neutral', 'positive')" })
  await t.throwsAsync((await unlabelled).evaluate([{ input: x, target: 'positive' }]), { code: 'E_TRAIN_DATA', message: "data[0]: target 'positive' is a label name, but the model has no labels" })
})
