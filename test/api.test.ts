// API contracts of the facade: batch = one by one, progress, event loop, concurrency, dispose
// with work in flight, predict, input forms, dtypes, saving, backend info, LRP conservation and
// the kernel's gradient against finite differences.
//
import test from 'ava'
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { LstmLrpError, backendInfo, createModel, loadModel, saveModel, type BatchItem, type BatchProgress, type ExplainOptions, type Explanation, type Model, type SequenceInput, type Target } from '../lib/index.js'
import type { KernelModel } from '../lib/backend/types.js'
import type { DType } from '../lib/model/types.js'
import { mulberry32, randomRefModel, randomSequence, type RefArchitecture } from './reference/random.js'
import { REF_PRESETS } from './reference/model.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { allFinite, assertClose, maxAbs, near } from './helpers/compare.js'
import { sameBits, sameExplanation, sameExplanations } from './helpers/explanation-diff.js'
import { scratchDirectory } from './helpers/scratch-directory.js'

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const BIDI_EMBEDDING = ARCHITECTURES['bidirectional, embedding (SST-like)'] // width 5, vocab 17, 5 classes
const READOUT_EACH = ARCHITECTURES['stacked uni, readout each'] // width 2, 2 outputs per step
const UNI = ARCHITECTURES['uni, head bias'] // width 3, 3 classes
const STACKED_BIDI = ARCHITECTURES['stacked bidirectional, head bias'] // width 3, 2 classes

async function modelOf(arch: RefArchitecture, seed: number, dtype: DType = 'f32', overrides: Partial<RefArchitecture> = {}): Promise<Model> {
  return loadModel(refModelFile(randomRefModel(seed, { ...arch, ...overrides }), dtype))
}

/** Lengths 1..30 in a scrambled order. */
function lengthAt(n: number): number {
  return 1 + ((n * 17 + 5) % 30)
}

function tokenSequence(seed: number, steps: number, vocab: number): { tokens: number[] } {
  const next = mulberry32(seed)
  return { tokens: Array.from({ length: steps }, () => Math.floor(next() * vocab)) }
}

function inputOf(item: SequenceInput | BatchItem): SequenceInput {
  return typeof item === 'object' && item !== null && !Array.isArray(item) && 'input' in item ? item.input : item
}

function targetOf(item: SequenceInput | BatchItem): Target | undefined {
  return typeof item === 'object' && item !== null && !Array.isArray(item) && 'input' in item ? item.target : undefined
}

/** The reference result: explain() one item at a time, with the item's target or the batch's. */
function oneByOne(model: Model, items: (SequenceInput | BatchItem)[], options: ExplainOptions): Explanation[] {
  return items.map((item) => model.explain(inputOf(item), { ...options, target: targetOf(item) ?? options.target }))
}

// ---------------------------------------------------------------------------------------------
// explainBatch = explain one by one
// ---------------------------------------------------------------------------------------------

/** 40 token sequences, every fourth with its own class target, every seventh an { input } item without one. */
function bidiItems(): (SequenceInput | BatchItem)[] {
  return Array.from({ length: 40 }, (_, n) => {
    const input = tokenSequence(1000 + n, lengthAt(n), 17)
    if (n % 4 === 1) return { input, target: n % 5 }
    if (n % 7 === 0) return { input }
    return input
  })
}

/** 40 vector sequences on the readout each model with [step, class], class and { weights } targets. */
function eachItems(): (SequenceInput | BatchItem)[] {
  return Array.from({ length: 40 }, (_, n) => {
    const steps = lengthAt(n)
    const input = randomSequence(2000 + n, steps, 2)
    if (n % 5 === 1) return { input, target: [(n * 3) % steps, n % 2] as [number, number] }
    if (n % 5 === 2) return { input, target: n % 2 }
    if (n % 5 === 3) return { input, target: { weights: Array.from({ length: steps }, (_, s) => [0.5 - s / steps, (s % 3) - 1]) } }
    if (n % 5 === 4) return { input }
    return input
  })
}

const BATCH_OPTIONS: { label: string; options: ExplainOptions }[] = [
  { label: 'defaults', options: {} },
  { label: 'LRP half, eps 0.01, bias factor 0.5', options: { rule: 'half', eps: 0.01, biasFactor: 0.5 } },
  { label: 'LRP mixed rules, init one', options: { rules: { input: 'prop', forget: 'abs', output: 'all' }, productEps: 0.2, init: 'one' } },
  { label: 'gradient', options: { method: 'gradient' } },
  { label: 'gradient × input', options: { method: 'gradient-x-input' } },
  { label: 'occlusion P-diff', options: { method: 'occlusion', occlusion: { score: 'prob' } } },
]

