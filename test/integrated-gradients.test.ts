// Integrated Gradients (docs/METHODS.md § Integrated Gradients): the reference's quadrature rules, the kernel
// against the float64 reference on every architecture and dtype (on the backend LSTM_LRP_BACKEND
// picks), completeness at 64 path points, and the API, batch and CLI contract.
import test from 'ava'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadModel, type ExplainOptions } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'
import { refForward, weightedSum } from './reference/forward.js'
import { gaussLegendreRule, midpointRule, refIntegratedGradients, type IntegrationRule } from './reference/integrated-gradients.js'
import { randomRefModel, randomSequence } from './reference/random.js'
import { isGruCell, type RefModel } from './reference/model.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { TOLERANCE, apiInput, explicitTarget, setUp, stepsOf, weightsFor } from './helpers/kernel-cases.js'
import { assertClose, maxAbs, near } from './helpers/compare.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { rawKernel } from './helpers/raw-kernel.js'
import { runCli } from './helpers/run-cli.js'

const RULES: IntegrationRule[] = ['midpoint', 'gauss-legendre']
const COMPLETENESS_STEPS = 64
const COMPLETENESS_TOLERANCE = 1e-3
/**
 * A relu g makes the integrand ∂f/∂x jump wherever the path crosses a kink, and a quadrature's
 * error there shrinks as 1/m rather than 1/m² (docs/METHODS.md): such cells get 1e-3 at 1024 points.
 */
const KINKED_STEPS = 1024

function baselineVector(ref: RefModel): number[] {
  return Array.from({ length: ref.inputSize }, (_, j) => 0.3 - 0.2 * j)
}

// ---------------------------------------------------------------- the reference's quadrature

test('reference Gauss–Legendre with m points integrates polynomials of degree 2m − 1 exactly on [0, 1]', (t) => {
  for (const m of [1, 2, 3, 5, 8, 64]) {
    const { alphas, weights } = gaussLegendreRule(m)
    t.true(
      alphas.every((alpha) => alpha > 0 && alpha < 1),
      `m=${m}: points inside (0, 1)`,
    )
    for (let degree = 0; degree <= 2 * m - 1; degree++) {
      const sum = alphas.reduce((acc, alpha, k) => acc + weights[k] * alpha ** degree, 0)
      near(t, sum, 1 / (degree + 1), 1e-13, 1, `m=${m}, ∫ α^${degree}`)
    }
  }
})

test('the midpoint rule and Gauss–Legendre agree on one point (α = ½)', (t) => {
  t.deepEqual(midpointRule(1), gaussLegendreRule(1))
})

// ---------------------------------------------------------------- the kernel against the reference

