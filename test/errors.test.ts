// Every validation error of the public API, and the C ABI guards of the native addon that the
// facade normally keeps callers away from. Each error must be an LstmLrpError (facade) or an
// Error (addon) whose message names the problem, and must leave the model usable.
//
import test from 'ava'
import type { ExecutionContext } from 'ava'
import { spawnSync } from 'node:child_process'
import { mkdir, readdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LstmLrpError, backendInfo, type LstmLrpErrorCode, loadModel, saveModel, type ExplainOptions, type Model, type SequenceInput, type Target } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'
import type { KernelExplainOptions } from '../lib/backend/types.js'
import { packExplainOptions } from '../lib/backend/packed-options.js'
import { randomRefModel, randomSequence } from './reference/random.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { KIND_ARCHITECTURES, VALID_INPUTS, type ModelKind } from './helpers/model-kinds.js'
import { expectError, expectRejection } from './helpers/library-errors.js'
import { scratchDirectory } from './helpers/scratch-directory.js'
import { STANDARD_KERNEL_CELL } from './helpers/raw-kernel.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Lets a test hand the API a value its types forbid, as a JavaScript caller could. */
function unchecked<T>(value: unknown): T {
  return value as T
}

// ---------------------------------------------------------------------------------------------
// Models under test
// ---------------------------------------------------------------------------------------------

const modelBytes = (kind: ModelKind, dtype: DType = 'f32'): Uint8Array => refModelFile(randomRefModel(kind === 'vector' ? 11 : kind === 'token' ? 12 : 13, KIND_ARCHITECTURES[kind]), dtype)

async function freshModel(kind: ModelKind): Promise<Model> {
  return loadModel(modelBytes(kind))
}

/** The model still answers correctly-shaped, finite results after an error. */
function assertStillWorks(t: ExecutionContext, model: Model, kind: ModelKind): void {
  const explanation = model.explain(VALID_INPUTS[kind])
  t.true(explanation.relevance.every(Number.isFinite), 'relevance is finite after the error')
  t.true(explanation.scores.every(Number.isFinite), 'scores are finite after the error')
  const prediction = model.predict(VALID_INPUTS[kind])
  t.true(prediction.scores.every(Number.isFinite), 'predict still works after the error')
}

interface SyncCase {
  name: string
  kind: ModelKind
  code: LstmLrpErrorCode
  message: RegExp
  run: (model: Model) => unknown
}

