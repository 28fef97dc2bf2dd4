// KernelSHAP and LIME (docs/METHODS.md § KernelSHAP, § LIME): the kernel against the float64 reference on
// every LSTM and GRU architecture and dtype (on the backend LSTM_LRP_BACKEND picks), KernelSHAP's
// efficiency and its approach to the exact Shapley values, and LIME recovering a linear model's weights.
import test from 'ava'
import { LstmLrpError, loadModel, type ExplainOptions } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'
import { coalitionValue, refKernelShap, refLime } from './reference/sampling.js'
import { randomRefModel, randomSequence } from './reference/random.js'
import { REF_PRESETS, type RefCell } from './reference/model.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { GRU_ARCHITECTURES } from './helpers/gru-architectures.js'
import { TOLERANCE, apiInput, explicitTarget, setUp, stepsOf, weightsFor } from './helpers/kernel-cases.js'
import { assertClose, maxAbs, near } from './helpers/compare.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { describeRemoval, removalCases } from './helpers/removal-cases.js'

const ALL = { ...ARCHITECTURES, ...GRU_ARCHITECTURES }
const LIME = { samples: 24, kernelWidth: 0.5, ridge: 0.1 }

let archSeed = 900
for (const name of Object.keys(ALL)) {
  archSeed += 10
  const seed = archSeed
  for (const dtype of ['f64', 'f32'] as DType[]) {
    const tolerance = TOLERANCE[dtype]
    test(`${name} [${dtype}]: KernelSHAP and LIME match the reference`, async (t) => {
      const { ref, model, inputs } = await setUp(name, seed, dtype, ALL)
      for (const [n, input] of inputs.entries()) {
        for (const removal of removalCases(ref.head.readout, ref.inputSize)) {
          if (removal.replacement === 'delete' && stepsOf(input) < 2) continue
          const target = n === 0 ? undefined : explicitTarget(ref, stepsOf(input), seed + n)
          const base: ExplainOptions = { target, occlusion: { score: removal.score, replacement: removal.replacement }, seed: seed + n }
          const what = `${describeRemoval(removal)}, T=${stepsOf(input)}`

          const shap = model.explain(apiInput(input), { ...base, method: 'kernel-shap', kernelShap: { samples: 16 } })
          const expectedShap = refKernelShap(ref, input, weightsFor(shap, ref), removal, 16, seed + n)
          t.not(expectedShap, null, `${what}: 16 coalitions determine the values`)
          const scale = Math.max(maxAbs(expectedShap!.perStep), removal.score === 'prob' ? 1 : maxAbs(shap.scores))
          assertClose(t, shap.perStep, expectedShap!.perStep, tolerance, `${what}: KernelSHAP perStep`, scale)
          assertClose(t, shap.relevance, expectedShap!.relevance.flat(), tolerance, `${what}: KernelSHAP relevance`, scale)
          const c = shap.completeness!
          near(t, c.difference, expectedShap!.difference, tolerance, scale, `${what}: v(all) − v(∅)`)
          t.is(c.delta, c.difference - c.sum, `${what}: delta`)
          t.true(Math.abs(c.delta) <= (dtype === 'f64' ? 1e-12 : 1e-5) * scale * shap.steps, `${what}: efficiency, delta ${c.delta}`)

          const lime = model.explain(apiInput(input), { ...base, method: 'lime', lime: LIME })
          const expectedLime = refLime(ref, input, weightsFor(lime, ref), removal, { ...LIME, seed: seed + n })
          const limeScale = Math.max(maxAbs(expectedLime!.perStep), removal.score === 'prob' ? 1 : maxAbs(lime.scores))
          assertClose(t, lime.perStep, expectedLime!.perStep, tolerance, `${what}: LIME perStep`, limeScale)
          assertClose(t, lime.relevance, expectedLime!.relevance.flat(), tolerance, `${what}: LIME relevance`, limeScale)
          t.is(lime.completeness, null)
          t.is(lime.conservation, null)
        }
      }
      model.dispose()
    })
  }
}

