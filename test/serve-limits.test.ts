// Limits: a body over --max-body gets 413 while it streams in, without being held in memory; a full
// queue gets 503 with Retry-After; a request past --timeout-ms gets 504.
import test from 'ava'
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { get, post, startServer } from './helpers/serve.js'

const SLOW = { text: 'A long, slow and thorough film about nothing much at all, really.', method: 'integrated-gradients', integratedGradients: { steps: 4096 } }

/** Peak resident memory of a process so far (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((row) => row.startsWith('VmHWM:'))!
  return Number(/(\d+)/.exec(line)![1]) * 1024
}

/**
 * Sends a request over a plain TCP socket with `megabytes` of a JSON string body in 1 MB chunks
 * (chunked, or with a Content-Length), all of it whatever the server answers meanwhile, as a naive
 * client does; resolves with the answer and the megabytes the server took before closing, if it did.
 */
function streamBody(url: string, megabytes: number, declareLength: boolean): Promise<{ status: number; text: string; sent: number }> {
  const { hostname, port } = new URL(url)
  const chunk = Buffer.alloc(1 << 20, 'a')
  const head = '{"text": "'
  const framed = (data: Buffer | string) => (declareLength ? data : Buffer.concat([Buffer.from(`${Buffer.byteLength(data).toString(16)}\r\n`), Buffer.from(data), Buffer.from('\r\n')]))
  return new Promise((resolve) => {
    let sent = 0
    let received = ''
    const socket = connect(Number(port), hostname)
    const done = () => {
      const [headers, body = ''] = received.split('\r\n\r\n')
      resolve({ status: Number(headers.split(' ')[1]), text: body, sent })
    }
    socket.on('data', (data: Buffer) => (received += data.toString()))
    socket.on('error', () => undefined)
    socket.on('close', done)
    const length = declareLength ? `content-length: ${head.length + megabytes * chunk.length + 2}` : 'transfer-encoding: chunked'
    socket.write(`POST /v1/explain HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\n${length}\r\n\r\n`)
    socket.write(framed(head))
    const pump = () => {
      while (sent < megabytes && !socket.destroyed) {
        sent++
        if (!socket.write(framed(chunk))) return void socket.once('drain', pump)
      }
      if (!socket.destroyed) socket.end(Buffer.concat([Buffer.from(framed('"}')), Buffer.from(declareLength ? '' : '0\r\n\r\n')]))
    }
    pump()
  })
}

test.serial('a 600 MB body gets 413 while streaming, chunked or with Content-Length, and the server does not hold it', async (t) => {
  const server = await startServer(['--max-body', '1mb'])
  t.teardown(() => server.stop())
  const pid = server.child.pid!
  for (const declareLength of [false, true]) {
    const answer = await streamBody(server.url, 600, declareLength)
    t.is(answer.status, 413, answer.text)
    t.log(`${declareLength ? 'Content-Length' : 'chunked'}: ${answer.sent} MB sent`)
    t.deepEqual(JSON.parse(answer.text), { error: { code: 'E_TOO_LARGE', message: 'the body is larger than --max-body (1048576 bytes)' } })
  }
  t.log(`peak RSS ${(peakRss(pid) / 2 ** 20).toFixed(0)} MB`)
  t.true(peakRss(pid) < 200 * 2 ** 20, `peak RSS ${peakRss(pid)} bytes`)
  const after = await post(server.url, '/v1/explain', { text: 'Still here.' })
  t.is(after.status, 200)
  t.is((await server.stop()).code, 0)
})

test.serial('a body of exactly --max-body is read; one byte more is 413', async (t) => {
  const server = await startServer(['--max-body', '100b'])
  t.teardown(() => server.stop())
  const fits = JSON.stringify({ text: 'a'.repeat(100 - 11) })
  t.is(Buffer.byteLength(fits), 100)
  t.is((await post(server.url, '/v1/explain', fits)).status, 200)
  const over = JSON.stringify({ text: 'a'.repeat(101 - 11) })
  const answer = await post(server.url, '/v1/explain', over)
  t.is(answer.status, 413)
  t.is(answer.json().error.code, 'E_TOO_LARGE')
})

// Which requests overflow the queue under concurrency is up to the event loop (on WebAssembly the
// kernel holds it, and requests are read between calls), so test/serve-batcher.test.ts holds the
// queue's arithmetic; here a request that cannot fit meets the HTTP answer.
test.serial('a request that would pass --max-queue gets 503 E_OVERLOADED with Retry-After; the server goes on answering', async (t) => {
  const server = await startServer(['--max-queue', '1'])
  t.teardown(() => server.stop())
  const overloaded = await post(server.url, '/v1/explain', { items: [{ text: 'a' }, { text: 'b' }] })
  t.is(overloaded.status, 503, 'two items never fit a queue of one')
  t.is(overloaded.headers['retry-after'], '1')
  t.is(overloaded.json().error.code, 'E_OVERLOADED')
  t.regex(overloaded.json().error.message, /^the queue is full \(0 explanations waiting, at most 1\); retry shortly$/)
  t.is((await post(server.url, '/v1/explain', { text: 'Fine.' })).status, 200)
})

function batchSizeSum(metrics: string): number {
  return Number(
    metrics
      .split('\n')
      .find((line) => line.startsWith('lstm_lrp_batch_size_sum '))!
      .split(' ')[1],
  )
}

test.serial('a request past --timeout-ms while computed gets 504 E_TIMEOUT', async (t) => {
  const server = await startServer(['--timeout-ms', '1', '--max-batch', '1', '--max-wait-ms', '0'])
  t.teardown(() => server.stop())
  const answers = await Promise.all(Array.from({ length: 8 }, () => post(server.url, '/v1/explain', SLOW)))
  t.true(
    answers.every((answer) => answer.status === 504),
    answers.map((answer) => answer.status).join(' '),
  )
  t.deepEqual(answers[0].json(), { error: { code: 'E_TIMEOUT', message: 'not answered within --timeout-ms 1' } })
})

test.serial('a request whose deadline passes while it is queued is dropped, never computed', async (t) => {
  const server = await startServer(['--timeout-ms', '1', '--max-wait-ms', '200'])
  t.teardown(() => server.stop())
  const answers = await Promise.all(Array.from({ length: 8 }, () => post(server.url, '/v1/explain', SLOW)))
  t.true(
    answers.every((answer) => answer.status === 504),
    answers.map((answer) => answer.status).join(' '),
  )
  t.is(batchSizeSum((await get(server.url, '/metrics')).text), 0, 'no explanation was computed')
  t.is((await post(server.url, '/v1/explain', { text: 'Fine.' })).status, 504, 'a 1 ms deadline is shorter than the 200 ms wait')
})