test('explainBatch equals explain one by one, bit for bit (bidirectional embedding model, per-item targets)', async (t) => {
  const model = await modelOf(BIDI_EMBEDDING, 301)
  const items = bidiItems()
  for (const { label, options } of [...BATCH_OPTIONS, { label: 'batch-wide target 3', options: { target: 3 } }]) {
    const batch = await model.explainBatch(items, options)
    sameExplanations(t, batch, oneByOne(model, items, options), label)
  }
  model.dispose()
})

test("explainBatch equals explain one by one, bit for bit (readout 'each' model, [step, class] / class / weights targets)", async (t) => {
  const model = await modelOf(READOUT_EACH, 302)
  const items = eachItems()
  for (const { label, options } of [...BATCH_OPTIONS, { label: 'batch-wide target [0, 1]', options: { target: [0, 1] as [number, number] } }]) {
    const batch = await model.explainBatch(items, options)
    sameExplanations(t, batch, oneByOne(model, items, options), label)
  }
  model.dispose()
})

test('explainBatch equals explain one by one across chunk boundaries (2000 sequences)', async (t) => {
  const model = await modelOf(UNI, 303)
  const items: (SequenceInput | BatchItem)[] = Array.from({ length: 2000 }, (_, n) => {
    const input = randomSequence(3000 + n, 1 + (n % 13), 3)
    return n % 3 === 0 ? { input, target: n % 3 } : input
  })
  const batch = await model.explainBatch(items, { rule: 'prop', productEps: 0.2 })
  sameExplanations(t, batch, oneByOne(model, items, { rule: 'prop', productEps: 0.2 }), 'prop')
  model.dispose()
})

/** Counts the forward passes the model's kernel runs for predict (set count to 0 to start again). */
function countPredictions(model: Model): { count: number } {
  const kernel = (model as unknown as { kernel: KernelModel }).kernel
  const predict = kernel.predict.bind(kernel)
  const predictions = { count: 0 }
  kernel.predict = (...args) => {
    predictions.count++
    predict(...args)
  }
  return predictions
}

test('an init vector without a target costs no forward pass of its own: the kernel reports the predicted class (readout last and each)', async (t) => {
  for (const readout of ['last', 'each'] as const) {
    const model = await modelOf(UNI, 308, 'f64', { readout })
    const predictions = countPredictions(model)
    for (let n = 0; n < 20; n++) {
      const input = randomSequence(7000 + n, 1 + (n % 6), 3)
      const predicted = model.predict(input).label!
      predictions.count = 0
      const init = readout === 'last' ? [0.5, -1, 2] : input.map(() => [0.5, -1, 2])
      const explanation = model.explain(input, { init })
      t.is(predictions.count, 0, `${readout}: no extra forward pass`)
      t.deepEqual(explanation.target, readout === 'last' ? predicted : [input.length - 1, predicted], `${readout}: input ${n}`)
      const [batched] = await model.explainBatch([input], { init })
      t.deepEqual(batched.target, explanation.target)
    }
    model.dispose()
  }
})

test("a batch mixing items with a target and without costs no forward pass: the kernel picks the others' predicted class (readout last and each)", async (t) => {
  for (const readout of ['last', 'each'] as const) {
    const model = await modelOf(UNI, 309, 'f64', { readout })
    const predictions = countPredictions(model)
    const inputs = Array.from({ length: 12 }, (_, n) => randomSequence(7100 + n, 1 + (n % 5), 3))
    const items = inputs.map((input, n) => (n % 3 === 1 ? { input, target: readout === 'last' ? 2 : ([0, 1] as [number, number]) } : input))
    const batch = await model.explainBatch(items)
    const settled = await model.explainBatchSettled(items)
    t.is(predictions.count, 0, `${readout}: no forward pass besides the kernel's`)
    const oneByOne = items.map((item) => ('input' in item ? model.explain(item.input, { target: item.target }) : model.explain(item)))
    sameExplanations(t, batch, oneByOne, `${readout}: explainBatch`)
    sameExplanations(
      t,
      settled.map((outcome) => outcome.explanation!),
      oneByOne,
      `${readout}: explainBatchSettled`,
    )
    inputs.forEach((input, n) => {
      const predicted = model.predict(input).label!
      if (n % 3 !== 1) t.deepEqual(batch[n].target, readout === 'last' ? predicted : [input.length - 1, predicted], `${readout}: input ${n} explains its predicted class`)
    })
    model.dispose()
  }
})

test('explainBatch of an empty array resolves to an empty array without progress', async (t) => {
  const model = await modelOf(UNI, 304)
  const progress: BatchProgress[] = []
  t.deepEqual(await model.explainBatch([], {}, { onProgress: (p) => progress.push(p) }), [])
  t.deepEqual(progress, [])
  model.dispose()
})

// ---------------------------------------------------------------------------------------------
// Progress, event loop, concurrency
// ---------------------------------------------------------------------------------------------

