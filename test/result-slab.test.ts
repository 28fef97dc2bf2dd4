// Short results are views into shared slabs (lib/model/result-slab.ts): each call's region is its
// own, so a result kept while thousands of later calls run never changes, and views of every dtype
// are aligned whatever the lengths before them.
import test from 'ava'
import { createModel, type BackendName, type DType, type Explanation, type Prediction } from '../lib/index.js'
import { resultRegion } from '../lib/model/result-slab.js'
import { randomSequence } from './reference/random.js'
import { explanationDifference } from './helpers/explanation-diff.js'

const BACKENDS: BackendName[] = ['native', 'wasm']
const DTYPES: DType[] = ['f32', 'f64']
const CONFIG = { inputSize: 3, layers: [{ hiddenSize: 4, bidirectional: true }], head: { outputs: 3 } }

test('regions are 8-byte aligned, never overlap, and a large one gets a buffer of its own', (t) => {
  const taken = new Map<ArrayBuffer, [number, number][]>()
  for (let k = 0; k < 400; k++) {
    const bytes = 1 + ((k * 37) % 3000)
    const { buffer, offset } = resultRegion(bytes)
    t.is(offset % 8, 0)
    t.true(offset + bytes <= buffer.byteLength)
    const spans = taken.get(buffer) ?? []
    t.false(
      spans.some(([start, end]) => offset < end && start < offset + bytes),
      `region ${k} overlaps`,
    )
    taken.set(buffer, [...spans, [offset, offset + bytes]])
  }
  t.true(taken.size > 1, 'slabs are replaced when full')
  const large = resultRegion(1 << 20)
  t.is(large.offset, 0)
  t.is(large.buffer.byteLength, 1 << 20)
  t.false(taken.has(large.buffer))
})

for (const backend of BACKENDS) {
  for (const dtype of DTYPES) {
    test(`${backend} [${dtype}]: kept results of predict and explain stay as computed while 2000 later calls fill the slabs`, async (t) => {
      const model = await createModel(CONFIG, { backend, dtype, seed: 3 })
      const inputs = Array.from({ length: 2000 }, (_, k) => randomSequence(k + 1, 1 + (k % 9), CONFIG.inputSize))
      const kept: { prediction: Prediction; explanation: Explanation; copy: Explanation }[] = inputs.map((input) => {
        const explanation = model.explain(input)
        const copy = { ...explanation, scores: explanation.scores.slice(), relevance: explanation.relevance.slice(), perStep: explanation.perStep.slice() }
        return { prediction: model.predict(input), explanation, copy }
      })
      kept.forEach(({ prediction, explanation, copy }, k) => {
        t.deepEqual(explanationDifference(explanation, copy), null, `explanation ${k}`)
        t.deepEqual(prediction, model.predict(inputs[k]), `prediction ${k}`)
      })
      model.dispose()
    })
  }
}
