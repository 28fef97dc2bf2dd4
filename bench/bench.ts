// `npm run bench`: explanation throughput and latency on the shipped SST model and a large model,
// per backend, and the multi-pass methods on one SST sentence. Prints the tables, writes the JSON
// report to bench/results.json (or argv[2]) and rewrites the measured part of bench/RESULTS.md.
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { defaultModelPath, loadModel, Model, type SequenceInput } from '../lib/index.js'
import type { Backend } from '../lib/backend/types.js'
import { loadNativeBackend } from '../lib/backend/native.js'
import { loadWasmBackend } from '../lib/backend/wasm-node.js'
import { parseConfig } from '../lib/model/config.js'
import { modelFromBytes } from '../lib/model/from-bytes.js'
import { initialTensors } from '../lib/train/init.js'
import { seededRandom } from '../lib/train/random.js'
import { multiPassMicroseconds } from './multi-pass.js'
import { samplingMicroseconds } from './sampling-methods.js'
import { measureOrtForward } from './ort-forward.js'
import { cycle, SST_BATCH_SIZE, sstTokenInputs } from './sst-inputs.js'
import { collectGarbage, mean, medianRates, percentile, timeEach, WARM_UP_PASSES } from './timing.js'
import { renderResults, replaceMeasuredPart, type BenchReport, type OrtRow, type ThroughputRow } from './results-markdown.js'

const RESULTS_MARKDOWN = new URL('RESULTS.md', import.meta.url)
const LRP_ALL = { method: 'lrp', rule: 'all' } as const
/** explainEach's callback: the explainBatch figures do not read the results either. */
const readNothing = () => undefined

const BACKENDS: { name: string; load: () => Backend }[] = [
  { name: 'native', load: loadNativeBackend },
  { name: 'wasm-simd', load: () => loadWasmBackend('simd') },
]

interface Setting {
  name: string
  /** A model on the backend with `threads` threads. */
  open: (backend: Backend, threads?: number) => Model
  batch: SequenceInput[]
  single: SequenceInput[]
  /** Whether onnxruntime's forward pass of the same model is measured beside it (bench/onnx-export.ts writes LSTM layers only). */
  onnxruntime: boolean
}

async function settings(): Promise<Setting[]> {
  const shipped = await loadModel(defaultModelPath(), { backend: 'native' })
  const sentences = await sstTokenInputs(shipped.config)
  const bytes = readFileSync(defaultModelPath())
  // The shipped model's shape with GRU layers: what a GRU costs next to the LSTM it replaces.
  const sstGru = parseConfig({
    inputSize: shipped.config.inputSize,
    embedding: shipped.config.embedding,
    layers: shipped.config.layers.map(({ hiddenSize, bidirectional }) => ({ hiddenSize, bidirectional, cell: { type: 'gru' } })),
    head: shipped.config.head,
  })
  shipped.dispose()
  const random = seededRandom(1)
  const large = parseConfig({
    inputSize: 300,
    embedding: { vocabSize: 20000 },
    layers: [
      { hiddenSize: 256, bidirectional: true },
      { hiddenSize: 256, bidirectional: true },
    ],
    head: { outputs: 5, bias: false },
  })
  const largeInputs = (count: number) => Array.from({ length: count }, () => ({ tokens: Array.from({ length: 50 }, () => Math.floor(random() * 20000)) }))
  return [
    {
      name: 'sst',
      open: (backend, threads) => modelFromBytes(bytes, backend, undefined, threads),
      batch: cycle(sentences, SST_BATCH_SIZE),
      single: sentences,
      onnxruntime: true,
    },
    {
      name: 'sst-bigru',
      // Random weights: the time does not depend on them.
      open: (backend, threads) => new Model(sstGru, 'f32', initialTensors(sstGru, 'f32', 1), backend, threads),
      batch: cycle(sentences, SST_BATCH_SIZE),
      single: sentences,
      onnxruntime: false,
    },
    {
      name: 'large',
      // Random weights: the time does not depend on them.
      open: (backend, threads) => new Model(large, 'f32', initialTensors(large, 'f32', 1), backend, threads),
      batch: largeInputs(128),
      single: largeInputs(60),
      onnxruntime: true,
    },
  ]
}

