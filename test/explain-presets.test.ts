/** The paper's named variants as presets: each is exactly the explicit options it stands for. */
import test from 'ava'
import { createModel, EXPLAIN_PRESETS, LstmLrpError, type ExplainOptions, type ExplainPresetName } from '../lib/index.js'

/** Written out here, not read from the table: LRP with logit initial relevance and absorbing biases; occlusion by zeros. */
const STANDS_FOR: Record<ExplainPresetName, ExplainOptions> = {
  'lrp-all': { method: 'lrp', rule: 'all', biasFactor: 0, init: 'logit' },
  'lrp-prop': { method: 'lrp', rule: 'prop', biasFactor: 0, init: 'logit' },
  'lrp-abs': { method: 'lrp', rule: 'abs', biasFactor: 0, init: 'logit' },
  'lrp-half': { method: 'lrp', rule: 'half', biasFactor: 0, init: 'logit' },
  'occlusion-f-diff': { method: 'occlusion', occlusion: { score: 'logit', replacement: 'zero' } },
  'occlusion-p-diff': { method: 'occlusion', occlusion: { score: 'prob', replacement: 'zero' } },
}

const model = await createModel({ inputSize: 3, layers: [{ hiddenSize: 4, bidirectional: true }], head: { outputs: 3 } }, { seed: 3, init: { biases: { z: 0.3, i: -0.2, o: 0.1 } } })
const sequence = [
  [0.5, -1, 0.25],
  [1, 0.5, -0.75],
  [-0.5, 0.25, 1],
  [0.75, -0.25, -0.5],
]

test('the table holds the six named variants, frozen', (t) => {
  t.deepEqual(EXPLAIN_PRESETS, STANDS_FOR)
  t.true(Object.isFrozen(EXPLAIN_PRESETS))
  t.true(Object.isFrozen(EXPLAIN_PRESETS['occlusion-p-diff'].occlusion))
})

for (const [preset, explicit] of Object.entries(STANDS_FOR) as [ExplainPresetName, ExplainOptions][]) {
  test(`{ preset: '${preset}' } explains exactly as its explicit options`, (t) => {
    const options = { eps: 0.01, productEps: 0.05, target: 1 }
    t.deepEqual(model.explain(sequence, { preset, ...options }), model.explain(sequence, { ...explicit, ...options }))
  })
}

test('the presets differ from one another on this model', (t) => {
  const perStep = Object.keys(STANDS_FOR).map((preset) => JSON.stringify(model.explain(sequence, { preset: preset as ExplainPresetName, eps: 0.01 }).perStep))
  t.is(new Set(perStep).size, perStep.length)
})

test('options given next to a preset replace its values; undefined ones do not', (t) => {
  t.deepEqual(model.explain(sequence, { preset: 'lrp-prop', biasFactor: 1, rule: undefined }), model.explain(sequence, { rule: 'prop', biasFactor: 1 }))
  const occluded = model.explain(sequence, { preset: 'occlusion-p-diff', occlusion: { score: 'logit' } })
  t.deepEqual(occluded, model.explain(sequence, { method: 'occlusion' }))
})

test('an unknown preset is an E_OPTIONS error naming the presets', (t) => {
  const error = t.throws(() => model.explain(sequence, { preset: 'lrp-epsilon' as ExplainPresetName }), { instanceOf: LstmLrpError })
  t.is(error?.code, 'E_OPTIONS')
  t.is(error?.message, 'preset must be one of lrp-all, lrp-prop, lrp-abs, lrp-half, occlusion-f-diff, occlusion-p-diff; got "lrp-epsilon"')
})
