// --max-work: a request whose explanations would keep the kernel busy too long is refused before
// any work (steps times the method's passes), whatever the size of its body.
import test from 'ava'
import { post, startServer } from './helpers/serve.js'
import { runCli } from './helpers/run-cli.js'

const TEN_TOKENS = { tokens: ['a', 'gorgeous', ',', 'witty', 'and', 'deeply', 'moving', 'film', 'indeed', '.'] }

test('a request over --max-work gets 400 E_WORK_LIMIT naming its work; within it, an answer', async (t) => {
  const server = await startServer(['--max-work', '100'])
  t.teardown(() => server.stop())
  t.is((await post(server.url, '/v1/explain', TEN_TOKENS)).status, 200, 'LRP on 10 tokens: 10 units')
  t.is((await post(server.url, '/v1/explain', { ...TEN_TOKENS, method: 'cd' })).status, 200, 'per-step CD on 10 tokens: 100 units')

  const occlusion = await post(server.url, '/v1/explain', { ...TEN_TOKENS, method: 'occlusion' })
  t.is(occlusion.status, 400)
  t.is(occlusion.json().error.code, 'E_WORK_LIMIT')
  t.regex(occlusion.json().error.message, /needs 110 units of work .* over --max-work 100/)

  const integrated = await post(server.url, '/v1/explain', { ...TEN_TOKENS, method: 'integrated-gradients', integratedGradients: { steps: 11 } })
  t.is(integrated.json().error.code, 'E_WORK_LIMIT', 'integrated gradients: 10 steps x 11 points')

  const items = await post(server.url, '/v1/explain', { items: Array.from({ length: 11 }, () => TEN_TOKENS) })
  t.is(items.status, 400, 'the items of one request count together')
  t.regex(items.json().error.message, /needs 110 units/)
  t.is((await post(server.url, '/v1/explain', { items: Array.from({ length: 10 }, () => TEN_TOKENS) })).status, 200)
})

test('--max-work must be a positive integer', async (t) => {
  const run = await runCli(['serve', '--max-work', '0'])
  t.is(run.code, 1)
  t.regex(run.stderr, /--max-work/)
})
