// Shapley values (docs/METHODS.md § Shapley values): the kernel against the float64 reference, sampled
// and exact, on every LSTM and GRU architecture and dtype (on the backend LSTM_LRP_BACKEND picks);
// exact values against a brute force over every ordering; sampling converging to them; efficiency.
import test from 'ava'
import type { ExplainOptions } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'
import { coalitionValue, refShapleyExact, refShapleySampled } from './reference/sampling.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { GRU_ARCHITECTURES } from './helpers/gru-architectures.js'
import { TOLERANCE, apiInput, explicitTarget, setUp, stepsOf, weightsFor } from './helpers/kernel-cases.js'
import { assertClose, maxAbs, near } from './helpers/compare.js'
import { randomRefModel, randomSequence } from './reference/random.js'
import { loadModel } from '../lib/index.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { describeRemoval, removalCases } from './helpers/removal-cases.js'

const ALL = { ...ARCHITECTURES, ...GRU_ARCHITECTURES }

let archSeed = 700
for (const name of Object.keys(ALL)) {
  archSeed += 10
  const seed = archSeed
  for (const dtype of ['f64', 'f32'] as DType[]) {
    const tolerance = TOLERANCE[dtype]
    test(`${name} [${dtype}]: sampled and exact Shapley values match the reference`, async (t) => {
      const { ref, model, inputs } = await setUp(name, seed, dtype, ALL)
      for (const [n, input] of inputs.entries()) {
        for (const removal of removalCases(ref.head.readout, ref.inputSize)) {
          if (removal.replacement === 'delete' && stepsOf(input) < 2) continue
          const target = n === 0 ? undefined : explicitTarget(ref, stepsOf(input), seed + n)
          const occlusion = { score: removal.score, replacement: removal.replacement }
          for (const samples of [4, 'exact'] as const) {
            const options: ExplainOptions = { method: 'shapley', target, occlusion, shapley: { samples }, seed: seed + n }
            const got = model.explain(apiInput(input), options)
            const weights = weightsFor(got, ref)
            const expected = samples === 'exact' ? refShapleyExact(ref, input, weights, removal) : refShapleySampled(ref, input, weights, removal, samples, seed + n)
            const what = `${describeRemoval(removal)}, ${samples} samples, T=${got.steps}`
            // Differences of scores: their error is bounded relative to the scores.
            const scale = Math.max(maxAbs(expected.perStep), removal.score === 'prob' ? 1 : maxAbs(got.scores))
            assertClose(t, got.perStep, expected.perStep, tolerance, `${what}: perStep`, scale)
            assertClose(t, got.relevance, expected.relevance.flat(), tolerance, `${what}: relevance`, scale)
            const c = got.completeness!
            near(t, c.difference, expected.difference, tolerance, scale, `${what}: v(all) − v(∅)`)
            near(
              t,
              c.sum,
              Array.from(got.perStep).reduce((a, b) => a + b, 0),
              1e-12,
              scale,
              `${what}: the sum is Σ perStep`,
            )
            t.is(c.delta, c.difference - c.sum, `${what}: delta`)
            t.true(Math.abs(c.delta) <= (dtype === 'f64' ? 1e-12 : 1e-5) * scale * got.steps, `${what}: efficiency, delta ${c.delta}`)
            t.is(got.conservation, null)
          }
        }
      }
      model.dispose()
    })
  }
}

// ---------------------------------------------------------------- exact values from their definition

/** φ_t as the mean over all T! orderings of t's marginal contribution, written from the definition alone. */
function bruteForceShapley(T: number, v: (kept: boolean[]) => number): number[] {
  const phi = new Array<number>(T).fill(0)
  let orderings = 0
  const visit = (order: number[], rest: number[]): void => {
    if (rest.length === 0) {
      orderings++
      const kept = new Array<boolean>(T).fill(false)
      let before = v(kept)
      for (const t of order) {
        kept[t] = true
        const after = v(kept)
        phi[t] += after - before
        before = after
      }
      return
    }
    for (const [k, t] of rest.entries()) visit([...order, t], [...rest.slice(0, k), ...rest.slice(k + 1)])
  }
  visit(
    [],
    Array.from({ length: T }, (_, t) => t),
  )
  return phi.map((value) => value / orderings)
}

for (const name of ['stacked bidirectional, head bias', 'bi-GRU, embedding']) {
  test(`${name}: exact Shapley values equal the mean marginal contribution over all T! orderings (T ≤ 6)`, async (t) => {
    const { ref, model } = await setUp(name, 41, 'f64', ALL)
    for (const T of [1, 3, 6]) {
      const input = ref.embedding ? { tokens: Array.from({ length: T }, (_, k) => (k * 5 + 2) % ref.embedding!.length) } : { x: randomSequence(43 + T, T, ref.inputSize) }
      const got = model.explain(apiInput(input), { method: 'shapley', shapley: { samples: 'exact' } })
      const v = coalitionValue(ref, input, weightsFor(got, ref), { score: 'logit', replacement: 'zero' })
      const expected = bruteForceShapley(T, v)
      assertClose(t, got.perStep, expected, 1e-9, `T=${T}`, Math.max(maxAbs(got.scores), 1e-12))
    }
    model.dispose()
  })
}

test('sampled Shapley values converge to the exact ones: every sample is within its range, and 4096 permutations land within 5 standard errors', async (t) => {
  const ref = randomRefModel(51, ARCHITECTURES['stacked bidirectional, head bias'])
  const model = await loadModel(refModelFile(ref, 'f64'))
  const x = randomSequence(52, 6, ref.inputSize)
  const exactExplanation = model.explain(x, { method: 'shapley', shapley: { samples: 'exact' } })
  const exact = exactExplanation.perStep
  const v = coalitionValue(ref, { x }, weightsFor(exactExplanation, ref), { score: 'logit', replacement: 'zero' })
  // Every marginal contribution lies within ±(the largest |v(S) − v(S')|) ≤ 2 max |v|: the mean of N
  // antithetic pairs has standard error at most 2 max|v| / √(N/2) (each pair's mean is one bounded draw).
  let largest = 0
  for (let c = 0; c < 64; c++) largest = Math.max(largest, Math.abs(v(Array.from({ length: 6 }, (_, s) => ((c >> s) & 1) === 1))))
  let previousError = Infinity
  for (const samples of [64, 4096]) {
    const sampled = model.explain(x, { method: 'shapley', shapley: { samples }, seed: 9 }).perStep
    const error = maxAbs(sampled.map((value, s) => value - exact[s]))
    t.true(error <= (5 * 2 * largest) / Math.sqrt(samples / 2), `${samples} samples: error ${error}`)
    if (samples === 4096) t.true(error < previousError, `more samples come closer: ${error} vs ${previousError}`)
    previousError = error
  }
  model.dispose()
})
