// SIGTERM behind a proxy: requests in flight on keep-alive connections (as a load balancer holds
// them) are answered, the connections closed once idle, and the process exits at once instead of
// waiting for the client to drop its idle connections.
import { Agent, request } from 'node:http'
import test from 'ava'
import { get, startServer } from './helpers/serve.js'

function queueDepth(metrics: string): number {
  const line = metrics.split('\n').find((row) => row.startsWith('lstm_lrp_queue_depth '))
  return line === undefined ? Number.NaN : Number(line.split(' ')[1])
}

function explainOn(agent: Agent, url: string, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${url}/v1/explain`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
    outgoing.on('error', reject)
    outgoing.end(JSON.stringify({ text }))
  })
}

test('SIGTERM with requests queued on keep-alive connections answers them and exits 0 promptly, the client keeping its connections', async (t) => {
  // Requests wait 1.5 s for their batch, so they are surely in flight when the signal comes.
  const server = await startServer(['--max-wait-ms', '1500'])
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 })
  try {
    const answers = Promise.all(['A fine film.', 'Dull.', 'Not bad at all.', 'A mess.'].map((text) => explainOn(agent, server.url, text)))
    while (queueDepth((await get(server.url, '/metrics')).text) < 4) await new Promise((resolve) => setTimeout(resolve, 20))
    const signalled = Date.now()
    const exited = server.stop()
    t.deepEqual(await answers, [200, 200, 200, 200])
    t.deepEqual(await exited, { code: 0, signal: null })
    // The batch wait and the shutdown, far below the server's 72 s keep-alive timeout.
    t.true(Date.now() - signalled < 10_000, `exited ${Date.now() - signalled} ms after SIGTERM`)
  } finally {
    agent.destroy()
    server.child.kill('SIGKILL')
  }
})
