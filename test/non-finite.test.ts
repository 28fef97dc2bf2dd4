// Finite but extreme models and inputs must not hand back Infinity or NaN as an answer: the kernel
// checks every result (scores, probabilities, relevance, per-step relevance, CD parts and the other
// per-sequence reports, the loss, gradients and updated weights) and fails with E_NUMERIC naming
// where, the same on the native addon and on WASM; the CLI exits 1 with one line and no output.
// Cell scales are bounded so that the config cannot ask for an overflow outright.
import test from 'ava'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createModel, LstmLrpError, saveModel, type Model } from '../lib/index.js'
import type { DType, Tensor } from '../lib/model/types.js'
import { loadBackend } from '../lib/backend/registry.js'
import { Model as ModelClass } from '../lib/model/model.js'
import type { KernelModelDesc } from '../lib/backend/types.js'
import { kernelModelDesc } from '../lib/backend/kernel-desc.js'
import { assertLibraryError } from './helpers/library-errors.js'
import { runCli } from './helpers/run-cli.js'

const BACKENDS = ['native', 'wasm'] as const
const METHODS = ['lrp', 'gradient', 'gradient-x-input', 'occlusion', 'cd', 'integrated-gradients'] as const
const IDENTITY_CELL = { g: 'identity', h: 'identity' }

/** The model with every weight (or only the tensor named) multiplied by factor: still finite. */
function scaled(model: Model, factor: number, backend: (typeof BACKENDS)[number], only?: string): Model {
  const tensors = new Map<string, Tensor>()
  for (const [name, tensor] of model.weights) tensors.set(name, only === undefined || name === only ? { ...tensor, data: tensor.data.map((value) => value * factor) } : tensor)
  return new ModelClass(model.config, model.dtype, tensors, loadBackend(backend))
}

async function identityModel(backend: (typeof BACKENDS)[number], dtype: DType, cell: object = IDENTITY_CELL, task = 'classification'): Promise<Model> {
  return createModel(
    {
      inputSize: 2,
      layers: [
        { hiddenSize: 3, cell },
        { hiddenSize: 3, cell },
      ],
      head: { outputs: 2 },
      task,
    },
    { backend, seed: 1, dtype },
  )
}

function numericError(t: import('ava').ExecutionContext, call: () => unknown, where: RegExp, name: string): void {
  let caught: unknown
  try {
    const result = call() as { scores: ArrayLike<number>; relevance?: ArrayLike<number> }
    t.fail(`${name}: returned scores ${String(result.scores[0])} and relevance ${String(result.relevance?.[0])} instead of failing`)
    return
  } catch (error) {
    caught = error
  }
  t.true(caught instanceof LstmLrpError, `${name}: ${String(caught)}`)
  t.is((caught as LstmLrpError).code, 'E_NUMERIC', `${name}: ${(caught as Error).message}`)
  t.regex((caught as Error).message, where, name)
  t.true((caught as Error).message.length < 300, `${name}: the message is bounded`)
}

