// The measured part of bench/RESULTS.md, written by `npm run bench` between two markers.

export interface ThroughputRow {
  model: string
  backend: string
  simd: string
  threads: number
  batchSize: number
  meanLength: number
  forwardMicroseconds: number
  explainMicroseconds: number
  explainP50Microseconds: number
  explainP99Microseconds: number
  explainPerForward: number
  batchExplanationsPerSecond: number
  /** The process's CPU time (all threads) per explanation of the batch on all threads, and that CPU time per second of wall time. */
  batchCpuMicroseconds: number
  batchCoresBusy: number
  batchOneThreadPerSecond: number
  /** explainEach over the same batch on all threads: the same explanations in lent memory. */
  eachExplanationsPerSecond: number
}

export interface MultiPassRow {
  backend: string
  threads: number
  steps: number
  microseconds: Record<string, number>
}

/** Mean microseconds per explanation of each method (the first is LRP) over `sentences` SST test sentences. */
export interface SamplingRow {
  backend: string
  sentences: number
  meanLength: number
  microseconds: Record<string, number>
}

/** onnxruntime-node's forward pass of the same model, and lstm-lrp's native explanations as ratios of it. */
export interface OrtRow {
  model: string
  version: string
  forwardMicroseconds: number
  batchThreads: number
  batchSize: number
  batchPerSecond: number
  explainPerOrtForward: number
  batchPerOrtBatch: number
  eachPerOrtBatch: number
}

export interface BenchReport {
  machine: { cpu: string; cores: number; node: string }
  throughput: ThroughputRow[]
  onnxruntime: OrtRow[]
  multiPass: MultiPassRow[]
  sampling: SamplingRow[]
}

export const BEGIN = '<!-- measured by npm run bench: begin -->'
export const END = '<!-- measured by npm run bench: end -->'

const fixed = (value: number, digits = 1) => value.toFixed(digits)
const whole = (value: number) => Math.round(value).toLocaleString('en-US').replace(/,/g, ' ')

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

function throughputTable(rows: ThroughputRow[]): string {
  return table(
    [
      'model',
      'backend',
      'simd',
      'threads',
      'mean T',
      'forward µs',
      'explain µs',
      'p50 µs',
      'p99 µs',
      'explain/forward',
      'batch expl/s',
      'CPU µs / expl (cores busy)',
      'batch, 1 thread',
      'threads / 1 thread',
      'explainEach expl/s',
    ],
    rows.map((r) => [
      r.model,
      r.backend,
      r.simd,
      String(r.threads),
      fixed(r.meanLength),
      fixed(r.forwardMicroseconds),
      fixed(r.explainMicroseconds),
      fixed(r.explainP50Microseconds),
      fixed(r.explainP99Microseconds),
      fixed(r.explainPerForward, 2),
      `${whole(r.batchExplanationsPerSecond)} (batch ${r.batchSize})`,
      `${fixed(r.batchCpuMicroseconds)} (${fixed(r.batchCoresBusy, 2)})`,
      whole(r.batchOneThreadPerSecond),
      fixed(r.batchExplanationsPerSecond / r.batchOneThreadPerSecond, 2),
      whole(r.eachExplanationsPerSecond),
    ]),
  )
}

function onnxruntimeTable(rows: OrtRow[]): string {
  return table(
    ['model', 'onnxruntime-node', 'forward µs, 1 thread', 'lstm-lrp explain / ORT forward', 'batched forward seq/s', 'lstm-lrp explainBatch / ORT batched forward', 'lstm-lrp explainEach / ORT batched forward'],
    rows.map((r) => [
      r.model,
      r.version,
      fixed(r.forwardMicroseconds),
      fixed(r.explainPerOrtForward, 2),
      `${whole(r.batchPerSecond)} (${r.batchThreads} threads, batches of ${r.batchSize})`,
      fixed(r.batchPerOrtBatch, 2),
      fixed(r.eachPerOrtBatch, 2),
    ]),
  )
}

function multiPassTable(rows: MultiPassRow[]): string {
  const methods = Object.keys(rows[0]?.microseconds ?? {})
  return table(
    ['backend', 'threads', 'steps', ...methods.map((method) => `${method} µs`), ...methods.slice(1).map((method) => `${method.split(' ')[0]} / lrp`)],
    rows.map((r) => [
      r.backend,
      String(r.threads),
      String(r.steps),
      ...methods.map((method) => fixed(r.microseconds[method])),
      ...methods.slice(1).map((method) => fixed(r.microseconds[method] / r.microseconds[methods[0]], 1)),
    ]),
  )
}

