// Property tests of the facade (docs/METHODS.md § Errors and lifetime) over random small models — uni- and bidirectional, one or
// two layers, every cell preset and custom cells, readout last and each, with and without an
// embedding — and random inputs and options: valid requests succeed with well-formed results,
// LRP conserves relevance, explainBatch equals explain bit for bit, and float32 agrees with
// float64 (invalid requests: test/property-errors.test.ts). Runs on the backend LSTM_LRP_BACKEND
// selects, with the seed of helpers/property-runs.
import test from 'ava'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { loadModel, saveModel, type Explanation, type Model } from '../lib/index.js'
import { explainOptionsArb, modelOf, modelSpecArb, scoreRows, sizedSequenceArb, targetArb, type Architecture } from './helpers/arbitraries.js'
import { batchCaseArb, batchItems, dtypeArb, explainCaseArb, withModel, type ExplainCase } from './helpers/property-cases.js'
import { explanationDifference, explanationsDifference } from './helpers/explanation-diff.js'
import { checkProperty } from './helpers/property-runs.js'
import { allFinite, maxAbs } from './helpers/compare.js'

function sum(values: ArrayLike<number>): number {
  let total = 0
  for (let k = 0; k < values.length; k++) total += values[k]
  return total
}

function largestDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let largest = 0
  for (let k = 0; k < expected.length; k++) largest = Math.max(largest, Math.abs(actual[k] - expected[k]))
  return largest
}

/** The first largest score of the last score row: the class explained when no target is given. */
function predictedClass(explanation: Explanation, outputs: number): number {
  const row = explanation.scores.subarray(explanation.scores.length - outputs)
  return row.indexOf(Math.max(...row))
}

/** The target an explanation must report: the options' target, or the predicted class at the last step. */
function assertReportedTarget(explanation: Explanation, { options, steps, spec }: ExplainCase): void {
  const { readout, outputs } = spec.architecture.head
  const target = options.target ?? predictedClass(explanation, outputs)
  if (typeof target === 'number') assert.deepEqual(explanation.target, readout === 'last' ? target : [steps - 1, target])
  else if (Array.isArray(target)) assert.deepEqual(explanation.target, target)
  // The generated cases give weights as arrays, never by label name.
  else assert.deepEqual(explanation.target, { weights: (target as { weights: number[] | number[][] }).weights.flat() })
}

/** Sizes, finiteness, the per-step sums, the method's report, and scores equal to predict's. */
function assertWellFormed(model: Model, explanation: Explanation, request: ExplainCase): void {
  const { spec, dtype, steps, input, options } = request
  const { inputSize, head } = spec.architecture
  const ArrayType = dtype === 'f32' ? Float32Array : Float64Array
  assert.equal(explanation.method, options.method ?? 'lrp')
  assert.equal(explanation.steps, steps)
  assert.equal(explanation.features, inputSize)
  for (const key of ['scores', 'relevance', 'perStep'] as const) {
    assert.ok(explanation[key] instanceof ArrayType, `${key} is a ${ArrayType.name}`)
    assert.ok(allFinite(explanation[key]), `${key} is finite: ${String(explanation[key])}`)
  }
  assert.equal(explanation.relevance.length, steps * inputSize)
  assert.equal(explanation.perStep.length, steps)
  assert.equal(explanation.scores.length, scoreRows(spec.architecture, steps) * head.outputs)
  assert.equal(explanationDifference({ ...explanation, scores: model.predict(input).scores }, explanation), null, 'scores equal predict()')
  // Rounding relative to the row, and an absolute floor for values near the dtype's underflow.
  const [tolerance, floor] = dtype === 'f32' ? [1e-5, 1e-30] : [1e-12, 1e-300]
  for (let t = 0; t < steps; t++) {
    const row = explanation.relevance.subarray(t * inputSize, (t + 1) * inputSize)
    const rowSum = sum(row)
    const scale = Math.max(maxAbs(row), Math.abs(explanation.perStep[t]))
    assert.ok(Math.abs(rowSum - explanation.perStep[t]) <= tolerance * scale + floor, `perStep[${t}] = ${explanation.perStep[t]} is the row sum ${rowSum}`)
  }
  const method = explanation.method
  assert.equal(explanation.conservation !== null, method === 'lrp', 'conservation report only for LRP')
  assert.equal(explanation.completeness !== null, method === 'integrated-gradients', 'completeness only for integrated gradients')
  assert.equal(explanation.decomposition !== null, method === 'cd' && options.cd?.phrase !== undefined, 'decomposition only for CD with a phrase')
  for (const report of [explanation.conservation, explanation.completeness, explanation.decomposition]) if (report !== null) assert.ok(allFinite(Object.values(report)), `report is finite: ${JSON.stringify(report)}`)
  assertReportedTarget(explanation, request)
}

test('valid requests on random models succeed with well-formed, finite results whose scores equal predict()', async (t) => {
  const property = fc.asyncProperty(explainCaseArb(), (request) => withModel(request.spec, request.dtype, (model) => assertWellFormed(model, model.explain(request.input, request.options), request)))
  await checkProperty(t, property, 300)
})

