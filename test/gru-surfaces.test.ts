// The GRU's product rules reach every surface that takes LRP options: the CLI's --rules, the
// service's request schema, and the provenance a result records (which names the products of the
// model's own layers: an LSTM's rules say nothing about a GRU's products, and the reverse).
import test from 'ava'
import path from 'node:path'
import { createModel, saveModel, type ExplainOptions } from '../lib/index.js'
import { effectiveOptions } from '../lib/cli/explain-provenance.js'
import { parseConfig } from '../lib/model/config.js'
import { runCli } from './helpers/run-cli.js'
import { scratchDirectory } from './helpers/scratch-directory.js'
import { post, startServer } from './helpers/serve.js'
import { assertClose } from './helpers/compare.js'

const GRU = { inputSize: 2, layers: [{ hiddenSize: 3, bidirectional: true, cell: { type: 'gru' } }], head: { outputs: 2, bias: true } }
const MIXED = { inputSize: 2, layers: [{ hiddenSize: 3, cell: { type: 'gru', resetAfter: false } }, { hiddenSize: 2 }], head: { outputs: 2 } }
const X = [
  [0.7, -0.2],
  [0.1, 0.9],
  [-0.5, 0.3],
]
const OPTIONS: ExplainOptions = { rules: { update: 'prop', reset: 'half' }, eps: 0.01 }

async function savedGru(t: Parameters<typeof scratchDirectory>[0]): Promise<{ file: string; relevance: number[]; perStep: number[] }> {
  const model = await createModel(GRU, { dtype: 'f64', seed: 5 })
  const file = path.join(await scratchDirectory(t), 'gru.safetensors')
  await saveModel(model, file)
  const expected = model.explain(X, OPTIONS)
  const other = model.explain(X, { eps: 0.01 })
  t.notDeepEqual(Array.from(expected.relevance), Array.from(other.relevance), 'the rules change the relevance')
  model.dispose()
  return { file, relevance: Array.from(expected.relevance), perStep: Array.from(expected.perStep) }
}

test('CLI: --rules update=R,reset=R explains a GRU model as the API does', async (t) => {
  const { file, relevance, perStep } = await savedGru(t)
  const result = await runCli(['explain', '--model', file, '--rules', 'update=prop,reset=half', '--eps', '0.01'], `${JSON.stringify({ x: X })}\n`)
  t.is(result.code, 0, result.stderr)
  const line = JSON.parse(result.stdout) as { relevance: number[][]; perStep: number[] }
  assertClose(t, line.relevance.flat(), relevance, 1e-12, 'relevance')
  assertClose(t, line.perStep, perStep, 1e-12, 'perStep')
})

test('service: rules.update and rules.reset pass the request schema and give the API result', async (t) => {
  const { file, relevance } = await savedGru(t)
  const server = await startServer(['--model', file])
  t.teardown(() => server.stop())
  const answer = await post(server.url, '/v1/explain', { x: X, ...OPTIONS })
  t.is(answer.status, 200, answer.text)
  assertClose(t, (answer.json() as { relevance: number[][] }).relevance.flat(), relevance, 1e-12, 'relevance')
  t.deepEqual(answer.json().options.rules, { update: 'prop', reset: 'half' })
  const wrong = await post(server.url, '/v1/explain', { x: X, rules: { gate: 'prop' } })
  t.is(wrong.status, 400, wrong.text)
})

test('provenance lists the rules of the products the model has', (t) => {
  const options: ExplainOptions = { rule: 'abs', rules: { forget: 'half', reset: 'prop' } }
  t.deepEqual(effectiveOptions(options, parseConfig(GRU)).rules, { update: 'abs', reset: 'prop' })
  t.deepEqual(effectiveOptions(options, parseConfig(MIXED)).rules, { input: 'abs', forget: 'half', output: 'abs', update: 'abs', reset: 'prop' })
  t.deepEqual(effectiveOptions(options, parseConfig({ ...MIXED, layers: [{ hiddenSize: 2 }] })).rules, { input: 'abs', forget: 'half', output: 'abs' })
})
