// train reads every input form explain does ({"x"}, {"tokens"} ids or words, {"text"}), labels by name in "y",
// and builds the tokenizer's vocabulary from the data with --build-vocabulary.
import test from 'ava'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createModel, loadModel, tokenizeText, tokenizeTreebank, type Model } from '../lib/index.js'
import { buildVocabulary } from '../lib/text/vocabulary.js'
import { runCli, runCliEach } from './helpers/run-cli.js'

const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-train-data-'))
const LABELS = ['negative', 'positive']
const CONFIG = { inputSize: 4, layers: [{ hiddenSize: 3 }], head: { outputs: 2 }, task: 'classification', labels: LABELS }
const LINES = [
  { text: 'A witty, gorgeous film.', y: 'positive' },
  { tokens: ['a', 'dull', 'film'], y: 'negative' },
  { text: "It isn't dull at all.", y: 1 },
  { tokens: ['Gorgeous', 'and', 'witty'], y: 'positive', id: 'four' },
  { text: 'Dull, dull, dull.', y: 0 },
]
const SETTINGS = ['--epochs', '3', '--batch-size', '2', '--lr', '0.01', '--seed', '5']

function file(name: string, content: string): string {
  const where = path.join(work, name)
  writeFileSync(where, content)
  return where
}

const config = file('config.json', JSON.stringify(CONFIG))
const data = file('data.jsonl', LINES.map((line) => JSON.stringify(line)).join('\n'))

function words(line: (typeof LINES)[number]): string[] {
  return 'text' in line && line.text !== undefined ? tokenizeTreebank(line.text) : (line.tokens as string[])
}

function sameWeights(t: import('ava').ExecutionContext, actual: Model, expected: Model): void {
  for (const [name, tensor] of expected.weights) t.deepEqual(Array.from(actual.weights.get(name)!.data), Array.from(tensor.data), name)
}

test('train --build-vocabulary on text and words with label names trains as the API does on the ids and indices', async (t) => {
  const out = path.join(work, 'built.safetensors')
  const result = await runCli(['train', '--config', config, '--data', data, '--out', out, '--build-vocabulary', '--lowercase', '--min-count', '2', ...SETTINGS])
  t.is(result.code, 0, result.stderr)
  const vocab = buildVocabulary(LINES.map(words), { minCount: 2, lowercase: true })
  t.deepEqual(vocab, ['<unk>', 'a', 'witty', ',', 'gorgeous', 'film', '.', 'dull'])
  t.regex(result.stderr, /vocabulary: 8 words \(with <unk>\)/)
  const trained = await loadModel(readFileSync(out))
  t.deepEqual(trained.config.tokenizer, { lowercase: true, vocab })
  t.deepEqual(trained.config.embedding, { vocabSize: vocab.length })

  const tokenizer = { lowercase: true, vocab }
  const expected = await createModel({ ...CONFIG, embedding: { vocabSize: vocab.length }, tokenizer }, { seed: 5 })
  const items = LINES.map((line) => ({
    input: { tokens: tokenizeText(words(line).join(' '), { tokenizer }).ids },
    target: typeof line.y === 'number' ? line.y : LABELS.indexOf(line.y),
  }))
  await expected.train(items, { epochs: 3, batchSize: 2, lr: 0.01, seed: 5 })
  sameWeights(t, trained, expected)
  t.is(trained.explain({ tokens: tokenizeText('a witty film', trained.config).ids }, { target: 'positive' }).target, 1)
  trained.dispose()
  expected.dispose()
})

test('train reads {"x"} lines with label names, and {"tokens"} ids and words with a tokenizer in the config', async (t) => {
  const vectors = file(
    'vectors.jsonl',
    [
      {
        x: [
          [1, 0, 0, 1],
          [0, 1, 0, 0],
        ],
        y: 'positive',
      },
      { x: [[0, 0, 1, 0]], y: 0 },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n'),
  )
  const withTokenizer = file('tokenizer.json', JSON.stringify({ ...CONFIG, embedding: { vocabSize: 4 }, tokenizer: { lowercase: true, vocab: ['<unk>', 'good', 'bad', 'film'] } }))
  const tokens = file('tokens.jsonl', ['{"tokens": [1, 3], "y": 1}', '{"tokens": ["Bad", "film"], "y": "negative"}', '{"text": "A good film.", "y": "positive"}'].join('\n'))
  const runs = await runCliEach([
    { args: ['train', '--config', config, '--data', vectors, '--out', path.join(work, 'vectors.safetensors'), ...SETTINGS] },
    { args: ['train', '--config', withTokenizer, '--data', tokens, '--validation', tokens, '--out', path.join(work, 'tokens.safetensors'), ...SETTINGS] },
  ])
  for (const run of runs) t.is(run.code, 0, run.stderr)
})

test('bad training lines and vocabulary flags are named', async (t) => {
  const noY = file('no-y.jsonl', '{"text": "fine", "y": 1}\n{"text": "no label"}\n')
  const badLabel = file('bad-label.jsonl', '{"text": "fine", "y": "great"}\n')
  const target = file('target.jsonl', '{"text": "fine", "target": 1}\n')
  const numbers = file('numbers.jsonl', '{"x": [[1, 0, 0, 0]], "y": 1}\n')
  const withTokenizer = file('has-tokenizer.json', JSON.stringify({ ...CONFIG, embedding: { vocabSize: 1 }, tokenizer: { lowercase: false, vocab: ['<unk>'] } }))
  const out = path.join(work, 'never.safetensors')
  const train = (...args: string[]) => ({ args: ['train', '--config', config, '--out', out, ...args] })
  const runs = await runCliEach([
    train('--data', noY, '--build-vocabulary'),
    train('--data', badLabel, '--build-vocabulary'),
    train('--data', target, '--build-vocabulary'),
    train('--data', numbers, '--build-vocabulary'),
    train('--data', data, '--min-count', '2'),
    { args: ['train', '--config', withTokenizer, '--data', data, '--out', out, '--build-vocabulary'] },
    train('--data', data),
  ])
  t.deepEqual(
    runs.map((run) => [run.code, run.stderr]),
    [
      [1, `lstm-lrp: ${noY} line 2: no "y" (labelled lines are {"x": [[...]], "y": ...}, {"tokens": [...], "y": ...} or {"text": "...", "y": ...})\n`],
      [1, `lstm-lrp: ${badLabel} line 1: "y": target 'great' is not one of the model's labels ('negative', 'positive')\n`],
      [1, `lstm-lrp: ${target} line 1: unknown key 'target' (labelled lines are {"x": [[...]], "y": ...}, {"tokens": [...], "y": ...} or {"text": "...", "y": ...}, with an optional "id")\n`],
      [1, `lstm-lrp: --build-vocabulary: ${numbers} has no "text" or word "tokens" to build a vocabulary from\n`],
      [1, 'lstm-lrp: --min-count applies to --build-vocabulary\n'],
      [1, 'lstm-lrp: --build-vocabulary: the config already has a tokenizer; leave it out to build one from the data\n'],
      [1, `lstm-lrp: ${data} line 1: the model has no tokenizer: pass token ids instead of text\n`],
    ],
  )
})
