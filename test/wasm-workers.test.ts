// The WASM backend in Node runs explainBatch on worker threads, each with its own module instance
// and copy of the model: the results equal one call on the calling thread bit for bit, for any
// worker count; errors come back as that call raises them; workers end with the model, and never
// keep the process alive.
import test from 'ava'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LstmLrpError, Model, type BatchItem, type ExplainOptions, type SequenceInput } from '../lib/index.js'
import type { Backend, KernelModel } from '../lib/backend/types.js'
import type { DType } from '../lib/model/types.js'
import { loadWasmBackend } from '../lib/backend/wasm-node.js'
import { WASM_FILES, wasmBackend, wasmImports } from '../lib/backend/wasm.js'
import { kernelModelDesc } from '../lib/backend/kernel-desc.js'
import { batchError, partShares, splitBySteps } from '../lib/backend/wasm-pool.js'
import { wasmWorker } from '../lib/backend/wasm-worker.js'
import type { WorkerError } from '../lib/backend/wasm-workers.js'
import { parseConfig } from '../lib/model/config.js'
import { initialTensors } from '../lib/train/init.js'
import { toKernelBatch } from '../lib/explain/inputs.js'
import { resolveOptions } from '../lib/explain/options.js'
import { randomSequence } from './reference/random.js'
import { explanationDifference, explanationsDifference } from './helpers/explanation-diff.js'
import { ownWasmBackend } from './helpers/wasm-instance.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** A backend with workers (loaded as the registry loads it, but an instance of the test's own). */
function workerBackend(): Backend {
  return loadWasmBackend('simd')
}

const ARCHITECTURES = {
  'bidirectional with an embedding, readout last': { inputSize: 6, embedding: { vocabSize: 50 }, layers: [{ hiddenSize: 5, bidirectional: true }], head: { outputs: 3 } },
  'two stacked layers, readout each': { inputSize: 4, layers: [{ hiddenSize: 5 }, { hiddenSize: 3, bidirectional: true }], head: { outputs: 2, readout: 'each' } },
}

function modelOn(backend: Backend, architecture: unknown, dtype: DType, threads?: number): Model {
  const config = parseConfig(architecture)
  return Model.withKernelWeights(config, dtype, initialTensors(config, dtype, 1), backend, threads)
}

/** 23 sequences of 1 to 40 steps, in an order that puts long and short ones in every part. */
function inputsFor(model: Model): SequenceInput[] {
  return Array.from({ length: 23 }, (_, n) => {
    const steps = 1 + ((n * 17) % 40)
    if (model.config.embedding) return { tokens: Array.from({ length: steps }, (_, k) => (k * 7 + n * 3) % 50) }
    return randomSequence(500 + n, steps, model.config.inputSize)
  })
}

const METHODS: ExplainOptions[] = [
  { method: 'lrp', rule: 'all' },
  { method: 'integrated-gradients', integratedGradients: { steps: 8 } },
]

for (const [name, architecture] of Object.entries(ARCHITECTURES))
  for (const dtype of ['f32', 'f64'] as DType[])
    test(`${name} [${dtype}]: explainBatch on 1, 2 and 3 workers equals explain() and explainBatch on the calling thread, bit for bit`, async (t) => {
      const here = modelOn(ownWasmBackend().backend, architecture, dtype)
      const backend = workerBackend()
      const models = [1, 2, 3].map((threads) => modelOn(backend, architecture, dtype, threads))
      const inputs = inputsFor(here)
      // Argmax targets, one explicit target for all, and each item its own (some left to their argmax).
      const targetings: { what: string; items: (SequenceInput | BatchItem)[]; options: ExplainOptions }[] = [
        { what: 'argmax', items: inputs, options: {} },
        { what: 'target 1', items: inputs, options: { target: 1 } },
        { what: 'own targets', items: inputs.map((input, n) => ({ input, target: n % 3 === 2 ? undefined : n % 2 })), options: {} },
      ]
      for (const method of METHODS)
        for (const { what, items, options } of targetings) {
          const all = { ...method, ...options }
          const alone = items.map((item) => ('input' in item ? here.explain(item.input, { ...all, target: item.target ?? all.target }) : here.explain(item, all)))
          t.is(explanationsDifference(await here.explainBatch(items, all), alone), null, `${what}, ${method.method}: calling thread`)
          for (const model of models) t.is(explanationsDifference(await model.explainBatch(items, all), alone), null, `${what}, ${method.method}: ${model.backend.threads} workers`)
        }
      for (const model of [here, ...models]) model.dispose()
    })

