// Typed arrays backed by a SharedArrayBuffer (shared with worker threads) work wherever typed
// arrays are taken, with the results of the same values in an ordinary ArrayBuffer, on both
// backends: the native addon used to refuse them with a bare "Invalid argument" Error.
import test from 'ava'
import { createModel, loadModel, saveModel, type BackendName, type DType, type ExplainOptions, type Model, type SequenceInput } from '../lib/index.js'
import { randomSequence } from './reference/random.js'
import { explanationDifference, explanationsDifference } from './helpers/explanation-diff.js'

const BACKENDS: BackendName[] = ['native', 'wasm']
const DTYPES: DType[] = ['f32', 'f64']
const VECTORS = { inputSize: 3, layers: [{ hiddenSize: 5, bidirectional: true }], head: { outputs: 3 } }
const TOKENS = { inputSize: 4, embedding: { vocabSize: 20 }, layers: [{ hiddenSize: 5 }], head: { outputs: 2 } }

type Typed = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array

/** A copy of array in a SharedArrayBuffer, 8 bytes in (an offset must not matter either). */
function shared<T extends Typed>(array: T): T {
  const Type = array.constructor as new (buffer: SharedArrayBuffer, offset: number, length: number) => T
  const copy = new Type(new SharedArrayBuffer(array.byteLength + 16), 8, array.length)
  copy.set(array as never)
  return copy
}

function sequence(seed: number, steps: number, dtype: DType): { data: Float32Array | Float64Array; steps: number } {
  const values = randomSequence(seed, steps, VECTORS.inputSize).flat()
  return { data: dtype === 'f32' ? Float32Array.from(values) : Float64Array.from(values), steps }
}

function sharedSequence(input: { data: Float32Array | Float64Array; steps: number }): SequenceInput {
  return { data: shared(input.data), steps: input.steps }
}

for (const backend of BACKENDS) {
  for (const dtype of DTYPES) {
    test(`${backend} [${dtype}]: predict, explain, explainBatch and gradients take input data in a SharedArrayBuffer`, async (t) => {
      const model = await createModel(VECTORS, { backend, dtype, seed: 1 })
      const inputs = [sequence(1, 7, dtype), sequence(2, 3, dtype), sequence(3, 12, dtype)]
      const sharedInputs = inputs.map(sharedSequence)
      t.deepEqual(model.predict(sharedInputs[0]), model.predict(inputs[0]), 'predict')
      for (const options of [{}, { method: 'gradient-x-input' as const }, { method: 'occlusion' as const }])
        t.is(explanationDifference(model.explain(sharedInputs[0], options), model.explain(inputs[0], options)), null, `explain ${JSON.stringify(options)}`)
      t.is(explanationsDifference(await model.explainBatch(sharedInputs), await model.explainBatch(inputs)), null, 'explainBatch')
      const items = (given: SequenceInput[]) => given.map((input, n) => ({ input, target: n % 3 }))
      t.deepEqual(model.gradients(items(sharedInputs.slice(0, 1))), model.gradients(items(inputs.slice(0, 1))), 'gradients of one sequence')
      t.deepEqual(model.gradients(items(sharedInputs)), model.gradients(items(inputs)), 'gradients of three')
      model.dispose()
    })

    test(`${backend} [${dtype}]: evaluate and train take input data in a SharedArrayBuffer`, async (t) => {
      const inputs = Array.from({ length: 40 }, (_, n) => sequence(n, 1 + (n % 9), dtype))
      const items = (given: SequenceInput[]) => given.map((input, n) => ({ input, target: n % 3 }))
      const [plain, sharing] = await Promise.all([0, 1].map(() => createModel(VECTORS, { backend, dtype, seed: 2 })))
      t.deepEqual(await sharing.evaluate(items(inputs.map(sharedSequence))), await plain.evaluate(items(inputs)), 'evaluate')
      const options = { epochs: 2, batchSize: 8, seed: 3 }
      const [sharedReport, plainReport] = [await sharing.train(items(inputs.map(sharedSequence)), options), await plain.train(items(inputs), options)]
      t.deepEqual(sharedReport.history, plainReport.history, 'training losses')
      t.deepEqual(sharing.weights, plain.weights, 'trained weights')
    })
  }

  test(`${backend}: an occlusion replacement and an integrated-gradients baseline in a SharedArrayBuffer`, async (t) => {
    const model = await createModel(VECTORS, { backend, seed: 4 })
    const input = sequence(5, 6, 'f32')
    const vector = Float32Array.from([0.5, -1, 2])
    const optionsWith = {
      occlusion: (replacement: ArrayLike<number>): ExplainOptions => ({ method: 'occlusion', occlusion: { replacement } }),
      'integrated-gradients': (baseline: ArrayLike<number>): ExplainOptions => ({ method: 'integrated-gradients', integratedGradients: { baseline } }),
    }
    for (const [method, options] of Object.entries(optionsWith)) t.is(explanationDifference(model.explain(input, options(shared(vector))), model.explain(input, options(vector))), null, method)
  })

  test(`${backend}: token ids in an Int32Array or a Uint32Array in a SharedArrayBuffer`, async (t) => {
    const model = await createModel(TOKENS, { backend, seed: 5 })
    const ids = [3, 1, 4, 1, 5, 9, 2, 6]
    for (const tokens of [shared(Int32Array.from(ids)), shared(Uint32Array.from(ids))]) {
      const what = tokens.constructor.name
      t.deepEqual(model.predict({ tokens }), model.predict({ tokens: ids }), `predict, ${what}`)
      t.is(explanationDifference(model.explain({ tokens }), model.explain({ tokens: ids })), null, `explain, ${what}`)
      t.is(explanationsDifference(await model.explainBatch([{ tokens }, { tokens }]), await model.explainBatch([{ tokens: ids }, { tokens: ids }])), null, `explainBatch, ${what}`)
      t.deepEqual(model.gradients([{ input: { tokens }, target: 1 }]), model.gradients([{ input: { tokens: ids }, target: 1 }]), `gradients, ${what}`)
    }
  })

  test(`${backend}: loadModel takes the file's bytes in a SharedArrayBuffer`, async (t) => {
    for (const dtype of DTYPES) {
      const original: Model = await createModel(VECTORS, { backend, dtype, seed: 6 })
      const bytes = await saveModel(original)
      const loaded = await loadModel(shared(bytes), { backend })
      t.deepEqual(loaded.weights, original.weights, `${dtype} weights`)
      const input = sequence(7, 5, dtype)
      t.is(explanationDifference(loaded.explain(input), original.explain(input)), null, `${dtype} explanation`)
    }
  })
}