/** One test per case: the right error, then the same model still works. */
function syncCases(group: string, cases: SyncCase[]): void {
  for (const { name, kind, code, message, run } of cases) {
    test(`${group}: ${name} → ${code}`, async (t) => {
      const model = await freshModel(kind)
      expectError(t, code, message, () => run(model))
      assertStillWorks(t, model, kind)
      model.dispose()
    })
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

const explainInput = (input: unknown) => (model: Model) => model.explain(unchecked<SequenceInput>(input))
const predictInput = (input: unknown) => (model: Model) => model.predict(unchecked<SequenceInput>(input))

syncCases('input', [
  { name: 'empty sequence', kind: 'vector', code: 'E_INPUT', message: /input: the sequence is empty/, run: explainInput([]) },
  { name: 'empty sequence (predict)', kind: 'vector', code: 'E_INPUT', message: /the sequence is empty/, run: predictInput([]) },
  {
    name: 'row narrower than inputSize',
    kind: 'vector',
    code: 'E_INPUT',
    message: /step 1: expected a row of 3 numbers, got 2/,
    run: explainInput([
      [1, 2, 3],
      [1, 2],
    ]),
  },
  { name: 'row wider than inputSize', kind: 'vector', code: 'E_INPUT', message: /step 0: expected a row of 3 numbers, got 4/, run: explainInput([[1, 2, 3, 4]]) },
  { name: 'row that is not an array', kind: 'vector', code: 'E_INPUT', message: /step 1: expected a row of 3 numbers, got number/, run: explainInput([[1, 2, 3], 7]) },
  { name: 'NaN value', kind: 'vector', code: 'E_INPUT', message: /step 0, feature 1: NaN is not a finite number/, run: explainInput([[1, NaN, 3]]) },
  {
    name: 'Infinity value',
    kind: 'vector',
    code: 'E_INPUT',
    message: /step 1, feature 2: Infinity is not a finite number/,
    run: explainInput([
      [1, 2, 3],
      [1, 2, Infinity],
    ]),
  },
  { name: '-Infinity value (predict)', kind: 'vector', code: 'E_INPUT', message: /step 0, feature 0: -Infinity is not a finite number/, run: predictInput([[-Infinity, 2, 3]]) },
  { name: 'string value', kind: 'vector', code: 'E_INPUT', message: /step 0, feature 2: .* is not a finite number/, run: explainInput([[1, 2, '3']]) },
  { name: 'null value', kind: 'vector', code: 'E_INPUT', message: /step 0, feature 0: null is not a finite number/, run: explainInput([[null, 2, 3]]) },
  { name: 'input that is null', kind: 'vector', code: 'E_INPUT', message: /expected number\[\]\[\], \{ data, steps \} or \{ tokens \}/, run: explainInput(null) },
  { name: 'input that is a string', kind: 'vector', code: 'E_INPUT', message: /expected number\[\]\[\], \{ data, steps \} or \{ tokens \}/, run: explainInput('a sentence') },
  { name: 'typed array shorter than steps × inputSize', kind: 'vector', code: 'E_INPUT', message: /data has 5 values; expected steps × inputSize = 2 × 3/, run: explainInput({ data: new Float32Array(5), steps: 2 }) },
  { name: 'typed array longer than steps × inputSize', kind: 'vector', code: 'E_INPUT', message: /data has 9 values; expected steps × inputSize = 2 × 3/, run: predictInput({ data: new Float64Array(9), steps: 2 }) },
  { name: 'data that is a plain array', kind: 'vector', code: 'E_INPUT', message: /data must be a Float32Array or Float64Array/, run: explainInput({ data: [1, 2, 3], steps: 1 }) },
  { name: 'data that is an Int32Array', kind: 'vector', code: 'E_INPUT', message: /data must be a Float32Array or Float64Array/, run: explainInput({ data: new Int32Array(3), steps: 1 }) },
  { name: 'steps 0', kind: 'vector', code: 'E_INPUT', message: /steps must be a positive integer, got 0/, run: explainInput({ data: new Float32Array(0), steps: 0 }) },
  { name: 'steps negative', kind: 'vector', code: 'E_INPUT', message: /steps must be a positive integer, got -1/, run: explainInput({ data: new Float32Array(3), steps: -1 }) },
  { name: 'steps fractional', kind: 'vector', code: 'E_INPUT', message: /steps must be a positive integer, got 1.5/, run: explainInput({ data: new Float32Array(3), steps: 1.5 }) },
  { name: 'steps NaN', kind: 'vector', code: 'E_INPUT', message: /steps must be a positive integer, got NaN/, run: explainInput({ data: new Float32Array(3), steps: NaN }) },
  { name: 'steps a string', kind: 'vector', code: 'E_INPUT', message: /steps must be a positive integer, got 1/, run: explainInput({ data: new Float32Array(3), steps: '1' }) },
  { name: 'token id equal to the vocabulary size', kind: 'token', code: 'E_INPUT', message: /step 2: token id 17 is not in the vocabulary \[0, 17\)/, run: explainInput({ tokens: [1, 2, 17] }) },
  { name: 'negative token id', kind: 'token', code: 'E_INPUT', message: /step 0: token id -1 is not in the vocabulary \[0, 17\)/, run: explainInput({ tokens: [-1, 2] }) },
  { name: 'fractional token id', kind: 'token', code: 'E_INPUT', message: /step 1: token id 2.5 is not in the vocabulary/, run: explainInput({ tokens: [1, 2.5] }) },
  { name: 'NaN token id', kind: 'token', code: 'E_INPUT', message: /step 0: token id NaN is not in the vocabulary/, run: predictInput({ tokens: [NaN] }) },
  { name: 'token id given as a string', kind: 'token', code: 'E_INPUT', message: /step 0: token ids must be integers; got the string "3"$/, run: explainInput({ tokens: ['3'] }) },
  { name: 'token id out of range in an Int32Array', kind: 'token', code: 'E_INPUT', message: /step 1: token id 1000 is not in the vocabulary \[0, 17\)/, run: explainInput({ tokens: Int32Array.of(0, 1000) }) },
  { name: 'empty token list', kind: 'token', code: 'E_INPUT', message: /the sequence is empty/, run: explainInput({ tokens: [] }) },
  { name: 'tokens that are not an array', kind: 'token', code: 'E_INPUT', message: /tokens must be an array of token ids/, run: explainInput({ tokens: 5 }) },
  { name: 'tokens on a model without embedding', kind: 'vector', code: 'E_INPUT', message: /token ids need a model with an embedding/, run: explainInput({ tokens: [0, 1] }) },
  { name: 'tokens on a model without embedding (predict)', kind: 'vector', code: 'E_INPUT', message: /token ids need a model with an embedding/, run: predictInput({ tokens: [0] }) },
])

test('input: a NaN inside a typed-array input is rejected with a message naming step and feature', async (t) => {
  const model = await freshModel('vector')
  const data = new Float32Array(6)
  data[5] = NaN
  const error = t.throws(() => model.explain({ data, steps: 2 }))
  t.true(error instanceof LstmLrpError)
  t.regex(error?.message ?? '', /step 1, feature 2/)
  t.regex(error?.message ?? '', /not (a )?finite/)
  assertStillWorks(t, model, 'vector')
  model.dispose()
})

test('a NaN inside a typed-array input gets code E_INPUT like the same NaN in number[][]', async (t) => {
  const model = await freshModel('vector')
  const data = new Float64Array(3)
  data[1] = NaN
  expectError(t, 'E_INPUT', /step 0, feature 1/, () => model.explain({ data, steps: 1 }))
  model.dispose()
})

test('a number too large for float32 in a number[][] input on an f32 model is an E_INPUT naming the value', async (t) => {
  const model = await freshModel('vector')
  expectError(t, 'E_INPUT', /step 0, feature 0.*1e\+40/, () => model.explain([[1e40, 0, 0]]))
  assertStillWorks(t, model, 'vector')
  model.dispose()
})

test('explainBatch: an argument that is not an array → E_INPUT', async (t) => {
  const model = await freshModel('vector')
  for (const value of ['abc', { input: [[1, 2, 3]] }, null, 42]) {
    await expectRejection(t, 'E_INPUT', /explainBatch takes an array of inputs/, () => model.explainBatch(unchecked<SequenceInput[]>(value)))
  }
  assertStillWorks(t, model, 'vector')
  model.dispose()
})

test('explainBatch: token ids mixed with input vectors → E_INPUT', async (t) => {
  const model = await freshModel('token')
  const vectors = randomSequence(3, 2, 5)
  await expectRejection(t, 'E_INPUT', /a batch cannot mix token ids and input vectors/, () => model.explainBatch([{ tokens: [1, 2] }, vectors]))
  await expectRejection(t, 'E_INPUT', /a batch cannot mix token ids and input vectors/, () => model.explainBatch([{ input: vectors }, { input: { tokens: [3] }, target: 1 }]))
  assertStillWorks(t, model, 'token')
  model.dispose()
})

test('explainBatch rejects token ids mixed with input vectors however long the batch', async (t) => {
  const model = await freshModel('token')
  const items: SequenceInput[] = [...Array.from({ length: 256 }, () => ({ tokens: [1, 2] })), randomSequence(3, 2, 5)]
  await expectRejection(t, 'E_INPUT', /a batch cannot mix token ids and input vectors/, () => model.explainBatch(items))
  model.dispose()
})

test('explainBatch: a bad item is named by its index in the whole batch, also beyond the first chunk', async (t) => {
  const model = await freshModel('vector')
  const items: SequenceInput[] = Array.from({ length: 600 }, (_, n) => randomSequence(n, 2, 3))
  items[5] = [[1, 2]]
  await expectRejection(t, 'E_INPUT', /input 5, step 0: expected a row of 3 numbers/, () => model.explainBatch(items))
  items[5] = randomSequence(5, 2, 3)
  items[431] = { tokens: [1] }
  await expectRejection(t, 'E_INPUT', /input 431: token ids need a model with an embedding/, () => model.explainBatch(items))
  assertStillWorks(t, model, 'vector')
  model.dispose()
})

test('explainBatch: every item is validated before any work starts (no progress reported)', async (t) => {
  const model = await freshModel('vector')
  const items: SequenceInput[] = Array.from({ length: 1200 }, (_, n) => randomSequence(n, 5, 3))
  items[1100] = [[1, NaN, 3]]
  const progress: number[] = []
  await expectRejection(t, 'E_INPUT', /input 1100, step 0, feature 1: NaN is not a finite number/, () => model.explainBatch(items, {}, { onProgress: ({ done }) => progress.push(done) }))
  t.deepEqual(progress, [], 'no chunk ran before the bad item was found')
  model.dispose()
})

test('explainBatch names a non-finite typed-array item by its index in the whole batch and rejects before any work', async (t) => {
  const model = await freshModel('vector')
  const items: SequenceInput[] = Array.from({ length: 600 }, (_, n) => ({ data: Float32Array.from(randomSequence(n, 3, 3).flat()), steps: 3 }))
  const bad = items[300] as { data: Float32Array; steps: number }
  bad.data[4] = NaN
  const progress: number[] = []
  await expectRejection(t, 'E_INPUT', /input 300, step 1, feature 1/, () => model.explainBatch(items, {}, { onProgress: ({ done }) => progress.push(done) }))
  t.deepEqual(progress, [], 'no chunk ran before the bad item was found')
  model.dispose()
})

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const withOptions =
  (options: unknown, kind: ModelKind = 'vector') =>
  (model: Model) =>
    model.explain(VALID_INPUTS[kind], unchecked<ExplainOptions>(options))

syncCases('options', [
  { name: 'options that are not an object', kind: 'vector', code: 'E_OPTIONS', message: /options must be an object/, run: withOptions(5) },
  { name: 'options that are null', kind: 'vector', code: 'E_OPTIONS', message: /options must be an object/, run: withOptions(null) },
  { name: 'unknown option key', kind: 'vector', code: 'E_OPTIONS', message: /explain options: unknown option 'epsilon'/, run: withOptions({ epsilon: 0.1 }) },
  {
    name: 'unknown method',
    kind: 'vector',
    code: 'E_OPTIONS',
    message: /method must be one of lrp, gradient, gradient-x-input, occlusion, cd, integrated-gradients, shapley, kernel-shap, lime, smoothgrad; got "deeplift"/,
    run: withOptions({ method: 'deeplift' }),
  },
  { name: 'unknown rule', kind: 'vector', code: 'E_OPTIONS', message: /rule must be one of all, prop, abs, half; got "sum"/, run: withOptions({ rule: 'sum' }) },
  { name: 'unknown rule for one product', kind: 'vector', code: 'E_OPTIONS', message: /rules\.forget must be one of all, prop, abs, half; got "none"/, run: withOptions({ rules: { forget: 'none' } }) },
  { name: 'unknown product in rules', kind: 'vector', code: 'E_OPTIONS', message: /rules: unknown option 'cell'/, run: withOptions({ rules: { cell: 'all' } }) },
  { name: 'rules that are not an object', kind: 'vector', code: 'E_OPTIONS', message: /rules must be an object/, run: withOptions({ rules: 'all' }) },
  { name: 'negative eps', kind: 'vector', code: 'E_OPTIONS', message: /eps must be a finite number >= 0; got -0.1/, run: withOptions({ eps: -0.1 }) },
  { name: 'NaN eps', kind: 'vector', code: 'E_OPTIONS', message: /eps must be a finite number >= 0; got NaN/, run: withOptions({ eps: NaN }) },
  { name: 'infinite eps', kind: 'vector', code: 'E_OPTIONS', message: /eps must be a finite number >= 0; got Infinity/, run: withOptions({ eps: Infinity }) },
  { name: 'eps given as a string', kind: 'vector', code: 'E_OPTIONS', message: /eps must be a finite number >= 0/, run: withOptions({ eps: '0.01' }) },
  { name: 'negative productEps', kind: 'vector', code: 'E_OPTIONS', message: /productEps must be a finite number >= 0; got -1/, run: withOptions({ productEps: -1 }) },
  { name: 'negative productEps of one product', kind: 'vector', code: 'E_OPTIONS', message: /productEps\.output must be a finite number >= 0; got -0.5/, run: withOptions({ productEps: { output: -0.5 } }) },
  { name: 'NaN productEps of one product', kind: 'vector', code: 'E_OPTIONS', message: /productEps\.input must be a finite number >= 0; got NaN/, run: withOptions({ productEps: { input: NaN } }) },
  { name: 'unknown product in productEps', kind: 'vector', code: 'E_OPTIONS', message: /productEps: unknown option 'gate'/, run: withOptions({ productEps: { gate: 0.1 } }) },
  { name: 'biasFactor above 1', kind: 'vector', code: 'E_OPTIONS', message: /biasFactor must be a number in \[0, 1\]; got 1.5/, run: withOptions({ biasFactor: 1.5 }) },
  { name: 'biasFactor below 0', kind: 'vector', code: 'E_OPTIONS', message: /biasFactor must be a number in \[0, 1\]; got -0.1/, run: withOptions({ biasFactor: -0.1 }) },
  { name: 'biasFactor NaN', kind: 'vector', code: 'E_OPTIONS', message: /biasFactor must be a number in \[0, 1\]; got NaN/, run: withOptions({ biasFactor: NaN }) },
  { name: 'unknown init', kind: 'vector', code: 'E_OPTIONS', message: /init must be one of logit, one; got "zero"/, run: withOptions({ init: 'zero' }) },
  { name: 'unknown occlusion score', kind: 'vector', code: 'E_OPTIONS', message: /occlusion\.score must be one of logit, prob; got "softmax"/, run: withOptions({ method: 'occlusion', occlusion: { score: 'softmax' } }) },
  { name: 'unknown occlusion key', kind: 'vector', code: 'E_OPTIONS', message: /occlusion: unknown option 'window'/, run: withOptions({ method: 'occlusion', occlusion: { window: 2 } }) },
  {
    name: 'unknown occlusion replacement name',
    kind: 'vector',
    code: 'E_OPTIONS',
    message: /occlusion\.replacement must be 'zero', 'delete' or a vector of 3 numbers/,
    run: withOptions({ method: 'occlusion', occlusion: { replacement: 'mean' } }),
  },
  {
    name: 'occlusion replacement vector of the wrong length',
    kind: 'vector',
    code: 'E_OPTIONS',
    message: /occlusion\.replacement has 2 values; expected inputSize = 3/,
    run: withOptions({ method: 'occlusion', occlusion: { replacement: [0, 0] } }),
  },
  {
    name: 'occlusion replacement vector with NaN',
    kind: 'vector',
    code: 'E_OPTIONS',
    message: /occlusion\.replacement must contain finite numbers/,
    run: withOptions({ method: 'occlusion', occlusion: { replacement: [0, NaN, 0] } }),
  },
  {
    name: 'occlusion replacement vector with Infinity',
    kind: 'vector',
    code: 'E_OPTIONS',
    message: /occlusion\.replacement must contain finite numbers/,
    run: withOptions({ method: 'occlusion', occlusion: { replacement: Float64Array.of(0, 0, Infinity) } }),
  },
  {
    name: 'occlusion by deletion on a one-step sequence',
    kind: 'vector',
    code: 'E_KERNEL',
    message: /one step; occlusion by deletion needs at least two/,
    run: (model) => model.explain([[1, 2, 3]], { method: 'occlusion', occlusion: { replacement: 'delete' } }),
  },
  {
    name: "occlusion by deletion on a readout 'each' model",
    kind: 'each',
    code: 'E_KERNEL',
    message: /occlusion by deletion needs readout 'last'/,
    run: withOptions({ method: 'occlusion', occlusion: { replacement: 'delete' } }, 'each'),
  },
])

test('options: an initial relevance vector of the wrong length or with NaN is rejected, naming init', async (t) => {
  const model = await freshModel('vector')
  for (const init of [
    [1, 2],
    [1, 2, 3, 4],
    [1, NaN, 3],
    [
      [1, 2, 3],
      [1, 2, 3],
    ],
  ]) {
    const error = t.throws(() => model.explain(VALID_INPUTS.vector, { init }))
    t.true(error instanceof LstmLrpError, `init ${JSON.stringify(init)}`)
    t.regex(error?.message ?? '', /init/)
  }
  const each = await freshModel('each')
  const error = t.throws(() =>
    each.explain(VALID_INPUTS.each, {
      init: [
        [1, 0],
        [0, 1],
      ],
    }),
  )
  t.regex(error?.message ?? '', /init must hold 3 × 2 numbers/)
  assertStillWorks(t, model, 'vector')
  assertStillWorks(t, each, 'each')
  model.dispose()
  each.dispose()
})

test('an initial relevance vector of the wrong length is an option error E_OPTIONS', async (t) => {
  const model = await freshModel('vector')
  expectError(t, 'E_OPTIONS', /init must hold 1 × 3 numbers/, () => model.explain(VALID_INPUTS.vector, { init: [1, 2] }))
  model.dispose()
})

test('options: explainBatch rejects bad options before any work', async (t) => {
  const model = await freshModel('vector')
  const progress: number[] = []
  await expectRejection(t, 'E_OPTIONS', /biasFactor must be a number in \[0, 1\]/, () => model.explainBatch([VALID_INPUTS.vector], { biasFactor: 2 }, { onProgress: ({ done }) => progress.push(done) }))
  await expectRejection(t, 'E_OPTIONS', /unknown option 'targets'/, () => model.explainBatch([VALID_INPUTS.vector], unchecked<ExplainOptions>({ targets: [0] })))
  t.deepEqual(progress, [])
  assertStillWorks(t, model, 'vector')
  model.dispose()
})

test('options: occlusion by deletion in explainBatch with a one-step item → E_KERNEL', async (t) => {
  const model = await freshModel('vector')
  await expectRejection(t, 'E_KERNEL', /has one step; occlusion by deletion needs at least two/, () =>
    model.explainBatch([VALID_INPUTS.vector, [[1, 2, 3]]], { method: 'occlusion', occlusion: { replacement: 'delete' } }),
  )
  assertStillWorks(t, model, 'vector')
  model.dispose()
})

test('options: loadModel with an unknown dtype → E_OPTIONS', async (t) => {
  await expectRejection(t, 'E_OPTIONS', /dtype must be 'f32' or 'f64'; got "f16"/, () => loadModel(modelBytes('vector'), unchecked<{ dtype: DType }>({ dtype: 'f16' })))
})

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

const withTarget =
  (target: unknown, kind: ModelKind = 'vector') =>
  (model: Model) =>
    model.explain(VALID_INPUTS[kind], { target: unchecked<Target>(target) })

syncCases('target', [
  { name: 'class index equal to the number of outputs', kind: 'vector', code: 'E_TARGET', message: /target must be an integer class index in \[0, 3\); got 3/, run: withTarget(3) },
  { name: 'negative class index', kind: 'vector', code: 'E_TARGET', message: /target must be an integer class index in \[0, 3\); got -1/, run: withTarget(-1) },
  { name: 'fractional class index', kind: 'vector', code: 'E_TARGET', message: /target must be an integer class index in \[0, 3\); got 0.5/, run: withTarget(0.5) },
  { name: 'NaN class index', kind: 'vector', code: 'E_TARGET', message: /target must be an integer class index/, run: withTarget(NaN) },
  {
    name: 'class index given as a string (a label name) on a model without labels',
    kind: 'vector',
    code: 'E_TARGET',
    message: /target '1' is a label name, but the model has no labels: give a class index in \[0, 3\)/,
    run: withTarget('1'),
  },
  { name: 'class out of range on the gradient method', kind: 'vector', code: 'E_TARGET', message: /got 7/, run: (model) => model.explain(VALID_INPUTS.vector, { method: 'gradient', target: 7 }) },
  { name: 'class out of range on the occlusion method', kind: 'vector', code: 'E_TARGET', message: /got 7/, run: (model) => model.explain(VALID_INPUTS.vector, { method: 'occlusion', target: 7 }) },
  { name: "[step, class] on a readout 'last' model", kind: 'vector', code: 'E_TARGET', message: /a \[step, class\] target needs a model with readout 'each'/, run: withTarget([0, 1]) },
  { name: '[step, class] with the step equal to the length', kind: 'each', code: 'E_TARGET', message: /target step must be an integer in \[0, 3\); got 3/, run: withTarget([3, 0], 'each') },
  { name: '[step, class] with a negative step', kind: 'each', code: 'E_TARGET', message: /target step must be an integer in \[0, 3\); got -1/, run: withTarget([-1, 0], 'each') },
  { name: '[step, class] with a fractional step', kind: 'each', code: 'E_TARGET', message: /target step must be an integer in \[0, 3\); got 1.5/, run: withTarget([1.5, 0], 'each') },
  { name: '[step, class] with the class out of range', kind: 'each', code: 'E_TARGET', message: /target class must be an integer class index in \[0, 2\); got 2/, run: withTarget([0, 2], 'each') },
  { name: '[step, class] with one entry', kind: 'each', code: 'E_TARGET', message: /a \[step, class\] target has two entries/, run: withTarget([0], 'each') },
  { name: 'class index out of range on a readout each model', kind: 'each', code: 'E_TARGET', message: /target must be an integer class index in \[0, 2\); got 2/, run: withTarget(2, 'each') },
  { name: 'weights shorter than the outputs', kind: 'vector', code: 'E_TARGET', message: /target\.weights must hold 1 × 3 numbers/, run: withTarget({ weights: [1, 0] }) },
  { name: 'weights longer than the outputs', kind: 'vector', code: 'E_TARGET', message: /target\.weights must hold 1 × 3 numbers/, run: withTarget({ weights: [1, 0, 0, 0] }) },
  { name: 'weights with NaN', kind: 'vector', code: 'E_TARGET', message: /target\.weights must contain finite numbers/, run: withTarget({ weights: [1, NaN, 0] }) },
  { name: 'weights with a string', kind: 'vector', code: 'E_TARGET', message: /target\.weights must contain finite numbers/, run: withTarget({ weights: [1, '0', 0] }) },
  { name: 'weights that are not an array', kind: 'vector', code: 'E_TARGET', message: /target\.weights must hold 1 × 3 numbers/, run: withTarget({ weights: 'all' }) },
  { name: 'weights of one row on a readout each model (needs T rows)', kind: 'each', code: 'E_TARGET', message: /target\.weights must hold 3 × 2 numbers/, run: withTarget({ weights: [1, 0] }, 'each') },
  { name: 'weights of T rows with a short row', kind: 'each', code: 'E_TARGET', message: /target\.weights must hold 3 × 2 numbers/, run: withTarget({ weights: [[1, 0], [0, 1], [1]] }, 'each') },
  { name: 'an object without weights', kind: 'vector', code: 'E_TARGET', message: /target must be a class index, a label name, a \[step, class\] pair or \{ weights \}/, run: withTarget({ class: 1 }) },
])

test('target: a bad per-item target in explainBatch is rejected before any work', async (t) => {
  const model = await freshModel('vector')
  const progress: number[] = []
  await expectRejection(t, 'E_TARGET', /got 9/, () =>
    model.explainBatch([VALID_INPUTS.vector, { input: VALID_INPUTS.vector, target: 1 }, { input: VALID_INPUTS.vector, target: 9 }], {}, { onProgress: ({ done }) => progress.push(done) }),
  )
  await expectRejection(t, 'E_TARGET', /got 4/, () => model.explainBatch([VALID_INPUTS.vector], { target: 4 }))
  t.deepEqual(progress, [])
  assertStillWorks(t, model, 'vector')
  model.dispose()
})

test('a bad per-item target in explainBatch is named by the item index', async (t) => {
  const model = await freshModel('vector')
  await expectRejection(t, 'E_TARGET', /input 2\b.*got 9|got 9.*input 2\b/, () => model.explainBatch([VALID_INPUTS.vector, { input: VALID_INPUTS.vector, target: 1 }, { input: VALID_INPUTS.vector, target: 9 }]))
  model.dispose()
})

// ---------------------------------------------------------------------------------------------
// Disposed models
// ---------------------------------------------------------------------------------------------

test('dispose: every call after dispose() throws E_DISPOSED; dispose() twice is harmless', async (t) => {
  const model = await freshModel('vector')
  model.dispose()
  t.notThrows(() => model.dispose())
  expectError(t, 'E_DISPOSED', /the model has been disposed/, () => model.explain(VALID_INPUTS.vector))
  expectError(t, 'E_DISPOSED', /the model has been disposed/, () => model.explain(VALID_INPUTS.vector, { method: 'gradient', target: 1 }))
  expectError(t, 'E_DISPOSED', /the model has been disposed/, () => model.predict(VALID_INPUTS.vector))
  await expectRejection(t, 'E_DISPOSED', /the model has been disposed/, () => model.explainBatch([VALID_INPUTS.vector]))
  await expectRejection(t, 'E_DISPOSED', /the model has been disposed/, () => model.explainBatch([]))
})

test('dispose: disposing one model leaves another model of the same bytes working', async (t) => {
  const first = await freshModel('token')
  const second = await freshModel('token')
  first.dispose()
  expectError(t, 'E_DISPOSED', /disposed/, () => first.predict(VALID_INPUTS.token))
  assertStillWorks(t, second, 'token')
  second.dispose()
})

// ---------------------------------------------------------------------------------------------
// loadModel, saveModel and backends
// ---------------------------------------------------------------------------------------------

test('loadModel: a missing path → E_MODEL_FILE naming the path', async (t) => {
  const missing = path.join(tmpdir(), 'lstm-lrp-does-not-exist', 'model.safetensors')
  await expectRejection(t, 'E_MODEL_FILE', /cannot read model file .*lstm-lrp-does-not-exist[\\/]model\.safetensors/, () => loadModel(missing))
})

test('loadModel: a directory path → E_MODEL_FILE', async (t) => {
  await expectRejection(t, 'E_MODEL_FILE', /cannot read model file/, () => loadModel(root))
})

test('loadModel: garbage bytes → E_MODEL_FILE', async (t) => {
  const garbage = [new Uint8Array(0), Uint8Array.of(1, 2, 3), new Uint8Array(64).fill(0xff), new TextEncoder().encode('this is not a safetensors file at all, just some text')]
  for (const bytes of garbage) {
    await expectRejection(t, 'E_MODEL_FILE', /safetensors|model file|header|length/i, () => loadModel(bytes))
    await expectRejection(t, 'E_MODEL_FILE', /safetensors|model file|header|length/i, () => loadModel(bytes.slice().buffer))
  }
})

test('loadModel: a truncated model file → E_MODEL_FILE', async (t) => {
  const bytes = modelBytes('token')
  await expectRejection(t, 'E_MODEL_FILE', /.+/, () => loadModel(bytes.subarray(0, bytes.length - 5)))
})

test('loadModel: an argument that is not a path, Uint8Array or ArrayBuffer → E_MODEL_FILE', async (t) => {
  for (const value of [42, null, undefined, {}, [1, 2, 3], new Float32Array(4)]) {
    await expectRejection(t, 'E_MODEL_FILE', /loadModel takes a file path, a Uint8Array or an ArrayBuffer/, () => loadModel(unchecked<string>(value)))
  }
})

test('loadModel: an unknown backend option → E_BACKEND naming it', async (t) => {
  await expectRejection(t, 'E_BACKEND', /unknown backend 'gpu'; expected auto, native or wasm/, () => loadModel(modelBytes('vector'), unchecked<{ backend: 'auto' }>({ backend: 'gpu' })))
})

test('backendInfo: an unknown backend choice → E_BACKEND', (t) => {
  expectError(t, 'E_BACKEND', /unknown backend 'cuda'/, () => backendInfo(unchecked<'auto'>('cuda')))
})

test.serial('LSTM_LRP_BACKEND: an unknown value → E_BACKEND naming it; an explicit option still wins', async (t) => {
  const saved = process.env.LSTM_LRP_BACKEND
  process.env.LSTM_LRP_BACKEND = 'quantum'
  try {
    expectError(t, 'E_BACKEND', /unknown backend 'quantum'/, () => backendInfo())
    await expectRejection(t, 'E_BACKEND', /unknown backend 'quantum'/, () => loadModel(modelBytes('vector')))
    const model = await loadModel(modelBytes('vector'), { backend: 'native' })
    assertStillWorks(t, model, 'vector')
    model.dispose()
  } finally {
    if (saved === undefined) delete process.env.LSTM_LRP_BACKEND
    else process.env.LSTM_LRP_BACKEND = saved
  }
})

test('saveModel into a missing directory rejects with an LstmLrpError E_MODEL_FILE naming the path', async (t) => {
  const directory = await scratchDirectory(t, 'lstm-lrp-errors-')
  const model = await freshModel('vector')
  const target = path.join(directory, 'missing', 'model.safetensors')
  await expectRejection(t, 'E_MODEL_FILE', /missing[\\/]model\.safetensors/, () => saveModel(model, target))
  model.dispose()
})

test('saveModel onto a path that is a directory rejects with E_MODEL_FILE and leaves no temporary file', async (t) => {
  const directory = await scratchDirectory(t, 'lstm-lrp-errors-')
  const model = await freshModel('vector')
  const target = path.join(directory, 'occupied')
  await mkdir(target)
  await expectRejection(t, 'E_MODEL_FILE', /occupied/, () => saveModel(model, target))
  t.deepEqual(await readdir(directory), ['occupied'], 'no temporary file is left behind')
  model.dispose()
})

// ---------------------------------------------------------------------------------------------
// The native addon's C ABI guards, called directly
// ---------------------------------------------------------------------------------------------

interface RawNativeModel {
  predict(batch: unknown, scores: unknown, probabilities: unknown): void
  explain(batch: unknown, options: unknown, targetWeights: unknown, outputs: unknown): void
  explainAsync(batch: unknown, options: unknown, targetWeights: unknown, outputs: unknown): Promise<void>
  dispose(): void
}

/** The addon's own explain takes its arrays positionally: the batch's, the options packed and their two vectors, the target weights, the outputs. */
type AddonExplainArguments = unknown[]

interface RawAddon {
  NativeModel: new (desc?: unknown) => Omit<RawNativeModel, 'explain' | 'explainAsync'> & {
    explain(...args: AddonExplainArguments): void
    explainAsync(...args: AddonExplainArguments): Promise<void>
  }
  info(): { simd: string; threads: number }
}

const addon = (createRequire(import.meta.url)('node-gyp-build') as (root: string) => RawAddon)(root)

/** The addon's model with explain taking a batch, an options object and outputs, laid out here as the backend lays them out. */
function nativeModel(desc?: unknown): RawNativeModel {
  const model = new addon.NativeModel(desc)
  const addonArguments = (batch: unknown, options: unknown, targetWeights: unknown, outputs: unknown): AddonExplainArguments => {
    const { lengths, inputs, tokens } = batch as Record<string, unknown>
    const { scores, relevance, perStep, conservation, targets } = outputs as Record<string, unknown>
    const fields = options as KernelExplainOptions
    const packed = typeof options !== 'object' || options === null ? [options, undefined, undefined] : [packExplainOptions(fields), fields.occlusionVector, fields.igBaseline]
    return [lengths, inputs, tokens, ...packed, targetWeights, scores, relevance, perStep, conservation, targets]
  }
  return {
    predict: (...args) => model.predict(...args),
    explain: (...args) => model.explain(...addonArguments(...args)),
    explainAsync: (...args) => model.explainAsync(...addonArguments(...args)),
    dispose: () => model.dispose(),
  }
}

// A one-layer model: I = 2, H = 3, C = 2 (f64 unless told), and one with an embedding of 5 tokens.
const I = 2
const H = 3
const C = 2
const VOCAB = 5

type Floats = Float32Array | Float64Array

function floats(dtype: DType, length: number, seed: number): Floats {
  const values = Array.from({ length }, (_, k) => Math.sin(seed * 31 + k) * 0.5)
  return dtype === 'f32' ? Float32Array.from(values) : Float64Array.from(values)
}

function rawCell(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...STANDARD_KERNEL_CELL, ...overrides }
}

function rawLayer(dtype: DType, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hiddenSize: H,
    bidirectional: false,
    cell: rawCell(),
    W: [floats(dtype, 4 * H * I, 1), null],
    U: [floats(dtype, 4 * H * H, 2), null],
    b: [floats(dtype, 4 * H, 3), null],
    bHn: [null, null],
    ...overrides,
  }
}

