// The child process of test/finalization.test.ts (run with --expose-gc), with arguments backend,
// loads and growth limit: loads one model file `loads` times on the backend and disposes only every
// third model, leaving the rest to the garbage collector, which runs after every LOADS_PER_ROUND loads. Meanwhile a batch runs on a model nobody
// else holds, with collections between its kernel calls, and one model is kept throughout. Prints one
// JSON line: the memory after each round (the WASM module's memory, or the process's RSS for native)
// and whether the batch and the kept model still give their first results.
import { setImmediate as nextTask } from 'node:timers/promises'
import { createModel, loadModel, saveModel, type Explanation, type Model } from '../../lib/index.js'
import { modelFromBytes } from '../../lib/model/from-bytes.js'
import { ownWasmBackend } from './wasm-instance.js'
import { randomSequence } from '../reference/random.js'

const LOADS_PER_ROUND = 100
const ARCHITECTURE = { inputSize: 16, layers: [{ hiddenSize: 64, bidirectional: true }], head: { outputs: 3 } }

const collectGarbage =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    throw new Error('run with --expose-gc')
  })

/** A full collection, then the tasks that run finalizers. */
async function collect(): Promise<void> {
  collectGarbage()
  await nextTask()
  await nextTask()
}

const [backend, loadsArgument, growthLimitArgument] = process.argv.slice(2)
const loads = Number(loadsArgument)
/** Memory growth past the first round at which loading stops early: the result is clear by then. */
const growthLimit = Number(growthLimitArgument)
const bytes = await saveModel(await createModel(ARCHITECTURE, { seed: 1, backend: 'native' }))
const wasm = backend === 'wasm' ? ownWasmBackend() : null
const load = (): Promise<Model> => (wasm === null ? loadModel(bytes, { backend: 'native' }) : Promise.resolve(modelFromBytes(bytes, wasm.backend)))
const memory = () => (wasm === null ? process.memoryUsage().rss : wasm.module.memory.buffer.byteLength)

const items = Array.from({ length: 600 }, (_, n) => randomSequence(n, 20, ARCHITECTURE.inputSize))
const relevance = (explanations: Explanation[]) => explanations.map((explanation) => Array.from(explanation.relevance).join()).join(';')
const kept = await load()
const expected = relevance(await kept.explainBatch(items))
// The only reference to this model is the batch running on it.
const unheld = (await load()).explainBatch(items, {}, { onProgress: collectGarbage })

const rounds: number[] = []
for (let loaded = 0; loaded < loads;) {
  for (let k = 0; k < LOADS_PER_ROUND; k++, loaded++) {
    const model = await load()
    if (loaded % 3 === 0) model.dispose()
  }
  await collect()
  rounds.push(memory())
  if (rounds[rounds.length - 1] - rounds[0] > growthLimit) break
}
const unheldSame = relevance(await unheld) === expected
await collect()
console.log(JSON.stringify({ rounds, unheldSame, keptSame: relevance(await kept.explainBatch(items)) === expected }))