test('onProgress is called with increasing done counts that end at total', async (t) => {
  // Calls are sized by work: 4 × 128 × (64 + 128) multiply-adds a step puts about 22 000 steps in a call.
  const model = await modelOf({ inputSize: 64, layers: [{ hiddenSize: 128, bidirectional: false, cell: REF_PRESETS.standard }], outputs: 3, headBias: true, readout: 'last' }, 305)
  const items = Array.from({ length: 3000 }, (_, n) => randomSequence(4000 + n, 20, 64))
  const progress: BatchProgress[] = []
  const results = await model.explainBatch(items, {}, { onProgress: (p) => progress.push({ ...p }) })
  t.is(results.length, items.length)
  t.true(progress.length >= 2, `a batch of 60000 steps reports progress more than once (got ${progress.length})`)
  for (const [k, { done, total }] of progress.entries()) {
    t.is(total, items.length)
    t.true(Number.isInteger(done) && done > 0 && done <= total, `done ${done}`)
    if (k > 0) t.true(done > progress[k - 1].done, `done increases: ${progress[k - 1].done} then ${done}`)
  }
  t.is(progress[progress.length - 1].done, items.length)
  model.dispose()
})

test('explainBatch gives every thread work in each kernel call, also on a model whose steps cost much', async (t) => {
  // 4 × 256 × (300 + 256) + 4 × 256 × (512 + 256) multiply-adds a step in each direction: a call of 2^31 would hold under 800 steps.
  const model = await createModel(
    {
      inputSize: 300,
      layers: [
        { hiddenSize: 256, bidirectional: true },
        { hiddenSize: 256, bidirectional: true },
      ],
      head: { outputs: 2 },
    },
    { threads: 2 },
  )
  const kernel = (model as unknown as { kernel: KernelModel }).kernel
  const callSteps: number[] = []
  kernel.explainAsync = async (batch) => {
    callSteps.push(batch.lengths.reduce((sum, steps) => sum + steps, 0))
  }
  const items = Array.from({ length: 400 }, () => ({ data: new Float32Array(50 * 300), steps: 50 }))
  await model.explainBatch(items)
  t.is(
    callSteps.reduce((sum, steps) => sum + steps, 0),
    400 * 50,
  )
  for (const steps of callSteps) t.true(steps >= 2 * 4096, `a call of ${steps} steps for 2 threads (calls: ${callSteps.join(', ')})`)
  model.dispose()
})

test('a progress callback that throws rejects the batch with its error and leaves the model usable', async (t) => {
  const model = await modelOf({ inputSize: 64, layers: [{ hiddenSize: 128, bidirectional: false, cell: REF_PRESETS.standard }], outputs: 3, headBias: true, readout: 'last' }, 307)
  const items = Array.from({ length: 3000 }, (_, n) => randomSequence(6000 + n, 20, 64))
  const expected = model.explain(items[2999])
  const thrown = new Error('stop here')
  await t.throwsAsync(
    model.explainBatch(
      items,
      {},
      {
        onProgress: () => {
          throw thrown
        },
      },
    ),
    { is: thrown },
  )
  t.deepEqual(model.explain(items[2999]).relevance, expected.relevance)
  model.dispose()
  t.throws(() => model.explain(items[0]), { instanceOf: LstmLrpError, message: /disposed/ })
})

test('explainBatch does not block the event loop: a timer keeps ticking while a large batch runs', async (t) => {
  const model = await modelOf({ inputSize: 16, layers: [{ hiddenSize: 48, bidirectional: true, cell: REF_PRESETS.standard }], outputs: 4, headBias: true, readout: 'last' }, 306)
  const items = Array.from({ length: 1500 }, (_, n) => ({ data: Float32Array.from(randomSequence(5000 + n, 40, 16).flat()), steps: 40 }))
  let ticks = 0
  const timer = setInterval(() => ticks++, 2)
  const started = performance.now()
  try {
    const results = await model.explainBatch(items)
    t.is(results.length, items.length)
  } finally {
    clearInterval(timer)
  }
  t.log(`${ticks} ticks in ${(performance.now() - started).toFixed(0)} ms`)
  t.true(ticks >= 1, 'the interval ticked at least once while the batch ran')
  model.dispose()
})

test('concurrent explainBatch calls on one model give the same results as sequential calls', async (t) => {
  const model = await modelOf(BIDI_EMBEDDING, 307)
  const items = bidiItems()
  const many = Array.from({ length: 600 }, (_, n) => tokenSequence(6000 + n, 1 + (n % 20), 17))
  const calls: [(SequenceInput | BatchItem)[], ExplainOptions][] = [
    [items, {}],
    [many, { rule: 'half' }],
    [items, { method: 'gradient-x-input' }],
    [many, {}],
  ]
  const sequential: Explanation[][] = []
  for (const [batch, options] of calls) sequential.push(await model.explainBatch(batch, options))
  const concurrent = await Promise.all(calls.map(([batch, options]) => model.explainBatch(batch, options)))
  concurrent.forEach((results, k) => sameExplanations(t, results, sequential[k], `call ${k}`))
  model.dispose()
})

