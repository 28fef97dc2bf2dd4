// Property tests of the facade's errors (docs/METHODS.md § Errors and lifetime) over random small models: a request spoiled in
// one way fails with the LstmLrpError code the API documents for that mistake and changes nothing,
// and junk where options and inputs go gives a result or a documented LstmLrpError, never another
// exception. Runs on the backend LSTM_LRP_BACKEND selects, with the seed of helpers/property-runs.
import test from 'ava'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { LstmLrpError, type ExplainOptions, type SequenceInput } from '../lib/index.js'
import { modelSpecArb, sizedSequenceArb } from './helpers/arbitraries.js'
import { dtypeArb, explainCaseArb, withModel } from './helpers/property-cases.js'
import { invalidRequestArb } from './helpers/invalid-requests.js'
import { explanationDifference } from './helpers/explanation-diff.js'
import { checkProperty } from './helpers/property-runs.js'

/** Calls run; returns what it threw (null if nothing). */
async function thrownBy(run: () => unknown): Promise<unknown> {
  try {
    await run()
    return null
  } catch (error) {
    return error
  }
}

function assertLibraryError(error: unknown, code: string, what: string): void {
  assert.ok(error instanceof LstmLrpError, `${what}: expected an LstmLrpError ${code}, got ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`)
  assert.equal(error.code, code, `${what}: ${error.message}`)
}

test('a request spoiled in one way fails with its documented LstmLrpError code (explain and explainBatch) and changes nothing', async (t) => {
  const arb = explainCaseArb().chain((base) => invalidRequestArb(base.spec.architecture, base.dtype, base.steps, { input: base.input, options: base.options }).map((invalid) => ({ base, invalid })))
  const property = fc.asyncProperty(arb, ({ base, invalid }) =>
    withModel(base.spec, base.dtype, async (model) => {
      const before = model.explain(base.input, base.options)
      assertLibraryError(await thrownBy(() => model.explain(invalid.input, invalid.options)), invalid.code, `explain, ${invalid.mistake}`)
      let progress = 0
      const batchError = await thrownBy(() => model.explainBatch([invalid.input], invalid.options, { onProgress: () => progress++ }))
      assertLibraryError(batchError, invalid.code, `explainBatch, ${invalid.mistake}`)
      // Kernel errors come from the work itself; every other mistake is caught before any work.
      if (invalid.code !== 'E_KERNEL') assert.equal(progress, 0, 'no work before the validation error')
      assert.equal(explanationDifference(model.explain(base.input, base.options), before), null, 'the model explains as before the error')
    }),
  )
  await checkProperty(t, property, 300)
})

const OPTION_KEYS = ['method', 'target', 'rule', 'rules', 'eps', 'productEps', 'biasFactor', 'init', 'occlusion', 'cd', 'integratedGradients'] as const

/** Any JavaScript value, including those String() or JSON.stringify() cannot convert: BigInts, null prototypes, symbols, functions. */
const junkArb = fc.oneof(
  fc.anything({ withBigInt: true, withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true }),
  fc.string().map((description) => Symbol(description)),
  fc.constant(() => 0),
)

/** Junk where options and inputs go, including nested objects in every option. */
const junkOptionsArb = fc.oneof(junkArb, fc.record(Object.fromEntries(OPTION_KEYS.map((key) => [key, junkArb])), { requiredKeys: [] }))

test('junk options and inputs give a result or an LstmLrpError with a documented code, never another exception', async (t) => {
  const arb = fc.tuple(modelSpecArb, dtypeArb).chain(([spec, dtype]) =>
    fc.record({
      spec: fc.constant(spec),
      dtype: fc.constant(dtype),
      input: fc.oneof(
        sizedSequenceArb(spec.architecture).map(({ input }) => input),
        junkArb,
      ),
      options: junkOptionsArb,
    }),
  )
  const documented = ['E_OPTIONS', 'E_TARGET', 'E_INPUT', 'E_KERNEL']
  const property = fc.asyncProperty(arb, ({ spec, dtype, input, options }) =>
    withModel(spec, dtype, async (model) => {
      for (const [what, run] of [
        ['explain', () => model.explain(input as SequenceInput, options as ExplainOptions)],
        ['explainBatch', () => model.explainBatch([input as SequenceInput], options as ExplainOptions)],
      ] as const) {
        const error = await thrownBy(run)
        if (error === null) continue
        assert.ok(error instanceof LstmLrpError, `${what} threw ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`)
        assert.ok(documented.includes(error.code), `${what}: undocumented code ${error.code}`)
      }
    }),
  )
  await checkProperty(t, property, 300)
})
