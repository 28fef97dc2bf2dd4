// Error messages built from values a caller passed: every invalid option, target or input is the
// documented LstmLrpError naming what is wrong, even for values that String() or JSON.stringify()
// cannot convert (objects without a prototype, BigInts, circular objects, symbols, functions).
// Also the native backend's mapping of the kernel's status codes to error codes.
import test from 'ava'
import { LstmLrpError, loadModel, type LstmLrpErrorCode, type ExplainOptions, type Model, type SequenceInput } from '../lib/index.js'
import { describeValue } from '../lib/describe-value.js'
import { asLibraryError } from '../lib/backend/native.js'
import { randomRefModel } from './reference/random.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { KIND_ARCHITECTURES, VALID_INPUTS, type ModelKind } from './helpers/model-kinds.js'

const circular: Record<string, unknown> = {}
circular.self = circular

/** Values whose conversion to a string throws (or, for JSON.stringify, gives nothing). */
const HOSTILE: { name: string; value: unknown; shown: string }[] = [
  { name: 'an object without a prototype', value: Object.create(null), shown: 'an object' },
  { name: 'an object whose toString is null', value: { toString: null }, shown: 'an object' },
  { name: 'a BigInt', value: 12n, shown: '12n' },
  { name: 'a circular object', value: circular, shown: 'an object' },
  { name: 'a symbol', value: Symbol('hostile'), shown: 'Symbol(hostile)' },
  { name: 'a function', value: () => 1, shown: 'a function' },
]

const models = new Map<ModelKind, Promise<Model>>()

function model(kind: ModelKind): Promise<Model> {
  if (!models.has(kind)) models.set(kind, loadModel(refModelFile(randomRefModel(31, KIND_ARCHITECTURES[kind]), 'f64')))
  return models.get(kind)!
}

test.after.always(async () => {
  for (const loaded of models.values()) (await loaded).dispose()
})

interface Case {
  /** The option or part of the input the message must name, as it names it. */
  names: RegExp
  code: LstmLrpErrorCode
  kind: ModelKind
  /** Whether the message shows the value (a "got ..." message) rather than only what was expected. */
  echoes: boolean
  run: (model: Model, value: unknown) => unknown
}

const withOptions = (options: (value: unknown) => object) => (model: Model, value: unknown) => model.explain(VALID_INPUTS.vector, options(value) as ExplainOptions)
const withInput = (input: (value: unknown) => unknown) => (model: Model, value: unknown) => model.explain(input(value) as SequenceInput)