test('concurrent explainBatch calls on two models give the same results as sequential calls', async (t) => {
  const first = await modelOf(BIDI_EMBEDDING, 308)
  const second = await modelOf(READOUT_EACH, 309)
  const firstItems = bidiItems()
  const secondItems = eachItems()
  const firstAlone = await first.explainBatch(firstItems, { rule: 'prop' })
  const secondAlone = await second.explainBatch(secondItems, { rule: 'abs', productEps: 0.05 })
  const [firstTogether, secondTogether, firstAgain] = await Promise.all([
    first.explainBatch(firstItems, { rule: 'prop' }),
    second.explainBatch(secondItems, { rule: 'abs', productEps: 0.05 }),
    first.explainBatch(firstItems, { rule: 'prop' }),
  ])
  sameExplanations(t, firstTogether, firstAlone, 'first model')
  sameExplanations(t, firstAgain, firstAlone, 'first model, second call')
  sameExplanations(t, secondTogether, secondAlone, 'second model')
  first.dispose()
  second.dispose()
})

test('synchronous explain between the chunks of a running explainBatch does not disturb either', async (t) => {
  const model = await modelOf(UNI, 310)
  const items = Array.from({ length: 1500 }, (_, n) => randomSequence(7000 + n, 8, 3))
  const expected = await model.explainBatch(items)
  const probe = randomSequence(1, 6, 3)
  const probeExpected = model.explain(probe, { target: 1 })
  const pending = model.explainBatch(items)
  const probes: Explanation[] = []
  const timer = setInterval(() => probes.push(model.explain(probe, { target: 1 })), 1)
  try {
    sameExplanations(t, await pending, expected, 'batch')
  } finally {
    clearInterval(timer)
  }
  for (const result of probes) sameExplanation(t, result, probeExpected, 'probe')
  model.dispose()
})

// ---------------------------------------------------------------------------------------------
// dispose() with work in flight
// ---------------------------------------------------------------------------------------------

test('dispose() during a one-chunk explainBatch: the work in flight completes with correct results', async (t) => {
  const model = await modelOf(BIDI_EMBEDDING, 311)
  const items = bidiItems()
  const expected = oneByOne(model, items, {})
  const pending = model.explainBatch(items)
  model.dispose()
  sameExplanations(t, await pending, expected, 'in flight')
  const error = t.throws(() => model.explain(items[0] as SequenceInput))
  t.true(error instanceof LstmLrpError && error.code === 'E_DISPOSED', `got ${String(error)}`)
})

test('dispose() during a many-chunk explainBatch settles cleanly — results, or an LstmLrpError E_DISPOSED', async (t) => {
  const model = await modelOf(UNI, 312)
  const items = Array.from({ length: 4000 }, (_, n) => randomSequence(8000 + n, 30, 3))
  const pending = model.explainBatch(items)
  model.dispose()
  const outcome = await pending.then(
    (results) => ({ results, error: null }),
    (error: unknown) => ({ results: null, error }),
  )
  if (outcome.results !== null) {
    t.is(outcome.results.length, items.length)
    t.true(
      outcome.results.every((r) => allFinite(r.relevance)),
      'results are complete and finite',
    )
  } else {
    const error = outcome.error
    t.true(error instanceof LstmLrpError, `rejected with ${String(error)} (${error instanceof Error ? error.constructor.name : typeof error})`)
    if (error instanceof LstmLrpError) t.is(error.code, 'E_DISPOSED')
  }
  await t.throwsAsync(model.explainBatch(items.slice(0, 3)), { instanceOf: LstmLrpError, message: /disposed/ })
  t.throws(() => model.predict(items[0]), { instanceOf: LstmLrpError, message: /disposed/ })
})

// ---------------------------------------------------------------------------------------------
// predict
// ---------------------------------------------------------------------------------------------

function argmax(values: ArrayLike<number>, from: number, count: number): number {
  let best = 0
  for (let k = 1; k < count; k++) if (values[from + k] > values[from + best]) best = k
  return best
}

