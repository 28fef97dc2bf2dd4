// CLI messages name the real problem in one bounded line: string token ids for a model without a vocabulary,
// and megabyte-long words, JSON lines, cells, keys and headers echoed only in part.
import test from 'ava'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createModel, saveModel } from '../lib/index.js'
import { runCli } from './helpers/run-cli.js'

const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-messages-'))
const MEGABYTE = 1 << 20
/** Far longer than any useful message, far shorter than the megabyte inputs below. */
const BOUND = 500

async function modelFile(name: string, config: object): Promise<string> {
  const file = path.join(work, `${name}.safetensors`)
  const model = await createModel(config, { seed: 1 })
  await saveModel(model, file)
  model.dispose()
  return file
}

const idsOnly = await modelFile('ids-only', { inputSize: 2, embedding: { vocabSize: 20 }, layers: [{ hiddenSize: 2 }], head: { outputs: 2 } })
const worded = await modelFile('worded', {
  inputSize: 2,
  embedding: { vocabSize: 3 },
  layers: [{ hiddenSize: 2 }],
  head: { outputs: 2 },
  tokenizer: { lowercase: true, vocab: ['<unk>', 'good', 'film'] },
})
const noUnknown = await modelFile('no-unk', { inputSize: 2, embedding: { vocabSize: 2 }, layers: [{ hiddenSize: 2 }], head: { outputs: 2 }, tokenizer: { lowercase: true, vocab: ['good', 'film'] } })
const series = await modelFile('series', { inputSize: 2, layers: [{ hiddenSize: 2 }], head: { outputs: 1 }, task: 'regression' })

function oneBoundedLine(t: { regex(text: string, pattern: RegExp, message?: string): void; true(value: boolean, message?: string): void }, stderr: string): void {
  t.regex(stderr, /^lstm-lrp: [^\n]+\n$/, stderr.slice(0, 300))
  t.true(stderr.length < BOUND, `${stderr.length} characters: ${stderr.slice(0, 300)}`)
}

test('string token ids in a JSON line, for a model without a vocabulary, are named as strings', async (t) => {
  for (const command of ['explain', 'predict']) {
    const result = await runCli([command, '--model', idsOnly], '{"tokens": ["12", "3"]}\n')
    t.is(result.code, 1)
    t.is(result.stderr, 'lstm-lrp: line 1: the tokens are strings (the first is "12"), but the model has no vocabulary: token ids must be integers\n')
  }
})

test('--tokens with a non-integer entry, for a model without a vocabulary, is named as strings', async (t) => {
  const result = await runCli(['explain', '--model', idsOnly, '--tokens', '3,x'])
  t.is(result.code, 1)
  t.regex(result.stderr, /--tokens: the tokens are strings \(the first is "3"\), but the model has no vocabulary/)
})

test('the same strings with a vocabulary are words, looked up as before', async (t) => {
  const result = await runCli(['predict', '--model', worded], '{"tokens": ["Good", "12"]}\n')
  t.is(result.code, 0, result.stderr)
  t.like(JSON.parse(result.stdout), { tokens: ['good', '12'], unknown: [1] })
})

test('a megabyte word missing from a vocabulary without <unk> is echoed cut short', async (t) => {
  const result = await runCli(['explain', '--model', noUnknown], `${JSON.stringify({ tokens: ['good', 'w'.repeat(MEGABYTE)] })}\n`)
  t.is(result.code, 1)
  oneBoundedLine(t, result.stderr)
  t.regex(result.stderr, /token 'w+\.\.\. \(1048576 characters\)' \(position 1\) is not in the vocabulary/)
})

test('a megabyte line that is not JSON is echoed cut short', async (t) => {
  const result = await runCli(['explain', '--model', series, '--input-format', 'jsonl'], `{"x": ${'['.repeat(10)}${'1,'.repeat(MEGABYTE / 2)}oops\n`)
  t.is(result.code, 1)
  oneBoundedLine(t, result.stderr)
  t.regex(result.stderr, /line 1: not valid JSON/)
})

test('a megabyte unknown key is echoed cut short', async (t) => {
  const result = await runCli(['explain', '--model', series], `${JSON.stringify({ x: [[1, 2]], ['k'.repeat(MEGABYTE)]: 1 })}\n`)
  t.is(result.code, 1)
  oneBoundedLine(t, result.stderr)
  t.regex(result.stderr, /unknown key 'k+\.\.\. \(1048576 characters\)'/)
})

test('a megabyte CSV cell that is not a number is echoed cut short', async (t) => {
  const result = await runCli(['predict', '--model', series, '--input-format', 'csv'], `a,b\n1,2\n3,${'z'.repeat(MEGABYTE)}\n`)
  t.is(result.code, 1)
  oneBoundedLine(t, result.stderr)
  t.regex(result.stderr, /line 3, column 'b': 'z+\.\.\. \(1048576 characters\)' is not a number/)
})

test('a megabyte CSV header is listed cut short when --columns names no column of it', async (t) => {
  const header = Array.from({ length: 50_000 }, (_, n) => `column${n}`).join(',')
  const result = await runCli(['predict', '--model', series, '--input-format', 'csv', '--columns', 'nope,other'], `${header}\n`)
  t.is(result.code, 1)
  oneBoundedLine(t, result.stderr)
  t.regex(result.stderr, /--columns: no column 'nope' \(the header has 'column0', 'column1', .* 'column7' and 49992 more\)/)
})

test('train: a megabyte unknown key in the data is echoed cut short', async (t) => {
  const config = path.join(work, 'config.json')
  writeFileSync(config, JSON.stringify({ inputSize: 2, layers: [{ hiddenSize: 2 }], head: { outputs: 1 }, task: 'regression' }))
  const data = path.join(work, 'data.jsonl')
  writeFileSync(data, `${JSON.stringify({ x: [[1, 2]], y: [1], ['q'.repeat(MEGABYTE)]: 0 })}\n`)
  const result = await runCli(['train', '--config', config, '--data', data, '--out', path.join(work, 'trained.safetensors')])
  t.is(result.code, 1)
  oneBoundedLine(t, result.stderr)
})
