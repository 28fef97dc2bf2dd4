// SmoothGrad (docs/METHODS.md § SmoothGrad): the kernel against the float64 reference (the same draws)
// on LSTM and GRU architectures, every base method and dtype (on the backend LSTM_LRP_BACKEND picks);
// no noise gives the base method, one copy is the base method at x + σ ε_1, the mean's spread
// shrinks with the copies; batch, threads and seeds; every bad option; the CLI and the service.
import test from 'ava'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadModel, tokenizeText, type ExplainOptions, type Explanation, type Model } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'
import { REF_PRESETS, type RefInput, type RefModel } from './reference/model.js'
import { noisyCopies, refSmoothGrad, type SmoothedBase } from './reference/smoothgrad.js'
import { randomRefModel, randomSequence, type RefArchitecture } from './reference/random.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { GRU_ARCHITECTURES, GRU_RESET_AFTER } from './helpers/gru-architectures.js'
import { TOLERANCE, apiInput, explicitTarget, setUp, stepsOf, weightsFor } from './helpers/kernel-cases.js'
import { assertClose, maxAbs, near } from './helpers/compare.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { rawKernel } from './helpers/raw-kernel.js'
import { runCli } from './helpers/run-cli.js'
import { post, startServer } from './helpers/serve.js'

const BASES: SmoothedBase[] = ['gradient', 'gradient-x-input', 'integrated-gradients']
const IG = { steps: 3, rule: 'gauss-legendre' as const }
/** The base methods are computed along other code paths than SmoothGrad's copies: the same value up to rounding, in float64. */
const SAME_AS_BASE = 1e-12

const CASES: Record<string, RefArchitecture> = {
  'uni, head bias': ARCHITECTURES['uni, head bias'],
  'stacked uni, readout each': ARCHITECTURES['stacked uni, readout each'],
  'custom cell (relu g, identity h, no output gate, mixed connections)': ARCHITECTURES['custom cell (relu g, identity h, no output gate, mixed connections)'],
  'GRU reset before U_n, readout each': GRU_ARCHITECTURES['GRU reset before U_n, readout each'],
  'bi-GRU, embedding': GRU_ARCHITECTURES['bi-GRU, embedding'],
  'stacked bidirectional LSTM and GRU over an embedding, readout each': {
    inputSize: 4,
    vocabSize: 11,
    layers: [
      { hiddenSize: 3, bidirectional: true, cell: REF_PRESETS.standard },
      { hiddenSize: 2, bidirectional: true, cell: GRU_RESET_AFTER },
    ],
    outputs: 3,
    headBias: true,
    readout: 'each',
  },
}

function baselineVector(ref: RefModel): number[] {
  return Array.from({ length: ref.inputSize }, (_, j) => 0.2 - 0.15 * j)
}

function smoothOptions(base: SmoothedBase, samples: number, noise: number, seed: number, baseline: number[] | null): ExplainOptions {
  return { method: 'smoothgrad', smoothgrad: { samples, noise, over: base }, seed, integratedGradients: { ...IG, baseline: baseline ?? 'zero' } }
}

/** The base method itself, with smoothOptions' integrated-gradients options and the given target. */
function baseOptions(base: SmoothedBase, baseline: number[] | null, target: ExplainOptions['target']): ExplainOptions {
  return { method: base, target, integratedGradients: { ...IG, baseline: baseline ?? 'zero' } }
}

/** An explanation's explicit target: its class, or [step, class]. */
function targetOf(explanation: Explanation): ExplainOptions['target'] {
  return explanation.target as ExplainOptions['target']
}

// ---------------------------------------------------------------- the kernel against the reference