/**
 * How much relevance enters before outputs cancel each other: Σ|w·score| for init 'logit',
 * Σ|w| for init 'one' (w: the target's weights over the score rows).
 */
function enteringRelevance(explanation: Explanation, init: 'logit' | 'one', outputs: number): number {
  const { target, scores } = explanation
  const weights = new Float64Array(scores.length)
  if (typeof target === 'number') weights[target] = 1
  else if (Array.isArray(target)) weights[target[0] * outputs + target[1]] = 1
  else weights.set(target.weights)
  return weights.reduce((sum, w, k) => sum + Math.abs(init === 'logit' ? w * scores[k] : w), 0)
}

/** Every layer's cell input z has a connection: otherwise its bias share has no unit to go to and is absorbed. */
function cellInputsConnected(architecture: Architecture): boolean {
  return architecture.layers.every(({ cell }) => {
    const z = typeof cell === 'object' ? (cell.connections as { z?: { input: boolean; recurrent: boolean } } | undefined)?.z : undefined
    return z === undefined || z.input || z.recurrent
  })
}

test("LRP with rule 'all' and bias factor 1 conserves relevance: input = Σ inputs + initial state, nothing absorbed (f32 and f64)", async (t) => {
  const arb = fc
    .tuple(
      modelSpecArb.filter((spec) => cellInputsConnected(spec.architecture)),
      dtypeArb,
    )
    .chain(([spec, dtype]) =>
      sizedSequenceArb(spec.architecture).chain(({ steps, input }) =>
        fc.record({
          spec: fc.constant(spec),
          dtype: fc.constant(dtype),
          input: fc.constant(input),
          target: fc.option(targetArb(spec.architecture, [steps]), { nil: undefined }),
          init: fc.constantFrom('logit' as const, 'one' as const),
          // eps 0 leaves exactly zero denominators (relu cells) nowhere to send relevance: absorbed, and reported.
          eps: fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 1, noNaN: true })),
        }),
      ),
    )
  const property = fc.asyncProperty(arb, ({ spec, dtype, input, target, init, eps }) =>
    withModel(spec, dtype, (model) => {
      const explanation = model.explain(input, { method: 'lrp', rule: 'all', biasFactor: 1, eps, init, target })
      const c = explanation.conservation!
      const { relevance } = explanation
      // Rounding, relative to the relevance that entered and to the largest input relevance.
      const scale = Math.max(enteringRelevance(explanation, init, spec.architecture.head.outputs), maxAbs(relevance), Math.abs(c.initialState)) + (dtype === 'f32' ? 1e-30 : 1e-300)
      const tolerance = (dtype === 'f32' ? 1e-4 : 1e-10) * scale
      const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected} (tolerance ${tolerance}); report ${JSON.stringify(c)}`)
      near(c.inputs + c.absorbed + c.initialState, c.input, 'inputs + absorbed + initialState = input')
      near(sum(relevance), c.inputs, 'Σ relevance = conservation.inputs')
      if (eps > 0) near(c.absorbed, 0, 'absorbed with eps > 0')
    }),
  )
  await checkProperty(t, property, 300)
})

test('explainBatch equals explain one by one, bit for bit, for random batches, per-item targets, options and thread counts', async (t) => {
  const property = fc.asyncProperty(batchCaseArb, async ({ spec, dtype, threads, items, options }) => {
    const model = await modelOf(spec, dtype, threads)
    try {
      const batch = await model.explainBatch(batchItems(items), options)
      const oneByOne = items.map(({ input, target }) => model.explain(input, { ...options, target: target ?? options.target }))
      assert.equal(explanationsDifference(batch, oneByOne), null)
    } finally {
      model.dispose()
    }
  })
  await checkProperty(t, property, 200)
})

test('float32 explanations agree with float64 ones of the same weights (well-conditioned stabilisers and weights)', async (t) => {
  const property = fc.asyncProperty(
    explainCaseArb((architecture, steps) => explainOptionsArb(architecture, [steps], { wellConditioned: true })),
    ({ spec, input, options }) =>
      withModel(spec, 'f32', async (f32) => {
        const f64 = await loadModel(await saveModel(f32), { dtype: 'f64' })
        try {
          const single = f32.explain(input, options)
          const double = f64.explain(input, options)
          // Relevance of every method is in units of the explained scores; 5e-4 is over 10× the worst
          // difference seen in 2000 random cases, and 1e-30 covers values below float32's range.
          const scale = Math.max(maxAbs(double.relevance), maxAbs(double.perStep), maxAbs(double.scores))
          for (const key of ['scores', 'relevance', 'perStep'] as const) {
            const worst = largestDifference(single[key], double[key])
            assert.ok(worst <= 5e-4 * scale + 1e-30, `${key}: float32 differs from float64 by ${worst} (scale ${scale})`)
          }
        } finally {
          f64.dispose()
        }
      }),
  )
  await checkProperty(t, property, 200)
})
