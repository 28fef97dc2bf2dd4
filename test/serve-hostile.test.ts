// Hostile bodies get 400, 413 or 415 with a one-line message naming the problem, and the server
// keeps answering: wrong JSON types, malformed and truncated JSON, prototype keys, deep nesting,
// oversized arrays and text, non-numbers where numbers belong, empty and chunked bodies.
import test from 'ava'
import { request as httpRequest } from 'node:http'
import { get, post, startServer, type HttpAnswer, type RunningServer } from './helpers/serve.js'

let server: RunningServer
test.before(async () => {
  server = await startServer(['--max-body', '2mb'])
})
test.after.always(async () => {
  await server?.stop()
})

const deep = (depth: number, inner: string) => '['.repeat(depth) + inner + ']'.repeat(depth)

const CASES: { name: string; body: string; status: number; message: RegExp; contentType?: string }[] = [
  { name: 'null', body: 'null', status: 400, message: /^the body must be a JSON object/ },
  { name: '[]', body: '[]', status: 400, message: /^the body must be a JSON object/ },
  { name: '"x"', body: '"x"', status: 400, message: /^the body must be a JSON object/ },
  { name: '1', body: '1', status: 400, message: /^the body must be a JSON object/ },
  { name: '{}', body: '{}', status: 400, message: /^body: give exactly one of "x", "tokens" and "text"$/ },
  { name: 'two inputs', body: '{"text": "a", "tokens": [1]}', status: 400, message: /^body: give exactly one of/ },
  { name: 'malformed JSON', body: '{text: "a"}', status: 400, message: /^malformed JSON: / },
  { name: 'truncated JSON', body: '{"text": "a gorgeous', status: 400, message: /^malformed JSON: / },
  { name: 'empty body', body: '', status: 400, message: /^the body is empty/ },
  { name: 'wrong content type', body: '{"text": "a"}', contentType: 'text/plain', status: 415, message: /^unsupported content type "text\/plain": send application\/json$/ },
  { name: 'form content type', body: 'text=a', contentType: 'application/x-www-form-urlencoded', status: 415, message: /^unsupported content type/ },
  { name: '__proto__ key', body: '{"text": "a", "__proto__": {"polluted": true}}', status: 400, message: /^body: unknown property "__proto__"$/ },
  { name: 'constructor key', body: '{"text": "a", "constructor": {"prototype": {"polluted": true}}}', status: 400, message: /^body: unknown property "constructor"$/ },
  { name: '__proto__ among weights', body: '{"text": "a", "target": {"weights": {"__proto__": 1}}}', status: 400, message: /^target\.weights key '__proto__' is not one of the model's labels/ },
  { name: '10 000-deep x', body: `{"x": ${deep(10_000, '1')}}`, status: 400, message: /^x\[0\]\[0\] must be number$/ },
  { name: '10 000-deep target', body: `{"text": "a", "target": ${deep(10_000, '1')}}`, status: 400, message: /^target is none of the forms it may take/ },
  { name: '10 000-deep objects', body: `{"text": "a", "id": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`, status: 400, message: /^id must be string,number,null$/ },
  { name: 'tokens over --max-steps', body: JSON.stringify({ tokens: Array(1001).fill(1) }), status: 400, message: /^tokens must NOT have more than 1000 items$/ },
  { name: 'half a million tokens', body: JSON.stringify({ tokens: Array(500_000).fill(1) }), status: 400, message: /^tokens must NOT have more than 1000 items$/ },
  { name: 'text of 1 MB', body: JSON.stringify({ text: 'a '.repeat(512 * 1024) }), status: 400, message: /^text must NOT have more than 16000 characters$/ },
  { name: 'a word of 100 kB', body: JSON.stringify({ tokens: ['w'.repeat(100_000)] }), status: 400, message: /^tokens\[0\] must NOT have more than 1000 characters$/ },
  { name: 'x with "NaN"', body: '{"x": [["NaN", 1]]}', status: 400, message: /^x\[0\]\[0\] must be number$/ },
  { name: 'x with "Infinity"', body: '{"x": [[1, "Infinity"]]}', status: 400, message: /^x\[0\]\[1\] must be number$/ },
  { name: 'x with 1e400', body: '{"x": [[1e400]]}', status: 400, message: /^x\[0\]\[0\] must be number$/ },
  { name: 'eps 1e400', body: '{"text": "a", "eps": 1e400}', status: 400, message: /^eps must be number$/ },
  { name: 'token id 1e300', body: '{"tokens": [1e300]}', status: 400, message: /^input, step 0: token id 1e\+300 is not in the vocabulary/ },
  { name: 'string for a number', body: '{"text": "a", "eps": "0.1"}', status: 400, message: /^eps must be number$/ },
  { name: 'string for a boolean', body: '{"text": "a", "relevance": "true"}', status: 400, message: /^relevance must be boolean$/ },
  { name: 'unknown method', body: '{"text": "a", "method": "magic"}', status: 400, message: /^method must be equal to one of the allowed values$/ },
  {
    name: 'a replacement wider than the input',
    body: JSON.stringify({ text: 'a', method: 'occlusion', occlusion: { replacement: Array(61).fill(0) } }),
    status: 400,
    message: /^occlusion\.replacement is none of the forms/,
  },
  { name: 'target weights past --max-steps rows', body: JSON.stringify({ text: 'a', target: { weights: Array(5001).fill(0) } }), status: 400, message: /^target\.weights is none of the forms/ },
  { name: 'items and text', body: '{"items": [{"text": "a"}], "text": "b"}', status: 400, message: /^body: unknown property "text"$/ },
  { name: 'items not a list', body: '{"items": {"text": "a"}}', status: 400, message: /^items must be array$/ },
]

function oneLine(t: import('ava').ExecutionContext, answer: HttpAnswer, name: string): void {
  t.regex(String(answer.headers['content-type']), /^application\/json/, name)
  const { error } = answer.json()
  t.is(typeof error.code, 'string', name)
  t.false(error.message.includes('\n'), name)
  t.true(error.message.length < 400, `${name}: ${error.message.length} characters`)
}

test.serial('every hostile body gets its status and a one-line message naming the problem; the server keeps answering', async (t) => {
  for (const { name, body, status, message, contentType } of CASES) {
    const answer = await post(server.url, '/v1/explain', body, contentType === undefined ? {} : { 'content-type': contentType })
    t.is(answer.status, status, `${name}: ${answer.text.slice(0, 300)}`)
    oneLine(t, answer, name)
    t.regex(answer.json().error.message, message, name)
    t.is((await get(server.url, '/healthz')).status, 200, `${name}: still up`)
  }
  const after = await post(server.url, '/v1/explain', { text: 'Still here.' })
  t.is(after.status, 200)
})

test.serial('/v1/predict refuses the same bodies alike', async (t) => {
  for (const { name, body, status, contentType } of CASES.filter(({ body }) => !/"(eps|method|target|relevance)"/.test(body))) {
    const answer = await post(server.url, '/v1/predict', body, contentType === undefined ? {} : { 'content-type': contentType })
    t.is(answer.status, status, `${name}: ${answer.text.slice(0, 300)}`)
    oneLine(t, answer, name)
  }
})

/** Sends the body in chunks (Transfer-Encoding: chunked), with pauses between them. */
function chunked(url: string, chunks: string[]): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${url}/v1/explain`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (response) => {
      let text = ''
      response.on('data', (chunk: Buffer) => (text += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }))
    })
    outgoing.on('error', reject)
    let n = 0
    const next = () => {
      if (n === chunks.length) return outgoing.end()
      outgoing.write(chunks[n++])
      setTimeout(next, 5)
    }
    next()
  })
}

test.serial('chunked bodies are read whole: a valid one is answered as if sent at once, a truncated one is malformed JSON', async (t) => {
  const whole = await post(server.url, '/v1/explain', { text: 'A gorgeous, witty film.' })
  const pieces = await chunked(server.url, ['{"te', 'xt": "A gorge', 'ous, witty film."', '}'])
  t.is(pieces.status, 200)
  t.is(pieces.text, whole.text)
  const truncated = await chunked(server.url, ['{"text": ', '"A gorgeous'])
  t.is(truncated.status, 400)
  t.regex(JSON.parse(truncated.text).error.message, /^malformed JSON/)
})

test.serial('unknown routes get 404 with E_NOT_FOUND; a known route with another method 405', async (t) => {
  const missing = await get(server.url, '/v2/explain')
  t.is(missing.status, 404)
  t.deepEqual(missing.json(), { error: { code: 'E_NOT_FOUND', message: 'no route GET /v2/explain' } })
  const wrongMethod = await get(server.url, '/v1/explain')
  t.is(wrongMethod.status, 405)
})