for (const backend of BACKENDS) {
  test(`${backend}: weights large but finite (f64 × 1e200, f32 × 1e30) give E_NUMERIC from predict and every method`, async (t) => {
    for (const [dtype, factor] of [
      ['f64', 1e200],
      ['f32', 1e30],
    ] as const) {
      const model = scaled(await identityModel(backend, dtype), factor, backend)
      const input = [
        [1, 2],
        [3, 4],
      ]
      numericError(t, () => model.predict(input), /sequence 0, column \d: the (score|probability) is/, `${dtype} predict`)
      for (const method of METHODS) numericError(t, () => model.explain(input, { method }), /sequence 0, column \d: the score is/, `${dtype} ${method}`)
      model.dispose()
    }
  })

  test(`${backend}: the largest cell scales (1000) with large f32 inputs give E_NUMERIC`, async (t) => {
    const cell = { g: 'identity', gScale: 1000, h: 'identity', hScale: 1000 }
    const model = await identityModel(backend, 'f32', cell)
    const input = [
      [1e30, 1e30],
      [1e30, -1e30],
    ]
    numericError(t, () => model.predict(input), /the (score|probability) is/, 'predict')
    for (const method of METHODS) numericError(t, () => model.explain(input, { method }), /the score is/, method)
    model.dispose()
  })

  test(`${backend}: an f64 input near the largest double overflows CD's relevance though the scores are finite`, async (t) => {
    const model = await identityModel(backend, 'f64')
    const input = [
      [1.7e308, 1.7e308],
      [1.7e308, 1.7e308],
    ]
    const scores = model.predict([
      [1e300, 1e300],
      [1e300, 1e300],
    ]).scores
    t.true(Array.from(scores).every(Number.isFinite))
    numericError(t, () => model.explain(input, { method: 'cd' }), /sequence 0, step \d, column \d: the (input|per-step) relevance is/, 'cd')
    model.dispose()
  })

  test(`${backend}: explainBatch of many sequences rejects with the kernel's message for the one that overflows`, async (t) => {
    // Enough sequences that the native addon runs the call on a thread of its own
    // (bindings/napi/steady_threads.h): the kernel's message must come from that thread.
    const model = await identityModel(backend, 'f64')
    const items = Array.from({ length: 40 }, (_, n) =>
      n === 25
        ? [
            [1.7e308, 1.7e308],
            [1.7e308, 1.7e308],
          ]
        : [
            [1, 2],
            [3, 4],
          ],
    )
    const error = await t.throwsAsync(model.explainBatch(items, { method: 'cd' }))
    t.true(error instanceof LstmLrpError, String(error))
    t.is((error as LstmLrpError).code, 'E_NUMERIC', error?.message)
    t.regex(error?.message ?? '', /^sequence 25, step \d, column \d: the (input|per-step) relevance is/)
    model.dispose()
  })

  test(`${backend}: a loss that overflows gives E_NUMERIC from evaluate, gradients and train, and train leaves the weights as they were`, async (t) => {
    // Scores near 1e200 are finite; their squares are not.
    const model = scaled(await identityModel(backend, 'f64', IDENTITY_CELL, 'regression'), 1e200, backend, 'head.weight')
    const data = [
      {
        input: [
          [1, 2],
          [3, 4],
        ],
        target: [0, 0],
      },
    ]
    t.true(Array.from(model.predict(data[0].input).scores).every(Number.isFinite))
    const before = Array.from(model.weights.get('head.weight')!.data)
    assertLibraryError(t, await model.evaluate(data, { loss: 'mse' }).catch((error: unknown) => error), 'E_NUMERIC', /the loss is inf/, 'evaluate')
    t.throws(() => model.gradients(data, { loss: 'mse' }), { code: 'E_NUMERIC', message: /the loss is inf/ })
    const training = await model.train(data, { loss: 'mse', epochs: 1 }).catch((error: unknown) => error)
    assertLibraryError(t, training, 'E_NUMERIC', /the loss is inf/, 'train')
    t.deepEqual(Array.from(model.weights.get('head.weight')!.data), before)
    model.dispose()
  })

  test(`${backend}: an optimiser update that overflows gives E_NUMERIC and leaves the weights as they were`, async (t) => {
    const model = await identityModel(backend, 'f32', IDENTITY_CELL, 'regression')
    const data = [
      {
        input: [
          [1, 2],
          [3, 4],
        ],
        target: [0, 0],
      },
    ]
    const before = new Map(Array.from(model.weights, ([name, tensor]) => [name, Array.from(tensor.data)]))
    for (const optimizer of ['adam', 'adagrad'] as const) {
      const training = await model.train(data, { loss: 'mse', epochs: 1, optimizer, lr: 1e300 }).catch((error: unknown) => error)
      assertLibraryError(t, training, 'E_NUMERIC', /the update of \S+ at flat index \d+ is not finite/, optimizer)
    }
    for (const [name, tensor] of model.weights) t.deepEqual(Array.from(tensor.data), before.get(name), name)
    t.true(Array.from(model.predict(data[0].input).scores).every(Number.isFinite))
    model.dispose()
  })

  test(`${backend}: cell scales above 1000 are refused by the kernel before anything runs`, async (t) => {
    const model = await identityModel(backend, 'f64')
    const desc = kernelModelDesc(model.config, 'f64', new Map(model.weights))
    for (const [name, scale] of [
      ['gScale', 1e308],
      ['hScale', 1000.001],
    ] as const) {
      const bad: KernelModelDesc = { ...desc, layers: desc.layers.map((layer) => ({ ...layer, cell: { ...layer.cell, [name]: scale } })) }
      t.throws(() => loadBackend(backend).createModel(bad), { code: 'E_KERNEL', message: new RegExp(`layers\\.0\\.cell: ${name} must be in \\(0, 1000\\]`) })
    }
    model.dispose()
  })
}

test('config: gScale 1e308 is refused with E_CONFIG', async (t) => {
  const error = await createModel({ inputSize: 1, layers: [{ hiddenSize: 1, cell: { gScale: 1e308 } }], head: { outputs: 2 } }).catch((caught: unknown) => caught)
  assertLibraryError(t, error, 'E_CONFIG', /gScale: expected a number in \(0, 1000\]/, 'gScale 1e308')
})

for (const backend of BACKENDS) {
  test(`${backend} CLI: predict and explain of a model whose weights overflow exit 1 with one line and write nothing`, async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-numeric-'))
    try {
      const file = path.join(dir, 'huge.safetensors')
      writeFileSync(file, await saveModel(scaled(await identityModel(backend, 'f64'), 1e200, backend)))
      for (const command of ['predict', 'explain']) {
        const run = await runCli([command, '--model', file, '--backend', backend, '--progress', 'never'], '{"x": [[1, 2], [3, 4]]}\n')
        t.is(run.code, 1, `${command}: ${run.stderr}`)
        t.is(run.stdout, '', command)
        t.regex(run.stderr, /^lstm-lrp: .*the score is .*overflow the arithmetic\n$/, command)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
}