function rawDesc(dtype: DType = 'f64', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dtype: dtype === 'f32' ? 0 : 1,
    inputSize: I,
    vocabSize: 0,
    embedding: null,
    layers: [rawLayer(dtype)],
    outputs: C,
    headWeight: floats(dtype, C * H, 4),
    headBias: floats(dtype, C, 5),
    readout: 0,
    inputProjectionTable: 0,
    ...overrides,
  }
}

function embeddingDesc(dtype: DType = 'f64', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return rawDesc(dtype, { vocabSize: VOCAB, embedding: floats(dtype, VOCAB * I, 6), ...overrides })
}

/** lengths [2, 1]: three steps, two sequences, two score rows of C. */
function rawBatch(dtype: DType = 'f64', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { lengths: Int32Array.of(2, 1), inputs: floats(dtype, 3 * I, 7), tokens: null, ...overrides }
}

function rawOptions(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    method: 0,
    eps: 0.001,
    biasFactor: 0,
    productRule: [0, 0, 0, 0, 0],
    productEps: [0.001, 0.001, 0.001, 0.001, 0.001],
    init: 0,
    occlusionScore: 0,
    occlusionReplacement: 0,
    occlusionVector: null,
    cdConvention: 0,
    cdPhraseStart: 0,
    cdPhraseStop: 0,
    igSteps: 64,
    igRule: 0,
    igBaseline: null,
    samples: 1,
    seed: 0,
    shapleyExact: 0,
    limeKernelWidth: 0.25,
    limeRidge: 1,
    smoothgradNoise: 0.1,
    smoothgradBase: 1,
    ...overrides,
  }
}