let archSeed = 700
for (const name of Object.keys(CASES)) {
  archSeed += 10
  const seed = archSeed
  for (const dtype of ['f64', 'f32'] as DType[]) {
    test(`${name} [${dtype}]: SmoothGrad matches the reference (every base)`, async (t) => {
      const { ref, model, inputs } = await setUp(name, seed, dtype, CASES)
      for (const [n, input] of inputs.entries()) {
        for (const base of BASES) {
          const baseline = base === 'integrated-gradients' && n === 2 ? baselineVector(ref) : null
          const target = n === 1 ? explicitTarget(ref, stepsOf(input), seed + n) : undefined
          const options = { ...smoothOptions(base, 5, 0.3, seed + n, baseline), target }
          const got = model.explain(apiInput(input), options)
          const expected = refSmoothGrad(ref, input, weightsFor(got, ref), { samples: 5, noise: 0.3, seed: seed + n, base, integratedGradients: { ...IG, baseline } })
          const what = `${base}, T=${got.steps}`
          const scale = Math.max(maxAbs(expected.relevance.flat()), maxAbs(got.scores))
          assertClose(t, got.relevance, expected.relevance.flat(), TOLERANCE[dtype], `${what}: relevance`, scale)
          assertClose(t, got.perStep, expected.perStep, TOLERANCE[dtype], `${what}: perStep`, scale)
          if (expected.completeness === null) t.is(got.completeness, null, `${what}: no completeness report`)
          else for (const field of ['difference', 'sum', 'delta'] as const) near(t, got.completeness![field], expected.completeness[field], TOLERANCE[dtype], scale, `${what}: completeness.${field}`)
          t.is(got.conservation, null)
        }
      }
      model.dispose()
    })
  }
}

test('copies spread over several groups and shares match the reference: many short copies, and long ones of one pass per group', async (t) => {
  // 3000 steps of this model fill the 2 MiB of a group with one pass, so some groups hold only a copy's forward-only pass.
  const ref = randomRefModel(71, ARCHITECTURES['uni, head bias'])
  for (const dtype of ['f64', 'f32'] as DType[]) {
    const model = await loadModel(refModelFile(ref, dtype))
    for (const [base, steps, samples] of [
      ['gradient-x-input', 300, 40],
      ['integrated-gradients', 3000, 3],
    ] as const) {
      const x = randomSequence(72, steps, ref.inputSize)
      const baseline = base === 'integrated-gradients' ? baselineVector(ref) : null
      const got = model.explain(x, smoothOptions(base, samples, 0.2, 8, baseline))
      const expected = refSmoothGrad(ref, { x }, weightsFor(got, ref), { samples, noise: 0.2, seed: 8, base, integratedGradients: { ...IG, baseline } })
      const scale = Math.max(maxAbs(expected.relevance.flat()), maxAbs(got.scores))
      assertClose(t, got.relevance, expected.relevance.flat(), TOLERANCE[dtype], `${base} [${dtype}], T=${steps}: relevance`, scale)
      if (expected.completeness) near(t, got.completeness!.difference, expected.completeness.difference, TOLERANCE[dtype], scale, `${base} [${dtype}]: difference`)
    }
    model.dispose()
  }
})

// ---------------------------------------------------------------- no noise, one copy, many copies

for (const name of ['stacked uni, readout each', 'bi-GRU, embedding', 'stacked bidirectional LSTM and GRU over an embedding, readout each']) {
  test(`${name}: with noise 0, SmoothGrad is its base method (every base, within ${SAME_AS_BASE} in f64)`, async (t) => {
    const { ref, model, inputs } = await setUp(name, 41, 'f64', CASES)
    for (const input of inputs)
      for (const base of BASES) {
        const baseline = base === 'integrated-gradients' ? baselineVector(ref) : null
        const smooth = model.explain(apiInput(input), smoothOptions(base, 3, 0, 5, baseline))
        const plain = model.explain(apiInput(input), baseOptions(base, baseline, targetOf(smooth)))
        const scale = maxAbs(plain.relevance)
        assertClose(t, smooth.relevance, plain.relevance, SAME_AS_BASE, `${base}, T=${smooth.steps}: relevance`, scale)
        assertClose(t, smooth.perStep, plain.perStep, SAME_AS_BASE, `${base}, T=${smooth.steps}: perStep`, scale)
        t.deepEqual(smooth.scores, plain.scores)
        if (base === 'integrated-gradients')
          for (const field of ['difference', 'sum', 'delta'] as const) near(t, smooth.completeness![field], plain.completeness![field], SAME_AS_BASE, maxAbs(plain.scores), `${base}: completeness.${field}`)
      }
    model.dispose()
  })
}