const CASES: Record<string, Case> = {
  method: { names: /^method must be one of/, code: 'E_OPTIONS', kind: 'vector', echoes: true, run: withOptions((method) => ({ method })) },
  rule: { names: /^rule must be one of/, code: 'E_OPTIONS', kind: 'vector', echoes: true, run: withOptions((rule) => ({ rule })) },
  'rules.forget': { names: /^rules\.forget must be one of/, code: 'E_OPTIONS', kind: 'vector', echoes: true, run: withOptions((forget) => ({ rules: { forget } })) },
  eps: { names: /^eps must be a finite number/, code: 'E_OPTIONS', kind: 'vector', echoes: true, run: withOptions((eps) => ({ eps })) },
  'productEps.input': { names: /^productEps\.input must be a finite number/, code: 'E_OPTIONS', kind: 'vector', echoes: true, run: withOptions((input) => ({ productEps: { input } })) },
  biasFactor: { names: /^biasFactor must be a number in \[0, 1\]/, code: 'E_OPTIONS', kind: 'vector', echoes: true, run: withOptions((biasFactor) => ({ biasFactor })) },
  init: { names: /^init must be one of/, code: 'E_OPTIONS', kind: 'vector', echoes: true, run: withOptions((init) => ({ init })) },
  'occlusion.score': { names: /^occlusion\.score must be one of/, code: 'E_OPTIONS', kind: 'vector', echoes: true, run: withOptions((score) => ({ method: 'occlusion', occlusion: { score } })) },
  'occlusion.replacement': { names: /^occlusion\.replacement must be/, code: 'E_OPTIONS', kind: 'vector', echoes: false, run: withOptions((replacement) => ({ method: 'occlusion', occlusion: { replacement } })) },
  'occlusion.replacement entry': {
    names: /^occlusion\.replacement must contain finite numbers/,
    code: 'E_OPTIONS',
    kind: 'vector',
    echoes: false,
    run: withOptions((entry) => ({ method: 'occlusion', occlusion: { replacement: [0, entry, 0] } })),
  },
  'cd.convention': { names: /^cd\.convention must be one of/, code: 'E_OPTIONS', kind: 'vector', echoes: true, run: withOptions((convention) => ({ method: 'cd', cd: { convention } })) },
  'cd.phrase': { names: /^cd\.phrase must be \[start, stop\)/, code: 'E_OPTIONS', kind: 'vector', echoes: true, run: withOptions((phrase) => ({ method: 'cd', cd: { phrase } })) },
  'integratedGradients.steps': {
    names: /^integratedGradients\.steps must be an integer/,
    code: 'E_OPTIONS',
    kind: 'vector',
    echoes: true,
    run: withOptions((steps) => ({ method: 'integrated-gradients', integratedGradients: { steps } })),
  },
  'integratedGradients.rule': {
    names: /^integratedGradients\.rule must be one of/,
    code: 'E_OPTIONS',
    kind: 'vector',
    echoes: true,
    run: withOptions((rule) => ({ method: 'integrated-gradients', integratedGradients: { rule } })),
  },
  'integratedGradients.baseline entry': {
    names: /^integratedGradients\.baseline must contain finite numbers/,
    code: 'E_OPTIONS',
    kind: 'vector',
    echoes: false,
    run: withOptions((entry) => ({ method: 'integrated-gradients', integratedGradients: { baseline: [entry, 0, 0] } })),
  },
  target: { names: /^target must be a class index/, code: 'E_TARGET', kind: 'vector', echoes: false, run: withOptions((target) => ({ target })) },
  'target step': { names: /^target step must be an integer/, code: 'E_TARGET', kind: 'each', echoes: true, run: (model, step) => model.explain(VALID_INPUTS.each, { target: [step, 0] as never }) },
  'target class': { names: /^target class must be an integer class index/, code: 'E_TARGET', kind: 'each', echoes: true, run: (model, cls) => model.explain(VALID_INPUTS.each, { target: [0, cls] as never }) },
  'x row value': {
    names: /^input, step 1, feature 2: .* is not a finite number/,
    code: 'E_INPUT',
    kind: 'vector',
    echoes: true,
    run: withInput((value) => [
      [0, 0, 0],
      [0, 0, value],
    ]),
  },
  'x row': { names: /^input, step 1: expected a row of 3 numbers/, code: 'E_INPUT', kind: 'vector', echoes: false, run: withInput((row) => [[0, 0, 0], row]) },
  'x steps': { names: /^input: steps must be a positive integer/, code: 'E_INPUT', kind: 'vector', echoes: true, run: withInput((steps) => ({ data: new Float64Array(3), steps })) },
  'token id': { names: /^input, step 1: token id .* is not in the vocabulary/, code: 'E_INPUT', kind: 'token', echoes: true, run: withInput((id) => ({ tokens: [1, id] })) },
  tokens: { names: /^input: tokens must be an array of token ids/, code: 'E_INPUT', kind: 'token', echoes: false, run: withInput((tokens) => ({ tokens })) },
}