test('predict: each probability row is the softmax of its score row, sums to 1, and label = argmax of the last row', async (t) => {
  const cases: { model: Model; inputs: SequenceInput[]; outputs: number; rowsOf: (steps: number) => number }[] = [
    { model: await modelOf(BIDI_EMBEDDING, 313), inputs: [1, 4, 19].map((T, n) => tokenSequence(n, T, 17)), outputs: 5, rowsOf: () => 1 },
    { model: await modelOf(READOUT_EACH, 314, 'f64'), inputs: [1, 6].map((T, n) => randomSequence(n, T, 2)), outputs: 2, rowsOf: (T) => T },
    { model: await modelOf(UNI, 315, 'f32', { weightScale: 3 }), inputs: [randomSequence(9, 12, 3)], outputs: 3, rowsOf: () => 1 },
  ]
  for (const { model, inputs, outputs, rowsOf } of cases) {
    for (const input of inputs) {
      const { scores, probabilities, label } = model.predict(input)
      const steps = Array.isArray(input) ? input.length : (input as { tokens: number[] }).tokens.length
      const rows = rowsOf(steps)
      t.is(scores.length, rows * outputs)
      t.true(probabilities instanceof Float64Array)
      if (probabilities === null) continue
      t.is(probabilities.length, scores.length)
      for (let r = 0; r < rows; r++) {
        const row = Array.from(scores.subarray(r * outputs, (r + 1) * outputs))
        const top = Math.max(...row)
        const exp = row.map((s) => Math.exp(s - top))
        const total = exp.reduce((a, b) => a + b, 0)
        let sum = 0
        for (let k = 0; k < outputs; k++) {
          sum += probabilities[r * outputs + k]
          t.true(probabilities[r * outputs + k] >= 0)
          t.true(Math.abs(probabilities[r * outputs + k] - exp[k] / total) <= 1e-12, 'softmax of the score row')
        }
        t.true(Math.abs(sum - 1) <= 1e-12, `row ${r} sums to ${sum}`)
      }
      t.is(label, argmax(scores, (rows - 1) * outputs, outputs), 'label = argmax of the last score row')
      t.is(label, argmax(probabilities, (rows - 1) * outputs, outputs), 'label = argmax of the last probability row')
      t.deepEqual(model.explain(input).target, model.config.head.readout === 'last' ? label : [steps - 1, label], 'the default explain target is the predicted label')
    }
    model.dispose()
  }
})

// ---------------------------------------------------------------------------------------------
// Input forms and dtypes
// ---------------------------------------------------------------------------------------------

test('{ data, steps } input gives bit-identical results to number[][] input (f32 and f64 models, both array types)', async (t) => {
  for (const dtype of ['f32', 'f64'] as const) {
    const model = await modelOf(STACKED_BIDI, 316, dtype)
    const rows = randomSequence(316, 9, 3)
    const forms: [string, SequenceInput][] = [
      ['Float32Array', { data: Float32Array.from(rows.flat()), steps: 9 }],
      ['Float64Array', { data: Float64Array.from(rows.flat()), steps: 9 }],
    ]
    // number[][] holds float64 values; on an f32 model a Float32Array of them rounds the same way.
    for (const [name, form] of forms) {
      if (dtype === 'f64' && name === 'Float32Array') continue
      const what = `${dtype} model, ${name}`
      sameBits(t, model.predict(form).scores, model.predict(rows).scores, `${what}: predict`)
      for (const options of [{}, { method: 'gradient' as const, target: 1 }, { method: 'occlusion' as const }]) {
        sameExplanation(t, model.explain(form, options), model.explain(rows, options), `${what}: ${options.method ?? 'lrp'}`)
      }
      sameExplanations(t, await model.explainBatch([form, form]), await model.explainBatch([rows, rows]), `${what}: explainBatch`)
    }
    model.dispose()
  }
})

test('an input vector sequence on an embedding model equals the same tokens looked up', async (t) => {
  const ref = randomRefModel(317, BIDI_EMBEDDING)
  const model = await loadModel(refModelFile(ref, 'f64'))
  const tokens = [3, 0, 16, 7, 7]
  const vectors = tokens.map((id) => ref.embedding![id])
  sameBits(t, model.predict(vectors).scores, model.predict({ tokens }).scores, 'predict')
  sameExplanation(t, model.explain(vectors, { target: 2 }), model.explain({ tokens }, { target: 2 }), 'explain')
  model.dispose()
})

