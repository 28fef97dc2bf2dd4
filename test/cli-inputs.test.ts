// explain and predict input forms end to end (text lines, {"text"} lines, words, --tokens, CSV/TSV, stdin),
// each compared with what the library answers for the same input.
import test, { type ExecutionContext } from 'ava'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createModel, loadModel, saveModel, tokenizeText, type ExplainOptions, type Explanation, type Model, type SequenceInput } from '../lib/index.js'
import { assertClose } from './helpers/compare.js'
import { runCli } from './helpers/run-cli.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const sst = path.join(root, 'models', 'sst-bilstm.safetensors')
const toy = path.join(root, 'examples', 'toy-addition.safetensors')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-inputs-'))
/** Float32 on both sides; the CLI batches where the library explains one input, so sums may round differently. */
const TOLERANCE = 1e-5

interface ExplainLine {
  id?: unknown
  tokens?: string[]
  unknown?: number[]
  label?: string
  scores: number[]
  target: number
  relevance: number[][]
  perStep: number[]
}

interface PredictLine {
  id?: unknown
  tokens?: string[]
  unknown?: number[]
  scores: number[]
  probabilities: number[] | null
  label: number | null
}

function jsonLines<T>(text: string): T[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T)
}

const models = new Map<string, Promise<Model>>()
function library(file: string): Promise<Model> {
  if (!models.has(file)) models.set(file, loadModel(file))
  return models.get(file)!
}

function lineMatchesExplanation(t: ExecutionContext, line: ExplainLine, expected: Explanation, what: string): void {
  t.deepEqual(line.target, expected.target, `${what}: target`)
  assertClose(t, line.scores, expected.scores, TOLERANCE, `${what}: scores`)
  assertClose(t, line.relevance.flat(), expected.relevance, TOLERANCE, `${what}: relevance`)
  assertClose(t, line.perStep, expected.perStep, TOLERANCE, `${what}: perStep`)
}

/** The line explains `text` as the library does after tokenizing it with the model's tokenizer. */
async function explainsText(t: ExecutionContext, line: ExplainLine, text: string, what: string, options: ExplainOptions = {}): Promise<void> {
  const model = await library(sst)
  const encoded = tokenizeText(text, model.config)
  t.deepEqual(line.tokens, encoded.tokens, `${what}: tokens`)
  t.deepEqual(line.unknown, encoded.unknown, `${what}: unknown`)
  lineMatchesExplanation(t, line, model.explain({ tokens: encoded.ids }, options), what)
}

test('explain reads plain text lines from stdin: one sentence a line, blank lines skipped', async (t) => {
  const sentences = ['A gorgeous, witty film.', "It isn't the worst movie I've seen (barely)."]
  const result = await runCli(['explain'], `${sentences[0]}\n\n${sentences[1]}\n`)
  t.is(result.code, 0, result.stderr)
  const lines = jsonLines<ExplainLine>(result.stdout)
  t.is(lines.length, 2)
  for (const [n, sentence] of sentences.entries()) await explainsText(t, lines[n], sentence, sentence)
  t.deepEqual(lines[1].tokens?.slice(0, 4), ['it', 'is', "n't", 'the'], 'the treebank tokenizer splits clitics')
  const model = await library(sst)
  t.is(lines[0].label, model.config.labels?.[lines[0].target], 'text inputs name the target class')
})

test('unknown words are mapped to <unk> and reported by position', async (t) => {
  const text = 'The zorgblat was flibbertigibbet good.'
  const result = await runCli(['explain', '--input', '-'], `${text}\n`)
  t.is(result.code, 0, result.stderr)
  const [line] = jsonLines<ExplainLine>(result.stdout)
  t.deepEqual(line.unknown, [1, 3])
  t.deepEqual(line.tokens?.[1], 'zorgblat', 'the output keeps the word the model did not know')
  await explainsText(t, line, text, 'unknown words')
})

