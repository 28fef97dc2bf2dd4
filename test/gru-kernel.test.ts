// GRU layers through the public API on the backend LSTM_LRP_BACKEND selects: a hand-computed forward pass
// and CD split, gradients against finite differences, LRP's conservation, batch = single and thread-count
// independence, training.
import test from 'ava'
import { createModel, loadModel, Model, saveModel, type ExplainOptions, type Explanation } from '../lib/index.js'
import type { Backend } from '../lib/backend/types.js'
import { loadNativeBackend } from '../lib/backend/native.js'
import { loadWasmBackend } from '../lib/backend/wasm-node.js'
import { parseConfig } from '../lib/model/config.js'
import { expectedTensors, writeModelFile } from '../lib/model/tensors.js'
import type { DType, ModelConfig, Tensor } from '../lib/model/types.js'
import { assertClose, maxAbs } from './helpers/compare.js'
import { mulberry32 } from './reference/random.js'

const DTYPES: DType[] = ['f32', 'f64']

/** A seeded uniform generator in [-scale, scale). */
function uniform(seed: number, scale: number): () => number {
  const next = mulberry32(seed)
  return () => (2 * next() - 1) * scale
}

/** The tensors of a config: the given values (by name), or seeded random ones; biases zero when asked. */
function tensorsOf(parsed: ModelConfig, dtype: DType, values: Record<string, number[]> | number, zeroBiases = false): Map<string, Tensor> {
  const next = typeof values === 'number' ? uniform(values, 0.8) : null
  const tensors = new Map<string, Tensor>()
  for (const { name, shape } of expectedTensors(parsed)) {
    const size = shape.reduce((a, b) => a * b, 1)
    const isBias = name.endsWith('.b') || name.endsWith('.b_hn') || name === 'head.bias'
    const given = next === null ? (values as Record<string, number[]>)[name] : Array.from({ length: size }, () => (isBias && zeroBiases ? 0 : next()))
    tensors.set(name, { dtype, shape, data: dtype === 'f32' ? Float32Array.from(given) : Float64Array.from(given) })
  }
  return tensors
}

/** The model of a config, loaded from its file on the backend LSTM_LRP_BACKEND selects. */
async function modelOf(config: unknown, dtype: DType, values: Record<string, number[]> | number, options: { zeroBiases?: boolean; threads?: number } = {}): Promise<Model> {
  const parsed = parseConfig(config)
  return loadModel(writeModelFile(parsed, tensorsOf(parsed, dtype, values, options.zeroBiases)), { threads: options.threads ?? 1 })
}

function sequence(seed: number, steps: number, features: number): number[][] {
  const next = uniform(seed, 1)
  return Array.from({ length: steps }, () => Array.from({ length: features }, next))
}

// A GRU with I = H = C = 1 and two steps x = (1, -1), written out by hand from
//   r = σ(W_r x + U_r h' + b_r), u = σ(W_u x + U_u h' + b_u), q = U_n h' + b_hn, a = W_n x + b_in + r q,
//   n = tanh(a), h = (1 - u) n + u h', score = 1.5 h_2 + 0.25,
// with W = (1, -1, 1), U = (0.5, 0.5, 2), b = (0, 0, 0.5), b_hn = 1:
//   t = 1 (h' = 0): r = σ(1) = 0.7310585786300049, u = σ(-1) = 0.2689414213699951, q = 1, a = 1 + 0.5 + r = 2.231058578630005,
//     n = tanh(a) = 0.9771873901534078, h_1 = (1 - u) n = 0.7143812245007144
//   t = 2: r = σ(-1 + 0.5 h_1) = 0.3446117498542282, u = σ(1 + 0.5 h_1) = 0.7953027191926731, q = 2 h_1 + 1 = 2.428762449001429,
//     a = -1 + 0.5 + r q = 0.3369800775306231, n = 0.3247786724715234, h_2 = (1 - u) n + u h_1 = 0.6346306415047439
//   score = 1.2019459622571158
// Keras' reset_after = false, the same weights but b = (0, 0, 1) (b_n) and a = W_n x + b_n + U_n (r h'):
//   t = 1: a = 1 + 1 = 2, n = 0.9640275800758169, h_1 = (1 - u) n = 0.7047606324503499
//   t = 2: r = σ(-1 + 0.5 h_1) = 0.3435261364401653, u = σ(1 + 0.5 h_1) = 0.7945185083241598,
//     a = -1 + 1 + 2 r h_1 = 0.48420739436159216, n = 0.4496068376538665, h_2 = 0.6523312500888172
//   score = 1.2284968751332257
const HAND_CASES = [
  { resetAfter: true, b: [0, 0, 0.5], score: 1.2019459622571158 },
  { resetAfter: false, b: [0, 0, 1], score: 1.2284968751332257 },
]