test("an f32 model agrees with the same file loaded with { dtype: 'f64' } within 1e-4 of the largest magnitude", async (t) => {
  for (const [name, arch] of [
    ['bidirectional embedding', BIDI_EMBEDDING],
    ['readout each', READOUT_EACH],
    ['stacked bidirectional', STACKED_BIDI],
  ] as const) {
    const bytes = refModelFile(randomRefModel(318, arch), 'f32')
    const f32 = await loadModel(bytes)
    const f64 = await loadModel(bytes, { dtype: 'f64' })
    t.is(f32.dtype, 'f32')
    t.is(f64.dtype, 'f64')
    const inputs: SequenceInput[] = arch.vocabSize ? [tokenSequence(1, 7, arch.vocabSize), tokenSequence(2, 1, arch.vocabSize)] : [randomSequence(1, 7, arch.inputSize), randomSequence(2, 1, arch.inputSize)]
    for (const [n, input] of inputs.entries()) {
      const a = f32.predict(input)
      const b = f64.predict(input)
      t.true(a.scores instanceof Float32Array && b.scores instanceof Float64Array)
      assertClose(t, a.scores, b.scores, 1e-4, `${name}: scores`)
      const target: Target = arch.readout === 'last' ? 1 : [0, 1]
      const settings: ExplainOptions[] = [
        { target },
        { target, rule: 'prop', productEps: 0.2, eps: 0.0019 },
        { target, rule: 'half', biasFactor: 1 },
        { target, method: 'gradient' },
        { target, method: 'gradient-x-input' },
        { target, method: 'occlusion' },
      ]
      for (const options of settings) {
        const x = f32.explain(input, options)
        const y = f64.explain(input, options)
        const what = `${name}, input ${n}, ${options.method ?? 'lrp'} ${options.rule ?? ''}`
        t.true(x.relevance instanceof Float32Array && y.relevance instanceof Float64Array)
        const scale = Math.max(maxAbs(y.relevance), maxAbs(y.perStep), 1e-12)
        assertClose(t, x.relevance, y.relevance, 1e-4, `${what}: relevance`, scale)
        assertClose(t, x.perStep, y.perStep, 1e-4, `${what}: perStep`, scale)
      }
    }
    f32.dispose()
    f64.dispose()
  }
})

// ---------------------------------------------------------------------------------------------
// saveModel
// ---------------------------------------------------------------------------------------------

test('saveModel → bytes → loadModel gives identical predictions and explanations (f32 and f64)', async (t) => {
  for (const dtype of ['f32', 'f64'] as const) {
    const original = await modelOf(BIDI_EMBEDDING, 319, dtype)
    const bytes = await saveModel(original)
    t.true(bytes instanceof Uint8Array)
    const copy = await loadModel(bytes)
    t.is(copy.dtype, dtype)
    t.deepEqual(copy.config, original.config)
    for (const input of [tokenSequence(1, 12, 17), tokenSequence(2, 1, 17)]) {
      sameBits(t, copy.predict(input).scores, original.predict(input).scores, `${dtype}: predict`)
      sameExplanation(t, copy.explain(input, { rule: 'half' }), original.explain(input, { rule: 'half' }), `${dtype}: explain`)
    }
    t.deepEqual(await saveModel(copy), bytes, 'saving the loaded copy gives the same bytes')
    original.dispose()
    copy.dispose()
  }
})

test("saveModel of a model loaded with { dtype: 'f64' } round-trips as f64", async (t) => {
  const bytes = refModelFile(randomRefModel(320, READOUT_EACH), 'f32')
  const widened = await loadModel(bytes, { dtype: 'f64' })
  const copy = await loadModel(await saveModel(widened))
  t.is(copy.dtype, 'f64')
  const input = randomSequence(3, 5, 2)
  sameBits(t, copy.predict(input).scores, widened.predict(input).scores, 'predict')
  widened.dispose()
  copy.dispose()
})

test('saveModel to a path writes exactly the returned bytes, replaces an existing file, and leaves no temporary file', async (t) => {
  const directory = await scratchDirectory(t, 'lstm-lrp-api-')
  const file = path.join(directory, 'model.safetensors')
  const first = await modelOf(UNI, 321)
  const second = await modelOf(UNI, 322)
  const firstBytes = await saveModel(first, file)
  t.deepEqual(new Uint8Array(await readFile(file)), firstBytes)
  t.deepEqual(await readdir(directory), ['model.safetensors'])
  const secondBytes = await saveModel(second, file)
  t.deepEqual(new Uint8Array(await readFile(file)), secondBytes, 'the file was replaced')
  t.deepEqual(await readdir(directory), ['model.safetensors'], 'no temporary file is left')
  const loaded = await loadModel(file)
  const input = randomSequence(4, 6, 3)
  sameBits(t, loaded.predict(input).scores, second.predict(input).scores, 'the saved file loads as the second model')
  for (const model of [first, second, loaded]) model.dispose()
})

test('concurrent saveModel calls to one path all succeed and leave one whole file, no temporary file', async (t) => {
  const directory = await scratchDirectory(t, 'lstm-lrp-api-')
  const file = path.join(directory, 'model.safetensors')
  const models = await Promise.all([323, 324, 325].map((seed) => modelOf(UNI, seed)))
  const outcomes = await Promise.allSettled(models.map((model) => saveModel(model, file)))
  for (const [k, outcome] of outcomes.entries()) t.is(outcome.status, 'fulfilled', `save ${k}: ${outcome.status === 'rejected' ? String(outcome.reason) : 'ok'}`)
  t.deepEqual(await readdir(directory), ['model.safetensors'])
  const written = new Uint8Array(await readFile(file))
  const candidates = await Promise.all(models.map((model) => saveModel(model)))
  t.true(
    candidates.some((bytes) => bytes.length === written.length && bytes.every((b, i) => b === written[i])),
    'the file is one of the models, whole',
  )
  for (const model of models) model.dispose()
})

