// Model lifetime and concurrency (docs/METHODS.md § Errors and lifetime) beyond test/api.test.ts: many concurrent batches on
// several models, dispose() with batches, an evaluation or training in flight, every entry point
// after dispose(), and a process that exits while work is pending, on both backends.
import test from 'ava'
import type { ExecutionContext } from 'ava'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LstmLrpError, createModel, type BackendName, type ExplainOptions, type Explanation, type SequenceInput } from '../lib/index.js'
import { randomSequence } from './reference/random.js'
import { explanationsDifference } from './helpers/explanation-diff.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BACKENDS: BackendName[] = ['native', 'wasm']

const ARCHITECTURES = [
  { inputSize: 3, layers: [{ hiddenSize: 6, bidirectional: true }], head: { outputs: 3 } },
  { inputSize: 2, layers: [{ hiddenSize: 4 }, { hiddenSize: 3, bidirectional: true, cell: 'lrp-nondecreasing' }], head: { outputs: 2, readout: 'each' } },
  { inputSize: 3, layers: [{ hiddenSize: 5, cell: 'markov' }], head: { outputs: 1, bias: false }, task: 'regression' },
]

const OPTIONS: ExplainOptions[] = [{}, { rule: 'half', biasFactor: 1 }, { method: 'gradient-x-input' }, { method: 'occlusion', occlusion: { score: 'prob' } }, { rule: 'prop', eps: 0.01 }]

/** Sequences of lengths 1..40 in a scrambled order, enough for several chunks of a batch. */
function sequences(count: number, inputSize: number, seed: number): SequenceInput[] {
  return Array.from({ length: count }, (_, n) => randomSequence(seed + n, 1 + ((n * 17 + 5) % 40), inputSize))
}

async function outcomeOf<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  )
}

function assertDisposedError(t: ExecutionContext, error: unknown, what: string): void {
  t.true(error instanceof LstmLrpError && error.code === 'E_DISPOSED', `${what}: ${error instanceof Error ? `${error.constructor.name} ${error.message}` : String(error)}`)
}

for (const backend of BACKENDS) {
  test(`${backend}: 36 concurrent explainBatch calls on three models, between synchronous explains, equal the sequential results`, async (t) => {
    const models = await Promise.all(ARCHITECTURES.map((architecture, k) => createModel(architecture, { backend, seed: k, threads: k + 1 })))
    const calls = models.flatMap((model, k) =>
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((call) => ({
        model,
        items: sequences(150 + 40 * call, model.config.inputSize, 1000 * k + call),
        options: OPTIONS[call % OPTIONS.length],
      })),
    )
    const sequential: Explanation[][] = []
    for (const { model, items, options } of calls) sequential.push(await model.explainBatch(items, options))
    const probe = sequences(1, 3, 7)[0]
    const probeExpected = models[0].explain(probe)
    const probes: Explanation[] = []
    const timer = setInterval(() => probes.push(models[0].explain(probe)), 1)
    try {
      const concurrent = await Promise.all(calls.map(({ model, items, options }) => model.explainBatch(items, options)))
      concurrent.forEach((results, k) => t.is(explanationsDifference(results, sequential[k]), null, `call ${k}`))
    } finally {
      clearInterval(timer)
    }
    t.is(
      explanationsDifference(
        probes,
        probes.map(() => probeExpected),
      ),
      null,
      'synchronous explains between the batches',
    )
    for (const model of models) model.dispose()
  })

  test(`${backend}: dispose() with many batches in flight: each resolves with the right results or rejects with E_DISPOSED; other models are untouched`, async (t) => {
    const [doomed, other] = await Promise.all([createModel(ARCHITECTURES[0], { backend, seed: 1 }), createModel(ARCHITECTURES[1], { backend, seed: 2 })])
    const batches = [0, 1, 2, 3, 4, 5].map((k) => sequences(400 + 100 * k, 3, 100 * k))
    const expected = await Promise.all(batches.map((items) => doomed.explainBatch(items)))
    const otherItems = sequences(800, 2, 99)
    const otherExpected = await other.explainBatch(otherItems)
    // One batch disposes the model from its own progress callback, while the others run.
    const pending = batches.map((items, k) => outcomeOf(doomed.explainBatch(items, {}, { onProgress: k === 2 ? () => doomed.dispose() : undefined })))
    const otherPending = other.explainBatch(otherItems)
    doomed.dispose()
    for (const [k, outcome] of (await Promise.all(pending)).entries()) {
      if ('value' in outcome) t.is(explanationsDifference(outcome.value, expected[k]), null, `batch ${k}`)
      else assertDisposedError(t, outcome.error, `batch ${k}`)
    }
    t.is(explanationsDifference(await otherPending, otherExpected), null, 'the other model')
    t.is(explanationsDifference(await other.explainBatch(otherItems), otherExpected), null, 'the other model afterwards')
    other.dispose()
  })

  test(`${backend}: dispose() during evaluate() and during train(): both finish, and every entry point then throws E_DISPOSED`, async (t) => {
    const data = sequences(2000, 3, 5).map((input, n) => ({ input, target: n % 3 }))
    const evaluated = await createModel(ARCHITECTURES[0], { backend, seed: 3 })
    const expected = await evaluated.evaluate(data)
    const evaluation = evaluated.evaluate(data)
    evaluated.dispose()
    t.deepEqual(await evaluation, expected, 'evaluate() in flight completes')

    const trained = await createModel(ARCHITECTURES[0], { backend, seed: 3 })
    const training = trained.train(data.slice(0, 500), { epochs: 2, batchSize: 50, validation: data.slice(500, 700), seed: 1 })
    trained.dispose()
    const report = await training
    t.is(report.epochs, 2, 'train() in flight completes')

    for (const model of [evaluated, trained]) {
      const input = data[0].input
      const calls: [string, () => unknown][] = [
        ['explain', () => model.explain(input)],
        ['predict', () => model.predict(input)],
        ['gradients', () => model.gradients(data.slice(0, 2))],
        ['explainBatch', () => model.explainBatch([input])],
        ['evaluate', () => model.evaluate(data.slice(0, 2))],
        ['train', () => model.train(data.slice(0, 2))],
      ]
      for (const [name, call] of calls) {
        const outcome = await outcomeOf(Promise.resolve().then(call))
        t.true('error' in outcome, `${name} after dispose() fails`)
        if ('error' in outcome) assertDisposedError(t, outcome.error, name)
      }
      t.notThrows(() => model.dispose(), 'dispose() again is harmless')
    }
  })
}