async function throughput(setting: Setting, backendName: string, load: () => Backend): Promise<ThroughputRow> {
  const backend = load()
  const model = setting.open(backend)
  const oneThread = setting.open(backend, 1)
  const [batch, batchOneThread] = await medianRates(setting.batch.length, [() => model.explainBatch(setting.batch, LRP_ALL), () => oneThread.explainBatch(setting.batch, LRP_ALL)])
  collectGarbage()
  // Apart from explainBatch: alternated with it, explainEach would pay for collecting explainBatch's results.
  const [each] = await medianRates(setting.batch.length, [() => model.explainEach(setting.batch, LRP_ALL, readNothing)])
  collectGarbage()
  const [forward, explain] = timeEach(setting.single, [(input) => oneThread.predict(input), (input) => oneThread.explain(input, LRP_ALL)], WARM_UP_PASSES * setting.single.length)
  const sorted = [...explain].sort((a, b) => a - b)
  const info = backend.info()
  model.dispose()
  oneThread.dispose()
  return {
    model: setting.name,
    backend: backendName,
    simd: info.simd,
    threads: backend.parallelism,
    batchSize: setting.batch.length,
    meanLength: mean(setting.single.map((input) => (input as { tokens: number[] }).tokens.length)),
    forwardMicroseconds: mean(forward),
    explainMicroseconds: mean(explain),
    explainP50Microseconds: percentile(sorted, 50),
    explainP99Microseconds: percentile(sorted, 99),
    explainPerForward: mean(explain) / mean(forward),
    batchExplanationsPerSecond: batch.perSecond,
    batchCpuMicroseconds: batch.cpuMicrosecondsPerItem,
    batchCoresBusy: batch.coresBusy,
    batchOneThreadPerSecond: batchOneThread.perSecond,
    eachExplanationsPerSecond: each.perSecond,
  }
}

/** onnxruntime-node's forward pass of the same weights on the same inputs, and lstm-lrp's native explanations as ratios of it. */
async function onnxruntimeForward(setting: Setting, native: ThroughputRow): Promise<OrtRow> {
  const model = setting.open(loadNativeBackend())
  const tokensOf = (inputs: SequenceInput[]) => inputs.map((input) => (input as { tokens: number[] }).tokens)
  const ort = await measureOrtForward(model.config, model.weights, tokensOf(setting.single), tokensOf(setting.batch))
  model.dispose()
  return {
    model: setting.name,
    version: ort.version,
    forwardMicroseconds: ort.singleMicroseconds,
    batchThreads: ort.batchThreads,
    batchSize: ort.batchSize,
    batchPerSecond: ort.batchPerSecond,
    explainPerOrtForward: native.explainMicroseconds / ort.singleMicroseconds,
    batchPerOrtBatch: native.batchExplanationsPerSecond / ort.batchPerSecond,
    eachPerOrtBatch: native.eachExplanationsPerSecond / ort.batchPerSecond,
  }
}

const all = await settings()
const report: BenchReport = {
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
  throughput: [],
  onnxruntime: [],
  multiPass: [],
  sampling: [],
}
for (const setting of all) {
  for (const { name, load } of BACKENDS) {
    report.throughput.push(await throughput(setting, name, load))
    process.stderr.write(`measured ${setting.name} on ${name}\n`)
  }
  if (!setting.onnxruntime) continue
  report.onnxruntime.push(
    await onnxruntimeForward(
      setting,
      report.throughput.find((row) => row.model === setting.name && row.backend === 'native')!,
    ),
  )
  process.stderr.write(`measured ${setting.name} on onnxruntime\n`)
}

const sst = all[0]
const sentence = sst.single.find((input) => (input as { tokens: number[] }).tokens.length === 21)!
// One thread, and natively also the default threads, over which one input's passes spread (WASM's explain() runs on the calling thread).
for (const { name, load } of BACKENDS) {
  const backend = load()
  for (const threads of name === 'native' ? [1, backend.parallelism] : [1]) {
    const model = sst.open(backend, threads)
    report.multiPass.push({ backend: name, threads, steps: 21, microseconds: multiPassMicroseconds(model, sentence, name === 'native' ? 300 : 60) })
    model.dispose()
  }
  process.stderr.write(`measured the multi-pass methods on ${name}\n`)
}

const samplingSentences = sst.single.slice(0, 100)
for (const { name, load } of BACKENDS) {
  const model = sst.open(load(), 1)
  report.sampling.push({
    backend: name,
    sentences: samplingSentences.length,
    meanLength: mean(samplingSentences.map((input) => (input as { tokens: number[] }).tokens.length)),
    microseconds: samplingMicroseconds(model, samplingSentences),
  })
  model.dispose()
  process.stderr.write(`measured the sampling methods on ${name}\n`)
}

const markdown = renderResults(report)
console.log(markdown)
writeFileSync(process.argv[2] ?? new URL('results.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`)
writeFileSync(RESULTS_MARKDOWN, replaceMeasuredPart(readFileSync(RESULTS_MARKDOWN, 'utf8'), markdown))