for (const dtype of DTYPES)
  for (const { resetAfter, b, score } of HAND_CASES)
    test(`${dtype}, resetAfter ${resetAfter}: a one-unit GRU's score is the hand-computed value`, async (t) => {
      const values: Record<string, number[]> = { 'layers.0.fwd.W': [1, -1, 1], 'layers.0.fwd.U': [0.5, 0.5, 2], 'layers.0.fwd.b': b, 'head.weight': [1.5], 'head.bias': [0.25] }
      if (resetAfter) values['layers.0.fwd.b_hn'] = [1]
      const model = await modelOf({ inputSize: 1, layers: [{ hiddenSize: 1, cell: { type: 'gru', resetAfter } }], head: { outputs: 1 }, task: 'regression' }, dtype, values)
      const tolerance = dtype === 'f64' ? 1e-14 : 1e-6
      t.true(Math.abs(model.predict([[1], [-1]]).scores[0] - score) < tolerance)
      model.dispose()
    })

// Each random architecture: a GRU alone, and mixed stacks of bidirectional GRUs and LSTMs, both reset modes and readouts.
const ARCHITECTURES: Record<string, object> = {
  gru: { inputSize: 3, layers: [{ hiddenSize: 4, cell: { type: 'gru' } }], head: { outputs: 2 } },
  'gru reset before': { inputSize: 3, layers: [{ hiddenSize: 4, cell: { type: 'gru', resetAfter: false } }], head: { outputs: 2 } },
  'bi-GRU over an LSTM': { inputSize: 3, layers: [{ hiddenSize: 3 }, { hiddenSize: 4, bidirectional: true, cell: { type: 'gru' } }], head: { outputs: 2 } },
  'LSTM over a bi-GRU (reset before), readout each': {
    inputSize: 3,
    layers: [{ hiddenSize: 3, bidirectional: true, cell: { type: 'gru', resetAfter: false } }, { hiddenSize: 4 }],
    head: { outputs: 2, readout: 'each' },
  },
}

// ∂f/∂x against central differences of the score, through Gradient × Input (x ⊙ ∂f/∂x), in f64.
for (const [name, config] of Object.entries(ARCHITECTURES))
  test(`${name}: the input gradient matches central finite differences`, async (t) => {
    const model = await modelOf(config, 'f64', 11)
    const x = sequence(5, 4, 3)
    const target = model.config.head.readout === 'last' ? 1 : ([2, 1] as [number, number])
    const scoreAt = (input: number[][]) => {
      const scores = model.predict(input).scores
      return typeof target === 'number' ? scores[target] : scores[target[0] * 2 + target[1]]
    }
    const explained = model.explain(x, { method: 'gradient-x-input', target })
    const h = 1e-6
    const expected = x.flatMap((row, step) =>
      row.map((value, feature) => {
        const shifted = (delta: number) => x.map((r, s) => r.map((v, f) => (s === step && f === feature ? v + delta : v)))
        return (value * (scoreAt(shifted(h)) - scoreAt(shifted(-h)))) / (2 * h)
      }),
    )
    assertClose(t, explained.relevance, expected, 1e-7, 'x ⊙ ∂f/∂x')
    model.dispose()
  })

