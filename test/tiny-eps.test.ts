// A positive eps so small that R / (z + eps) overflows (found by the property tests with
// eps = 5e-324): the message is absorbed like a zero denominator's, so relevance stays finite
// and conservation holds; before the fix Inf · 0 turned relevance into NaN.
import test from 'ava'
import { loadModel } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'
import { randomRefModel } from './reference/random.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { ARCHITECTURES } from './helpers/architectures.js'

const TINY: Record<DType, number> = { f64: 5e-324, f32: 1e-45 }

for (const dtype of ['f64', 'f32'] as DType[]) {
  for (const rule of ['all', 'prop'] as const) {
    test(`[${dtype}] rule ${rule}, eps ${TINY[dtype]} on zero inputs: finite relevance, input = inputs + absorbed + initialState`, async (t) => {
      // Zero inputs and no biases make the scores, pre-activations and cell states exactly 0:
      // every denominator is then eps alone, and init 'one' sends relevance 1 into them.
      const ref = randomRefModel(5, { ...ARCHITECTURES['uni, head bias'], headBias: false, zeroBiases: true })
      const model = await loadModel(refModelFile(ref, dtype))
      const zeros = Array.from({ length: 4 }, () => new Array(ref.inputSize).fill(0))
      const explanation = model.explain(zeros, { rule, eps: TINY[dtype], productEps: TINY[dtype], init: 'one' })
      t.true(Array.from(explanation.relevance).every(Number.isFinite), `relevance ${Array.from(explanation.relevance)}`)
      const { input, inputs, absorbed, initialState } = explanation.conservation!
      t.true([input, inputs, absorbed, initialState].every(Number.isFinite))
      t.true(Math.abs(input - (inputs + absorbed + initialState)) <= 1e-6 * Math.abs(input), JSON.stringify(explanation.conservation))
      model.dispose()
    })
  }
}
