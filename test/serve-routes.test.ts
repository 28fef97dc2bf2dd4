// The service's other routes: health, readiness, the model summary, Prometheus metrics and the
// OpenAPI document; and `lstm-lrp serve`'s flags: bad ones are a usage error with one line.
import test from 'ava'
import { runCli } from './helpers/run-cli.js'
import { get, post, startServer, type RunningServer } from './helpers/serve.js'

let server: RunningServer
test.before(async () => {
  server = await startServer(['--max-steps', '50', '--max-items', '16'])
})
test.after.always(async () => {
  await server?.stop()
})

const METRICS = ['lstm_lrp_http_requests_total', 'lstm_lrp_http_request_duration_seconds', 'lstm_lrp_batch_size', 'lstm_lrp_queue_depth', 'lstm_lrp_explanations_total', 'lstm_lrp_event_loop_delay_seconds']

test('GET /healthz and /readyz answer 200 while the server runs', async (t) => {
  t.deepEqual((await get(server.url, '/healthz')).json(), { status: 'ok' })
  t.deepEqual((await get(server.url, '/readyz')).json(), { status: 'ready' })
})

test('GET /v1/model: architecture, labels, tokenizer, backend and limits', async (t) => {
  const answer = await get(server.url, '/v1/model')
  t.is(answer.status, 200)
  const model = answer.json()
  t.is(model.model, 'sst-bilstm.safetensors')
  t.deepEqual(model.architecture.layers, [{ hiddenSize: 60, bidirectional: true, cell: 'standard' }])
  t.deepEqual(model.architecture.embedding, { vocabSize: 8217 })
  t.deepEqual(model.labels, ['very negative', 'negative', 'neutral', 'positive', 'very positive'])
  t.deepEqual(model.tokenizer, { kind: 'treebank', size: 8217, lowercase: true })
  t.is(model.backend.backend, process.env.LSTM_LRP_BACKEND === 'wasm' ? 'wasm' : 'native')
  t.is(model.limits.maxSteps, 50)
  t.is(model.limits.maxItems, 16)
  t.is(model.limits.maxBody, 1024 * 1024)
  t.is(model.limits.maxTextLength, 800)
})

test('GET /metrics has every contracted name, counting requests by route, method and status', async (t) => {
  await post(server.url, '/v1/explain', { text: 'Fine.' })
  await post(server.url, '/v1/explain', 'null')
  const answer = await get(server.url, '/metrics')
  t.is(answer.status, 200)
  t.regex(String(answer.headers['content-type']), /^text\/plain/)
  for (const name of METRICS) t.regex(answer.text, new RegExp(`^# TYPE ${name} `, 'm'), name)
  t.regex(answer.text, /^lstm_lrp_http_requests_total\{route="\/v1\/explain",method="POST",status="200"\} [1-9]/m)
  t.regex(answer.text, /^lstm_lrp_http_requests_total\{route="\/v1\/explain",method="POST",status="400"\} [1-9]/m)
  t.regex(answer.text, /^lstm_lrp_explanations_total [1-9]/m)
  t.regex(answer.text, /^lstm_lrp_event_loop_delay_seconds\{quantile="0.99"\} \d/m)
})

test('GET /openapi.json is OpenAPI 3 with every route and the request schemas the server validates with', async (t) => {
  const answer = await get(server.url, '/openapi.json')
  t.is(answer.status, 200)
  const document = answer.json()
  t.regex(document.openapi, /^3\./)
  const routes = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
  t.deepEqual(routes.sort(), ['GET /healthz', 'GET /metrics', 'GET /openapi.json', 'GET /readyz', 'GET /v1/model', 'POST /v1/explain', 'POST /v1/predict'])
  const body = document.paths['/v1/explain'].post.requestBody.content['application/json'].schema
  t.is(body.oneOf.length, 2)
  t.is(body.oneOf[0].properties.tokens.maxItems, 50)
  t.is(body.oneOf[1].properties.items.maxItems, 16)
  t.truthy(document.paths['/v1/explain'].post.responses['413'])
})

test('bad flags are a usage error: exit 1 with one line naming the flag', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--max-body', '1zb'], /^lstm-lrp: --max-body must be a size like 1mb, 512kb or 2048 \(bytes\); got '1zb'\n$/],
    [['--max-body', '0'], /^lstm-lrp: --max-body must be at least 1 byte; got '0'\n$/],
    [['--port', '70000'], /^lstm-lrp: --port must be in \[0, 65535\]; got 70000\n$/],
    [['--port', 'http'], /^lstm-lrp: --port must be a whole decimal number; got 'http'\n$/],
    [['--max-batch', '0'], /^lstm-lrp: --max-batch must be an integer >= 1; got 0\n$/],
    [['--timeout-ms', '99999999999'], /^lstm-lrp: --timeout-ms must be at most 2147483647; got 99999999999\n$/],
    [['--max-wait-ms', '-1'], /^lstm-lrp: --max-wait-ms must be an integer >= 0; got -1\n$/],
    [['--threads', '0'], /^lstm-lrp: --threads must be an integer >= 1; got 0\n$/],
    [['--model', 'no-such-model.safetensors'], /^lstm-lrp: .*no-such-model\.safetensors.*\n$/],
  ]
  const runs = await Promise.all(cases.map(([args]) => runCli(['serve', '--port', '0', ...args], '', { timeout: 30_000 })))
  runs.forEach((run, n) => {
    t.is(run.code, 1, cases[n][0].join(' '))
    t.regex(run.stderr, cases[n][1])
    t.is(run.stdout, '')
  })
})

test('--help lists every flag with examples', async (t) => {
  const run = await runCli(['serve', '--help'])
  t.is(run.code, 0)
  for (const flag of ['--model', '--host', '--port', '--max-body', '--max-steps', '--max-items', '--max-batch', '--max-wait-ms', '--max-queue', '--timeout-ms', '--threads', '--backend', '--dtype'])
    t.true(run.stdout.includes(flag), flag)
  t.regex(run.stdout, /Examples:\n {2}lstm-lrp serve --port 8080/)
})