function rawOutputs(dtype: DType = 'f64', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const array = (length: number) => (dtype === 'f32' ? new Float32Array(length) : new Float64Array(length))
  return {
    scores: array(2 * C),
    relevance: array(3 * I),
    perStep: array(3),
    conservation: new Float64Array(2 * 4),
    targets: new Int32Array(2),
    ...overrides,
  }
}

/** Runs a call that must fail: a synchronous throw or a rejected promise, either way an Error. */
async function nativeFailure(run: () => unknown): Promise<Error | null> {
  try {
    await run()
  } catch (error) {
    return error instanceof Error ? error : new Error(`non-Error thrown: ${String(error)}`)
  }
  return null
}

async function expectNativeError(t: ExecutionContext, message: RegExp, run: () => unknown, what: string): Promise<void> {
  const error = await nativeFailure(run)
  t.not(error, null, `${what}: expected an error`)
  if (error !== null) t.regex(error.message, message, what)
}

function assertRawModelWorks(t: ExecutionContext, model: RawNativeModel, dtype: DType = 'f64'): void {
  const scores = dtype === 'f32' ? new Float32Array(2 * C) : new Float64Array(2 * C)
  const probabilities = new Float64Array(2 * C)
  model.predict(rawBatch(dtype), scores, probabilities)
  t.true(scores.every(Number.isFinite), 'the model still predicts')
  const outputs = rawOutputs(dtype)
  model.explain(rawBatch(dtype), rawOptions(), null, outputs)
  t.true((outputs.relevance as Floats).every(Number.isFinite), 'the model still explains')
}