let archSeed = 300
for (const name of Object.keys(ARCHITECTURES)) {
  archSeed += 10
  const seed = archSeed
  const kinked = ARCHITECTURES[name].layers.some((layer) => !isGruCell(layer.cell) && layer.cell.g === 'relu')
  for (const dtype of ['f64', 'f32'] as DType[]) {
    const tolerance = TOLERANCE[dtype]

    test(`${name} [${dtype}]: integrated gradients match the reference (both rules, zero and vector baselines)`, async (t) => {
      const { ref, model, inputs } = await setUp(name, seed, dtype)
      for (const [n, input] of inputs.entries()) {
        for (const rule of RULES) {
          for (const baseline of [null, baselineVector(ref)]) {
            const target = n === 0 ? undefined : explicitTarget(ref, stepsOf(input), seed + n)
            const options: ExplainOptions = { method: 'integrated-gradients', target, integratedGradients: { steps: 7, rule, baseline: baseline ?? 'zero' } }
            const got = model.explain(apiInput(input), options)
            const expected = refIntegratedGradients(ref, input, weightsFor(got, ref), { steps: 7, rule, baseline })
            const what = `${rule}, ${baseline ? 'vector' : 'zero'} baseline, T=${got.steps}`
            const scale = Math.max(maxAbs(expected.relevance.flat()), Math.abs(expected.difference))
            assertClose(t, got.relevance, expected.relevance.flat(), tolerance, `${what}: relevance`, scale)
            assertClose(t, got.perStep, expected.perStep, tolerance, `${what}: perStep`, scale)
            const c = got.completeness!
            const scoreScale = Math.max(maxAbs(got.scores), 1e-12)
            near(t, c.difference, expected.difference, tolerance, scoreScale, `${what}: f(x) − f(baseline)`)
            near(
              t,
              c.sum,
              expected.perStep.reduce((a, b) => a + b, 0),
              tolerance,
              scoreScale,
              `${what}: Σ relevance`,
            )
            near(t, c.delta, c.difference - c.sum, 1e-15, scoreScale, `${what}: delta`)
            t.is(got.conservation, null)
            t.is(got.decomposition, null)
          }
        }
      }
      model.dispose()
    })

    const steps = kinked ? KINKED_STEPS : COMPLETENESS_STEPS
    test(`${name} [${dtype}]: completeness within ${COMPLETENESS_TOLERANCE} relative at ${steps} points (both rules)`, async (t) => {
      const { ref, model, inputs } = await setUp(name, seed, dtype)
      for (const input of inputs) {
        for (const rule of RULES) {
          for (const baseline of [null, baselineVector(ref)]) {
            const got = model.explain(apiInput(input), { method: 'integrated-gradients', integratedGradients: { steps, rule, baseline: baseline ?? 'zero' } })
            const score = weightedSum(weightsFor(got, ref), refForward(ref, input).scores)
            const c = got.completeness!
            // Relative to the scores compared: their difference alone can be arbitrarily small.
            const scale = Math.max(Math.abs(c.difference), Math.abs(score), Math.abs(score - c.difference))
            const what = `${rule}, ${baseline ? 'vector' : 'zero'} baseline, T=${got.steps}`
            t.true(Math.abs(c.delta) <= COMPLETENESS_TOLERANCE * scale, `${what}: f(x) − f(baseline) = ${c.difference}, Σ relevance = ${c.sum}`)
            near(
              t,
              c.sum,
              Array.from(got.relevance).reduce((a, b) => a + b, 0),
              tolerance,
              scale,
              `${what}: sum`,
            )
          }
        }
      }
      model.dispose()
    })
  }
}

// ---------------------------------------------------------------- API, batch and CLI

const apiRef = randomRefModel(61, ARCHITECTURES['uni, head bias'])
const apiSequences = [randomSequence(62, 4, 3), randomSequence(63, 1, 3), randomSequence(64, 6, 3)]

test('explainBatch gives what explain gives one at a time', async (t) => {
  const model = await loadModel(refModelFile(apiRef, 'f64'))
  const items = apiSequences.map((input, n) => (n === 2 ? { input, target: 0 } : { input }))
  const options: ExplainOptions = { method: 'integrated-gradients', integratedGradients: { steps: 16, rule: 'gauss-legendre', baseline: [0.1, 0.2, -0.3] } }
  const batch = await model.explainBatch(items, options)
  items.forEach((item, n) => {
    const alone = model.explain(item.input, { ...options, target: item.target })
    t.deepEqual(Array.from(batch[n].relevance), Array.from(alone.relevance), `item ${n}: relevance`)
    t.deepEqual(batch[n].completeness, alone.completeness, `item ${n}: completeness`)
    t.deepEqual(batch[n].target, alone.target, `item ${n}: target`)
  })
  model.dispose()
})

test('default options: 64 midpoint points from the zero baseline', async (t) => {
  const model = await loadModel(refModelFile(apiRef, 'f64'))
  const x = apiSequences[0]
  const defaults = model.explain(x, { method: 'integrated-gradients' })
  const explicit = model.explain(x, { method: 'integrated-gradients', integratedGradients: { steps: 64, rule: 'midpoint', baseline: 'zero' } })
  t.deepEqual(Array.from(defaults.relevance), Array.from(explicit.relevance))
  model.dispose()
})

