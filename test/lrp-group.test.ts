// LRP runs the backward passes of a group of sequences together, step by step, gathering
// their products (both the LSTM's and the GRU's). Whatever the lengths in a group, every LRP
// explanation of a batch equals explaining its sequences one at a time, bit for bit, for every
// rule mix and architecture.
import test from 'ava'
import { loadModel, type ExplainOptions, type SequenceInput } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'
import type { RefArchitecture } from './reference/random.js'
import { mulberry32, randomRefModel, randomSequence } from './reference/random.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { GRU_ARCHITECTURES } from './helpers/gru-architectures.js'
import { sameExplanation } from './helpers/explanation-diff.js'

const RULE_MIXES: ExplainOptions[] = [
  { rule: 'all' },
  { rule: 'prop', productEps: 0.1 },
  { rule: 'abs', productEps: 0.1 },
  { rule: 'half', eps: 0.01, biasFactor: 0.5 },
  { rules: { input: 'prop', forget: 'abs', output: 'all' }, productEps: 0.2, init: 'one' },
  { rules: { input: 'all', forget: 'half', output: 'prop' }, biasFactor: 0 },
  { rules: { update: 'prop', reset: 'abs' }, productEps: 0.2, biasFactor: 1 },
  { rules: { update: 'half', reset: 'all' }, eps: 0.01, init: 'one' },
]

const CASES: Record<string, RefArchitecture> = {
  ...ARCHITECTURES,
  ...GRU_ARCHITECTURES,
  'stacked bidirectional, readout each': { ...ARCHITECTURES['stacked bidirectional, head bias'], readout: 'each' },
}

/** 40 sequences of 1–45 steps in a scrambled order, so each group of the batch holds different lengths. */
function inputsOf(seed: number, arch: RefArchitecture): SequenceInput[] {
  return Array.from({ length: 40 }, (_, n) => {
    const steps = 1 + ((n * 23 + 7) % 45)
    if (arch.vocabSize === undefined) return randomSequence(seed + n, steps, arch.inputSize)
    const next = mulberry32(seed + n)
    return { tokens: Array.from({ length: steps }, () => Math.floor(next() * (arch.vocabSize ?? 1))) }
  })
}

for (const [name, arch] of Object.entries(CASES)) {
  for (const dtype of ['f32', 'f64'] as DType[]) {
    test(`${name} [${dtype}]: LRP of a batch of mixed lengths equals one sequence at a time, bit for bit, on 1 and 2 threads`, async (t) => {
      const bytes = refModelFile(randomRefModel(4100 + name.length, arch), dtype)
      const models = await Promise.all([1, 2].map((threads) => loadModel(bytes, { threads })))
      const inputs = inputsOf(5100 + name.length, arch)
      for (const options of RULE_MIXES) {
        const alone = inputs.map((input) => models[0].explain(input, options))
        for (const model of models) {
          const batch = await model.explainBatch(inputs, options)
          t.is(batch.length, alone.length)
          batch.forEach((explanation, n) => sameExplanation(t, explanation, alone[n], `${JSON.stringify(options)}, ${model.backend.threads} threads, item ${n}`))
        }
      }
      for (const model of models) model.dispose()
    })
  }
}
