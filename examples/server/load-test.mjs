// Load test of the example server on loopback with autocannon: 64 connections for 10 s, SST-like
// token sequences on a model of the SST size. Prints requests/s, latency p50/p99 and the server's
// worst event loop delay as JSON. Run: node examples/server/load-test.mjs [seconds]
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { createModel, saveModel } from '../../dist/index.js'

const seconds = Number(process.argv[2] ?? 10)
const port = 8000 + Math.floor(Math.random() * 1000)
const folder = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-server-'))
const modelPath = path.join(folder, 'sst-sized.safetensors')
const model = await createModel({ inputSize: 60, embedding: { vocabSize: 20000 }, layers: [{ hiddenSize: 60, bidirectional: true }], head: { outputs: 5, bias: false } }, { seed: 1 })
await saveModel(model, modelPath)
model.dispose()

const server = spawn(process.execPath, [new URL('server.mjs', import.meta.url).pathname, modelPath, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] })
await new Promise((resolve) => server.stdout.once('data', resolve))

const bodies = Array.from({ length: 200 }, (_, k) =>
  JSON.stringify({ tokens: Array.from({ length: 5 + ((k * 7) % 29) }, (_, t) => (k * 131 + t * 17) % 20000) }),
)
let next = 0
const result = await autocannon({
  url: `http://127.0.0.1:${port}/explain`,
  connections: 64,
  duration: seconds,
  requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
})
const stats = await (await fetch(`http://127.0.0.1:${port}/stats`)).json()
server.kill()
console.log(
  JSON.stringify(
    {
      connections: 64,
      seconds,
      requestsPerSecond: result.requests.average,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      errors: result.errors,
      non2xx: result.non2xx,
      serverEventLoopDelayMs: stats.eventLoopDelayMs,
    },
    null,
    2,
  ),
)