test('a batch is split into runs of whole sequences of about equal steps, in order, none empty', (t) => {
  const lengths = Int32Array.from([10, 1, 1, 1, 7, 3, 3, 4])
  const parts = splitBySteps(lengths, [1, 1, 1], false)
  t.deepEqual(
    parts.map(({ first, count, steps }) => [first, count, steps]),
    [
      [0, 1, 10],
      [1, 4, 10],
      [5, 3, 10],
    ],
  )
  t.deepEqual(
    parts.map(({ firstRow, rows }) => [firstRow, rows]),
    [
      [0, 10],
      [10, 10],
      [20, 10],
    ],
  )
  t.deepEqual(
    splitBySteps(lengths, [1, 1, 1], true).map(({ firstRow, rows }) => [firstRow, rows]),
    [
      [0, 1],
      [1, 4],
      [5, 3],
    ],
  )
  t.deepEqual(
    splitBySteps(Int32Array.from([100, 1]), [1, 1, 1, 1], false).map(({ count }) => count),
    [1, 1],
    'no more parts than sequences',
  )
  t.deepEqual(
    splitBySteps(Int32Array.from([1, 1, 1, 100]), [1, 1], false).map(({ count }) => count),
    [3, 1],
  )
})

test('parts follow their shares of the steps, and a call on workers starts with large parts and ends with small ones', (t) => {
  t.deepEqual(
    splitBySteps(Int32Array.from(Array.from({ length: 16 }, () => 1)), [4, 2, 1, 1], false).map(({ count }) => count),
    [8, 4, 2, 2],
  )
  for (const workers of [1, 2, 4, 8]) {
    const shares = partShares(workers)
    t.true(Math.abs(shares.reduce((sum, share) => sum + share, 0) - 1) <= 1 / 128, `${workers} workers: the shares cover the call`)
    t.true(
      shares.every((share, k) => k === 0 || share <= shares[k - 1]),
      `${workers} workers: no part larger than the one before`,
    )
    t.true(shares[0] >= 1 / (2 * workers) - 1e-12 && shares.at(-1)! <= 1 / 64 + 1e-12, `${workers} workers: from ${shares[0]} down to ${shares.at(-1)}`)
    t.true(shares.length <= 64, `${workers} workers: ${shares.length} parts`)
  }
  // 1 024 sentence-like lengths (5 to 44 steps) on two workers: the last part is a few percent of the first.
  const lengths = Int32Array.from(Array.from({ length: 1024 }, (_, n) => 5 + ((n * 37) % 40)))
  const parts = splitBySteps(lengths, partShares(2), false)
  t.is(
    parts.reduce((sum, part) => sum + part.count, 0),
    1024,
  )
  t.true(parts.at(-1)!.steps * 8 < parts[0].steps, `first part ${parts[0].steps} steps, last ${parts.at(-1)!.steps}`)
})