test('addon: valid descriptions, batches and outputs work (baseline for the guards below)', async (t) => {
  t.is(typeof addon.info().simd, 'string')
  for (const dtype of ['f32', 'f64'] as const) {
    const model = nativeModel(rawDesc(dtype))
    assertRawModelWorks(t, model, dtype)
    const outputs = rawOutputs(dtype)
    await model.explainAsync(rawBatch(dtype), rawOptions(), null, outputs)
    t.true((outputs.scores as Floats).every(Number.isFinite))
    const tokenModel = nativeModel(embeddingDesc(dtype))
    const scores = dtype === 'f32' ? new Float32Array(2 * C) : new Float64Array(2 * C)
    tokenModel.predict({ lengths: Int32Array.of(2, 1), inputs: null, tokens: Int32Array.of(0, 4, 2) }, scores, null)
    t.true(scores.every(Number.isFinite))
    model.dispose()
    tokenModel.dispose()
  }
})

interface DescCase {
  name: string
  desc: () => unknown
  message: RegExp
}

const withLayer =
  (overrides: Record<string, unknown>, dtype: DType = 'f64') =>
  () =>
    rawDesc(dtype, { layers: [rawLayer(dtype, overrides)] })
const withCell = (overrides: Record<string, unknown>) => withLayer({ cell: rawCell(overrides) })
const withNaNAt = (values: Floats, index: number, value: number): Floats => {
  const copy = values.slice()
  copy[index] = value
  return copy
}

