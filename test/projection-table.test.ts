// The input projection table of token models (docs/METHODS.md § Input projection table):
// explanations and scores are the same bits with and without it, and after training, which
// changes the weights it was computed from. Runs on the backend LSTM_LRP_BACKEND selects.
import test from 'ava'
import { createModel, LstmLrpError, type ExplainOptions, type Explanation, type Model } from '../lib/index.js'
import { Model as ModelClass } from '../lib/model/model.js'
import { loadBackend } from '../lib/backend/registry.js'
import type { DType } from '../lib/model/types.js'
import { sameExplanations } from './helpers/explanation-diff.js'

const VOCAB = 17
const CONFIG = {
  inputSize: 5,
  embedding: { vocabSize: VOCAB },
  layers: [{ hiddenSize: 6, bidirectional: true }, { hiddenSize: 4 }],
  head: { outputs: 3 },
  task: 'classification',
}
const OPTIONS: ExplainOptions[] = [{}, { rule: 'prop' }, { method: 'gradient' }, { method: 'occlusion' }]

function sentences(count: number): { tokens: number[] }[] {
  return Array.from({ length: count }, (_, n) => ({ tokens: Array.from({ length: 1 + ((n * 5) % 11) }, (_, k) => (k * 7 + n * 3) % VOCAB) }))
}

async function explainAll(t: import('ava').ExecutionContext, model: Model, inputs: { tokens: number[] }[]): Promise<Explanation[][]> {
  const results: Explanation[][] = []
  for (const options of OPTIONS) {
    const batch = await model.explainBatch(inputs, options)
    // One at a time too: a group of one looks its rows up as a larger group does.
    sameExplanations(
      t,
      inputs.map((input) => model.explain(input, options)),
      batch,
      `${JSON.stringify(options)}, one at a time`,
    )
    results.push(batch)
  }
  return results
}

for (const dtype of ['f32', 'f64'] as DType[]) {
  test(`[${dtype}] explanations are the same bits with and without the input projection table`, async (t) => {
    const inputs = sentences(24)
    const withTable = await createModel(CONFIG, { seed: 5, dtype })
    const without = await createModel(CONFIG, { seed: 5, dtype, inputProjectionTable: false })
    const expected = await explainAll(t, without, inputs)
    const actual = await explainAll(t, withTable, inputs)
    OPTIONS.forEach((options, k) => sameExplanations(t, actual[k], expected[k], JSON.stringify(options)))
    withTable.dispose()
    without.dispose()
  })

  test(`[${dtype}] a trained model explains as a fresh model with its weights`, async (t) => {
    const items = sentences(64).map((input) => ({ input, target: input.tokens.includes(3) ? 1 : 0 }))
    const model = await createModel(CONFIG, { seed: 6, dtype })
    const before = await model.explainBatch(items.map((item) => item.input))
    await model.train(items, { epochs: 3, lr: 0.05, seed: 1 })
    const inputs = items.map((item) => item.input)
    const trained = await model.explainBatch(inputs)
    t.notDeepEqual(Array.from(trained[0].relevance), Array.from(before[0].relevance), 'training changed the weights')
    for (const inputProjectionTable of [true, false]) {
      const fresh = new ModelClass(model.config, dtype, new Map(model.weights), loadBackend(), undefined, { inputProjectionTable })
      sameExplanations(t, trained, await fresh.explainBatch(inputs), `fresh copy, table ${inputProjectionTable}`)
      fresh.dispose()
    }
    model.dispose()
  })
}

test('inputProjectionTable must be a boolean', async (t) => {
  const error = await t.throwsAsync(createModel(CONFIG, { seed: 1, inputProjectionTable: 'no' as unknown as boolean }), { instanceOf: LstmLrpError })
  t.is(error?.code, 'E_OPTIONS')
  t.regex(error?.message ?? '', /inputProjectionTable must be a boolean; got/)
})