// ---------------------------------------------------------------------------------------------
// backendInfo
// ---------------------------------------------------------------------------------------------

test('backendInfo() reports the backend in use (native, or the one LSTM_LRP_BACKEND forces) with its SIMD level and threads; models report the same', async (t) => {
  const info = backendInfo()
  t.is(info.backend, process.env.LSTM_LRP_BACKEND === 'wasm' ? 'wasm' : 'native')
  t.true(['avx512', 'avx2', 'sse2', 'neon', 'simd128', 'scalar'].includes(info.simd), `simd ${info.simd}`)
  t.true(Number.isInteger(info.threads) && info.threads >= 1, `threads ${info.threads}`)
  t.deepEqual(backendInfo(info.backend), info)
  t.is(backendInfo('auto').backend, 'native')
  const model = await modelOf(UNI, 326)
  t.deepEqual(model.backend, info)
  model.dispose()
})

// ---------------------------------------------------------------------------------------------
// LRP conservation
// ---------------------------------------------------------------------------------------------

const CONSERVATION_ARCHS: [string, RefArchitecture][] = [
  ['standard', UNI],
  ['bidirectional', BIDI_EMBEDDING],
  ['stacked bidirectional', STACKED_BIDI],
]

function conservationInputs(arch: RefArchitecture): SequenceInput[] {
  return [1, 5, 12].map((T, n) => (arch.vocabSize ? tokenSequence(40 + n, T, arch.vocabSize) : randomSequence(40 + n, T, arch.inputSize)))
}

test("LRP conservation: eps 0, zero biases, rule 'all' → inputs + initialState = input within 1e-9 (f64)", async (t) => {
  for (const [name, arch] of CONSERVATION_ARCHS) {
    const model = await modelOf(arch, 327, 'f64', { zeroBiases: true })
    for (const input of conservationInputs(arch)) {
      for (const init of ['logit', 'one'] as const) {
        const { conservation, steps, relevance } = model.explain(input, { eps: 0, rule: 'all', init, target: 1 })
        const c = conservation!
        const what = `${name}, T=${steps}, init ${init}`
        const tolerance = 1e-9 * Math.max(1, Math.abs(c.input))
        near(t, c.inputs + c.initialState, c.input, tolerance, 1, `${what}: inputs + initialState`)
        near(t, c.absorbed, 0, tolerance, 1, `${what}: absorbed`)
        near(
          t,
          Array.from(relevance).reduce((a, b) => a + b, 0),
          c.inputs,
          tolerance,
          1,
          `${what}: Σ relevance = conservation.inputs`,
        )
        if (init === 'one') t.is(c.input, 1, 'init one puts in exactly the target weight')
      }
    }
    model.dispose()
  }
})

test("LRP conservation: bias factor 1 with nonzero biases → nothing absorbed for rules 'all' and 'half' (standard preset, f64)", async (t) => {
  for (const [name, arch] of CONSERVATION_ARCHS) {
    const model = await modelOf(arch, 328, 'f64')
    for (const input of conservationInputs(arch)) {
      for (const rule of ['all', 'half'] as const) {
        for (const eps of [0.001, 0.1]) {
          const { conservation, steps } = model.explain(input, { biasFactor: 1, rule, eps, target: 0 })
          const c = conservation!
          const what = `${name}, T=${steps}, rule ${rule}, eps ${eps}`
          const tolerance = 1e-9 * Math.max(1, Math.abs(c.input))
          near(t, c.absorbed, 0, tolerance, 1, `${what}: absorbed`)
          near(t, c.inputs + c.initialState + c.absorbed, c.input, tolerance, 1, `${what}: inputs + initialState + absorbed`)
        }
      }
    }
    model.dispose()
  }
})

test('LRP conservation report always balances: input = inputs + absorbed + initialState (any rule, eps, bias factor)', async (t) => {
  const model = await modelOf(READOUT_EACH, 329, 'f64')
  const input = randomSequence(5, 9, 2)
  for (const rule of ['all', 'prop', 'abs', 'half'] as const) {
    for (const biasFactor of [0, 0.3, 1]) {
      const c = model.explain(input, { rule, biasFactor, eps: 0.01, productEps: 0.05, target: [4, 1] }).conservation!
      near(t, c.inputs + c.absorbed + c.initialState, c.input, 1e-9, Math.max(1, Math.abs(c.input)), `rule ${rule}, bias factor ${biasFactor}`)
    }
  }
  t.is(model.explain(input, { method: 'gradient' }).conservation, null, 'other methods report no conservation')
  model.dispose()
})

