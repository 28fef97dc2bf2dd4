// While the service drains (after SIGTERM, before exit), /readyz is 503 E_SHUTTING_DOWN; a request
// still arriving on an open connection (here pipelined behind one in flight) is answered and closes
// its connection; then the model is freed.
import test from 'ava'
import { connect } from 'node:net'
import { loadModel, defaultModelPath } from '../lib/index.js'
import { buildService } from '../lib/serve/server.js'
import { DEFAULT_LIMITS } from '../lib/serve/limits.js'

const SLOW = JSON.stringify({ text: 'A long, slow and thorough film.', method: 'integrated-gradients', integratedGradients: { steps: 4096 } })

interface RawAnswer {
  status: number
  headers: string
  body: string
}

/** Explanations queued or already in a kernel call. */
async function received(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text()
  const value = (name: string) =>
    Number(
      metrics
        .split('\n')
        .find((line) => line.startsWith(`${name} `))!
        .split(' ')[1],
    )
  return value('lstm_lrp_queue_depth') + value('lstm_lrp_batch_size_sum')
}

/** The HTTP/1.1 answers a connection received, in order. */
function answersOf(text: string): RawAnswer[] {
  const answers: RawAnswer[] = []
  let rest = text
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n')
    const headers = rest.slice(0, end)
    const length = Number(/content-length: (\d+)/i.exec(headers)![1])
    answers.push({ status: Number(headers.slice(9, 12)), headers, body: rest.slice(end + 4, end + 4 + length) })
    rest = rest.slice(end + 4 + length)
  }
  return answers
}

/** Opens a connection with a slow explanation in flight; `then` writes more requests on it; resolves with everything received once the server closes it. */
function pipelined(url: string): { then(request: string): void; received: Promise<RawAnswer[]> } {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  let text = ''
  socket.on('data', (data: Buffer) => (text += data.toString()))
  const received = new Promise<RawAnswer[]>((resolve) => socket.on('close', () => resolve(answersOf(text))))
  socket.write(`POST /v1/explain HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(SLOW)}\r\n\r\n${SLOW}`)
  return { then: (request) => socket.write(request), received }
}

test('draining: /readyz is 503; requests in flight and requests arriving on open connections are answered, closing them', async (t) => {
  const model = await loadModel(defaultModelPath())
  const service = await buildService(model, { limits: DEFAULT_LIMITS, modelFile: defaultModelPath() })
  const url = await service.listen('127.0.0.1', 0)
  const readiness = pipelined(url)
  const explain = pipelined(url)
  // Both slow explanations have reached the server (queued or computing) before it closes.
  while ((await received(url)) < 2) await new Promise((resolve) => setTimeout(resolve, 10))
  const closed = service.close()
  readiness.then('GET /readyz HTTP/1.1\r\nhost: x\r\n\r\n')
  const tooLate = '{"text": "Too late."}'
  explain.then(`POST /v1/explain HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${tooLate.length}\r\n\r\n${tooLate}`)
  const [[slowA, ready], [slowB, late]] = await Promise.all([readiness.received, explain.received])
  await closed
  t.is(slowA.status, 200)
  t.is(slowB.status, 200)
  t.is(slowA.body, slowB.body)
  t.is(ready.status, 503)
  t.deepEqual(JSON.parse(ready.body), { error: { code: 'E_SHUTTING_DOWN', message: 'the server is shutting down' } })
  t.regex(ready.headers, /connection: close/i)
  t.is(late.status, 200)
  t.is(JSON.parse(late.body).tokens.length, 3)
  t.regex(late.headers, /connection: close/i)
  t.throws(() => model.predict({ tokens: [1] }), { code: 'E_DISPOSED' })
})