for (const [what, { names, code, kind, echoes, run }] of Object.entries(CASES)) {
  test(`${what}: values String() cannot convert give ${code} naming ${what}`, async (t) => {
    const loaded = await model(kind)
    for (const { name, value, shown } of HOSTILE) {
      const error = t.throws(() => run(loaded, value), { instanceOf: LstmLrpError }, `${what} = ${name}`)
      t.is(error?.code, code, `${what} = ${name}: ${error?.message}`)
      t.regex(error?.message ?? '', names, `${what} = ${name}`)
      if (echoes) t.true(error?.message.includes(`got ${shown}`) || error?.message.includes(` ${shown} is not`), `${what} = ${name} is shown as ${shown}: ${error?.message}`)
    }
  })
}

test('describeValue shows primitives as written, short number lists, and other values by their kind, cut short', (t) => {
  t.is(describeValue('prob'), '"prob"')
  t.is(describeValue('3', { quoteStrings: false }), '3')
  t.is(describeValue(NaN), 'NaN')
  t.is(describeValue(-Infinity), '-Infinity')
  t.is(describeValue(undefined), 'undefined')
  t.is(describeValue(null), 'null')
  t.is(describeValue(true), 'true')
  t.is(describeValue([3, 1]), '[3, 1]')
  t.is(describeValue([]), 'an array')
  t.is(describeValue([1, 'two']), 'an array')
  t.is(describeValue(new Array(100).fill(0)), 'an array')
  t.is(describeValue('x'.repeat(1000)), `"${'x'.repeat(77)}"... (1000 characters)`)
  t.is(describeValue('7'.repeat(1000), { quoteStrings: false }), `${'7'.repeat(77)}... (1000 characters)`)
  t.is(describeValue('x'.repeat(80)), `"${'x'.repeat(80)}"`, 'a string of the limit shows whole')
})

test('native backend: the kernel status LSTM_LRP_OUT_OF_MEMORY becomes E_MEMORY, every other status E_KERNEL', (t) => {
  // The shape bindings/napi/addon.cc throw_status gives kernel failures: the kernel's message and its status code.
  const kernelFailure = (status: number, message: string) => Object.assign(new Error(message), { status })
  const outOfMemory = asLibraryError(kernelFailure(2, 'out of memory'))
  t.true(outOfMemory instanceof LstmLrpError)
  t.like(outOfMemory, { code: 'E_MEMORY', message: 'out of memory' })
  for (const status of [1, 3]) t.like(asLibraryError(kernelFailure(status, 'bad')), { code: 'E_KERNEL', message: 'bad' })
  const other = new TypeError('not from the kernel')
  t.is(asLibraryError(other), other, 'errors without a status pass through')
})

test('loading, creating and training options: hostile values give E_OPTIONS naming the option', async (t) => {
  const bytes = refModelFile(randomRefModel(32, ARCHITECTURES['uni, head bias']), 'f32')
  const { createModel } = await import('../lib/index.js')
  const config = { inputSize: 2, layers: [{ hiddenSize: 2 }], head: { outputs: 1 } }
  const trainData = [{ input: [[0, 1]], target: [0.5] }]
  const trained = await createModel(config, { seed: 1 })
  t.teardown(() => trained.dispose())
  for (const { name, value, shown } of HOSTILE) {
    const cases: { names: RegExp; run: () => Promise<unknown> }[] = [
      { names: /threads/, run: () => loadModel(bytes, { threads: value as number }) },
      { names: /dtype/, run: () => loadModel(bytes, { dtype: value as 'f32' }) },
      { names: /seed/, run: () => createModel(config, { seed: value as number }) },
      { names: /epochs/, run: () => trained.train(trainData, { epochs: value as number }) },
      { names: /\blr\b/, run: () => trained.train(trainData, { lr: value as number }) },
      { names: /monitor/, run: () => trained.train(trainData, { monitor: value as 'loss' }) },
    ]
    for (const { names, run } of cases) {
      const error = await t.throwsAsync(run, { instanceOf: LstmLrpError }, `${names} = ${name}`)
      t.is(error?.code, 'E_OPTIONS', `${names} = ${name}`)
      t.regex(error?.message ?? '', names)
      t.true(error?.message.includes(shown), `${error?.message} shows ${shown}`)
    }
  }
})