test('explain and predict read {"text"} lines beside {"tokens"} ids and words, keeping ids and targets', async (t) => {
  const model = await library(sst)
  const words = ['not', 'a', 'bad', 'film']
  const ids = tokenizeText('a dull , lifeless film', model.config).ids
  const input = [JSON.stringify({ text: 'Not a bad film, really.', id: 'first', target: 3 }), JSON.stringify({ tokens: words, id: 2 }), JSON.stringify({ tokens: ids })].join('\n')
  const explained = await runCli(['explain'], input)
  t.is(explained.code, 0, explained.stderr)
  const lines = jsonLines<ExplainLine>(explained.stdout)
  t.is(lines.length, 3)
  t.is(lines[0].id, 'first')
  t.is(lines[0].target, 3)
  await explainsText(t, lines[0], 'Not a bad film, really.', '{"text"} with a target', { target: 3 })
  t.is(lines[1].id, 2)
  t.deepEqual(lines[1].tokens, words)
  t.deepEqual(lines[1].unknown, [])
  await explainsText(t, lines[1], words.join(' '), '{"tokens": words}')
  t.false('tokens' in lines[2], 'token ids need no token names in the output')
  lineMatchesExplanation(t, lines[2], model.explain({ tokens: ids }), '{"tokens": ids}')

  const predicted = await runCli(['predict'], input)
  t.is(predicted.code, 0, predicted.stderr)
  const predictions = jsonLines<PredictLine>(predicted.stdout)
  const inputs: SequenceInput[] = [{ tokens: tokenizeText('Not a bad film, really.', model.config).ids }, { tokens: tokenizeText(words.join(' '), model.config).ids }, { tokens: ids }]
  for (const [n, prediction] of predictions.entries()) {
    const expected = model.predict(inputs[n])
    assertClose(t, prediction.scores, expected.scores, TOLERANCE, `predict ${n}: scores`)
    assertClose(t, prediction.probabilities!, expected.probabilities!, TOLERANCE, `predict ${n}: probabilities`)
    t.is(prediction.label, expected.label)
  }
  t.deepEqual(predictions[0].tokens, ['not', 'a', 'bad', 'film', ',', 'really', '.'])
  t.deepEqual(predictions[1].unknown, [])
  t.false('tokens' in predictions[2])
})

test('--tokens takes token ids or words, separated by commas or spaces', async (t) => {
  const model = await library(sst)
  const ids = tokenizeText('a gorgeous film', model.config).ids
  const byIds = await runCli(['predict', '--tokens', ids.join(', ')])
  t.is(byIds.code, 0, byIds.stderr)
  const [idLine] = jsonLines<PredictLine>(byIds.stdout)
  assertClose(t, idLine.scores, model.predict({ tokens: ids }).scores, TOLERANCE, 'ids: scores')
  t.false('tokens' in idLine)

  const byWords = await runCli(['explain', '--tokens', 'a,gorgeous film'])
  t.is(byWords.code, 0, byWords.stderr)
  const [wordLine] = jsonLines<ExplainLine>(byWords.stdout)
  t.deepEqual(wordLine.tokens, ['a', 'gorgeous', 'film'])
  lineMatchesExplanation(t, wordLine, model.explain({ tokens: ids }), 'words')
})

test('--input-format text reads every line as a sentence, even one starting with a bracket', async (t) => {
  const text = '[Laughs] a witty film.'
  const result = await runCli(['predict', '--input-format', 'text'], `${text}\n`)
  t.is(result.code, 0, result.stderr)
  const [line] = jsonLines<PredictLine>(result.stdout)
  t.is(line.tokens?.[0], '-lsb-')
  const model = await library(sst)
  assertClose(t, line.scores, model.predict({ tokens: tokenizeText(text, model.config).ids }).scores, TOLERANCE, 'scores')
})

test('a .txt file is read as text lines without --input-format', async (t) => {
  const file = path.join(work, 'reviews.txt')
  writeFileSync(file, '{Curly} brackets, a fine film.\n')
  const result = await runCli(['predict', '--input', file])
  t.is(result.code, 0, result.stderr)
  t.is(jsonLines<PredictLine>(result.stdout)[0].tokens?.[0], '-lcb-')
})

