// `npm run bench:server`: `lstm-lrp serve` under autocannon against in-process `explainBatch`, in
// one run, on the same real SST test sentences, model file and threads. Prints a table and the
// targets; `--out FILE` writes the JSON report. Flags: --model FILE, --sentences N, --duration S,
// --connections N, --items K (batches of K sentences per request; default single requests), --threads N,
// --profile DIR (the server runs under node --cpu-prof and writes its profile there), --serve-flag F
// (repeatable: passed on to `lstm-lrp serve`, e.g. --serve-flag=--max-wait-ms=5).
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import autocannonModule from 'autocannon'
import { loadModel } from '../lib/index.js'
import { defaultModelPath } from '../lib/model/default-model.js'
import { defaultSstDir, readSstTrees, sentences } from '../lib/reproduce/sst/data.js'
import { tokenizeText } from '../lib/text/vocabulary.js'

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname

const { values: flags } = parseArgs({
  options: {
    model: { type: 'string', default: defaultModelPath() },
    sentences: { type: 'string', default: '2210' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    items: { type: 'string' },
    threads: { type: 'string' },
    out: { type: 'string' },
    profile: { type: 'string' },
    'serve-flag': { type: 'string', multiple: true, default: [] },
  },
})

function positiveInteger(name: string, text: string): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer; got '${text}'`)
  return value
}

const sentenceCount = positiveInteger('sentences', flags.sentences)
const seconds = positiveInteger('duration', flags.duration)
const connections = positiveInteger('connections', flags.connections)
const itemsPerRequest = flags.items === undefined ? null : positiveInteger('items', flags.items)
const threads = flags.threads === undefined ? undefined : positiveInteger('threads', flags.threads)

interface AutocannonResult {
  duration: number
  errors: number
  timeouts: number
  non2xx: number
  '2xx': number
  statusCodeStats: Record<string, { count: number }>
  latency: { p50: number; p99: number; max: number; average: number }
  requests: { average: number; total: number }
}
interface AutocannonRequest {
  method: string
  headers: Record<string, string>
  setupRequest: (request: Record<string, unknown>) => Record<string, unknown>
}
const autocannon = autocannonModule as unknown as (options: { url: string; connections: number; duration: number; timeout: number; requests: AutocannonRequest[] }) => Promise<AutocannonResult>

/** The test sentences as text (their words joined by spaces: the server tokenizes them as tokenizeText does). */
async function testSentences(count: number): Promise<string[]> {
  const all = sentences(await readSstTrees(defaultSstDir(), 'test')).map((phrase) => phrase.words.join(' '))
  if (count > all.length) throw new Error(`--sentences: the SST test split has ${all.length} sentences; asked for ${count}`)
  return all.slice(0, count)
}

/** explainBatch over all sentences, repeated for about `seconds`: explanations per second. */
async function inProcessThroughput(texts: string[], seconds: number): Promise<{ explanationsPerSecond: number; explanations: number; seconds: number }> {
  const model = await loadModel(flags.model, { threads })
  try {
    const inputs = texts.map((text) => ({ tokens: tokenizeText(text, model.config).ids }))
    await model.explainBatch(inputs.slice(0, 256))
    let explanations = 0
    const start = process.hrtime.bigint()
    let elapsed = 0
    while (elapsed < seconds) {
      await model.explainBatch(inputs)
      explanations += inputs.length
      elapsed = Number(process.hrtime.bigint() - start) / 1e9
    }
    return { explanationsPerSecond: explanations / elapsed, explanations, seconds: elapsed }
  } finally {
    model.dispose()
  }
}

/** Starts `lstm-lrp serve --port 0` and resolves with its base URL once it prints `listening on ...`. */
async function startServer(): Promise<{ server: ChildProcess; url: string }> {
  const profile = flags.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', flags.profile]
  const args = [...profile, CLI, 'serve', '--model', flags.model, '--port', '0', ...(threads === undefined ? [] : ['--threads', String(threads)]), ...flags['serve-flag']]
  const server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: server.stdout! })
  const url = await new Promise<string>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`lstm-lrp serve exited with ${code} before listening`)))
    lines.on('line', (line) => {
      const match = /^listening on (http:\/\/\S+)$/.exec(line)
      if (match) resolve(match[1])
    })
  })
  return { server, url }
}

/** CPU seconds a process has used so far (Linux /proc; null elsewhere). Clock ticks are 1/100 s on Linux. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return null
  }
}

async function stopServer(server: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)))
  server.kill('SIGTERM')
  return exited
}

interface Sample {
  name: string
  labels: string
  value: number
}

/** Prometheus text format, the samples only. */
function parseMetrics(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line)
      return match ? { name: match[1], labels: match[2] ?? '', value: Number(match[3]) } : null
    })
    .filter((sample): sample is Sample => sample !== null)
}

function sampleValue(samples: Sample[], name: string): number | null {
  return samples.find((sample) => sample.name === name)?.value ?? null
}

/** What the server's /metrics says about the run: event-loop delay, batch sizes, explanations. */
function serverView(samples: Sample[]) {
  const eventLoopDelay = Object.fromEntries(
    samples
      .filter((sample) => sample.name === 'lstm_lrp_event_loop_delay_seconds')
      .map((sample) => {
        const quantile = Number(/quantile="([^"]*)"/.exec(sample.labels)?.[1])
        return [quantile === 1 ? 'max' : `p${quantile * 100}`, sample.value * 1000]
      }),
  )
  const batchSum = sampleValue(samples, 'lstm_lrp_batch_size_sum')
  const batchCount = sampleValue(samples, 'lstm_lrp_batch_size_count')
  return {
    eventLoopDelayMs: eventLoopDelay,
    batches: batchCount,
    meanBatchSize: batchSum !== null && batchCount ? batchSum / batchCount : null,
    batchSizeBuckets: Object.fromEntries(samples.filter((sample) => sample.name === 'lstm_lrp_batch_size_bucket').map((sample) => [sample.labels, sample.value])),
    explanationsTotal: sampleValue(samples, 'lstm_lrp_explanations_total'),
  }
}

async function served(texts: string[]) {
  const { server, url } = await startServer()
  try {
    const perRequest = itemsPerRequest ?? 1
    const bodies: string[] = []
    for (let start = 0; bodies.length < Math.max(1, Math.floor(texts.length / perRequest)); start += perRequest) {
      const chosen = texts.slice(start, start + perRequest)
      bodies.push(JSON.stringify(itemsPerRequest === null ? { text: chosen[0] } : { items: chosen.map((text) => ({ text })) }))
    }
    // A scrape resets the server's event-loop delay histogram: the report covers the load only.
    await fetch(`${url}/metrics`)
    const serverCpuBefore = cpuSeconds(server.pid!)
    const ownCpuBefore = process.cpuUsage()
    let next = 0
    const result = await autocannon({
      url: `${url}/v1/explain`,
      connections,
      duration: seconds,
      timeout: 30,
      requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
    })
    const serverCpuAfter = cpuSeconds(server.pid!)
    const ownCpu = process.cpuUsage(ownCpuBefore)
    const cores = {
      server: serverCpuBefore === null || serverCpuAfter === null ? null : (serverCpuAfter - serverCpuBefore) / result.duration,
      loadGenerator: (ownCpu.user + ownCpu.system) / 1e6 / result.duration,
    }
    const metrics = await (await fetch(`${url}/metrics`)).text()
    return { url, perRequest, result, cores, server: serverView(parseMetrics(metrics)) }
  } finally {
    const code = await stopServer(server)
    if (code !== 0) console.error(`lstm-lrp serve exited with ${code} after SIGTERM`)
  }
}

// In-process runs before and after the served one, half the time each: on a shared machine the
// load of other work changes during a run, and the mean of both brackets the served phase.
const texts = await testSentences(sentenceCount)
console.error(`in-process explainBatch of ${texts.length} SST test sentences for ${seconds / 2} s ...`)
const before = await inProcessThroughput(texts, seconds / 2)
console.error(`lstm-lrp serve under autocannon, ${connections} connections for ${seconds} s ...`)
const run = await served(texts)
console.error(`in-process explainBatch again for ${seconds / 2} s ...`)
const after = await inProcessThroughput(texts, seconds / 2)
const inProcess = {
  explanationsPerSecond: (before.explanations + after.explanations) / (before.seconds + after.seconds),
  before: before.explanationsPerSecond,
  after: after.explanationsPerSecond,
}

const { result } = run
const requestsPerSecond = result['2xx'] / result.duration
const explanationsPerSecond = requestsPerSecond * run.perRequest
const ratio = explanationsPerSecond / inProcess.explanationsPerSecond
const failures = { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }

const report = {
  model: flags.model,
  sentences: texts.length,
  connections,
  seconds,
  itemsPerRequest: run.perRequest,
  threads: threads ?? 'default',
  served: {
    requestsPerSecond,
    explanationsPerSecond,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
    ...failures,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count])),
    server: run.server,
    coresUsed: run.cores,
  },
  inProcess,
  ratio,
  targets: {
    'served explanations/s >= 0.5 x in-process': ratio >= 0.5,
    'p99 <= 50 ms': result.latency.p99 <= 50,
    'no errors, timeouts or non-2xx': failures.errors === 0 && failures.timeouts === 0 && failures.non2xx === 0,
  },
}

const format = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const delay = run.server.eventLoopDelayMs
const rows: [string, string][] = [
  ['requests/s (2xx)', format(requestsPerSecond)],
  [`explanations/s served (${run.perRequest} per request)`, format(explanationsPerSecond)],
  ['explanations/s in-process (explainBatch)', `${format(inProcess.explanationsPerSecond)} (before ${format(before.explanationsPerSecond)}, after ${format(after.explanationsPerSecond)})`],
  ['served / in-process', format(ratio, 2)],
  ['latency p50 / p99 / max ms', `${result.latency.p50} / ${result.latency.p99} / ${result.latency.max}`],
  ['errors / timeouts / non-2xx', `${failures.errors} / ${failures.timeouts} / ${failures.non2xx}`],
  [
    'server event-loop delay ms',
    Object.entries(delay)
      .map(([key, value]) => `${key} ${format(value, 1)}`)
      .join(', ') || 'not reported',
  ],
  ['cores used: server / autocannon', `${run.cores.server === null ? '?' : format(run.cores.server, 2)} / ${format(run.cores.loadGenerator, 2)}`],
  ['server batches / mean batch size', `${run.server.batches ?? '?'} / ${run.server.meanBatchSize === null ? '?' : format(run.server.meanBatchSize, 1)}`],
]
const width = Math.max(...rows.map(([name]) => name.length))
console.log(`lstm-lrp serve, ${texts.length} SST test sentences, ${connections} connections, ${seconds} s, ${flags.model}`)
for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`)
for (const [target, met] of Object.entries(report.targets)) console.log(`${met ? 'met    ' : 'MISSED '} ${target}`)
if (flags.out !== undefined) writeFileSync(flags.out, `${JSON.stringify(report, null, 2)}\n`)
