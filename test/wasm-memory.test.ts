// The WASM module's memory (docs/METHODS.md § Memory and numeric limits): a call leaves nothing allocated behind, and a request that
// does not fit in the module's memory (at most 2 GiB, or 4 GiB for any wasm32 module) fails with a
// clear LstmLrpError E_MEMORY, whether the arguments' copies or the kernel's own working memory do
// not fit, and leaves the module usable with the same results as before.
import test from 'ava'
import { LstmLrpError, createModel, loadModel, type Model, type SequenceInput } from '../lib/index.js'
import { writeModelFile, expectedTensors } from '../lib/model/tensors.js'
import { parseConfig } from '../lib/model/config.js'
import type { Tensor } from '../lib/model/types.js'
import { randomSequence } from './reference/random.js'
import { explanationDifference, explanationsDifference } from './helpers/explanation-diff.js'
import { fillMemory, modelOn, ownWasmBackend } from './helpers/wasm-instance.js'

const MiB = 2 ** 20

/** One input per step and 2 × 64 hidden units: the kernel's working memory dwarfs the copies of its arguments. */
const WIDE = { inputSize: 1, layers: [{ hiddenSize: 64, bidirectional: true }], head: { outputs: 2 } }

function sequence(steps: number, seed = steps): SequenceInput {
  return { data: Float32Array.from(randomSequence(seed, steps, 1).flat()), steps }
}

function caught(run: () => unknown): unknown {
  try {
    run()
    return null
  } catch (error) {
    return error
  }
}

function isMemoryError(error: unknown): error is LstmLrpError {
  return error instanceof LstmLrpError && error.code === 'E_MEMORY' && /WASM memory is exhausted/.test(error.message)
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name} ${(error as LstmLrpError).code ?? ''}: ${error.message}` : String(error)
}

test("with the module's memory taken but for 1 MiB, 150 000 explanations in 100 500 calls still succeed: no call leaves memory allocated", async (t) => {
  const { backend, module } = ownWasmBackend()
  const model = modelOn(backend, { inputSize: 4, layers: [{ hiddenSize: 8, bidirectional: true }], head: { outputs: 3 } })
  const batch = Array.from({ length: 100 }, (_, n) => randomSequence(n, 10, 4))
  const expected = await model.explainBatch(batch)
  // Leaking 8 bytes a call would take 800 KB of the hole; one batch call needs about 300 KB.
  const release = fillMemory(module, MiB)
  try {
    for (let call = 0; call < 500; call++) await model.explainBatch(batch)
    for (let call = 0; call < 100_000; call++) model.explain(batch[call % 100])
    t.is(explanationsDifference(await model.explainBatch(batch), expected), null, 'results as before')
  } finally {
    release()
    model.dispose()
  }
})

test('when the kernel cannot allocate its working memory: LstmLrpError E_MEMORY, the stack pointer restored, and the same results once memory is free', async (t) => {
  const { backend, module } = ownWasmBackend()
  const model = modelOn(backend, WIDE)
  const long = sequence(1000)
  const short = sequence(5)
  const expected = { long: model.explain(long), short: model.explain(short) }
  // The copies of 1000 one-value steps take a few KiB; the kernel's trace of 128 units several MiB.
  const release = fillMemory(module, MiB)
  const stack = module.stackSave()
  try {
    const error = caught(() => model.explain(long))
    t.true(isMemoryError(error), `explain: ${describe(error)}`)
    t.regex(String((error as Error).message), /an allocation in the kernel failed/)
    t.is(module.stackSave(), stack, 'the aborted call left the stack pointer where it was')
    const batchError = await model.explainBatch([long, long]).then(
      () => null,
      (rejection: unknown) => rejection,
    )
    t.true(isMemoryError(batchError), `explainBatch: ${describe(batchError)}`)
    t.is(module.stackSave(), stack, 'the aborted batch left the stack pointer where it was')
  } finally {
    release()
  }
  const again = { long: model.explain(long), short: model.explain(short) }
  t.is(explanationDifference(again.long, expected.long), null, 'the long sequence explains as before')
  t.is(explanationDifference(again.short, expected.short), null, 'the short sequence explains as before')
  model.dispose()
})

test("when the copies of a call's arguments do not fit: LstmLrpError E_MEMORY naming the size, and the module works on", (t) => {
  const { backend, module } = ownWasmBackend()
  const model = modelOn(backend, WIDE)
  const short = sequence(5)
  const expected = model.explain(short)
  const release = fillMemory(module, 64 * 1024)
  try {
    // 100 000 steps: 400 KB of inputs alone.
    const error = caught(() => model.explain(sequence(100_000)))
    t.true(isMemoryError(error), describe(error))
    t.regex(String((error as Error).message), /allocating \d+ bytes/)
  } finally {
    release()
  }
  t.is(explanationDifference(model.explain(short), expected), null, 'explains as before')
  model.dispose()
})

/** A model file whose embedding (16 M tokens × 4 floats) takes 256 MiB and whose LSTM is tiny. */
function bigModelFile(): Uint8Array {
  const config = parseConfig({ inputSize: 4, embedding: { vocabSize: 16 * 2 ** 20 }, layers: [{ hiddenSize: 2 }], head: { outputs: 2 } })
  const tensors = new Map<string, Tensor>(
    expectedTensors(config).map(({ name, shape }) => {
      const data = new Float32Array(shape.reduce((product, size) => product * size, 1))
      for (let k = 0; k < data.length; k += 4099) data[k] = (k % 7) / 7 - 0.5
      return [name, { dtype: 'f32', shape, data }]
    }),
  )
  return writeModelFile(config, tensors)
}

test('loading 256 MiB models one after another until the shared WASM module is full: LstmLrpError E_MEMORY; after disposing them, models load and explain as before', async (t) => {
  const small = await createModel(WIDE, { backend: 'wasm', seed: 1 })
  const input = sequence(7)
  const expected = small.explain(input)
  const bytes = bigModelFile()
  const tokens = { tokens: [0, 4099, 16 * 2 ** 20 - 1] }
  const big: Model[] = []
  let failure: unknown = null
  // 17 models of 256 MiB exceed even the 4 GiB every wasm32 module is limited to.
  for (let k = 0; k < 17 && failure === null; k++) {
    failure = await loadModel(bytes, { backend: 'wasm' }).then(
      (model) => (big.push(model), null),
      (error: unknown) => error,
    )
  }
  t.log(`${big.length} models of 256 MiB loaded before the module's memory ran out`)
  t.true(isMemoryError(failure), `loading model ${big.length + 1}: ${describe(failure)}`)
  const expectedBig = big[0].explain(tokens)
  t.is(explanationDifference(small.explain(input), expected), null, 'a model loaded before still explains as before')
  for (const model of big.splice(1)) model.dispose()
  const reloaded = await loadModel(bytes, { backend: 'wasm' })
  t.is(explanationDifference(reloaded.explain(tokens), expectedBig), null, 'a big model loads again once memory is free')
  for (const model of [small, big[0], reloaded]) model.dispose()
})
