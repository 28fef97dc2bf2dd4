// What Shapley values, KernelSHAP and LIME promise beyond their values: a sequence's explanation does not
// depend on its batch or the threads, the seed decides the draws, bad options are one-line errors (the
// facade's and the kernel's own), and the CLI and the service run them on the shipped SST model.
import test from 'ava'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadModel, type ExplainOptions } from '../lib/index.js'
import { randomRefModel, randomSequence } from './reference/random.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { rawKernel } from './helpers/raw-kernel.js'
import { runCli } from './helpers/run-cli.js'
import { post, startServer } from './helpers/serve.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ref = randomRefModel(1201, ARCHITECTURES['stacked bidirectional, head bias'])
const sequences = [5, 1, 9, 3].map((T, n) => randomSequence(1210 + n, T, ref.inputSize))

const CASES: Record<string, ExplainOptions> = {
  'sampled Shapley values': { method: 'shapley', shapley: { samples: 6 }, seed: 4 },
  'exact Shapley values': { method: 'shapley', shapley: { samples: 'exact' } },
  KernelSHAP: { method: 'kernel-shap', kernelShap: { samples: 40 }, seed: 4 },
  LIME: { method: 'lime', lime: { samples: 30 }, seed: 4 },
}

const bits = (values: ArrayLike<number>) => Array.from(values)

for (const [name, options] of Object.entries(CASES)) {
  test(`${name}: a sequence's explanation in a batch is its explanation alone, bit for bit, whatever the threads`, async (t) => {
    const one = await loadModel(refModelFile(ref, 'f32'), { threads: 1 })
    const many = await loadModel(refModelFile(ref, 'f32'), { threads: 4 })
    const batch = await many.explainBatch(sequences, options)
    for (const [n, x] of sequences.entries()) {
      for (const [what, alone] of [
        ['one thread', one.explain(x, options)],
        ['four threads', many.explain(x, options)],
      ] as const) {
        t.deepEqual(bits(batch[n].perStep), bits(alone.perStep), `sequence ${n}, ${what}: perStep`)
        t.deepEqual(bits(batch[n].relevance), bits(alone.relevance), `sequence ${n}, ${what}: relevance`)
        t.deepEqual(batch[n].completeness, alone.completeness, `sequence ${n}, ${what}: completeness`)
      }
    }
    one.dispose()
    many.dispose()
  })
}

test('the seed decides the draws: the same seed gives the same values, another seed other values', async (t) => {
  const model = await loadModel(refModelFile(ref, 'f64'))
  const x = sequences[2]
  for (const name of ['sampled Shapley values', 'KernelSHAP', 'LIME']) {
    const options = CASES[name]
    const first = model.explain(x, options).perStep
    t.deepEqual(bits(model.explain(x, options).perStep), bits(first), `${name}: same seed`)
    t.notDeepEqual(bits(model.explain(x, { ...options, seed: 2 ** 32 - 1 }).perStep), bits(first), `${name}: another seed`)
  }
  const exact = CASES['exact Shapley values']
  t.deepEqual(bits(model.explain(x, { ...exact, seed: 7 }).perStep), bits(model.explain(x, exact).perStep), 'exact values draw nothing')
  model.dispose()
})

test('a replacement vector and the prob score change the values; Σ perStep stays v(all) − v(∅)', async (t) => {
  const model = await loadModel(refModelFile(ref, 'f64'))
  const x = sequences[0]
  const plain = model.explain(x, CASES['exact Shapley values'])
  for (const occlusion of [{ replacement: [0.5, -0.25, 1] }, { score: 'prob' as const }]) {
    const changed = model.explain(x, { ...CASES['exact Shapley values'], occlusion })
    t.notDeepEqual(bits(changed.perStep), bits(plain.perStep), JSON.stringify(occlusion))
    t.true(Math.abs(changed.completeness!.delta) < 1e-12, JSON.stringify(occlusion))
  }
  model.dispose()
})

test('bad sampling options are E_OPTIONS errors that name the problem', async (t) => {
  const model = await loadModel(refModelFile(ref, 'f64'))
  const x = sequences[0]
  const bad: [ExplainOptions, RegExp][] = [
    [{ method: 'shapley', shapley: { samples: 7 } }, /shapley\.samples must be even \(permutations come in antithetic pairs\) or 'exact'; got 7/],
    [{ method: 'shapley', shapley: { samples: 0 } }, /shapley\.samples must be an integer in \[1, 65536\]; got 0/],
    [{ method: 'kernel-shap', kernelShap: { samples: 65537 } }, /kernelShap\.samples must be an integer in \[1, 65536\]; got 65537/],
    [{ method: 'lime', lime: { samples: 0 } }, /lime\.samples must be an integer in \[1, 65536\]; got 0/],
    [{ method: 'lime', seed: 1.5 }, /seed must be an integer in \[0, 4294967295\]; got 1\.5/],
    [{ method: 'lime', lime: { kernelWidth: 0 } }, /lime\.kernelWidth must be a finite number > 0; got 0/],
    [{ method: 'lime', lime: { ridge: -1 } }, /lime\.ridge must be a finite number >= 0; got -1/],
  ]
  for (const [options, message] of bad) t.throws(() => model.explain(x, options), { code: 'E_OPTIONS', message }, JSON.stringify(options))
  t.throws(() => model.explain(randomSequence(1, 17, 3), CASES['exact Shapley values']), {
    code: 'E_KERNEL',
    message: /exact Shapley values need sequences of at most 16 steps; sequence 0 has 17/,
  })
  model.dispose()
})