test("of the parts' errors, the batch raises the one its single call would: input errors first, then the first result checked, its sequence counted from the batch's start", (t) => {
  const parts = splitBySteps(Int32Array.from([2, 2, 2, 2, 2, 2]), [1, 1, 1], true)
  const reply = (error: WorkerError | null) => ({ id: 0, outputs: null as never, error })
  const overflow = (where: string, result: string): WorkerError => ({ code: 'E_NUMERIC', message: `${where}, column 0: the ${result} is inf; the weights, inputs, cell scales or eps overflow the arithmetic` })
  const chosen = (...errors: (WorkerError | null)[]) => {
    const error = batchError(errors.map(reply), parts)
    return error === null ? null : [error.code, error.message.split(',')[0], / the (.+?) is /.exec(error.message)?.[1]]
  }
  t.is(chosen(null, null, null), null)
  t.deepEqual(chosen(null, overflow('sequence 1, step 0', 'input relevance'), null), ['E_NUMERIC', 'sequence 3', 'input relevance'])
  t.deepEqual(chosen(overflow('sequence 1, step 1', 'per-step relevance'), overflow('sequence 0, step 1', 'input relevance'), overflow('sequence 1', 'score')), ['E_NUMERIC', 'sequence 5', 'score'])
  t.deepEqual(chosen(overflow('sequence 0, step 0', 'input relevance'), overflow('sequence 1, step 0', 'input relevance'), null), ['E_NUMERIC', 'sequence 0', 'input relevance'])
  t.deepEqual(chosen(overflow('sequence 0', 'summary (conservation, CD parts or completeness)'), null, overflow('sequence 0, step 1', 'per-step relevance')), ['E_NUMERIC', 'sequence 4', 'per-step relevance'])
  t.deepEqual(chosen(overflow('sequence 0', 'score'), { code: 'E_MEMORY', message: 'WASM memory is exhausted' }, null), ['E_MEMORY', 'WASM memory is exhausted', undefined])
})

const IDENTITY_CELL = { g: 'identity', h: 'identity' }
const NUMERIC = {
  inputSize: 2,
  layers: [
    { hiddenSize: 3, cell: IDENTITY_CELL },
    { hiddenSize: 3, cell: IDENTITY_CELL },
  ],
  head: { outputs: 2 },
}

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  )
}

test("an overflow in any worker fails the batch with the calling thread's E_NUMERIC message, and explainBatchSettled fails only its items", async (t) => {
  const here = modelOn(ownWasmBackend().backend, NUMERIC, 'f32')
  const models = [2, 3].map((threads) => modelOn(workerBackend(), NUMERIC, 'f32', threads))
  const fine = [
    [
      [1, 2],
      [3, 4],
    ],
    [[0.5, 0.5]],
    [[-1, 2]],
    [
      [2, 2],
      [1, 0],
    ],
  ]
  const relevanceOverflow = [
    [1e30, 1e30],
    [1e30, 1e30],
  ]
  const laterOverflow = [
    [1, 2],
    [1e30, 1e30],
    [1e30, 1e30],
  ]
  // Overflows in the first, a middle and the last part, at different steps.
  const batches = [
    [...fine, relevanceOverflow],
    [relevanceOverflow, ...fine, laterOverflow],
    [...fine, laterOverflow, ...fine, relevanceOverflow],
    [...fine, ...fine, laterOverflow],
  ]
  for (const method of ['gradient', 'gradient-x-input', 'integrated-gradients'] as const)
    for (const [k, items] of batches.entries()) {
      const expected = await rejection(here.explainBatch(items, { method }))
      t.true(expected instanceof LstmLrpError && expected.code === 'E_NUMERIC', `${method}, batch ${k}: the calling thread overflows`)
      const settledHere = await here.explainBatchSettled(items, { method })
      for (const model of models) {
        const what = `${method}, batch ${k}, ${model.backend.threads} workers`
        const error = await rejection(model.explainBatch(items, { method }))
        t.true(error instanceof LstmLrpError, what)
        t.deepEqual({ code: (error as LstmLrpError).code, message: (error as LstmLrpError).message }, { code: 'E_NUMERIC', message: (expected as LstmLrpError).message }, what)
        const settled = await model.explainBatchSettled(items, { method })
        settled.forEach((outcome, n) => {
          if (outcome.error) t.is(outcome.error.message, settledHere[n].error?.message ?? 'no error on the calling thread', `${what}, item ${n}`)
          else t.is(explanationDifference(outcome.explanation!, settledHere[n].explanation!), null, `${what}, item ${n}`)
        })
      }
    }
  for (const model of [here, ...models]) model.dispose()
})