test('one noisy copy is the base method at x + σ ε_1 given as the input (every base, every readout)', async (t) => {
  for (const name of ['uni, head bias', 'stacked uni, readout each', 'GRU reset before U_n, readout each']) {
    const { ref, model, inputs } = await setUp(name, 53, 'f64', CASES)
    for (const input of inputs) {
      const x = (input as { x: number[][] }).x
      const [noisy] = noisyCopies(x, 1, 0.4, 99)
      for (const base of BASES) {
        const baseline = base === 'integrated-gradients' ? baselineVector(ref) : null
        const smooth = model.explain(x, smoothOptions(base, 1, 0.4, 99, baseline))
        // The same target weights as the unperturbed input's (its argmax), and its scores.
        const plain = model.explain(noisy, baseOptions(base, baseline, targetOf(smooth)))
        const what = `${name}, ${base}, T=${x.length}`
        assertClose(t, smooth.relevance, plain.relevance, SAME_AS_BASE, `${what}: relevance`)
        t.deepEqual(smooth.scores, model.explain(x, { method: 'gradient' }).scores, `${what}: the scores are the input's`)
        if (base === 'integrated-gradients') near(t, smooth.completeness!.difference, plain.completeness!.difference, SAME_AS_BASE, maxAbs(plain.scores), `${what}: f(x̃) − f(x')`)
      }
    }
    model.dispose()
  }
})

test("the mean's spread over seeds shrinks about as 1/N with N copies", async (t) => {
  // Var(mean of N) = Var(R_k)/N: 64 copies against 4 should shrink the spread across seeds 16 times.
  // Estimated from 40 seeds each, the ratio stays within a factor 2 of 16 far beyond any chance
  // failure (each variance estimate has a relative standard error of about √(2/39) ≈ 0.23).
  const ref = randomRefModel(88, ARCHITECTURES['uni, head bias'])
  const model = await loadModel(refModelFile(ref, 'f64'))
  const x = randomSequence(89, 5, ref.inputSize)
  const spread = (samples: number): number => {
    const runs = Array.from({ length: 40 }, (_, seed) => model.explain(x, smoothOptions('gradient', samples, 0.5, 1000 + seed, null)).relevance)
    let total = 0
    for (let k = 0; k < runs[0].length; k++) {
      const mean = runs.reduce((sum, run) => sum + run[k], 0) / runs.length
      total += runs.reduce((sum, run) => sum + (run[k] - mean) ** 2, 0) / (runs.length - 1)
    }
    return total
  }
  const few = spread(4)
  const many = spread(64)
  t.true(many > 0 && few / many > 8 && few / many < 32, `spread with 4 copies ${few}, with 64 ${many}: ratio ${few / many}, expected about 16`)
  model.dispose()
})

// ---------------------------------------------------------------- batch, threads, seeds

const apiRef = randomRefModel(61, CASES['stacked bidirectional LSTM and GRU over an embedding, readout each'])
const apiInputs: RefInput[] = [{ tokens: [1, 4, 2, 9] }, { tokens: [3] }, { tokens: Array.from({ length: 30 }, (_, k) => (k * 7) % 11) }]

function bits(explanation: Explanation): number[] {
  const c = explanation.completeness
  return [...explanation.perStep, ...explanation.relevance, ...explanation.scores, ...(c ? [c.difference, c.sum, c.delta] : [])]
}