/** A node process running `script` (ES module source that may import the library as `lib`). */
function runChild(script: string, backend: BackendName): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const source = `const lib = await import(${JSON.stringify(path.join(root, 'lib', 'index.ts'))});\n${script}`
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: root, env: { ...process.env, LSTM_LRP_BACKEND: backend }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, signal: error?.signal ?? null, stdout, stderr }),
    )
  })
}

/** A batch of 3000 sequences of 60 steps on a model wide enough to keep the kernel busy for a while. */
const BUSY_MODEL = `
const model = await lib.createModel({ inputSize: 16, layers: [{ hiddenSize: 48, bidirectional: true }], head: { outputs: 4 } }, { seed: 1 })
const items = Array.from({ length: 3000 }, (_, n) => ({ data: Float32Array.from({ length: 60 * 16 }, (_, k) => Math.sin(n + k)), steps: 60 }))
`

const CHILDREN: { name: string; script: string; stdout: RegExp }[] = [
  {
    name: 'process.exit() while a batch runs',
    script: `${BUSY_MODEL}
model.explainBatch(items, {}, { onProgress: () => { console.log('started'); process.exit(0) } })`,
    stdout: /^started\n$/,
  },
  {
    name: 'the script ends with a batch pending that nobody awaits',
    script: `${BUSY_MODEL}
model.explainBatch(items.slice(0, 300)).then((results) => console.log('finished', results.length))`,
    stdout: /^finished 300\n$/,
  },
  {
    name: 'dispose() and the end of the script with a batch in flight',
    script: `${BUSY_MODEL}
model.explainBatch(items.slice(0, 600)).then((results) => console.log('finished', results.length), (error) => console.log('rejected', error.code))
model.dispose()`,
    stdout: /^(finished 600|rejected E_DISPOSED)\n$/,
  },
]

for (const backend of BACKENDS) {
  for (const { name, script, stdout } of CHILDREN) {
    test(`${backend}: a process exits cleanly (status 0, nothing on stderr) when ${name}`, async (t) => {
      const result = await runChild(script, backend)
      t.is(result.signal, null, `killed by ${result.signal}; stderr: ${result.stderr}`)
      t.is(result.code, 0, result.stderr)
      t.is(result.stderr, '')
      t.regex(result.stdout, stdout)
    })
  }
}