test('bad integrated-gradients options are E_OPTIONS errors that name the problem', async (t) => {
  const model = await loadModel(refModelFile(apiRef, 'f64'))
  const bad: [unknown, RegExp][] = [
    [{ steps: 0 }, /integratedGradients\.steps must be an integer in \[1, 4096\]/],
    [{ steps: 4097 }, /integratedGradients\.steps must be an integer in \[1, 4096\]/],
    [{ steps: 2.5 }, /integratedGradients\.steps must be an integer/],
    [{ rule: 'simpson' }, /integratedGradients\.rule must be one of midpoint, gauss-legendre/],
    [{ baseline: [1, 2] }, /integratedGradients\.baseline has 2 values; expected inputSize = 3/],
    [{ baseline: [1, Number.NaN, 2] }, /integratedGradients\.baseline must contain finite numbers/],
    [{ baseline: 'mean' }, /integratedGradients\.baseline must be 'zero' or a vector of 3 numbers/],
    [{ points: 3 }, /integratedGradients: unknown option 'points'/],
  ]
  for (const [integratedGradients, message] of bad)
    t.throws(() => model.explain(apiSequences[0], { method: 'integrated-gradients', integratedGradients } as ExplainOptions), { code: 'E_OPTIONS', message }, JSON.stringify(integratedGradients))
  model.dispose()
})

test('the kernel itself rejects bad integrated-gradients options', async (t) => {
  const kernel = await rawKernel(apiRef)
  const ig = (overrides: Parameters<typeof kernel.explain>[2]) => () => kernel.explain(apiSequences, { method: 'integrated-gradients' }, overrides)
  t.throws(ig({ igSteps: 0 }), { code: 'E_KERNEL', message: /integrated-gradients steps must be in \[1, 4096\]; got 0/ })
  t.throws(ig({ igSteps: 4097 }), { code: 'E_KERNEL', message: /integrated-gradients steps must be in \[1, 4096\]; got 4097/ })
  t.throws(ig({ igRule: 2 }), { code: 'E_KERNEL', message: /unknown integrated-gradients rule 2/ })
  t.throws(ig({ igBaseline: Float64Array.of(0, 1) }), { code: 'E_KERNEL', message: /integrated-gradients baseline has 2 elements; expected 3/ })
  t.throws(ig({ igBaseline: Float64Array.of(0, Number.NaN, 1) }), { code: 'E_KERNEL', message: /integrated-gradients baseline is not finite at feature 1/ })
  t.notThrows(ig({ igSteps: 4096, igRule: 1 }))
  kernel.dispose()
})

test('CLI: --method integrated-gradients --steps M --ig-rule', async (t) => {
  const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-ig-'))
  const file = path.join(work, 'model.safetensors')
  writeFileSync(file, refModelFile(apiRef, 'f64'))
  const model = await loadModel(file)
  const input = apiSequences.map((x) => JSON.stringify({ x })).join('\n') + '\n'
  const result = await runCli(['explain', '--model', file, '--method', 'integrated-gradients', '--steps', '16', '--ig-rule', 'gauss-legendre'], input)
  t.is(result.code, 0, result.stderr)
  result.stdout
    .trim()
    .split('\n')
    .forEach((line, n) => {
      const parsed = JSON.parse(line) as { perStep: number[]; completeness: unknown }
      const expected = model.explain(apiSequences[n], { method: 'integrated-gradients', integratedGradients: { steps: 16, rule: 'gauss-legendre' } })
      t.deepEqual(parsed.perStep, Array.from(expected.perStep))
      t.deepEqual(parsed.completeness, expected.completeness)
    })
  const bad = await runCli(['explain', '--model', file, '--method', 'integrated-gradients', '--steps', '0'], input)
  t.is(bad.code, 1)
  t.regex(bad.stderr, /integratedGradients\.steps must be an integer in \[1, 4096\]/)
  model.dispose()
})
