// An HTTP explanation service on the async batch API: POST /explain with {"tokens": [...]} or
// {"x": [[...]]} (optional "target"); concurrent requests are coalesced into one explainBatch.
// GET /stats reports the event loop delay. Run: node examples/server/server.mjs [model] [port]
import { createServer } from 'node:http'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { loadModel } from '../../dist/index.js'

const modelPath = process.argv[2] ?? new URL('../toy-addition.safetensors', import.meta.url).pathname
const port = Number(process.argv[3] ?? 8080)
/** A batch leaves when it is this large, or after this long, whichever comes first. */
const MAX_BATCH = 256
const MAX_WAIT_MS = 2

const model = await loadModel(modelPath)
const loopDelay = monitorEventLoopDelay({ resolution: 1 })
loopDelay.enable()

let pending = []
let timer = null

function flush() {
  clearTimeout(timer)
  timer = null
  const batch = pending
  pending = []
  model
    .explainBatch(batch.map((request) => request.item))
    .then((explanations) =>
      explanations.forEach((explanation, n) =>
        batch[n].resolve({
          scores: Array.from(explanation.scores),
          target: explanation.target,
          perStep: Array.from(explanation.perStep),
          conservation: explanation.conservation,
        }),
      ),
    )
    // One bad request fails its batch: explain the rest one by one so only it gets the error.
    .catch(() => batch.forEach((request) => explainAlone(request)))
}

function explainAlone(request) {
  try {
    const explanation = model.explain(request.item.input, request.item.target === undefined ? {} : { target: request.item.target })
    request.resolve({ scores: Array.from(explanation.scores), target: explanation.target, perStep: Array.from(explanation.perStep) })
  } catch (error) {
    request.reject(error)
  }
}

function enqueue(item) {
  return new Promise((resolve, reject) => {
    pending.push({ item, resolve, reject })
    if (pending.length >= MAX_BATCH) flush()
    else timer ??= setTimeout(flush, MAX_WAIT_MS)
  })
}

function send(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    send(response, 200, { eventLoopDelayMs: { max: loopDelay.max / 1e6, p99: loopDelay.percentile(99) / 1e6, mean: loopDelay.mean / 1e6 } })
    loopDelay.reset()
    return
  }
  if (request.method !== 'POST' || request.url !== '/explain') return send(response, 404, { error: 'POST /explain or GET /stats' })
  let body = ''
  request.on('data', (chunk) => (body += chunk))
  request.on('end', () => {
    let parsed
    try {
      parsed = JSON.parse(body)
    } catch {
      return send(response, 400, { error: 'the body is not JSON' })
    }
    const input = parsed.tokens !== undefined ? { tokens: parsed.tokens } : parsed.x
    enqueue(parsed.target === undefined ? { input } : { input, target: parsed.target })
      .then((result) => send(response, 200, result))
      .catch((error) => send(response, 400, { error: error.message }))
  })
})
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${port}\n`))
