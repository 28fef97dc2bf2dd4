// The kernel's GRU layers against the independent float64 reference, for every method, product
// rule, architecture (GRU, bi-GRU, stacked, stacks mixing GRU and LSTM layers, both reset modes,
// both readouts) and dtype, through the public API (file → loadModel → explain). Run it on the
// WASM backend with LSTM_LRP_BACKEND=wasm.
import test from 'ava'
import type { ExplainOptions } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'
import { refLrp, type RefLrpOptions, type Rule } from './reference/lrp.js'
import { refIntegratedGradients } from './reference/integrated-gradients.js'
import { GRU_ARCHITECTURES } from './helpers/gru-architectures.js'
import { TOLERANCE, apiInput, explicitTarget, setUp, stepsOf, weightsFor } from './helpers/kernel-cases.js'
import { forwardMethodTests } from './helpers/forward-method-cases.js'
import { assertClose, maxAbs, near } from './helpers/compare.js'
import { checkPerStepCd, checkPhraseCd } from './helpers/cd-checks.js'

type Products = Record<'input' | 'forget' | 'output' | 'update' | 'reset', Rule>

const uniform = (rule: Rule): Products => ({ input: rule, forget: rule, output: rule, update: rule, reset: rule })

/** Each setting either names the rules per product or sets all five with `rule`. */
const LRP_SETTINGS: { label: string; rules: Products; byRule?: boolean; eps: number; productEps: number | Record<keyof Products, number>; biasFactor: number }[] = [
  { label: 'all', rules: uniform('all'), eps: 0.001, productEps: 0.001, biasFactor: 0 },
  { label: 'rule prop (all five)', rules: uniform('prop'), byRule: true, eps: 0.0019, productEps: 0.2, biasFactor: 0 },
  { label: 'abs', rules: uniform('abs'), eps: 0.01, productEps: 0.05, biasFactor: 0 },
  { label: 'half, bias factor 1', rules: uniform('half'), eps: 0.01, productEps: 0.01, biasFactor: 1 },
  { label: 'update prop, reset abs, eps 0', rules: { input: 'prop', forget: 'half', output: 'abs', update: 'prop', reset: 'abs' }, eps: 0, productEps: 0, biasFactor: 0 },
  { label: 'update half, reset prop, bias factor 0.5', rules: { input: 'all', forget: 'prop', output: 'all', update: 'half', reset: 'prop' }, eps: 0.1, productEps: 0.3, biasFactor: 0.5 },
  {
    label: 'update abs, reset all, productEps per product',
    rules: { input: 'abs', forget: 'abs', output: 'prop', update: 'abs', reset: 'all' },
    eps: 0.02,
    productEps: { input: 0.01, forget: 0.02, output: 0.03, update: 0.15, reset: 0.4 },
    biasFactor: 0,
  },
  {
    label: 'update all, reset prop, productEps per product',
    rules: { input: 'all', forget: 'all', output: 'all', update: 'all', reset: 'prop' },
    eps: 0.005,
    productEps: { input: 0.3, forget: 0.3, output: 0.3, update: 0.01, reset: 0.07 },
    biasFactor: 0.25,
  },
]

/** Phrases [start, stop) of a T-step sequence: the first step, a middle span, the last step, the whole sequence. */
function phrases(T: number): [number, number][] {
  const list: [number, number][] = [[0, 1]]
  if (T > 2) list.push([1, T - 1])
  if (T > 1) list.push([T - 1, T], [0, T])
  return list
}

const perProduct = (value: number | Record<keyof Products, number>): RefLrpOptions['productEps'] => (typeof value === 'number' ? { input: value, forget: value, output: value, update: value, reset: value } : { ...value })