// With zero biases, a tiny eps and biasFactor 1 nothing is absorbed: the input relevance sums to the relevance put in.
for (const dtype of DTYPES)
  for (const [name, config] of Object.entries(ARCHITECTURES))
    for (const rules of [{ rule: 'all' }, { rule: 'prop', rules: { update: 'half', reset: 'abs' } }] as ExplainOptions[])
      test(`${dtype}, ${name}, rule ${rules.rule}: LRP conserves relevance and its report adds up`, async (t) => {
        const model = await modelOf(config, dtype, 23, { zeroBiases: true })
        const eps = dtype === 'f64' ? 1e-12 : 1e-9
        const explained = model.explain(sequence(3, 5, 3), { ...rules, eps, productEps: eps, biasFactor: 1 })
        const report = explained.conservation!
        // What eps takes is eps / z of each message: small, but not at the rounding's level.
        const tolerance = dtype === 'f64' ? 1e-8 : 1e-4
        const scale = Math.max(Math.abs(report.input), 1e-3)
        t.true(Math.abs(report.inputs - report.input) < tolerance * scale, `inputs ${report.inputs} vs input ${report.input}`)
        t.true(Math.abs(report.absorbed) < tolerance * scale)
        t.true(Math.abs(report.initialState) < tolerance * scale)
        model.dispose()
      })

// With biases the report still closes, input = inputs + absorbed + initial state, however much of the biases'
// share biasFactor spreads over the inputs (under biasFactor 1 only eps and the product rules absorb).
for (const [name, config] of Object.entries(ARCHITECTURES))
  test(`${name}: with biases, LRP's conservation report closes for every biasFactor`, async (t) => {
    const model = await modelOf(config, 'f64', 31)
    for (const biasFactor of [0, 0.5, 1]) {
      const report = model.explain(sequence(8, 6, 3), { rule: 'prop', rules: { reset: 'abs' }, productEps: 0.01, biasFactor }).conservation!
      const scale = Math.max(Math.abs(report.input), 1)
      t.true(Math.abs(report.input - (report.inputs + report.absorbed + report.initialState)) < 1e-9 * scale, `biasFactor ${biasFactor}`)
      if (biasFactor === 0) t.true(Math.abs(report.absorbed) > 1e-6, 'the biases absorb relevance')
    }
    model.dispose()
  })

const METHODS: ExplainOptions[] = [
  { method: 'lrp', rule: 'prop', rules: { reset: 'half' }, biasFactor: 0.5 },
  { method: 'gradient' },
  { method: 'gradient-x-input' },
  { method: 'occlusion' },
  { method: 'occlusion', occlusion: { replacement: 'delete' } },
  { method: 'integrated-gradients', integratedGradients: { steps: 8 } },
  { method: 'cd' },
  { method: 'cd', cd: { convention: 'inclusive', phrase: [0, 1] } },
]

function sameBits(t: import('ava').ExecutionContext, a: Explanation, b: Explanation, what: string): void {
  t.deepEqual(Array.from(a.relevance), Array.from(b.relevance), `${what}: relevance`)
  t.deepEqual(Array.from(a.scores), Array.from(b.scores), `${what}: scores`)
  t.deepEqual(a.conservation, b.conservation, `${what}: conservation`)
  t.deepEqual(a.decomposition, b.decomposition, `${what}: decomposition`)
}

// A batch of different lengths equals its items explained alone, bit for bit, on 1 and 2 threads (a lone
// sequence spreads its passes over both).
for (const dtype of DTYPES)
  for (const [name, config] of Object.entries(ARCHITECTURES))
    test(`${dtype}, ${name}: batches equal single explanations bit for bit, on any thread count`, async (t) => {
      const one = await modelOf(config, dtype, 41)
      const two = await modelOf(config, dtype, 41, { threads: 2 })
      const inputs = [7, 2, 5, 1, 7].map((steps, n) => sequence(50 + n, steps, 3))
      for (const options of METHODS) {
        if (options.occlusion?.replacement === 'delete' && one.config.head.readout !== 'last') continue
        const deletable = options.occlusion?.replacement === 'delete' ? inputs.filter((input) => input.length > 1) : inputs
        const single = deletable.map((input) => one.explain(input, options))
        const batched = await one.explainBatch(deletable, options)
        const threaded = await two.explainBatch(deletable, options)
        single.forEach((explanation, n) => {
          sameBits(t, batched[n], explanation, `${options.method} item ${n} batched`)
          sameBits(t, threaded[n], explanation, `${options.method} item ${n} on 2 threads`)
          sameBits(t, two.explain(deletable[n], options), explanation, `${options.method} item ${n} alone on 2 threads`)
        })
      }
      one.dispose()
      two.dispose()
    })