const DESC_CASES: DescCase[] = [
  { name: 'W as Float32Array in an f64 model', desc: withLayer({ W: [floats('f32', 4 * H * I, 1), null] }), message: /W must be a Float64Array/ },
  { name: 'U as Float64Array in an f32 model', desc: withLayer({ U: [floats('f64', 4 * H * H, 2), null] }, 'f32'), message: /U must be a Float32Array/ },
  { name: 'b as a plain array', desc: withLayer({ b: [Array.from({ length: 4 * H }, () => 0), null] }), message: /b must be a Float64Array/ },
  { name: 'headWeight as Int32Array', desc: () => rawDesc('f64', { headWeight: new Int32Array(C * H) }), message: /headWeight must be a Float64Array/ },
  { name: 'embedding as Float32Array in an f64 model', desc: () => rawDesc('f64', { vocabSize: VOCAB, embedding: floats('f32', VOCAB * I, 6) }), message: /embedding must be a Float64Array/ },
  { name: 'W one element short', desc: withLayer({ W: [floats('f64', 4 * H * I - 1, 1), null] }), message: /tensor layers\.0\.fwd\.W has 23 elements; expected 24/ },
  { name: 'U one element long', desc: withLayer({ U: [floats('f64', 4 * H * H + 1, 2), null] }), message: /tensor layers\.0\.fwd\.U has 37 elements; expected 36/ },
  { name: 'b of H instead of 4H', desc: withLayer({ b: [floats('f64', H, 3), null] }), message: /tensor layers\.0\.fwd\.b has 3 elements; expected 12/ },
  { name: 'bidirectional without backward weights', desc: withLayer({ bidirectional: true }), message: /tensor layers\.0\.bwd\.W is missing/ },
  { name: 'headWeight of the wrong length', desc: () => rawDesc('f64', { headWeight: floats('f64', C * H + 2, 4) }), message: /tensor head\.weight has 8 elements; expected 6/ },
  { name: 'headBias of the wrong length', desc: () => rawDesc('f64', { headBias: floats('f64', 1, 5) }), message: /tensor head\.bias has 1 elements; expected 2/ },
  { name: 'embedding of the wrong length', desc: () => rawDesc('f64', { vocabSize: VOCAB, embedding: floats('f64', VOCAB * I - 1, 6) }), message: /tensor embedding\.weight has 9 elements; expected 10/ },
  { name: 'head weight missing', desc: () => rawDesc('f64', { headWeight: null }), message: /tensor head\.weight is missing/ },
  { name: 'embedding missing with a vocabulary', desc: () => rawDesc('f64', { vocabSize: VOCAB }), message: /tensor embedding\.weight is missing/ },
  { name: 'NaN in W', desc: withLayer({ W: [withNaNAt(floats('f64', 4 * H * I, 1), 5, NaN), null] }), message: /tensor layers\.0\.fwd\.W has a non-finite value at flat index 5/ },
  { name: 'Infinity in U (f32)', desc: withLayer({ U: [withNaNAt(floats('f32', 4 * H * H, 2), 0, Infinity), null] }, 'f32'), message: /tensor layers\.0\.fwd\.U has a non-finite value at flat index 0/ },
  { name: '-Infinity in b', desc: withLayer({ b: [withNaNAt(floats('f64', 4 * H, 3), 11, -Infinity), null] }), message: /tensor layers\.0\.fwd\.b has a non-finite value at flat index 11/ },
  { name: 'NaN in the head weight', desc: () => rawDesc('f64', { headWeight: withNaNAt(floats('f64', C * H, 4), 2, NaN) }), message: /tensor head\.weight has a non-finite value at flat index 2/ },
  { name: 'NaN in the embedding', desc: () => rawDesc('f64', { vocabSize: VOCAB, embedding: withNaNAt(floats('f64', VOCAB * I, 6), 9, NaN) }), message: /tensor embedding\.weight has a non-finite value at flat index 9/ },
  { name: 'hiddenSize 0', desc: withLayer({ hiddenSize: 0 }), message: /layers\.0\.hidden_size must be an integer in \[1, 65536\], got 0/ },
  { name: 'hiddenSize negative', desc: withLayer({ hiddenSize: -3 }), message: /layers\.0\.hidden_size must be an integer in \[1, 65536\], got -3/ },
  { name: 'hiddenSize above the limit', desc: withLayer({ hiddenSize: 65537 }), message: /layers\.0\.hidden_size must be an integer in \[1, 65536\], got 65537/ },
  { name: 'inputSize 0', desc: () => rawDesc('f64', { inputSize: 0 }), message: /input_size must be an integer in \[1, 65536\], got 0/ },
  { name: 'outputs 0', desc: () => rawDesc('f64', { outputs: 0 }), message: /outputs must be an integer in \[1, 65536\], got 0/ },
  { name: 'vocabSize negative', desc: () => rawDesc('f64', { vocabSize: -1 }), message: /vocab_size must be an integer in \[1, 50000000\], got -1/ },
  { name: 'no layers', desc: () => rawDesc('f64', { layers: [] }), message: /num_layers must be in \[1, 64\], got 0/ },
  { name: '65 layers', desc: () => rawDesc('f64', { layers: Array.from({ length: 65 }, () => rawLayer('f64')) }), message: /layers has 65 entries; at most 64 are allowed/ },
  { name: 'unknown g activation', desc: withCell({ g: 7 }), message: /layers\.0\.cell: unknown g activation 7/ },
  { name: 'negative g activation code', desc: withCell({ g: -1 }), message: /layers\.0\.cell: unknown g activation -1/ },
  { name: 'unknown h activation', desc: withCell({ h: 2 }), message: /layers\.0\.cell: unknown h activation 2/ },
  { name: 'gScale 0', desc: withCell({ gScale: 0 }), message: /layers\.0\.cell: gScale must be in \(0, 1000\]/ },
  { name: 'hScale NaN', desc: withCell({ hScale: NaN }), message: /layers\.0\.cell: hScale must be in \(0, 1000\]/ },
  { name: 'gScale 1e308', desc: withCell({ gScale: 1e308 }), message: /layers\.0\.cell: gScale must be in \(0, 1000\]/ },
  { name: 'hScale 1000.5', desc: withCell({ hScale: 1000.5 }), message: /layers\.0\.cell: hScale must be in \(0, 1000\]/ },
  { name: 'unknown cell type', desc: withCell({ type: 2 }), message: /layers\.0\.cell: unknown cell type 2/ },
  { name: 'b_hn given to an LSTM layer', desc: withLayer({ bHn: [floats('f64', H, 3), null] }), message: /tensor layers\.0\.fwd\.b_hn is given but the layer is not a GRU with reset after/ },
  {
    name: 'a GRU layer of LSTM shapes',
    desc: withLayer({ cell: rawCell({ type: 1, resetAfter: true }), bHn: [floats('f64', H, 3), null] }),
    message: /tensor layers\.0\.fwd\.W has 24 elements; expected 18/,
  },
  {
    name: 'a GRU layer (reset after) without b_hn',
    desc: withLayer({ cell: rawCell({ type: 1, resetAfter: true }), W: [floats('f64', 3 * H * I, 1), null], U: [floats('f64', 3 * H * H, 2), null], b: [floats('f64', 3 * H, 3), null] }),
    message: /tensor layers\.0\.fwd\.b_hn is missing/,
  },
  { name: 'unknown dtype', desc: () => rawDesc('f64', { dtype: 2 }), message: /unknown dtype 2/ },
  { name: 'unknown readout', desc: () => rawDesc('f64', { readout: 2 }), message: /unknown readout 2/ },
  { name: 'unknown input projection table setting', desc: () => embeddingDesc('f64', { inputProjectionTable: 2 }), message: /unknown input_projection_table 2/ },
  { name: 'no description at all', desc: () => undefined, message: /.+/ },
  { name: 'layers that are not an array', desc: () => rawDesc('f64', { layers: 'one' }), message: /.+/ },
  { name: 'a layer without a cell', desc: withLayer({ cell: undefined }), message: /.+/ },
  { name: 'hiddenSize given as a string', desc: withLayer({ hiddenSize: 'three' }), message: /number/i },
]

test('addon: NativeModel rejects every bad description with an Error naming the problem', async (t) => {
  for (const { name, desc, message } of DESC_CASES) await expectNativeError(t, message, () => new addon.NativeModel(desc()), name)
  // A second layer's problems are named with its index.
  const secondLayerBad = rawDesc('f64', { layers: [rawLayer('f64'), rawLayer('f64', { hiddenSize: 2 })] })
  await expectNativeError(t, /tensor layers\.1\.fwd\.U has 36 elements; expected 16/, () => new addon.NativeModel(secondLayerBad), 'second layer U')
  // Nothing was left half-built: a good description still works afterwards.
  assertRawModelWorks(t, nativeModel(rawDesc()))
})

test('addon NativeModel rejects a non-integer or out-of-int32 hiddenSize', async (t) => {
  for (const hiddenSize of [3.5, 2 ** 32 + 3]) {
    const error = await nativeFailure(() => new addon.NativeModel(withLayer({ hiddenSize })()))
    t.not(error, null, `hiddenSize ${hiddenSize} was accepted`)
    if (error !== null) t.regex(error.message, /hidden/i)
  }
})

test('addon NativeModel with a huge sparse layers array throws instead of aborting the process', (t) => {
  // In a child process: were it to abort (as it once did), the test runner would survive and report it.
  const gypBuild = createRequire(import.meta.url).resolve('node-gyp-build')
  const script = `
    const addon = require(${JSON.stringify(gypBuild)})(${JSON.stringify(root)})
    try {
      new addon.NativeModel({ dtype: 1, inputSize: 2, vocabSize: 0, embedding: null, layers: new Array(2 ** 32 - 1),
        outputs: 2, headWeight: null, headBias: null, readout: 0 })
      console.log('accepted')
    } catch (error) {
      console.log('threw: ' + error.message)
    }`
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 })
  t.is(child.signal, null, `the process died: ${child.stderr}`)
  t.is(child.status, 0, child.stderr)
  t.regex(child.stdout, /^threw: .*layers/m)
})