test("the kernel's own input errors name the sequence as in one call: occlusion by deletion of a one-step sequence in a later part", async (t) => {
  const here = modelOn(ownWasmBackend().backend, NUMERIC, 'f32')
  const model = modelOn(workerBackend(), NUMERIC, 'f32', 3)
  const items = [
    [
      [1, 2],
      [3, 4],
    ],
    [
      [1, 1],
      [2, 2],
      [3, 3],
    ],
    [
      [0, 1],
      [1, 0],
    ],
    [[5, 5]],
    [
      [1, 2],
      [2, 1],
    ],
  ]
  const options: ExplainOptions = { method: 'occlusion', occlusion: { replacement: 'delete' } }
  const expected = await rejection(here.explainBatch(items, options))
  t.true(expected instanceof LstmLrpError, String(expected))
  const error = await rejection(model.explainBatch(items, options))
  t.deepEqual([(error as LstmLrpError).code, (error as LstmLrpError).message], [(expected as LstmLrpError).code, (expected as LstmLrpError).message])
  here.dispose()
  model.dispose()
})

test('a model disposed while its workers run a call: the call rejects with E_DISPOSED, and later calls fail the same way', async (t) => {
  const config = parseConfig(ARCHITECTURES['two stacked layers, readout each'])
  const kernel: KernelModel = workerBackend().createModel(kernelModelDesc(config, 'f32', initialTensors(config, 'f32', 3)))
  kernel.setThreads(2)
  const inputs = Array.from({ length: 64 }, (_, n) => randomSequence(n, 200, 4))
  const batch = toKernelBatch(inputs, config, 'f32')
  const steps = 64 * 200
  const outputs = {
    scores: new Float32Array(steps * 2),
    relevance: new Float32Array(steps * 4),
    perStep: new Float32Array(steps),
    conservation: new Float64Array(64 * 4),
    targets: new Int32Array(64),
  }
  const options = resolveOptions({}, 'f32', 4).kernel
  await kernel.explainAsync(batch, options, null, outputs)
  const running = rejection(kernel.explainAsync(batch, options, null, outputs))
  kernel.dispose()
  const error = await running
  t.true(error instanceof LstmLrpError && error.code === 'E_DISPOSED' && error.message === 'the model has been disposed', String(error))
  await t.throwsAsync(kernel.explainAsync(batch, options, null, outputs), { code: 'E_DISPOSED', message: 'the model has been disposed' })
})

test('after train() changes the weights in place, the workers explain with the new weights', async (t) => {
  const backend = workerBackend()
  const model = modelOn(backend, ARCHITECTURES['bidirectional with an embedding, readout last'], 'f32', 2)
  const inputs = inputsFor(model)
  const before = await model.explainBatch(inputs)
  await model.train(
    inputs.map((input, n) => ({ input, target: n % 3 })),
    { epochs: 2, batchSize: 8, seed: 1 },
  )
  const after = await model.explainBatch(inputs)
  t.not(explanationsDifference(after, before), null, 'training changed the results')
  t.is(
    explanationsDifference(
      after,
      inputs.map((input) => model.explain(input)),
    ),
    null,
  )
  model.dispose()
})

test("with the kernels' SIMD level forced on the calling thread, the workers run the same level", async (t) => {
  const backend = workerBackend()
  backend.selectSimd('scalar')
  const here = ownWasmBackend().backend
  here.selectSimd('scalar')
  const architecture = ARCHITECTURES['bidirectional with an embedding, readout last']
  const [scalar, workers] = [modelOn(here, architecture, 'f32'), modelOn(backend, architecture, 'f32', 2)]
  const inputs = inputsFor(scalar)
  t.is(
    explanationsDifference(
      await workers.explainBatch(inputs),
      inputs.map((input) => scalar.explain(input)),
    ),
    null,
  )
  scalar.dispose()
  workers.dispose()
})

test('where the workers cannot start (a bundle without their script), batch calls run on the calling thread with the same results', async (t) => {
  const bytes = readFileSync(path.join(root, 'wasm', WASM_FILES.simd))
  const module = new WebAssembly.Module(bytes)
  let spawned = 0
  const backend = wasmBackend(new WebAssembly.Instance(module, wasmImports()), undefined, {
    module,
    parallelism: 2,
    spawn: (events) => {
      spawned++
      const worker = new Worker('throw new Error("cannot load the worker script")', { eval: true })
      worker.on('error', events.failure)
      return { post: (message, transfer) => worker.postMessage(message, transfer), hold: () => undefined, terminate: () => void worker.terminate() }
    },
  })
  const architecture = ARCHITECTURES['two stacked layers, readout each']
  const [here, model] = [modelOn(ownWasmBackend().backend, architecture, 'f32'), modelOn(backend, architecture, 'f32')]
  const inputs = inputsFor(here)
  const expected = inputs.map((input) => here.explain(input))
  t.is(explanationsDifference(await model.explainBatch(inputs), expected), null, 'the first call, whose workers failed')
  t.is(explanationsDifference(await model.explainBatch(inputs), expected), null, 'a later call')
  t.is(spawned, 2, 'no workers are started again')
  here.dispose()
  model.dispose()
})