test('a batch gives what explain gives one at a time, bit for bit, on 1 and 2 threads', async (t) => {
  const one = await loadModel(refModelFile(apiRef, 'f32'), { threads: 1 })
  const two = await loadModel(refModelFile(apiRef, 'f32'), { threads: 2 })
  for (const base of BASES) {
    // Enough copies for several shares and, with 30 steps, several groups of copies.
    const options = smoothOptions(base, base === 'integrated-gradients' ? 9 : 200, 0.2, 7, null)
    const alone = apiInputs.map((input) => bits(one.explain(apiInput(input), options)))
    apiInputs.forEach((input, n) => t.deepEqual(bits(two.explain(apiInput(input), options)), alone[n], `${base}: 2 threads, input ${n}`))
    for (const model of [one, two]) {
      const batch = await model.explainBatch(apiInputs.map(apiInput), options)
      batch.forEach((got, n) => t.deepEqual(bits(got), alone[n], `${base}: in a batch, input ${n}`))
    }
  }
  one.dispose()
  two.dispose()
})

test('the same seed gives the same explanation; another seed another one', async (t) => {
  const model = await loadModel(refModelFile(apiRef, 'f64'))
  const input = apiInput(apiInputs[0])
  for (const base of BASES) {
    const first = bits(model.explain(input, smoothOptions(base, 4, 0.1, 12, null)))
    t.deepEqual(bits(model.explain(input, smoothOptions(base, 4, 0.1, 12, null))), first, `${base}: seed 12 twice`)
    t.notDeepEqual(bits(model.explain(input, smoothOptions(base, 4, 0.1, 13, null))), first, `${base}: seeds 12 and 13`)
    t.notDeepEqual(bits(model.explain(input, smoothOptions(base, 4, 0.1, 2 ** 32 - 1, null))), first, `${base}: seeds 12 and 2^32 − 1`)
  }
  const defaults = model.explain(input, { method: 'smoothgrad' })
  t.deepEqual(bits(defaults), bits(model.explain(input, smoothOptions('gradient', 32, 0.1, 0, null))), 'defaults: 32 copies, noise 0.1, the gradient, seed 0')
  model.dispose()
})

// ---------------------------------------------------------------- bad options

test('bad SmoothGrad options are E_OPTIONS errors that name the problem', async (t) => {
  const model = await loadModel(refModelFile(apiRef, 'f64'))
  const bad: [ExplainOptions, RegExp][] = [
    [{ smoothgrad: { over: 'lrp' as never } }, /^smoothgrad\.over must be one of gradient, gradient-x-input, integrated-gradients; got "lrp"$/],
    [{ smoothgrad: { noise: -0.1 } }, /^smoothgrad\.noise must be a finite number >= 0; got -0\.1$/],
    [{ smoothgrad: { noise: Number.NaN } }, /^smoothgrad\.noise must be a finite number >= 0; got NaN$/],
    [{ smoothgrad: { samples: 0 } }, /^smoothgrad\.samples must be an integer in \[1, 65536\]; got 0$/],
    [{ smoothgrad: { samples: 65537 } }, /^smoothgrad\.samples must be an integer in \[1, 65536\]; got 65537$/],
    [{ smoothgrad: { sigma: 1 } as never }, /^smoothgrad: unknown option 'sigma'/],
  ]
  for (const [options, message] of bad) t.throws(() => model.explain(apiInput(apiInputs[0]), { method: 'smoothgrad', ...options }), { code: 'E_OPTIONS', message }, JSON.stringify(options.smoothgrad))
  model.dispose()
})