interface CallCase {
  name: string
  message: RegExp
  /** predict and explain (sync and async) get this batch; default a valid one. */
  batch?: () => Record<string, unknown>
  /** Model to call; default the vector model. */
  tokens?: boolean
  dtype?: DType
}

const BATCH_CASES: CallCase[] = [
  { name: 'a length of 0', batch: () => rawBatch('f64', { lengths: Int32Array.of(2, 0), inputs: floats('f64', 2 * I, 7) }), message: /sequence 1 has length 0; lengths must be >= 1/ },
  { name: 'a negative length', batch: () => rawBatch('f64', { lengths: Int32Array.of(-2, 5) }), message: /sequence 0 has length -2; lengths must be >= 1/ },
  { name: 'inputs shorter than sum(lengths) × inputSize', batch: () => rawBatch('f64', { inputs: floats('f64', 3 * I - 1, 7) }), message: /inputs has 5 elements; expected 6/ },
  { name: 'inputs longer than sum(lengths) × inputSize', batch: () => rawBatch('f64', { inputs: floats('f64', 3 * I + 2, 7) }), message: /inputs has 8 elements; expected 6/ },
  { name: 'neither inputs nor tokens', batch: () => rawBatch('f64', { inputs: null }), message: /a batch needs exactly one of inputs and tokens/ },
  { name: 'both inputs and tokens', batch: () => rawBatch('f64', { tokens: Int32Array.of(0, 1, 2) }), tokens: true, message: /a batch needs exactly one of inputs and tokens/ },
  { name: 'tokens on a model without embedding', batch: () => rawBatch('f64', { inputs: null, tokens: Int32Array.of(0, 1, 2) }), message: /token ids need a model with an embedding/ },
  {
    name: 'a token id equal to the vocabulary size',
    batch: () => rawBatch('f64', { inputs: null, tokens: Int32Array.of(0, 5, 2) }),
    tokens: true,
    message: /sequence 0, step 1: token id 5 is outside the vocabulary \[0, 5\)/,
  },
  { name: 'a negative token id', batch: () => rawBatch('f64', { inputs: null, tokens: Int32Array.of(0, 1, -7) }), tokens: true, message: /sequence 1, step 0: token id -7 is outside the vocabulary \[0, 5\)/ },
  { name: 'tokens shorter than sum(lengths)', batch: () => rawBatch('f64', { inputs: null, tokens: Int32Array.of(0, 1) }), tokens: true, message: /tokens has 2 elements; expected 3/ },
  { name: 'a NaN input', batch: () => rawBatch('f64', { inputs: withNaNAt(floats('f64', 3 * I, 7), 3, NaN) }), message: /sequence 0, step 1, feature 1: input is not finite/ },
  { name: 'an infinite input (f32)', batch: () => rawBatch('f32', { inputs: withNaNAt(floats('f32', 3 * I, 7), 4, Infinity) }), dtype: 'f32', message: /sequence 1, step 0, feature 0: input is not finite/ },
  { name: 'lengths as a plain array', batch: () => rawBatch('f64', { lengths: [2, 1] }), message: /lengths/ },
  { name: 'no lengths', batch: () => rawBatch('f64', { lengths: undefined }), message: /lengths is required/ },
  { name: 'inputs as Float32Array on an f64 model', batch: () => rawBatch('f64', { inputs: floats('f32', 3 * I, 7) }), message: /inputs must be a Float64Array/ },
]

function rawModel(tokens: boolean | undefined, dtype: DType): RawNativeModel {
  return nativeModel(tokens === true ? embeddingDesc(dtype) : rawDesc(dtype))
}

test('addon: predict, explain and explainAsync reject every bad batch with an Error naming the problem', async (t) => {
  for (const { name, batch, tokens, dtype = 'f64', message } of BATCH_CASES) {
    const model = rawModel(tokens, dtype)
    const array = (length: number) => (dtype === 'f32' ? new Float32Array(length) : new Float64Array(length))
    const makeBatch = batch ?? (() => rawBatch(dtype))
    await expectNativeError(t, message, () => model.predict(makeBatch(), array(2 * C), null), `predict: ${name}`)
    await expectNativeError(t, message, () => model.explain(makeBatch(), rawOptions(), null, rawOutputs(dtype)), `explain: ${name}`)
    await expectNativeError(t, message, () => model.explainAsync(makeBatch(), rawOptions(), null, rawOutputs(dtype)), `explainAsync: ${name}`)
    assertRawModelWorks(t, nativeModel(rawDesc(dtype)), dtype)
    model.dispose()
  }
})

const OUTPUT_CASES: { name: string; message: RegExp; call: (model: RawNativeModel) => unknown }[] = [
  { name: 'predict: scores too short', message: /scores output has 3 elements; expected 4/, call: (m) => m.predict(rawBatch(), new Float64Array(3), null) },
  { name: 'predict: scores missing', message: /scores is required/, call: (m) => m.predict(rawBatch(), null, null) },
  { name: 'predict: scores of the wrong dtype', message: /scores must be a Float64Array/, call: (m) => m.predict(rawBatch(), new Float32Array(4), null) },
  { name: 'predict: probabilities too short', message: /probabilities output has 2 elements; expected 4/, call: (m) => m.predict(rawBatch(), new Float64Array(4), new Float64Array(2)) },
  { name: 'explain: target weights too short', message: /target weights has 3 elements; expected 4/, call: (m) => m.explain(rawBatch(), rawOptions(), new Float64Array(3), rawOutputs()) },
  { name: 'explain: target weights too long', message: /target weights has 6 elements; expected 4/, call: (m) => m.explain(rawBatch(), rawOptions(), new Float64Array(6), rawOutputs()) },
  { name: 'explain: a NaN target weight', message: /target weight 1 is not finite/, call: (m) => m.explain(rawBatch(), rawOptions(), Float64Array.of(1, NaN, 0, 1), rawOutputs()) },
  { name: 'explain: an infinite target weight', message: /target weight 3 is not finite/, call: (m) => m.explain(rawBatch(), rawOptions(), Float64Array.of(1, 0, 0, -Infinity), rawOutputs()) },
  { name: 'explain: scores output too short', message: /scores output has 3 elements; expected 4/, call: (m) => m.explain(rawBatch(), rawOptions(), null, rawOutputs('f64', { scores: new Float64Array(3) })) },
  { name: 'explain: relevance output too short', message: /relevance output has 5 elements; expected 6/, call: (m) => m.explain(rawBatch(), rawOptions(), null, rawOutputs('f64', { relevance: new Float64Array(5) })) },
  { name: 'explain: per-step output too short', message: /per-step output has 2 elements; expected 3/, call: (m) => m.explain(rawBatch(), rawOptions(), null, rawOutputs('f64', { perStep: new Float64Array(2) })) },
  {
    name: 'explain: conservation output too short',
    message: /conservation output has 4 elements; expected 8/,
    call: (m) => m.explain(rawBatch(), rawOptions(), null, rawOutputs('f64', { conservation: new Float64Array(4) })),
  },
  { name: 'explain: targets output too short', message: /targets output has 1 elements; expected 2/, call: (m) => m.explain(rawBatch(), rawOptions(), null, rawOutputs('f64', { targets: new Int32Array(1) })) },
  { name: 'explain: relevance output missing', message: /relevance is required/, call: (m) => m.explain(rawBatch(), rawOptions(), null, rawOutputs('f64', { relevance: null })) },
  {
    name: 'explainAsync: relevance output too short',
    message: /relevance output has 5 elements; expected 6/,
    call: (m) => m.explainAsync(rawBatch(), rawOptions(), null, rawOutputs('f64', { relevance: new Float64Array(5) })),
  },
  { name: 'explainAsync: a NaN target weight', message: /target weight 0 is not finite/, call: (m) => m.explainAsync(rawBatch(), rawOptions(), Float64Array.of(NaN, 0, 0, 1), rawOutputs()) },
  { name: 'explain: unknown method code', message: /unknown method 10/, call: (m) => m.explain(rawBatch(), rawOptions({ method: 10 }), null, rawOutputs()) },
  { name: 'explain: odd Shapley samples', message: /samples must be even; got 3/, call: (m) => m.explain(rawBatch(), rawOptions({ method: 6, samples: 3 }), null, rawOutputs()) },
  { name: 'explain: no samples', message: /samples must be in \[1, 65536\]; got 0/, call: (m) => m.explain(rawBatch(), rawOptions({ method: 7, samples: 0 }), null, rawOutputs()) },
  {
    name: 'explain: a singular LIME system',
    message: /^sequence 0: LIME: 1 sampled masks do not determine the weights of 2 steps \(singular system\); give more samples or a ridge > 0$/,
    call: (m) => m.explain(rawBatch(), rawOptions({ method: 8, samples: 1, limeRidge: 0 }), null, rawOutputs()),
  },
  { name: 'explain: a LIME kernel width of 0', message: /LIME kernel width must be finite and > 0/, call: (m) => m.explain(rawBatch(), rawOptions({ method: 8, limeKernelWidth: 0 }), null, rawOutputs()) },
  { name: 'explain: unknown rule code', message: /unknown rule 4 for the forget product/, call: (m) => m.explain(rawBatch(), rawOptions({ productRule: [0, 4, 0, 0, 0] }), null, rawOutputs()) },
  { name: 'explain: negative eps', message: /eps must be finite and >= 0/, call: (m) => m.explain(rawBatch(), rawOptions({ eps: -1 }), null, rawOutputs()) },
  { name: 'explain: NaN eps', message: /eps must be finite and >= 0/, call: (m) => m.explain(rawBatch(), rawOptions({ eps: NaN }), null, rawOutputs()) },
  { name: 'explain: bias factor 2', message: /bias_factor must be in \[0, 1\]/, call: (m) => m.explain(rawBatch(), rawOptions({ biasFactor: 2 }), null, rawOutputs()) },
  { name: 'explain: NaN product eps', message: /product eps of the output product must be finite and >= 0/, call: (m) => m.explain(rawBatch(), rawOptions({ productEps: [0, 0, NaN] }), null, rawOutputs()) },
  { name: 'explain: unknown init code', message: /unknown init 3/, call: (m) => m.explain(rawBatch(), rawOptions({ init: 3 }), null, rawOutputs()) },
  { name: 'explain: unknown occlusion score', message: /unknown occlusion score 5/, call: (m) => m.explain(rawBatch(), rawOptions({ method: 3, occlusionScore: 5 }), null, rawOutputs()) },
  { name: 'explain: unknown occlusion replacement', message: /unknown occlusion replacement 7/, call: (m) => m.explain(rawBatch(), rawOptions({ method: 3, occlusionReplacement: 7 }), null, rawOutputs()) },
  { name: 'explain: occlusion vector missing', message: /occlusion replacement vector is missing/, call: (m) => m.explain(rawBatch(), rawOptions({ method: 3, occlusionReplacement: 1 }), null, rawOutputs()) },
  {
    name: 'explain: occlusion vector too short',
    message: /occlusion replacement vector has 1 elements; expected 2/,
    call: (m) => m.explain(rawBatch(), rawOptions({ method: 3, occlusionReplacement: 1, occlusionVector: Float64Array.of(0) }), null, rawOutputs()),
  },
  {
    name: 'explain: occlusion vector not finite',
    message: /occlusion replacement vector is not finite at feature 1/,
    call: (m) => m.explain(rawBatch(), rawOptions({ method: 3, occlusionReplacement: 1, occlusionVector: Float64Array.of(0, Infinity) }), null, rawOutputs()),
  },
  {
    name: 'explain: occlusion by deletion of a one-step sequence',
    message: /sequence 1 has one step; occlusion by deletion needs at least two/,
    call: (m) => m.explain(rawBatch(), rawOptions({ method: 3, occlusionReplacement: 2 }), null, rawOutputs()),
  },
  { name: 'explain: a fractional method code', message: /explain option method must be a 32-bit integer; got 0\.5/, call: (m) => m.explain(rawBatch(), rawOptions({ method: 0.5 }), null, rawOutputs()) },
  {
    name: 'explain: a CD phrase stop past int32',
    message: /explain option CD phrase stop must be a 32-bit integer/,
    call: (m) => m.explain(rawBatch(), rawOptions({ method: 4, cdPhraseStop: 2 ** 31 }), null, rawOutputs()),
  },
  { name: 'explain: options missing fields', message: /.+/, call: (m) => m.explain(rawBatch(), {}, null, rawOutputs()) },
  { name: 'explain: no outputs object', message: /.+/, call: (m) => m.explain(rawBatch(), rawOptions(), null, undefined) },
  { name: 'explainAsync: no arguments', message: /.+/, call: (m) => m.explainAsync(undefined, undefined, undefined, undefined) },
  { name: 'predict: no arguments', message: /.+/, call: (m) => m.predict(undefined, undefined, undefined) },
]

