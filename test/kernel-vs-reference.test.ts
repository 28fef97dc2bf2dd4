// The kernel against the independent float64 reference, for every method, rule,
// architecture and dtype, through the public API (file → loadModel → explain).
import test from 'ava'
import type { ExplainOptions } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'
import { refForward } from './reference/forward.js'
import { refLrp, type Rule } from './reference/lrp.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { TOLERANCE, apiInput, explicitTarget, setUp, stepsOf, weightsFor } from './helpers/kernel-cases.js'
import { forwardMethodTests } from './helpers/forward-method-cases.js'
import { assertClose, assertNear } from './helpers/compare.js'

const LRP_SETTINGS: { label: string; rules: Record<'input' | 'forget' | 'output', Rule>; eps: number; productEps: number; biasFactor: number }[] = [
  { label: 'all', rules: { input: 'all', forget: 'all', output: 'all' }, eps: 0.001, productEps: 0.001, biasFactor: 0 },
  { label: 'prop', rules: { input: 'prop', forget: 'prop', output: 'prop' }, eps: 0.0019, productEps: 0.2, biasFactor: 0 },
  { label: 'abs', rules: { input: 'abs', forget: 'abs', output: 'abs' }, eps: 0.01, productEps: 0.05, biasFactor: 0 },
  { label: 'half, bias factor 1', rules: { input: 'half', forget: 'half', output: 'half' }, eps: 0.01, productEps: 0.01, biasFactor: 1 },
  { label: 'mixed rules, eps 0', rules: { input: 'prop', forget: 'half', output: 'abs' }, eps: 0, productEps: 0, biasFactor: 0 },
  { label: 'all, bias factor 0.5', rules: { input: 'all', forget: 'prop', output: 'all' }, eps: 0.1, productEps: 0.3, biasFactor: 0.5 },
]

let seed = 100
for (const name of Object.keys(ARCHITECTURES)) {
  seed += 10
  const archSeed = seed
  for (const dtype of ['f64', 'f32'] as DType[]) {
    const tolerance = TOLERANCE[dtype]
    forwardMethodTests(name, dtype, archSeed, () => setUp(name, archSeed, dtype))

    test(`${name} [${dtype}]: LRP matches the reference for every rule`, async (t) => {
      const { ref, model, inputs } = await setUp(name, archSeed, dtype)
      for (const settings of LRP_SETTINGS) {
        for (const [n, input] of inputs.entries()) {
          for (const init of ['logit', 'one'] as const) {
            const target = n === 0 ? undefined : explicitTarget(ref, stepsOf(input), archSeed + n)
            const options: ExplainOptions = { method: 'lrp', rules: settings.rules, eps: settings.eps, productEps: settings.productEps, biasFactor: settings.biasFactor, init, target }
            const got = model.explain(apiInput(input), options)
            const expected = refLrp(ref, input, {
              targetWeights: weightsFor(got, ref),
              init,
              eps: settings.eps,
              biasFactor: settings.biasFactor,
              rules: settings.rules,
              productEps: { input: settings.productEps, forget: settings.productEps, output: settings.productEps },
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

    test(`${name} [${dtype}]: LRP with a caller-given initial relevance vector`, async (t) => {
      const { ref, model, inputs } = await setUp(name, archSeed, dtype)
      const C = ref.head.weight.length
      for (const input of inputs) {
        const rows = ref.head.readout === 'last' ? 1 : refForward(ref, input).scores.length
        const vector = Array.from({ length: rows }, (_, r) => Array.from({ length: C }, (_, k) => 0.5 - 0.3 * k + 0.1 * r))
        const got = model.explain(apiInput(input), { init: rows === 1 ? vector[0] : vector })
        const expected = refLrp(ref, input, {
          targetWeights: weightsFor(got, ref),
          init: vector,
          eps: 0.001,
          biasFactor: 0,
          rules: { input: 'all', forget: 'all', output: 'all' },
          productEps: { input: 0.001, forget: 0.001, output: 0.001 },
        })
        assertClose(t, got.relevance, expected.relevance.flat(), tolerance, 'relevance')
        assertNear(t, got.conservation!.input, expected.conservation.input, tolerance, 'conservation.input')
      }
      model.dispose()
    })
  }
}
