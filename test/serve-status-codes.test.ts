// Status codes schemathesis checks (scripts/schemathesis-test.sh): a method a route does not have is
// 405 with Allow, also for methods with a body; asking a model for what it lacks (text without a
// tokenizer) is the client's error, 400, not the server's.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import test from 'ava'
import { post, send, startServer, type RunningServer } from './helpers/serve.js'

const TOY = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'toy-addition.safetensors')

let server: RunningServer
test.before(async () => {
  server = await startServer(['--model', TOY])
})
test.after.always(async () => {
  await server?.stop()
})

test('a route asked with a method it does not have is 405 with the methods it has in Allow', async (t) => {
  const cases: [string, string, string | undefined, string][] = [
    ['DELETE', '/v1/explain', undefined, 'POST'],
    ['GET', '/v1/predict?x=1', undefined, 'POST'],
    ['TRACE', '/healthz', undefined, 'GET, HEAD'],
    // A method with a body and no content type fails fastify's body checks before routing.
    ['QUERY', '/metrics', undefined, 'GET, HEAD'],
    ['PUT', '/v1/model', '{"text": "a"}', 'GET, HEAD'],
  ]
  for (const [method, route, body, allow] of cases) {
    const answer = await send(server.url, method, route, body)
    t.is(answer.status, 405, `${method} ${route}`)
    t.is(answer.headers.allow, allow, `${method} ${route}`)
    t.is(answer.json().error.code, 'E_METHOD_NOT_ALLOWED', `${method} ${route}`)
  }
  t.is((await send(server.url, 'DELETE', '/v1/nothing')).status, 404)
})

test('text for a model without a tokenizer is 400 E_CONFIG, single and as an item', async (t) => {
  for (const route of ['/v1/explain', '/v1/predict']) {
    const single = await post(server.url, route, { text: 'a fine film' })
    t.is(single.status, 400, route)
    t.is(single.json().error.code, 'E_CONFIG', route)
    const items = await post(server.url, route, { items: [{ text: 'a fine film' }, { x: [[1, 0]] }] })
    t.is(items.status, 200, route)
    t.is(items.json().results[0].error.code, 'E_CONFIG', route)
    t.is(items.json().results[1].error, undefined, route)
  }
})