test('--lowercase lowercases text for a tokenizer that keeps case', async (t) => {
  const file = path.join(work, 'cased.safetensors')
  const cased = await createModel({ inputSize: 3, embedding: { vocabSize: 4 }, layers: [{ hiddenSize: 2 }], head: { outputs: 2 }, tokenizer: { lowercase: false, vocab: ['<unk>', 'good', 'film', '.'] } }, { seed: 5 })
  await saveModel(cased, file)
  cased.dispose()
  const kept = jsonLines<PredictLine>((await runCli(['predict', '--model', file, '--text', 'Good film.'])).stdout)[0]
  t.deepEqual(kept.tokens, ['Good', 'film', '.'])
  t.deepEqual(kept.unknown, [0])
  const lowered = await runCli(['predict', '--model', file, '--lowercase', '--text', 'Good film.'])
  t.is(lowered.code, 0, lowered.stderr)
  const line = jsonLines<PredictLine>(lowered.stdout)[0]
  t.deepEqual(line.tokens, ['good', 'film', '.'])
  t.deepEqual(line.unknown, [])
  const model = await library(file)
  assertClose(t, line.scores, model.predict({ tokens: [1, 2, 3] }).scores, TOLERANCE, 'scores')
})

test('CSV with a header: blank lines separate sequences, every column is a feature', async (t) => {
  const sequences = [
    [
      [0.5, 0],
      [0, 0.3],
      [0, 0.4],
    ],
    [
      [1, 0],
      [0, -0.2],
      [0.7, 0],
      [0, 0.6],
    ],
  ]
  const csv = `value,marker\n${sequences.map((rows) => rows.map((row) => row.join(',')).join('\n')).join('\n\n')}\n`
  const file = path.join(work, 'series.csv')
  writeFileSync(file, csv)
  const model = await library(toy)
  const explained = await runCli(['explain', '--model', toy, '--input', file])
  t.is(explained.code, 0, explained.stderr)
  const lines = jsonLines<ExplainLine>(explained.stdout)
  t.is(lines.length, 2)
  for (const [n, rows] of sequences.entries()) {
    lineMatchesExplanation(t, lines[n], model.explain(rows), `sequence ${n}`)
    t.false('tokens' in lines[n])
  }
  const predicted = await runCli(['predict', '--model', toy, '--input-format', 'csv'], csv)
  t.is(predicted.code, 0, predicted.stderr)
  jsonLines<PredictLine>(predicted.stdout).forEach((line, n) => assertClose(t, line.scores, model.predict(sequences[n]).scores, TOLERANCE, `predict ${n}`))
})

test('TSV with a sequence column: its value ends a sequence and becomes the id; --columns picks and orders features by name', async (t) => {
  const tsv = ['sequence\tmarker\tnoise\tvalue', 'a\t0\t9\t0.5', 'a\t0.3\t9\t0', 'a\t0.4\t9\t0', 'b\t0\t9\t-0.8', 'b\t0.9\t9\t0', ''].join('\n')
  const result = await runCli(['explain', '--model', toy, '--input-format', 'tsv', '--columns', 'value,marker'], tsv)
  t.is(result.code, 0, result.stderr)
  const lines = jsonLines<ExplainLine>(result.stdout)
  t.deepEqual(
    lines.map((line) => line.id),
    ['a', 'b'],
  )
  const model = await library(toy)
  lineMatchesExplanation(
    t,
    lines[0],
    model.explain([
      [0.5, 0],
      [0, 0.3],
      [0, 0.4],
    ]),
    'sequence a',
  )
  lineMatchesExplanation(
    t,
    lines[1],
    model.explain([
      [-0.8, 0],
      [0, 0.9],
    ]),
    'sequence b',
  )
})

test('CSV without a header: the file is one sequence and --columns takes column numbers and ranges', async (t) => {
  const csv = '7,0.5,0,1\n7,0,0.3,1\n7,"0",0.4,1\n'
  const model = await library(toy)
  const expected = model.predict([
    [0.5, 0],
    [0, 0.3],
    [0, 0.4],
  ]).scores
  for (const columns of ['2-3', '2,3']) {
    const result = await runCli(['predict', '--model', toy, '--input-format', 'csv', '--columns', columns], csv)
    t.is(result.code, 0, result.stderr)
    const lines = jsonLines<PredictLine>(result.stdout)
    t.is(lines.length, 1)
    assertClose(t, lines[0].scores, expected, TOLERANCE, `--columns ${columns}`)
  }
})

test('predict writes tokens beside scores, probabilities and label for text lines', async (t) => {
  const result = await runCli(['predict'], 'A gorgeous, witty film.\n')
  t.is(result.code, 0, result.stderr)
  t.deepEqual(Object.keys(JSON.parse(result.stdout) as object), ['tokens', 'unknown', 'scores', 'probabilities', 'label', 'labelName'])
})

test.after.always(async () => {
  for (const model of models.values()) (await model).dispose()
})
