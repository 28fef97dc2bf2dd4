// onnxruntime-node's forward pass of an lstm-lrp model (exported by onnx-export.ts), for `npm run bench`
// to set lstm-lrp's explanations beside: one sequence per call on 1 thread, and sequences grouped by
// length into padded batches on 2 threads, each through onnxruntime's public API as a Node user calls it.
// On its own (`node --import tsx bench/ort-forward.ts`) it measures the SST-sized model and prints JSON.
import { pathToFileURL } from 'node:url'
import * as ort from 'onnxruntime-node'
import { parseConfig } from '../lib/model/config.js'
import type { ModelConfig, Tensor } from '../lib/model/types.js'
import { initialTensors } from '../lib/train/init.js'
import { seededRandom } from '../lib/train/random.js'
import { exportOnnx, ONNX_NAMES } from './onnx-export.js'
import { sstTestLengths } from './sst-lengths.js'
import { WARM_UP_PASSES } from './timing.js'

export type TokenSequence = ArrayLike<number>

export interface OrtForwardFigures {
  version: string
  singleMicroseconds: number
  singlePerSecond: number
  batchThreads: number
  /** The batch size (of BATCH_SIZES) at which onnxruntime was fastest. */
  batchSize: number
  batchPerSecond: number
}

const BATCH_THREADS = 2
/** A user would pick one; each is tried and the fastest reported, so the comparison does not hinge on our choice. */
const BATCH_SIZES = [32, 128, 512]
const BATCH_RUNS = 5

export function openSession(config: ModelConfig, tensors: ReadonlyMap<string, Tensor>, threads: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(exportOnnx(config, tensors), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  })
}

/** One call on a time-major batch padded with token 0, which sequence_lens keeps out of every sequence's result. */
export async function predictScores(session: ort.InferenceSession, sequences: readonly TokenSequence[]): Promise<Float32Array> {
  const count = sequences.length
  const steps = Math.max(...sequences.map((tokens) => tokens.length))
  const ids = new BigInt64Array(steps * count)
  sequences.forEach((tokens, n) => {
    for (let t = 0; t < tokens.length; t++) ids[t * count + n] = BigInt(tokens[t])
  })
  const outputs = await session.run({
    [ONNX_NAMES.tokens]: new ort.Tensor('int64', ids, [steps, count]),
    [ONNX_NAMES.lengths]: new ort.Tensor(
      'int32',
      Int32Array.from(sequences, (tokens) => tokens.length),
      [count],
    ),
  })
  return outputs[ONNX_NAMES.scores].data as Float32Array
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
}

/** Sequences per second over the whole set: sorted by length, cut into batches of `size`, one call each. */
async function batchedPerSecond(session: ort.InferenceSession, sequences: readonly TokenSequence[], size: number): Promise<number> {
  const started = process.hrtime.bigint()
  const byLength = [...sequences].sort((a, b) => a.length - b.length)
  for (let start = 0; start < byLength.length; start += size) await predictScores(session, byLength.slice(start, start + size))
  return sequences.length / (Number(process.hrtime.bigint() - started) / 1e9)
}

export async function measureOrtForward(config: ModelConfig, tensors: ReadonlyMap<string, Tensor>, single: readonly TokenSequence[], batch: readonly TokenSequence[]): Promise<OrtForwardFigures> {
  const oneThread = await openSession(config, tensors, 1)
  for (let pass = 0; pass < WARM_UP_PASSES; pass++) for (const tokens of single) await predictScores(oneThread, [tokens])
  const started = process.hrtime.bigint()
  for (const tokens of single) await predictScores(oneThread, [tokens])
  const singleMicroseconds = Number(process.hrtime.bigint() - started) / 1000 / single.length
  await oneThread.release()

  const batched = await openSession(config, tensors, BATCH_THREADS)
  let best = { batchSize: 0, batchPerSecond: 0 }
  for (const size of BATCH_SIZES) {
    await batchedPerSecond(batched, batch, size)
    const rates: number[] = []
    for (let run = 0; run < BATCH_RUNS; run++) rates.push(await batchedPerSecond(batched, batch, size))
    if (median(rates) > best.batchPerSecond) best = { batchSize: size, batchPerSecond: median(rates) }
  }
  await batched.release()
  return { version: ort.env.versions.node ?? ort.env.versions.common, singleMicroseconds, singlePerSecond: 1e6 / singleMicroseconds, batchThreads: BATCH_THREADS, ...best }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = parseConfig({ inputSize: 60, embedding: { vocabSize: 20000 }, layers: [{ hiddenSize: 60, bidirectional: true }], head: { outputs: 5, bias: false } })
  const random = seededRandom(1)
  const lengths = sstTestLengths()
  const draw = (count: number) => Array.from({ length: count }, () => Array.from({ length: lengths[Math.floor(random() * lengths.length)] }, () => Math.floor(random() * 20000)))
  const single = draw(1000)
  const figures = await measureOrtForward(config, initialTensors(config, 'f32', 1), single, draw(2048))
  const meanLength = single.reduce((sum, tokens) => sum + tokens.length, 0) / single.length
  console.log(JSON.stringify({ model: 'sst (E=H=60, bidirectional, C=5)', meanLength, ...figures }, null, 2))
}
