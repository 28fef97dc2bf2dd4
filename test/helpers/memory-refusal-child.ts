// Run by test/memory-estimates.test.ts in a child process under a memory guard: asks calls of a
// small model one after another, on a million steps (a true need of many GiB) or, for the '-fits'
// calls, on 8000 steps (about 0.3 GiB of scores and probabilities), and prints for each
// { call, code, message, seconds, rssGrowth }, the growth since before the first call.
import { createModel, LstmLrpError, type Model } from '../../lib/index.js'

const [backend, readout, ...calls] = process.argv.slice(2)
const STEPS = 1_000_000
const FITTING_STEPS = 8000

/** Readout 'each': 2000 outputs per step. Readout 'last': a 4096-wide embedding per step. */
const ARCHITECTURES: Record<string, unknown> = {
  each: { inputSize: 1, layers: [{ hiddenSize: 2 }], head: { outputs: 2000, readout: 'each' } },
  last: { inputSize: 4096, embedding: { vocabSize: 2 }, layers: [{ hiddenSize: 2 }], head: { outputs: 2 } },
}

const input = readout === 'each' ? { data: new Float32Array(STEPS), steps: STEPS } : { tokens: new Int32Array(STEPS) }
const fitting = { data: new Float32Array(FITTING_STEPS), steps: FITTING_STEPS }
const item = { input, target: readout === 'each' ? Array.from({ length: STEPS }, () => [0]) : [0] }

const CALLS: Record<string, (model: Model) => unknown> = {
  predict: (model) => model.predict(input),
  lrp: (model) => model.explain(input),
  'lrp-target': (model) => model.explain(input, { target: [STEPS - 1, 3] }),
  gradient: (model) => model.explain(input, { method: 'gradient' }),
  'gradient-x-input': (model) => model.explain(input, { method: 'gradient-x-input' }),
  occlusion: (model) => model.explain(input, { method: 'occlusion' }),
  cd: (model) => model.explain(input, { method: 'cd' }),
  'cd-phrase': (model) => model.explain(input, { method: 'cd', cd: { phrase: [0, 2] } }),
  'integrated-gradients': (model) => model.explain(input, { method: 'integrated-gradients', integratedGradients: { steps: 64 } }),
  'explain-batch': (model) => model.explainBatch([input, input]),
  evaluate: (model) => model.evaluate([item], { loss: 'cross-entropy' }),
  gradients: (model) => model.gradients([item], { loss: 'cross-entropy' }),
  train: (model) => model.train([item], { epochs: 1, loss: 'cross-entropy' }),
  'predict-fits': (model) => model.predict(fitting),
  'lrp-fits': (model) => model.explain(fitting, { target: [FITTING_STEPS - 1, 1] }),
}

const model = await createModel(ARCHITECTURES[readout], { backend: backend as 'native' | 'wasm', seed: 1 })
const before = process.memoryUsage().rss
const reports = []
for (const call of calls) {
  const started = performance.now()
  let result: { code: string; message: string }
  try {
    await CALLS[call](model)
    result = { code: 'none', message: 'the call succeeded' }
  } catch (error) {
    result = error instanceof LstmLrpError ? { code: error.code, message: error.message } : { code: 'other', message: String(error) }
  }
  const seconds = (performance.now() - started) / 1000
  reports.push({ call, ...result, seconds, rssGrowth: process.memoryUsage().rss - before })
}
console.log(JSON.stringify(reports))