test('a token GRU model gives the same bits with and without the input projection table', async (t) => {
  const config = { inputSize: 3, embedding: { vocabSize: 6 }, layers: [{ hiddenSize: 4, bidirectional: true, cell: { type: 'gru' } }], head: { outputs: 2 } }
  const parsed = parseConfig(config)
  const next = uniform(61, 0.8)
  const tensors = new Map<string, Tensor>(expectedTensors(parsed).map(({ name, shape }) => [name, { dtype: 'f64', shape, data: Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, next) }]))
  const bytes = writeModelFile(parsed, tensors)
  const withTable = await loadModel(bytes)
  const withoutTable = await loadModel(bytes, { inputProjectionTable: false })
  const tokens = { tokens: [0, 5, 2, 2, 4] }
  for (const options of METHODS.slice(0, 4)) sameBits(t, withTable.explain(tokens, options), withoutTable.explain(tokens, options), String(options.method))
  withTable.dispose()
  withoutTable.dispose()
})

// CD of the one-unit GRU above (resetAfter, W = (1, -1, 1), U = (0.5, 0.5, 2), b = (0, 0, 0.5), b_hn = 1,
// x = (1, -1)) for the phrase {0}: x_1 = 1 is all relevant, x_2 = -1 all irrelevant.
//   t = 1 (h' = 0, so q = b_hn is all bias): a^r = 1 relevant, bias 0: β_r = σ(1) - σ(0) = 0.2310585786300049,
//     bias part 0.5; a^u = -1: β_u = σ(-1) - 0.5 = -0.2310585786300049, bias part 0.5.
//     s = r q: β_s = β_r b_hn = 0.2310585786300049, bias part σ(0) b_hn = 0.5; a^n = 1 + s: β 1.2310585786300049, bias part 1.
//     β_n = tanh(2.231058578630005) - tanh(1) = 0.9771873901534078 - 0.7615941559557649 = 0.21559323419764298.
//     h_1 = (1 - u) n: β = -β_u (β_n + tanh 1) + 0.5 β_n = 0.33358414652283197, and the bias × bias term
//     0.5 tanh(1) = 0.38079707797788245 is γ (reference: t = 1 is the phrase's last step) or β (inclusive: γ = 0).
//   t = 2 (x_2 irrelevant), reference convention, with β_h' = 0.33358414652283197, γ_h' = 0.3807970779778824:
//     a^r: β 0.5 β_h' = 0.16679207326141598, γ -1 + 0.5 γ_h' = -0.8096014610110588: β_r = 0.039118969699521555, γ_r = -0.19450721984529334;
//     a^u: β 0.16679207326141598, γ 1 + 0.5 γ_h' = 1.1903985389889412: β_u = 0.0350460010739021, γ_u = 0.26025671811877105;
//     q: β 2 β_h' = 0.6671682930456639, γ 2 γ_h' = 0.7615941559557649; β_s = β_r (β_q + 1) + 0.5 β_q = 0.39880205246248834;
//     a^n: β 0.39880205246248834, γ -1 + γ_s = -1.0618219749318651, bias part 1: β_n = 0.2550101427320755;
//     h_2: β = -β_u (β_n + tanh 1) + 0.5 β_n + (β_u + 0.5) β_h' = 0.27036001964118206 (γ = 0.36427062186356185, β + γ = h_2).
//   Relevant 1.5 β = 0.4055400294617731, irrelevant 0.5464059327953428, bias 0.25: the score 1.2019459622571158.
//   Inclusive: t = 2 starts from β_h' = h_1 = 0.7143812245007144, γ_h' = 0 and gives β = 0.5740713605913178,
//   γ = 0.060559280913426106: relevant 0.8611070408869768, irrelevant 0.09083892137013916.
const HAND_CD = [
  { convention: 'reference', relevant: 0.4055400294617731, irrelevant: 0.5464059327953428 },
  { convention: 'inclusive', relevant: 0.8611070408869768, irrelevant: 0.09083892137013916 },
] as const