// ---------------------------------------------------------------------------------------------
// Gradient against finite differences
// ---------------------------------------------------------------------------------------------

/** f = Σ w ⊙ scores for a one-hot target on score row `row`, class `cls`. */
function targetScore(model: Model, input: number[][], row: number, cls: number): number {
  return model.predict(input).scores[row * model.config.head.outputs + cls]
}

const GRADIENT_ARCHS: [string, RefArchitecture][] = [
  ['standard', UNI],
  ['stacked bidirectional', STACKED_BIDI],
  ['bidirectional (embedding model, vector input)', BIDI_EMBEDDING],
  ['readout each', READOUT_EACH],
  ['lrp-nondecreasing', ARCHITECTURES['lrp-nondecreasing, bidirectional']],
  ['custom cell', ARCHITECTURES['custom cell (relu g, identity h, no output gate, mixed connections)']],
]

test('gradient × input / x matches central differences of predict (h = 1e-6, relative 1e-6, f64); gradient = its square', async (t) => {
  const h = 1e-6
  for (const [name, arch] of GRADIENT_ARCHS) {
    const model = await modelOf(arch, 330, 'f64')
    for (const T of [1, 6]) {
      const x = randomSequence(50 + T, T, arch.inputSize)
      const each = arch.readout === 'each'
      const [row, cls] = each ? [T > 1 ? T - 2 : 0, 1] : [0, arch.outputs - 1]
      const target: Target = each ? [row, cls] : cls
      const gxi = model.explain(x, { method: 'gradient-x-input', target })
      const gradient = model.explain(x, { method: 'gradient', target })
      const analytic: number[] = []
      const numeric: number[] = []
      for (let s = 0; s < T; s++) {
        for (let i = 0; i < arch.inputSize; i++) {
          analytic.push(gxi.relevance[s * arch.inputSize + i] / x[s][i])
          const plus = x.map((r) => r.slice())
          const minus = x.map((r) => r.slice())
          plus[s][i] += h
          minus[s][i] -= h
          numeric.push((targetScore(model, plus, row, cls) - targetScore(model, minus, row, cls)) / (2 * h))
        }
      }
      assertClose(t, analytic, numeric, 1e-6, `${name}, T=${T}: ∂f/∂x`)
      assertClose(
        t,
        gradient.relevance,
        analytic.map((g) => g * g),
        1e-9,
        `${name}, T=${T}: gradient = (∂f/∂x)²`,
      )
      const perStep = Array.from({ length: T }, (_, s) => analytic.slice(s * arch.inputSize, (s + 1) * arch.inputSize).reduce((sum, g, i) => sum + g * x[s][i], 0))
      assertClose(t, gxi.perStep, perStep, 1e-9, `${name}, T=${T}: gradient × input per step`)
    }
    model.dispose()
  }
})

// ---------------------------------------------------------------------------------------------
// Inputs are read when the call is made
// ---------------------------------------------------------------------------------------------

test('explainBatch reads its inputs when called — changing a caller typed array afterwards does not change the result', async (t) => {
  const model = await modelOf(UNI, 331)
  let changed = 0
  for (let k = 0; k < 20; k++) {
    const data = Float32Array.from(randomSequence(60 + k, 20, 3).flat())
    const expected = model.explain({ data: data.slice(), steps: 20 })
    const pending = model.explainBatch([{ data, steps: 20 }])
    data.fill(0.5) // the caller reuses its buffer right after the call
    const [result] = await pending
    if (!result.relevance.every((v, i) => Object.is(v, expected.relevance[i]))) changed++
  }
  t.is(changed, 0, `${changed} of 20 results reflect the buffer's later contents`)
  model.dispose()
})

test('explainBatch copies token ids when called — overwriting the caller arrays, and explain() calls taking later regions of the same slab, change no result', async (t) => {
  const model = await modelOf(BIDI_EMBEDDING, 332)
  const inputs = Array.from({ length: 40 }, (_, n) => tokenSequence(3000 + n, lengthAt(n), 17))
  const expected = inputs.map((input) => model.explain({ tokens: input.tokens.slice() }))
  const pending = model.explainBatch(inputs)
  for (const input of inputs) input.tokens.fill(0) // the caller reuses its arrays right after the call
  for (let k = 0; k < 200; k++) model.explain(tokenSequence(4000 + k, 1 + (k % 30), 17))
  const results = await pending
  const changed = results.filter((result, n) => !result.relevance.every((v, i) => Object.is(v, expected[n].relevance[i]))).length
  t.is(changed, 0, `${changed} of ${inputs.length} results reflect later contents`)
  model.dispose()
})