/** One row per method, one column pair per backend: the methods are many, the backends two. */
function samplingTable(rows: SamplingRow[]): string {
  const methods = Object.keys(rows[0]?.microseconds ?? {})
  return table(
    ['method', ...rows.flatMap((r) => [`${r.backend} µs`, `${r.backend} / lrp`])],
    methods.map((method) => [method, ...rows.flatMap((r) => [fixed(r.microseconds[method]), fixed(r.microseconds[method] / r.microseconds[methods[0]], 1)])]),
  )
}

interface Target {
  name: string
  measured: string
  met: boolean
}

function targets(report: BenchReport): Target[] {
  const row = (model: string, backend: string) => report.throughput.find((r) => r.model === model && r.backend === backend)
  const native = row('sst', 'native')
  const wasm = row('sst', 'wasm-simd')
  const ort = report.onnxruntime.find((r) => r.model === 'sst')
  // A lone input's passes spread over the model's threads: judged on the native default.
  const nativePasses = report.multiPass.filter((r) => r.backend === 'native')
  const passes = nativePasses.reduce((most, r) => (r.threads > most.threads ? r : most), nativePasses[0] ?? { threads: 0, microseconds: {} as Record<string, number> }).microseconds
  const list: Target[] = []
  if (native) {
    list.push(
      { name: '`explainBatch` ≥ 60 000 explanations/s on 2 threads', measured: whole(native.batchExplanationsPerSecond), met: native.batchExplanationsPerSecond >= 60000 },
      { name: '`explainBatch` ≥ 32 000 explanations/s on 1 thread', measured: whole(native.batchOneThreadPerSecond), met: native.batchOneThreadPerSecond >= 32000 },
      { name: 'one explanation ≤ 45 µs mean, 1 thread', measured: `${fixed(native.explainMicroseconds)} µs`, met: native.explainMicroseconds <= 45 },
      { name: 'explain / forward ≤ 1.5', measured: fixed(native.explainPerForward, 2), met: native.explainPerForward <= 1.5 },
    )
  }
  if (ort) {
    list.push(
      { name: "one explanation costs less than ORT's forward pass of one sequence", measured: `${fixed(ort.explainPerOrtForward, 2)} ×`, met: ort.explainPerOrtForward <= 1 },
      { name: "`explainBatch` is faster than ORT's batched forward pass", measured: `${fixed(ort.batchPerOrtBatch, 2)} ×`, met: ort.batchPerOrtBatch >= 1 },
      { name: "`explainEach` (results in lent memory) is faster than ORT's batched forward pass", measured: `${fixed(ort.eachPerOrtBatch, 2)} ×`, met: ort.eachPerOrtBatch >= 1 },
    )
  }
  const limits: [string, number][] = [
    ['integrated-gradients (64 points)', 1000],
    ['cd (one decomposition per step)', 1000],
    ['occlusion', 300],
  ]
  for (const [method, limit] of limits) if (passes[method] !== undefined) list.push({ name: `${method} ≤ ${limit} µs (21 steps)`, measured: `${fixed(passes[method])} µs`, met: passes[method] <= limit })
  if (wasm) {
    const scaling = wasm.batchExplanationsPerSecond / wasm.batchOneThreadPerSecond
    list.push({ name: `WASM \`explainBatch\` on ${wasm.threads} threads ≥ 1.7 × one thread`, measured: `${fixed(scaling, 2)} ×`, met: scaling >= 1.7 })
  }
  return list
}

export function renderResults(report: BenchReport): string {
  const { cpu, cores, node } = report.machine
  return [
    `${cpu}, ${cores} cores, Node ${node}; f32, LRP-all unless named.`,
    '',
    table(
      ['target (the shipped SST model, native)', 'measured', ''],
      targets(report).map((t) => [t.name, t.measured, t.met ? 'met' : 'missed']),
    ),
    '',
    'Throughput and latency:',
    '',
    throughputTable(report.throughput),
    '',
    'onnxruntime-node running the same weights exported to ONNX (bench/onnx-export.ts), on the same inputs, in the same run:',
    '',
    onnxruntimeTable(report.onnxruntime),
    '',
    `The multi-pass methods on one SST test sentence of ${report.multiPass[0]?.steps ?? 0} tokens (median of many calls):`,
    '',
    multiPassTable(report.multiPass),
    '',
    `The sampling methods with their default samples, mean over ${report.sampling[0]?.sentences ?? 0} SST test sentences of ${fixed(report.sampling[0]?.meanLength ?? 0, 1)} tokens on average, one thread:`,
    '',
    samplingTable(report.sampling),
  ].join('\n')
}

/** The file's text with the part between the markers replaced by `measured`. */
export function replaceMeasuredPart(text: string, measured: string): string {
  const begin = text.indexOf(BEGIN)
  const end = text.indexOf(END)
  if (begin < 0 || end < begin) throw new Error(`bench/RESULTS.md has lost its markers ${BEGIN} … ${END}`)
  return `${text.slice(0, begin + BEGIN.length)}\n${measured}\n${text.slice(end)}`
}