for (const dtype of DTYPES)
  test(`${dtype}: CD of a one-unit GRU for the phrase {0} is the hand-computed split`, async (t) => {
    const values = { 'layers.0.fwd.W': [1, -1, 1], 'layers.0.fwd.U': [0.5, 0.5, 2], 'layers.0.fwd.b': [0, 0, 0.5], 'layers.0.fwd.b_hn': [1], 'head.weight': [1.5], 'head.bias': [0.25] }
    const model = await modelOf({ inputSize: 1, layers: [{ hiddenSize: 1, cell: { type: 'gru' } }], head: { outputs: 1 }, task: 'regression' }, dtype, values)
    const tolerance = dtype === 'f64' ? 1e-14 : 1e-6
    const close = (got: number, expected: number, what: string) => t.true(Math.abs(got - expected) < tolerance, `${what}: ${got} vs ${expected}`)
    for (const { convention, relevant, irrelevant } of HAND_CD) {
      const phrase = model.explain([[1], [-1]], { method: 'cd', target: 0, cd: { convention, phrase: [0, 1] } })
      const d = phrase.decomposition!
      close(d.relevant, relevant, `${convention}: relevant`)
      close(d.irrelevant, irrelevant, `${convention}: irrelevant`)
      close(d.bias, 0.25, `${convention}: bias`)
      close(d.score, 1.2019459622571158, `${convention}: score`)
      close(phrase.perStep[0], relevant, `${convention}: perStep[0]`)
      t.is(phrase.perStep[1], 0)
    }
    // Without a phrase, step 0's decomposition is the phrase {0} under the default (reference) convention.
    close(model.explain([[1], [-1]], { method: 'cd', target: 0 }).perStep[0], HAND_CD[0].relevant, 'per step: perStep[0]')
    model.dispose()
  })

test('a GRU model has a gradient for every tensor, b_hn included, and training lowers its loss', async (t) => {
  const model = await modelOf(ARCHITECTURES.gru, 'f64', 3)
  const data = [0, 1, 2, 3].map((n) => ({ input: sequence(2 + n, 3, 3), target: n % 2 }))
  const before = model.gradients(data)
  t.deepEqual([...before.gradients.keys()].sort(), [...model.weights.keys()].sort())
  t.true(before.gradients.get('layers.0.fwd.b_hn')!.data.some((value) => value !== 0))
  await model.train(data, { epochs: 20, lr: 0.05, seed: 1 })
  const after = model.gradients(data)
  t.true(after.loss < 0.5 * before.loss, `loss ${before.loss} → ${after.loss}`)
  model.dispose()
})

test('a GRU cell config accepts type and resetAfter only, and writes them back', (t) => {
  const config = parseConfig({ inputSize: 2, layers: [{ hiddenSize: 2, cell: { type: 'gru' } }], head: { outputs: 1 } })
  t.deepEqual(config.layers[0].cell, { type: 'gru', resetAfter: true })
  t.deepEqual(
    expectedTensors(config).map(({ name, shape }) => [name, shape]),
    [
      ['layers.0.fwd.W', [6, 2]],
      ['layers.0.fwd.U', [6, 2]],
      ['layers.0.fwd.b', [6]],
      ['layers.0.fwd.b_hn', [2]],
      ['head.weight', [1, 2]],
      ['head.bias', [1]],
    ],
  )
  const error = t.throws(() => parseConfig({ inputSize: 2, layers: [{ hiddenSize: 2, cell: { type: 'gru', g: 'tanh' } }], head: { outputs: 1 } }))
  t.regex(error.message, /config\.layers\[0\]\.cell\.g: unknown key \(allowed: type, resetAfter\)/)
  t.throws(() => parseConfig({ inputSize: 2, layers: [{ hiddenSize: 2, cell: { type: 'rnn' } }], head: { outputs: 1 } }), { message: /unknown cell type "rnn"/ })
})

