// `npm run bench`: explanation throughput and latency on the SST-sized and a large model, per backend.
// Prints a readable table and writes the JSON report to bench/results.json (or the path in argv[2]).
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { Model, type SequenceInput } from '../lib/index.js'
import type { Backend } from '../lib/backend/types.js'
import type { ModelConfig } from '../lib/model/types.js'
import { loadNativeBackend } from '../lib/backend/native.js'
import { loadWasmBackend } from '../lib/backend/wasm-node.js'
import { parseConfig } from '../lib/model/config.js'
import { initialTensors } from '../lib/train/init.js'
import { seededRandom } from '../lib/train/random.js'
import { sstTestLengths } from './sst-lengths.js'

interface Setting {
  name: string
  config: ModelConfig
  lengths: () => number
}

const random = seededRandom(1)
const BATCH_RUNS = 5
const sstLengths = sstTestLengths()

const SETTINGS: Setting[] = [
  {
    name: 'sst (E=H=60, bidirectional, C=5)',
    config: parseConfig({ inputSize: 60, embedding: { vocabSize: 20000 }, layers: [{ hiddenSize: 60, bidirectional: true }], head: { outputs: 5, bias: false } }),
    lengths: () => sstLengths[Math.floor(random() * sstLengths.length)],
  },
  {
    name: 'large (E=300, H=256, 2 bidirectional layers, T=50)',
    config: parseConfig({
      inputSize: 300,
      embedding: { vocabSize: 20000 },
      layers: [{ hiddenSize: 256, bidirectional: true }, { hiddenSize: 256, bidirectional: true }],
      head: { outputs: 5, bias: false },
    }),
    lengths: () => 50,
  },
]

const BACKENDS: { name: string; load: () => Backend }[] = [
  { name: 'native', load: loadNativeBackend },
  { name: 'wasm-simd', load: () => loadWasmBackend('simd') },
]

function sequences(setting: Setting, count: number): SequenceInput[] {
  const vocab = setting.config.embedding!.vocabSize
  return Array.from({ length: count }, () => ({ tokens: Array.from({ length: setting.lengths() }, () => Math.floor(random() * vocab)) }))
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/**
 * Microseconds per call of each of `runs` on every input, after a warm-up; the calls alternate
 * input by input, so every operation sees the same state of the machine (garbage collection,
 * other load) and their ratio is fair.
 */
function timeEach(inputs: SequenceInput[], runs: ((input: SequenceInput) => unknown)[]): number[][] {
  for (const input of inputs.slice(0, Math.min(50, inputs.length))) for (const run of runs) run(input)
  const samples = runs.map(() => [] as number[])
  for (const input of inputs)
    runs.forEach((run, k) => {
      const start = process.hrtime.bigint()
      run(input)
      samples[k].push(Number(process.hrtime.bigint() - start) / 1000)
    })
  return samples
}

/** A full collection between phases (node --expose-gc), so one phase's garbage does not slow the next. */
function collectGarbage(): void {
  ;(globalThis as { gc?: () => void }).gc?.()
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length

async function measure(setting: Setting, backend: Backend, backendName: string) {
  const model = new Model(setting.config, 'f32', initialTensors(setting.config, 'f32', 1), backend)
  const large = setting.name.startsWith('large')
  const batch = sequences(setting, large ? 128 : 2048)
  /** The median of BATCH_RUNS calls: one call varies by ±20 % on a shared machine. */
  const batchPerSecond = async (on: Model) => {
    await on.explainBatch(batch.slice(0, 64))
    collectGarbage()
    const rates: number[] = []
    for (let run = 0; run < BATCH_RUNS; run++) {
      const started = process.hrtime.bigint()
      await on.explainBatch(batch, { method: 'lrp', rule: 'all' })
      rates.push(batch.length / (Number(process.hrtime.bigint() - started) / 1e9))
    }
    return percentile([...rates].sort((a, b) => a - b), 50)
  }
  const batchExplanationsPerSecond = await batchPerSecond(model)
  const oneThread = new Model(setting.config, 'f32', initialTensors(setting.config, 'f32', 1), backend, 1)
  const batchOneThreadPerSecond = await batchPerSecond(oneThread)
  oneThread.dispose()
  const single = sequences(setting, large ? 60 : 1000)
  collectGarbage()
  const [forward, explain] = timeEach(single, [(input) => model.predict(input), (input) => model.explain(input, { method: 'lrp', rule: 'all' })])
  const sorted = [...explain].sort((a, b) => a - b)
  const info = backend.info()
  model.dispose()
  return {
    model: setting.name,
    backend: backendName,
    simd: info.simd,
    threads: backend.parallelism,
    batchSize: batch.length,
    meanLength: mean(single.map((input) => (input as { tokens: number[] }).tokens.length)),
    forwardMicroseconds: mean(forward),
    explainMicroseconds: mean(explain),
    explainP50Microseconds: percentile(sorted, 50),
    explainP99Microseconds: percentile(sorted, 99),
    explainPerForward: mean(explain) / mean(forward),
    forwardPerSecond: 1e6 / mean(forward),
    batchExplanationsPerSecond,
    batchOneThreadPerSecond,
  }
}

const results = []
for (const setting of SETTINGS)
  for (const { name, load } of BACKENDS) {
    const result = await measure(setting, load(), name)
    results.push(result)
    process.stderr.write(`measured ${result.model} on ${name}\n`)
  }

const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version }
const header = ['model', 'backend', 'simd', 'threads', 'mean T', 'forward µs', 'explain µs', 'p50 µs', 'p99 µs', 'explain/forward', 'batch expl/s', 'batch, 1 thread']
const rows = results.map((r) => [
  r.model,
  r.backend,
  r.simd,
  String(r.threads),
  r.meanLength.toFixed(1),
  r.forwardMicroseconds.toFixed(1),
  r.explainMicroseconds.toFixed(1),
  r.explainP50Microseconds.toFixed(1),
  r.explainP99Microseconds.toFixed(1),
  r.explainPerForward.toFixed(2),
  `${r.batchExplanationsPerSecond.toFixed(0)} (batch ${r.batchSize})`,
  r.batchOneThreadPerSecond.toFixed(0),
])
const widths = header.map((title, k) => Math.max(title.length, ...rows.map((row) => row[k].length)))
const line = (cells: string[]) => `| ${cells.map((cell, k) => cell.padEnd(widths[k])).join(' | ')} |`
console.log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; f32, LRP-all\n`)
console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'))
writeFileSync(process.argv[2] ?? new URL('results.json', import.meta.url), `${JSON.stringify({ machine, results }, null, 2)}\n`)