test('KernelSHAP approaches the exact Shapley values as the samples grow', async (t) => {
  const ref = randomRefModel(61, ARCHITECTURES['stacked bidirectional, head bias'])
  const model = await loadModel(refModelFile(ref, 'f64'))
  const x = randomSequence(62, 6, ref.inputSize)
  const exact = model.explain(x, { method: 'shapley', shapley: { samples: 'exact' } })
  const errors = [64, 65536].map((samples) => {
    const shap = model.explain(x, { method: 'kernel-shap', kernelShap: { samples }, seed: 5 }).perStep
    return maxAbs(shap.map((value, s) => value - exact.perStep[s]))
  })
  // The constrained fit over every coalition weighted by the Shapley kernel is exact; sampling the
  // kernel's coalitions adds an error that shrinks as 1/√N: 2% of the values' range at N = 65536.
  const range = maxAbs(exact.perStep)
  t.true(errors[1] <= 0.02 * range, `65536 samples: error ${errors[1]} vs values up to ${range}`)
  t.true(errors[1] < errors[0], `more samples come closer: ${errors[1]} vs ${errors[0]}`)
  model.dispose()
})

/** identity g and h, no gates, input connections only: c_T = Σ_t (W x_t + b), so a score is linear in the kept steps. */
const LINEAR_CELL: RefCell = { ...REF_PRESETS.gateless, g: 'identity', gScale: 1, h: 'identity', hScale: 1 }

test('LIME recovers the per-step contributions of a model whose score is linear in the kept steps', async (t) => {
  const ref = randomRefModel(71, { inputSize: 3, layers: [{ hiddenSize: 4, bidirectional: false, cell: LINEAR_CELL }], outputs: 2, headBias: true, readout: 'last' })
  const model = await loadModel(refModelFile(ref, 'f64'))
  const T = 6
  const x = randomSequence(72, T, ref.inputSize)
  const got = model.explain(x, { method: 'lime', lime: { samples: 400, ridge: 1e-12 }, target: 1 })
  const v = coalitionValue(ref, { x }, weightsFor(got, ref), { score: 'logit', replacement: 'zero' })
  const none = new Array<boolean>(T).fill(false)
  const contributions = Array.from({ length: T }, (_, s) => v(none.map((__, k) => k === s)) - v(none))
  // Linearity: every coalition's value is v(∅) plus its steps' contributions.
  for (let c = 0; c < 2 ** T; c += 7) {
    const kept = Array.from({ length: T }, (_, s) => ((c >> s) & 1) === 1)
    near(t, v(kept), v(none) + contributions.reduce((a, value, s) => a + (kept[s] ? value : 0), 0), 1e-12, maxAbs(contributions), `coalition ${c} is linear`)
  }
  t.true(maxAbs(contributions) > 0.1, 'the steps contribute')
  assertClose(t, got.perStep, contributions, 1e-9, 'β = the contributions')
  model.dispose()
})

test('KernelSHAP with fewer coalitions than the steps need, and LIME with no ridge and too few masks, fail as singular', async (t) => {
  const { model } = await setUp('uni, head bias', 81, 'f64', ALL)
  const x = randomSequence(82, 7, 3)
  const shap = t.throws(() => model.explain(x, { method: 'kernel-shap', kernelShap: { samples: 3 } }), { instanceOf: LstmLrpError })
  t.is(shap!.code, 'E_KERNEL')
  t.regex(shap!.message, /KernelSHAP: 3 sampled coalitions do not determine the values of 7 steps \(singular system\)/)
  const lime = t.throws(() => model.explain(x, { method: 'lime', lime: { samples: 4, ridge: 0 } }), { instanceOf: LstmLrpError })
  t.is(lime!.code, 'E_KERNEL')
  t.regex(lime!.message, /LIME: 4 sampled masks do not determine the weights of 7 steps \(singular system\); give more samples or a ridge > 0/)
  t.notThrows(() => model.explain(x, { method: 'lime', lime: { samples: 4, ridge: 0.5 } }), 'a ridge > 0 determines them')
  model.dispose()
})
