// SIGTERM and SIGINT: the server stops accepting, answers every request in flight, frees the model and exits 0.
import test from 'ava'
import { get, post, startServer, type HttpAnswer } from './helpers/serve.js'

const SLOW = { text: 'A long, slow and thorough film about nothing much at all, really.', method: 'integrated-gradients', integratedGradients: { steps: 512 } }

/** Explanations queued or already in a kernel call. */
function received(metrics: HttpAnswer): number {
  const value = (name: string) =>
    Number(
      metrics.text
        .split('\n')
        .find((line) => line.startsWith(`${name} `))!
        .split(' ')[1],
    )
  return value('lstm_lrp_queue_depth') + value('lstm_lrp_batch_size_sum')
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} with 50 requests in flight: all answered 200, exit code 0`, async (t) => {
    const server = await startServer(['--max-batch', '4'])
    const alone = await post(server.url, '/v1/explain', SLOW)
    let answered = 0
    const inFlight = Array.from({ length: 50 }, (_, n) => post(server.url, '/v1/explain', { ...SLOW, id: n }).finally(() => answered++))
    // Every request has reached the server (queued or computing) before the signal, and most are not answered yet.
    while (received(await get(server.url, '/metrics')) < 50) await new Promise((resolve) => setTimeout(resolve, 20))
    const answeredBeforeSignal = answered
    server.child.kill(signal)
    const answers = await Promise.all(inFlight)
    const exit = await server.exited
    t.log(`${answeredBeforeSignal} of 50 answered before ${signal}`)
    t.true(answeredBeforeSignal < 50, `${answeredBeforeSignal} of 50 were answered before ${signal}`)
    t.deepEqual(
      answers.map((answer) => answer.status),
      Array(50).fill(200),
    )
    answers.forEach((answer, n) => t.is(answer.text, alone.text.replace('{"tokens"', `{"id":${n},"tokens"`)))
    t.deepEqual(exit, { code: 0, signal: null })
    t.is(server.stderr(), '')
    await t.throwsAsync(post(server.url, '/healthz'), { code: 'ECONNREFUSED' })
  })
}