let seed = 2000
for (const name of Object.keys(GRU_ARCHITECTURES)) {
  seed += 10
  const archSeed = seed
  const setUpGru = (dtype: DType) => setUp(name, archSeed, dtype, GRU_ARCHITECTURES)
  for (const dtype of ['f64', 'f32'] as DType[]) {
    const tolerance = TOLERANCE[dtype]
    forwardMethodTests(name, dtype, archSeed, () => setUpGru(dtype))

    test(`${name} [${dtype}]: LRP matches the reference for every update and reset rule`, async (t) => {
      const { ref, model, inputs } = await setUpGru(dtype)
      for (const settings of LRP_SETTINGS) {
        for (const [n, input] of inputs.entries()) {
          for (const init of ['logit', 'one'] as const) {
            const target = n === 0 ? undefined : explicitTarget(ref, stepsOf(input), archSeed + n)
            const rules: Pick<ExplainOptions, 'rule' | 'rules'> = settings.byRule ? { rule: settings.rules.update } : { rules: settings.rules }
            const options: ExplainOptions = { method: 'lrp', ...rules, eps: settings.eps, productEps: settings.productEps, biasFactor: settings.biasFactor, init, target }
            const got = model.explain(apiInput(input), options)
            const expected = refLrp(ref, input, {
              targetWeights: weightsFor(got, ref),
              init,
              eps: settings.eps,
              biasFactor: settings.biasFactor,
              rules: settings.rules,
              productEps: perProduct(settings.productEps),
            })
            const what = `${settings.label}, init ${init}, T=${got.steps}`
            assertClose(t, got.relevance, expected.relevance.flat(), tolerance, `${what}: relevance`)
            assertClose(t, got.perStep, expected.perStep, tolerance, `${what}: perStep`)
            const c = got.conservation!
            const scale = Math.max(Math.abs(expected.conservation.input), Math.abs(expected.conservation.absorbed), 1e-12)
            for (const key of ['input', 'inputs', 'absorbed', 'initialState'] as const)
              t.true(Math.abs(c[key] - expected.conservation[key]) <= tolerance * 10 * scale, `${what}: conservation.${key} ${c[key]} vs ${expected.conservation[key]}`)
          }
        }
      }
      model.dispose()
    })

    test(`${name} [${dtype}]: Integrated Gradients match the reference (both rules, zero and vector baselines)`, async (t) => {
      const { ref, model, inputs } = await setUpGru(dtype)
      const baselineVector = Array.from({ length: ref.inputSize }, (_, j) => 0.2 - 0.15 * j)
      for (const [n, input] of inputs.entries()) {
        for (const rule of ['midpoint', 'gauss-legendre'] as const) {
          for (const baseline of [null, baselineVector]) {
            const target = n === 0 ? undefined : explicitTarget(ref, stepsOf(input), archSeed + n)
            const got = model.explain(apiInput(input), { method: 'integrated-gradients', target, integratedGradients: { steps: 7, rule, baseline: baseline ?? 'zero' } })
            const expected = refIntegratedGradients(ref, input, weightsFor(got, ref), { steps: 7, rule, baseline })
            const what = `${rule}, ${baseline ? 'vector' : 'zero'} baseline, T=${got.steps}`
            const scale = Math.max(maxAbs(expected.relevance.flat()), Math.abs(expected.difference))
            assertClose(t, got.relevance, expected.relevance.flat(), tolerance, `${what}: relevance`, scale)
            assertClose(t, got.perStep, expected.perStep, tolerance, `${what}: perStep`, scale)
            near(t, got.completeness!.difference, expected.difference, tolerance, Math.max(maxAbs(got.scores), 1e-12), `${what}: f(x) − f(baseline)`)
          }
        }
      }
      model.dispose()
    })

    test(`${name} [${dtype}]: per-step CD matches the reference, both conventions`, async (t) => {
      const { ref, model, inputs } = await setUpGru(dtype)
      checkPerStepCd(t, ref, model, inputs, archSeed, tolerance)
      model.dispose()
    })

    test(`${name} [${dtype}]: phrase CD matches the reference: relevant, irrelevant, bias, score`, async (t) => {
      const { ref, model, inputs } = await setUpGru(dtype)
      checkPhraseCd(t, ref, model, inputs, archSeed, tolerance, phrases)
      model.dispose()
    })
  }
}
