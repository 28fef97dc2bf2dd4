/**
 * `lstm-lrp bench`: times predict, explain and batch explain on one model with random inputs and
 * prints a table. The repository's bench/bench.ts (not shipped in the package) compares backends
 * on fixed SST-sized and large models; this command measures the model you give it where it runs.
 * It writes a file only when asked: --out FILE, the same numbers as JSON, written atomically.
 */
import { cpus } from 'node:os'
import { Command, Option } from 'commander'
import { backendOption, dtypeOption, modelOption } from './model-flags.js'
import { loadModel } from '../model/load.js'
import { defaultModelPath } from '../model/default-model.js'
import type { Model } from '../model/model.js'
import type { MethodName, SequenceInput } from '../explain/types.js'
import { normal, seededRandom } from '../train/random.js'
import { progressLine, type ProgressLine } from './progress.js'
import { integerFlag } from './number-flags.js'
import { writeAtomically } from '../model/write-atomically.js'
import { cannotWrite, checkDestination } from './destination.js'

interface BenchFlags {
  model?: string
  inputs: string
  length: string
  method: MethodName
  seed: string
  backend?: 'auto' | 'native' | 'wasm'
  dtype?: 'f32' | 'f64'
  out?: string
}

interface Timing {
  operation: string
  /** Microseconds per input. */
  samples: number[]
  /** One batch call timed as a whole: its samples are all the mean, so percentiles say nothing. */
  batch?: boolean
}

/** Random token ids for embedding models, standard normal features otherwise. */
function randomInputs(model: Model, count: number, length: number, seed: number): SequenceInput[] {
  const random = seededRandom(seed)
  const vocab = model.config.embedding?.vocabSize
  return Array.from({ length: count }, () =>
    vocab !== undefined ? { tokens: Array.from({ length }, () => Math.floor(random() * vocab)) } : Array.from({ length }, () => Array.from({ length: model.config.inputSize }, () => normal(random))),
  )
}

/** Microseconds of each call, after warming up on the first few inputs. */
function timeEach(inputs: SequenceInput[], run: (input: SequenceInput) => unknown, progress: ProgressLine, label: string): number[] {
  for (const input of inputs.slice(0, 10)) run(input)
  return inputs.map((input, n) => {
    const start = process.hrtime.bigint()
    run(input)
    const elapsed = Number(process.hrtime.bigint() - start) / 1000
    progress.update((n + 1) / inputs.length, `${label} ${n + 1}/${inputs.length}`)
    return elapsed
  })
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/** One row of the table, and of --out's JSON; p50 and p95 are null for a batch call timed as a whole. */
interface TimingRow {
  operation: string
  inputs: number
  meanMicroseconds: number
  p50Microseconds: number | null
  p95Microseconds: number | null
  inputsPerSecond: number
}

function summarise({ operation, samples, batch }: Timing): TimingRow {
  const sorted = [...samples].sort((a, b) => a - b)
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length
  return {
    operation,
    inputs: samples.length,
    meanMicroseconds: mean,
    p50Microseconds: batch ? null : percentile(sorted, 50),
    p95Microseconds: batch ? null : percentile(sorted, 95),
    inputsPerSecond: 1e6 / mean,
  }
}

function table(timings: TimingRow[]): string {
  const header = ['operation', 'inputs', 'mean µs', 'p50 µs', 'p95 µs', 'inputs/s']
  const microseconds = (value: number | null) => (value === null ? '—' : value.toFixed(1))
  const rows = timings.map((row) => [row.operation, String(row.inputs), microseconds(row.meanMicroseconds), microseconds(row.p50Microseconds), microseconds(row.p95Microseconds), row.inputsPerSecond.toFixed(0)])
  const widths = header.map((title, k) => rows.reduce((widest, row) => Math.max(widest, row[k].length), title.length))
  const line = (cells: string[]) => `| ${cells.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join(' | ')} |`
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')
}

async function runBench(flags: BenchFlags): Promise<void> {
  const count = integerFlag(flags.inputs, '--inputs', 1)
  const length = integerFlag(flags.length, '--length', 1)
  const file = flags.model ?? defaultModelPath()
  if (flags.out !== undefined) await checkDestination(flags.out)
  const model = await loadModel(file, { backend: flags.backend, dtype: flags.dtype })
  const progress = progressLine()
  try {
    const inputs = randomInputs(model, count, length, integerFlag(flags.seed, '--seed', 0))
    const options = { method: flags.method }
    const timings: Timing[] = [
      { operation: 'predict', samples: timeEach(inputs, (input) => model.predict(input), progress, 'predict') },
      { operation: `explain (${flags.method})`, samples: timeEach(inputs, (input) => model.explain(input, options), progress, 'explain') },
    ]
    progress.update(0, `explainBatch of ${count}`)
    const start = process.hrtime.bigint()
    await model.explainBatch(inputs, options, { onProgress: ({ done, total }) => progress.update(done / total, `explainBatch ${done}/${total}`) })
    const perInput = Number(process.hrtime.bigint() - start) / 1000 / count
    timings.push({ operation: `explainBatch (${flags.method})`, samples: Array.from({ length: count }, () => perInput), batch: true })
    progress.done()
    const { backend, simd, threads } = model.backend
    const cpu = cpus()[0]?.model ?? 'unknown CPU'
    const rows = timings.map(summarise)
    process.stdout.write(
      `${file}: ${count} random inputs of ${length} steps; ${model.dtype}, ${backend} (${simd}, ${threads} threads); ${cpu}, Node ${process.version}\n` +
        `${table(rows)}\n(explainBatch: wall time of one batch call over all inputs, per input)\n`,
    )
    if (flags.out !== undefined) {
      const results = { model: file, inputs: count, length, method: flags.method, dtype: model.dtype, backend: model.backend, cpu, node: process.version, timings: rows }
      const out = flags.out
      await cannotWrite(out, () => writeAtomically(out, new TextEncoder().encode(`${JSON.stringify(results, null, 2)}\n`)))
    }
  } finally {
    progress.done()
    model.dispose()
  }
}

export function benchCommand(): Command {
  return new Command('bench')
    .description('Time predict, explain and batch explain on a model with random inputs, and print a table')
    .addOption(modelOption())
    .option('--inputs <n>', 'random inputs to time', '200')
    .option('--length <t>', 'steps per input', '20')
    .addOption(new Option('--method <method>', 'explanation method').choices(['lrp', 'gradient', 'gradient-x-input', 'occlusion', 'cd', 'integrated-gradients']).default('lrp'))
    .option('--seed <s>', 'seed of the random inputs', '1')
    .addOption(backendOption())
    .addOption(dtypeOption())
    .option('--out <file>', 'also write the results as JSON to this file, atomically (default: no file is written)')
    .addHelpText('after', '\nExamples:\n  lstm-lrp bench\n  lstm-lrp bench --model examples/toy-addition.safetensors --inputs 1000 --length 50 --backend wasm\n  lstm-lrp bench --out bench.json')
    .action(runBench)
}