test('a new GRU model keeps its weights, b_hn included, through a saved file', async (t) => {
  for (const resetAfter of [true, false]) {
    const model = await createModel(
      { inputSize: 2, embedding: { vocabSize: 5 }, layers: [{ hiddenSize: 3, bidirectional: true, cell: { type: 'gru', resetAfter } }, { hiddenSize: 2 }], head: { outputs: 2 } },
      { seed: 3, dtype: 'f64' },
    )
    const again = await loadModel(await saveModel(model))
    t.deepEqual(again.config.layers[0].cell, { type: 'gru', resetAfter })
    t.deepEqual(
      [...again.weights.keys()].filter((name) => name.endsWith('.b_hn')),
      resetAfter ? ['layers.0.fwd.b_hn', 'layers.0.bwd.b_hn'] : [],
    )
    const input = { tokens: [1, 4, 2] }
    t.deepEqual(Array.from(again.predict(input).scores), Array.from(model.predict(input).scores))
    model.dispose()
    again.dispose()
  }
})

// Every SIMD level this machine runs gives the GRU the scalar kernels' results (f32: their own exp and tanh, FMA).
const SIMD_SETS: { name: string; load: () => Backend; levels: string[] }[] = [
  { name: 'native', load: loadNativeBackend, levels: ['avx512', 'avx2', 'sse2'] },
  { name: 'wasm', load: () => loadWasmBackend('simd'), levels: ['simd128'] },
]
const SIMD_TOLERANCE: Record<DType, number> = { f32: 2e-5, f64: 1e-12 }
// A product eps well above 0 keeps prop's denominators from amplifying f32 rounding.
const SIMD_OPTIONS: ExplainOptions[] = [{ method: 'lrp', rule: 'all' }, { method: 'lrp', rule: 'prop', productEps: 0.2 }, { method: 'gradient-x-input' }, { method: 'cd' }]

for (const { name: backendName, load, levels } of SIMD_SETS)
  for (const dtype of DTYPES)
    test.serial(`${backendName} [${dtype}]: GRU stacks give the scalar kernels' results on every supported SIMD level`, (t) => {
      const backend = load()
      const initial = backend.info().simd
      t.teardown(() => backend.selectSimd(initial))
      const available = levels.filter((level) => {
        try {
          backend.selectSimd(level)
          return true
        } catch {
          return false
        }
      })
      t.true(available.length > 0 || backendName === 'native', 'the SIMD build of WASM runs simd128')
      for (const config of Object.values(ARCHITECTURES)) {
        const parsed = parseConfig(config)
        const model = new Model(parsed, dtype, tensorsOf(parsed, dtype, 71), backend)
        const inputs = [1, 6, 13].map((steps, n) => sequence(80 + n, steps, 3))
        const results = (level: string) => {
          backend.selectSimd(level)
          return SIMD_OPTIONS.map((options) => inputs.map((input) => model.explain(input, options)))
        }
        const expected = results('scalar')
        for (const level of available)
          results(level).forEach((perMethod, m) =>
            perMethod.forEach((explanation, n) => {
              const what = `${level}, ${JSON.stringify(SIMD_OPTIONS[m])}, input ${n}`
              assertClose(t, explanation.scores, expected[m][n].scores, SIMD_TOLERANCE[dtype], `${what}: scores`)
              const scale = Math.max(maxAbs(expected[m][n].relevance), 1e-3)
              assertClose(t, explanation.relevance, expected[m][n].relevance, SIMD_TOLERANCE[dtype], `${what}: relevance`, scale)
            }),
          )
        model.dispose()
      }
    })