test('addon: bad target weights, options and output arrays are rejected with an Error naming the problem', async (t) => {
  const model = nativeModel(rawDesc())
  for (const { name, message, call } of OUTPUT_CASES) await expectNativeError(t, message, () => call(model), name)
  assertRawModelWorks(t, model)
  model.dispose()
})

test('addon: occlusion by deletion on a readout each model is rejected', async (t) => {
  const model = nativeModel(rawDesc('f64', { readout: 1 }))
  const outputs = rawOutputs('f64', { scores: new Float64Array(3 * C) })
  await expectNativeError(
    t,
    /occlusion by deletion needs readout 'last'/,
    () =>
      model.explain({ lengths: Int32Array.of(2, 2), inputs: floats('f64', 4 * I, 7), tokens: null }, rawOptions({ method: 3, occlusionReplacement: 2 }), null, {
        ...outputs,
        scores: new Float64Array(4 * C),
        relevance: new Float64Array(4 * I),
        perStep: new Float64Array(4),
      }),
    'each + delete',
  )
  model.dispose()
})

test('addon: a failed call writes nothing into the output arrays', async (t) => {
  const model = nativeModel(rawDesc())
  const outputs = rawOutputs()
  for (const value of Object.values(outputs) as (Floats | Int32Array)[]) value.fill(7)
  const badInputs = withNaNAt(floats('f64', 3 * I, 7), 5, NaN) // last step of the last sequence
  await expectNativeError(t, /not finite/, () => model.explain(rawBatch('f64', { inputs: badInputs }), rawOptions(), null, outputs), 'NaN input')
  await expectNativeError(t, /not finite/, () => model.explainAsync(rawBatch('f64', { inputs: badInputs }), rawOptions(), null, outputs), 'NaN input (async)')
  for (const [name, value] of Object.entries(outputs) as [string, Floats | Int32Array][])
    t.true(
      value.every((v) => v === 7),
      `${name} untouched`,
    )
  const scores = new Float64Array(2 * C).fill(7)
  await expectNativeError(t, /not finite/, () => model.predict(rawBatch('f64', { inputs: badInputs }), scores, null), 'NaN input (predict)')
  t.true(
    scores.every((v) => v === 7),
    'scores untouched',
  )
  model.dispose()
})

test('addon: every call after dispose() throws; work queued before dispose still completes', async (t) => {
  const model = nativeModel(rawDesc())
  const outputs = rawOutputs()
  const inFlight = model.explainAsync(rawBatch(), rawOptions(), null, outputs)
  model.dispose()
  await t.notThrowsAsync(inFlight)
  t.true((outputs.relevance as Floats).every(Number.isFinite))
  await expectNativeError(t, /disposed/, () => model.predict(rawBatch(), new Float64Array(2 * C), null), 'predict')
  await expectNativeError(t, /disposed/, () => model.explain(rawBatch(), rawOptions(), null, rawOutputs()), 'explain')
  await expectNativeError(t, /disposed/, () => model.explainAsync(rawBatch(), rawOptions(), null, rawOutputs()), 'explainAsync')
  t.notThrows(() => model.dispose())
})

test('addon type errors for int32/float64 arguments name the expected element type', async (t) => {
  const f32 = nativeModel(rawDesc('f32'))
  const cases: { name: string; expected: RegExp; call: () => unknown }[] = [
    { name: 'lengths as Float64Array', expected: /lengths must be an Int32Array/i, call: () => f32.predict(rawBatch('f32', { lengths: Float64Array.of(2, 1) }), new Float32Array(4), null) },
    { name: 'tokens as Float32Array', expected: /tokens must be an Int32Array/i, call: () => f32.predict(rawBatch('f32', { inputs: null, tokens: Float32Array.of(0, 1, 2) }), new Float32Array(4), null) },
    { name: 'targetWeights as Float32Array on an f32 model', expected: /targetWeights must be a Float64Array/i, call: () => f32.explain(rawBatch('f32'), rawOptions(), new Float32Array(4), rawOutputs('f32')) },
    { name: 'probabilities as Float32Array on an f32 model', expected: /probabilities must be a Float64Array/i, call: () => f32.predict(rawBatch('f32'), new Float32Array(4), new Float32Array(4)) },
    {
      name: 'conservation as Float32Array on an f32 model',
      expected: /conservation must be a Float64Array/i,
      call: () => f32.explain(rawBatch('f32'), rawOptions(), null, rawOutputs('f32', { conservation: new Float32Array(8) })),
    },
  ]
  for (const { name, expected, call } of cases) await expectNativeError(t, expected, call, name)
  f32.dispose()
})
