// The kernel's batch path: sequences run in groups of similar length on the kernel's own
// threads. Whatever the thread count and grouping, every result equals explaining or
// predicting each sequence alone, bit for bit.
import test from 'ava'
import { LstmLrpError, loadModel, type ExplainOptions, type Explanation, type Model, type SequenceInput } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'
import { randomRefModel, randomSequence } from './reference/random.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { ARCHITECTURES } from './helpers/architectures.js'

const OPTIONS: ExplainOptions[] = [{ method: 'lrp', rule: 'all' }, { method: 'lrp', rules: { input: 'all', forget: 'prop', output: 'half' }, productEps: 0.1 }, { method: 'gradient-x-input' }, { method: 'occlusion' }]

/** 40 sequences: short ones and three long ones (420–524 steps) that overflow the kernel's 1024-step group budget together. */
function inputsFor(architecture: string, embedded: boolean, width: number, vocab: number): SequenceInput[] {
  return Array.from({ length: 40 }, (_, n) => {
    const steps = n % 13 === 5 ? 400 + n * 4 : 1 + ((n * 11) % 37)
    if (embedded) return { tokens: Array.from({ length: steps }, (_, k) => (k * 7 + n * 3) % vocab) }
    return randomSequence(9000 + n + architecture.length, steps, width)
  })
}

function sameArrays(t: import('ava').ExecutionContext, actual: Explanation[], expected: Explanation[], what: string): void {
  t.is(actual.length, expected.length)
  expected.forEach((explanation, n) => {
    t.deepEqual(actual[n].scores, explanation.scores, `${what}, item ${n}: scores`)
    t.deepEqual(actual[n].relevance, explanation.relevance, `${what}, item ${n}: relevance`)
    t.deepEqual(actual[n].conservation, explanation.conservation, `${what}, item ${n}: conservation`)
  })
}

for (const architecture of ['bidirectional, embedding (SST-like)', 'stacked uni, readout each', 'custom cell (relu g, identity h, no output gate, mixed connections)']) {
  for (const dtype of ['f32', 'f64'] as DType[]) {
    test(`${architecture} [${dtype}]: explainBatch and predict on 1, 2 and 3 threads equal one sequence at a time`, async (t) => {
      const ref = randomRefModel(77, ARCHITECTURES[architecture])
      const bytes = refModelFile(ref, dtype)
      const models: Model[] = await Promise.all([1, 2, 3].map((threads) => loadModel(bytes, { threads })))
      const inputs = inputsFor(architecture, ref.embedding !== null && ref.embedding !== undefined, ref.inputSize, ref.embedding?.length ?? 0)
      for (const options of OPTIONS) {
        const alone = inputs.map((input) => models[0].explain(input, options))
        for (const model of models) sameArrays(t, await model.explainBatch(inputs, options), alone, `${JSON.stringify(options)}, ${model.backend.threads} threads`)
      }
      const predictions = inputs.map((input) => models[0].predict(input))
      for (const model of models)
        t.deepEqual(
          inputs.map((input) => model.predict(input)),
          predictions,
        )
      for (const model of models) model.dispose()
    })
  }
}

test('threads outside [1, 256] are rejected with E_OPTIONS before a kernel is created', async (t) => {
  const bytes = refModelFile(randomRefModel(78, ARCHITECTURES['uni, head bias']), 'f32')
  for (const threads of [0, -1, 1.5, 257, Number.NaN]) {
    const error = await t.throwsAsync(loadModel(bytes, { threads }), { instanceOf: LstmLrpError })
    t.is(error?.code, 'E_OPTIONS')
    t.regex(error?.message ?? '', /threads must be an integer in \[1, 256\]/)
  }
})