test('the kernel itself rejects bad SmoothGrad options', async (t) => {
  const ref = randomRefModel(62, ARCHITECTURES['uni, head bias'])
  const kernel = await rawKernel(ref)
  const sequences = [randomSequence(63, 3, ref.inputSize)]
  const smooth = (overrides: Parameters<typeof kernel.explain>[2]) => () => kernel.explain(sequences, { method: 'smoothgrad' }, overrides)
  t.throws(smooth({ smoothgradNoise: -1 }), { code: 'E_KERNEL', message: /SmoothGrad noise must be finite and >= 0/ })
  t.throws(smooth({ smoothgradNoise: Number.NaN }), { code: 'E_KERNEL', message: /SmoothGrad noise must be finite and >= 0/ })
  t.throws(smooth({ smoothgradNoise: Number.POSITIVE_INFINITY }), { code: 'E_KERNEL', message: /SmoothGrad noise must be finite and >= 0/ })
  t.throws(smooth({ samples: 0 }), { code: 'E_KERNEL', message: /samples must be in \[1, 65536\]; got 0/ })
  t.throws(smooth({ samples: 65537 }), { code: 'E_KERNEL', message: /samples must be in \[1, 65536\]; got 65537/ })
  for (const code of [0, 3, 9, -1]) t.throws(smooth({ smoothgradBase: code }), { code: 'E_KERNEL', message: new RegExp(`SmoothGrad smooths the gradient, gradient x input or integrated gradients; got method ${code}`) })
  t.throws(smooth({ smoothgradBase: 5, igSteps: 0 }), { code: 'E_KERNEL', message: /integrated-gradients steps must be in \[1, 4096\]; got 0/ })
  t.notThrows(smooth({ samples: 2, smoothgradNoise: 0, smoothgradBase: 5 }))
  kernel.dispose()
})

// ---------------------------------------------------------------- CLI and service on the shipped SST model

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SENTENCES = [{ text: 'A gorgeous, witty film.' }, { text: 'Not a bad film, really.', target: 'negative' }]
const FLAGS = ['--method', 'smoothgrad', '--noise', '0.05', '--samples', '8', '--smooth-over', 'gradient-x-input']

async function sstModel(): Promise<Model> {
  return loadModel(path.join(root, 'models', 'sst-bilstm.safetensors'))
}

test('CLI: explain --method smoothgrad --noise --samples --smooth-over on the SST model', async (t) => {
  const run = await runCli(['explain', '--format', 'jsonl', ...FLAGS, '--seed', '3'], SENTENCES.map((line) => JSON.stringify(line)).join('\n'))
  t.is(run.code, 0, run.stderr)
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { method: string; perStep: number[]; tokens: string[]; completeness?: unknown })
  t.is(lines.length, 2)
  const model = await sstModel()
  const options = { method: 'smoothgrad', smoothgrad: { noise: 0.05, samples: 8, over: 'gradient-x-input' }, seed: 3 } as const
  const expected = model.explain({ tokens: tokenizeText(SENTENCES[0].text, model.config).ids }, options)
  t.deepEqual(lines[0].perStep, Array.from(expected.perStep))
  t.true(lines.every((line) => line.perStep.every(Number.isFinite) && line.perStep.some((r) => r !== 0)))
  model.dispose()
  const bad = await runCli(['explain', '--method', 'smoothgrad', '--noise', '-1'], SENTENCES.map((line) => JSON.stringify(line)).join('\n'))
  t.is(bad.code, 1)
  t.regex(bad.stderr, /smoothgrad\.noise must be a finite number >= 0; got -1/)
})

test("the service answers a SmoothGrad request with the CLI's line", async (t) => {
  const server = await startServer()
  try {
    const run = await runCli(['explain', '--format', 'jsonl', ...FLAGS], JSON.stringify(SENTENCES[1]))
    t.is(run.code, 0, run.stderr)
    const answer = await post(server.url, '/v1/explain', {
      ...SENTENCES[1],
      method: 'smoothgrad',
      smoothgrad: { noise: 0.05, samples: 8, over: 'gradient-x-input' },
      relevance: true,
    })
    t.is(answer.status, 200, answer.text)
    t.deepEqual(answer.json(), JSON.parse(run.stdout))
    const over = await post(server.url, '/v1/explain', { ...SENTENCES[0], method: 'smoothgrad', smoothgrad: { over: 'integrated-gradients', samples: 2 }, integratedGradients: { steps: 4 } })
    t.is(over.status, 200, over.text)
    t.truthy(over.json().completeness, 'over integrated gradients: the completeness report')
  } finally {
    await server.stop()
  }
})