test("the workers' output buffers go back to them once their contents are copied, and later outputs reuse them, with the same results", async (t) => {
  const bytes = readFileSync(path.join(root, 'wasm', WASM_FILES.simd))
  const module = new WebAssembly.Module(bytes)
  // Workers on this thread: a buffer keeps its identity from reply to request to reply.
  const replied = new Set<ArrayBuffer>()
  let handedBack = 0
  let reused = 0
  const backend = wasmBackend(new WebAssembly.Instance(module, wasmImports()), undefined, {
    module,
    parallelism: 2,
    spawn: (events) => {
      const handle = wasmWorker((reply) => {
        const buffer = reply.outputs.conservation.buffer as ArrayBuffer
        if (replied.has(buffer)) reused++
        replied.add(buffer)
        setImmediate(() => events.reply(reply))
      })
      return {
        post: (message) => {
          if (message.kind === 'explain') {
            t.true(
              message.spare.every((buffer) => replied.has(buffer)),
              'only buffers of replies are handed back',
            )
            handedBack += message.spare.length
          }
          setImmediate(() => handle(message))
        },
        hold: () => undefined,
        terminate: () => undefined,
      }
    },
  })
  const architecture = ARCHITECTURES['bidirectional with an embedding, readout last']
  const [here, model] = [modelOn(ownWasmBackend().backend, architecture, 'f32'), modelOn(backend, architecture, 'f32', 2)]
  const inputs = inputsFor(here)
  for (const options of [{}, { target: 1 }, { method: 'integrated-gradients', integratedGradients: { steps: 4 } }] as ExplainOptions[]) {
    const expected = inputs.map((input) => here.explain(input, options))
    for (let round = 0; round < 2; round++) t.is(explanationsDifference(await model.explainBatch(inputs, options), expected), null, `${JSON.stringify(options)}, round ${round}`)
  }
  t.true(handedBack > 0, 'copied buffers go back to their workers')
  t.true(reused > 0, 'workers write later outputs into them')
  here.dispose()
  model.dispose()
})

/** Runs a script in a child Node (ESM, tsx) with a time guard; its status, output and time. */
function runChild(source: string): { status: number | null; stdout: string; stderr: string; ms: number } {
  const start = performance.now()
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: root, encoding: 'utf8', timeout: 60_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - start }
}

const CHILD_PRELUDE = `
import { createModel } from './lib/index.js'
const model = await createModel({ inputSize: 4, layers: [{ hiddenSize: 8, bidirectional: true }], head: { outputs: 3 } }, { backend: 'wasm', seed: 1, threads: 2 })
const items = Array.from({ length: 400 }, (_, n) => Array.from({ length: 20 + (n % 30) }, (_, t) => [n, t, 1, -1].map((v) => Math.sin(v + t))))
`

test('a process exits when the script ends: after dispose(), with idle workers never disposed, and with a batch nobody awaits, which completes first', (t) => {
  const cases = {
    'disposed after a batch': `${CHILD_PRELUDE}
const results = await model.explainBatch(items)
model.dispose()
console.log('done', results.length)`,
    'idle workers never disposed': `${CHILD_PRELUDE}
const results = await model.explainBatch(items)
console.log('done', results.length)`,
    'a batch pending that nobody awaits': `${CHILD_PRELUDE}
model.explainBatch(items).then((results) => console.log('done', results.length))`,
  }
  for (const [what, source] of Object.entries(cases)) {
    const child = runChild(source)
    t.is(child.status, 0, `${what}: ${child.stderr}`)
    t.is(child.stdout.trim(), 'done 400', what)
    t.is(child.stderr, '', what)
  }
})