test('deletion removes steps for every coalition method with readout last, and is refused with readout each', async (t) => {
  const model = await loadModel(refModelFile(ref, 'f64'))
  const deleted = model.explain(sequences[0], { ...CASES['exact Shapley values'], occlusion: { replacement: 'delete' } })
  t.true(Math.abs(deleted.completeness!.delta) < 1e-12)
  model.dispose()
  const each = await loadModel(refModelFile(randomRefModel(1202, ARCHITECTURES['stacked uni, readout each']), 'f64'))
  for (const [name, options] of Object.entries({ 'Shapley values': CASES['sampled Shapley values'], KernelSHAP: CASES.KernelSHAP, LIME: CASES.LIME }))
    t.throws(() => each.explain(randomSequence(2, 4, 2), { ...options, occlusion: { replacement: 'delete' } }), {
      message: new RegExp(`${name} by deletion needs readout 'last'`),
    })
  each.dispose()
})

test('the kernel itself rejects bad sampling options', async (t) => {
  const kernel = await rawKernel(ref)
  const run = (options: ExplainOptions, overrides: Record<string, unknown>) => () => kernel.explain(sequences, options, overrides)
  t.throws(run(CASES['sampled Shapley values'], { samples: 0 }), { code: 'E_KERNEL', message: /samples must be in \[1, 65536\]; got 0/ })
  t.throws(run(CASES.KernelSHAP, { samples: 65537 }), { code: 'E_KERNEL', message: /samples must be in \[1, 65536\]; got 65537/ })
  t.throws(run(CASES['sampled Shapley values'], { samples: 5 }), { code: 'E_KERNEL', message: /samples must be even; got 5/ })
  t.throws(run(CASES['sampled Shapley values'], { shapleyExact: 2 }), { code: 'E_KERNEL', message: /exact Shapley values must be 0 or 1; got 2/ })
  t.throws(() => kernel.explain([randomSequence(3, 17, 3)], CASES['exact Shapley values'], {}), {
    code: 'E_KERNEL',
    message: /exact Shapley values need sequences of at most 16 steps; sequence 0 has 17/,
  })
  t.throws(run(CASES.LIME, { limeKernelWidth: 0 }), { code: 'E_KERNEL', message: /LIME kernel width must be finite and > 0/ })
  t.throws(run(CASES.LIME, { limeRidge: -1 }), { code: 'E_KERNEL', message: /LIME ridge must be finite and >= 0/ })
  t.throws(run(CASES.KernelSHAP, { samples: 2 }), { code: 'E_KERNEL', message: /^sequence 0: KernelSHAP: 2 sampled coalitions do not determine the values of 5 steps \(singular system\); give more samples$/ })
  t.throws(run(CASES.LIME, { samples: 3, limeRidge: 0 }), {
    code: 'E_KERNEL',
    message: /^sequence 0: LIME: 3 sampled masks do not determine the weights of 5 steps \(singular system\); give more samples or a ridge > 0$/,
  })
  t.notThrows(run(CASES.LIME, { samples: 3, limeRidge: 0.5 }))
  kernel.dispose()
})

test('CLI: explain --method shapley --shapley-samples 8 --seed 3 on the shipped SST model prints the values and the completeness', async (t) => {
  const tokens = [3, 17, 42, 8, 5]
  const run = await runCli(['explain', '--format', 'jsonl', '--method', 'shapley', '--shapley-samples', '8', '--seed', '3'], JSON.stringify({ tokens }) + '\n')
  t.is(run.code, 0, run.stderr)
  const line = JSON.parse(run.stdout) as { perStep: number[]; completeness: { difference: number; sum: number; delta: number } }
  const model = await loadModel(path.join(root, 'models', 'sst-bilstm.safetensors'))
  const expected = model.explain({ tokens }, { method: 'shapley', shapley: { samples: 8 }, seed: 3 })
  t.deepEqual(line.perStep, bits(expected.perStep))
  t.deepEqual(line.completeness, expected.completeness)
  t.true(Math.abs(line.completeness.delta) < 1e-5 * Math.abs(line.completeness.difference) + 1e-6)
  model.dispose()
})

test('the service answers a Shapley request as the CLI prints it', async (t) => {
  const server = await startServer()
  try {
    const body = { text: 'Not a bad film, really.', method: 'shapley', shapley: { samples: 8 }, seed: 3, relevance: true }
    const answer = await post(server.url, '/v1/explain', body)
    t.is(answer.status, 200, answer.text)
    const cli = await runCli(['explain', '--format', 'jsonl', '--method', 'shapley', '--shapley-samples', '8', '--seed', '3'], JSON.stringify({ text: body.text }) + '\n')
    t.deepEqual(answer.json(), JSON.parse(cli.stdout))
  } finally {
    await server.stop()
  }
})

test("KernelSHAP's and LIME's normal equations count in the call's memory estimate: a 300 000-step sequence is refused before any work", async (t) => {
  const model = await loadModel(refModelFile(ref, 'f32'))
  const long = Array.from({ length: 300_000 }, () => [0.1, 0.2, 0.3])
  for (const method of ['kernel-shap', 'lime'] as const) t.throws(() => model.explain(long, { method }), { code: 'E_MEMORY', message: /explaining a batch of 300000 steps/ })
  model.dispose()
})
