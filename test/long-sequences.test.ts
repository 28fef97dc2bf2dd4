// A million steps through every API path that takes per-step arrays: nothing may depend on how
// many arguments a JavaScript call accepts (spreading 10^6 values into push() or Math.max()
// overflows the stack). Readout 'each' makes targets and init vectors a million rows long.
import test from 'ava'
import { createModel } from '../lib/index.js'

const STEPS = 1_000_000
const OUTPUTS = 2
const ARCHITECTURE = { inputSize: 1, layers: [{ hiddenSize: 1 }], head: { outputs: OUTPUTS, readout: 'each' } }

function rowsOf(steps: number, row: (t: number) => number[]): number[][] {
  const rows = new Array<number[]>(steps)
  for (let t = 0; t < steps; t++) rows[t] = row(t)
  return rows
}

for (const backend of ['native', 'wasm'] as const) {
  test(`${backend}: predict and explain a million-step sequence with million-row targets, init vectors and inputs`, async (t) => {
    const model = await createModel(ARCHITECTURE, { backend, seed: 1 })
    const typed = { data: Float32Array.from({ length: STEPS }, (_, s) => Math.sin(s)), steps: STEPS }
    const nested = rowsOf(STEPS, (s) => [Math.sin(s)])

    const prediction = model.predict(nested)
    t.is(prediction.scores.length, STEPS * OUTPUTS)
    t.true(prediction.scores.every(Number.isFinite))

    const weights = rowsOf(STEPS, (s) => (s % 2 === 0 ? [1, 0] : [0, 1]))
    const byWeights = model.explain(typed, { target: { weights } })
    t.is(byWeights.relevance.length, STEPS)
    t.deepEqual(Array.from(byWeights.scores.subarray(0, 4)), Array.from(prediction.scores.subarray(0, 4)))

    const byInit = model.explain(nested, { init: weights, method: 'gradient' })
    t.is(byInit.perStep.length, STEPS)
    t.true(byInit.relevance.every(Number.isFinite))

    const byStep = model.explain(typed, { target: [STEPS - 1, 1] })
    t.deepEqual(byStep.target, [STEPS - 1, 1])

    const batch = await model.explainBatch([{ input: typed, target: { weights } }, { input: typed }])
    t.deepEqual(Array.from(batch[0].relevance.subarray(0, 8)), Array.from(byWeights.relevance.subarray(0, 8)))
    t.deepEqual(batch[1].target, [STEPS - 1, byStep.scores[(STEPS - 1) * OUTPUTS + 1] > byStep.scores[(STEPS - 1) * OUTPUTS] ? 1 : 0])
    model.dispose()
  })

  test(`${backend}: evaluate, gradients and train on a million-step sequence with a million targets`, async (t) => {
    const model = await createModel(ARCHITECTURE, { backend, seed: 1 })
    const item = { input: { data: new Float32Array(STEPS).fill(0.5), steps: STEPS }, target: Array.from({ length: STEPS }, (_, s) => s % 2) }
    const evaluation = await model.evaluate([item], { loss: 'cross-entropy' })
    t.true(Number.isFinite(evaluation.loss))
    t.true(Number.isFinite(model.gradients([item], { loss: 'cross-entropy' }).loss))
    const report = await model.train([item], { loss: 'cross-entropy', epochs: 1 })
    t.is(report.history.length, 1)
    model.dispose()
  })
}
