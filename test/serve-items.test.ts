// { "items": [...] } requests: each invalid item gets its own error, the valid results are byte for
// byte the answers to the same requests sent alone; concurrent requests coalesce into one kernel
// call per set of options, and requests with different options never share one.
import test from 'ava'
import { get, post, startServer, type RunningServer } from './helpers/serve.js'

let server: RunningServer
test.before(async () => {
  // A long wait makes every request below that arrives together share its options' batch.
  server = await startServer(['--max-wait-ms', '300', '--max-items', '8'])
})
test.after.always(async () => {
  await server?.stop()
})

/** The text of one result inside {"results":[...]}: the bytes between its brackets. */
function resultTexts(text: string): string[] {
  return (JSON.parse(text).results as unknown[]).map((result) => JSON.stringify(result))
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((row) => row.startsWith(`${name} `))
  return line === undefined ? Number.NaN : Number(line.split(' ')[1])
}

test.serial('invalid items get their own error; the valid results are byte-equal to the same requests alone', async (t) => {
  const items = [
    { text: 'A gorgeous, witty film.', id: 1 },
    { tokens: [1, 99999999] },
    { text: 'Not bad.', method: 'gradient', relevance: true },
    { text: 'dull', eps: -1 },
    { tokens: ['a', 'dull', 'film'], target: 'happy' },
    { text: 'Not a bad film.', target: 'positive', versus: 'negative' },
    { text: 'a', method: 'cd', cd: { phrase: [0, 4] } },
    { tokens: ['a', 'film'], method: 'integrated-gradients', integratedGradients: { steps: 8 } },
  ]
  const answer = await post(server.url, '/v1/explain', { items })
  t.is(answer.status, 200)
  const alone = await Promise.all(items.map((item) => post(server.url, '/v1/explain', item)))
  t.is(answer.text, `{"results":[${alone.map((one, n) => (one.status === 200 ? one.text : JSON.stringify({ error: { ...one.json().error, message: `items[${n}]: ${one.json().error.message}` } }))).join(',')}]}`)
  const results = JSON.parse(answer.text).results
  t.deepEqual(
    results.map((result: { error?: { code: string } }) => result.error?.code ?? 'ok'),
    ['ok', 'E_INPUT', 'ok', 'E_OPTIONS', 'E_TARGET', 'ok', 'E_OPTIONS', 'ok'],
  )
  t.is(results[1].error.message, 'items[1]: input, step 1: token id 99999999 is not in the vocabulary [0, 8217)')
  t.is(alone[1].status, 400)
  t.deepEqual(alone[1].json(), { error: { code: 'E_INPUT', message: 'input, step 1: token id 99999999 is not in the vocabulary [0, 8217)' } })
  t.is(resultTexts(answer.text)[0], alone[0].text)
})

test.serial('more items than --max-items, or none, is a 400 naming the limit', async (t) => {
  const many = await post(server.url, '/v1/explain', { items: Array.from({ length: 9 }, () => ({ text: 'a' })) })
  t.is(many.status, 400)
  t.deepEqual(many.json(), { error: { code: 'E_REQUEST', message: 'items must NOT have more than 8 items' } })
  const none = await post(server.url, '/v1/explain', { items: [] })
  t.is(none.status, 400)
})

test.serial('concurrent requests coalesce into one kernel call per set of options, never sharing one across options', async (t) => {
  const before = await get(server.url, '/metrics')
  const texts = ['A gorgeous, witty film.', 'Not bad.', 'A dull, lifeless film.', 'It is fine.']
  const optionSets = [{}, { eps: 0.01 }, { method: 'gradient' }, { eps: 0.01, rule: 'prop' }, { preset: 'occlusion-p-diff' }]
  const requests = optionSets.flatMap((options) => texts.map((text) => ({ text, ...options })))
  const answers = await Promise.all(requests.map((body) => post(server.url, '/v1/explain', body)))
  const after = await get(server.url, '/metrics')
  const calls = metric(after.text, 'lstm_lrp_batch_size_count') - metric(before.text, 'lstm_lrp_batch_size_count')
  const explained = metric(after.text, 'lstm_lrp_batch_size_sum') - metric(before.text, 'lstm_lrp_batch_size_sum')
  t.is(calls, optionSets.length, 'one kernel call per set of options')
  t.is(explained, requests.length)
  // Each answer is the one its request gets alone, with its own options.
  for (const [n, body] of requests.entries()) {
    const alone = await post(server.url, '/v1/explain', body)
    t.is(answers[n].text, alone.text, JSON.stringify(body))
  }
  t.deepEqual(answers[4].json().options.eps, 0.01)
  t.deepEqual(answers[12].json().options.rule, 'prop')
  t.like(answers[16].json(), { method: 'occlusion', options: { score: 'prob', replacement: 'zero' } })
})
