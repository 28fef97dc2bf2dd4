// lstm-lrp evaluate: loss, accuracy and confusion matrix of labelled lines, against model.evaluate.
import test from 'ava'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createModel, loadModel, saveModel, tokenizeText } from '../lib/index.js'
import { assertNear } from './helpers/compare.js'
import { runCli, runCliEach } from './helpers/run-cli.js'
import type { EvaluationReport } from '../lib/cli/evaluate.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const toy = path.join(root, 'examples', 'toy-addition.safetensors')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-evaluate-'))
const LABELS = ['down', 'flat', 'up']

function file(name: string, content: string): string {
  const where = path.join(work, name)
  writeFileSync(where, content)
  return where
}

async function modelFile(name: string, readout: 'last' | 'each'): Promise<string> {
  const where = path.join(work, name)
  const model = await createModel({ inputSize: 2, layers: [{ hiddenSize: 4 }], head: { outputs: 3, readout }, task: 'classification', labels: LABELS }, { seed: 2, init: { scale: 3 } })
  await saveModel(model, where)
  model.dispose()
  return where
}

/** 24 short sequences with every class as a target, by name or index. */
const ITEMS = Array.from({ length: 24 }, (_, n) => ({
  x: Array.from({ length: 1 + (n % 4) }, (_, t) => [Math.sin(n + t), Math.cos(3 * n - t)]),
  y: n % 3,
}))

const trace = (matrix: number[][]) => matrix.reduce((sum, row, k) => sum + row[k], 0)
const total = (matrix: number[][]) => matrix.flat().reduce((sum, count) => sum + count, 0)

test("the confusion matrix counts every example once, its trace / N is model.evaluate's accuracy", async (t) => {
  const model = await modelFile('last.safetensors', 'last')
  const data = file('last.jsonl', ITEMS.map(({ x, y }, n) => JSON.stringify({ x, y: n % 2 === 0 ? LABELS[y] : y })).join('\n'))
  const [json, table] = await runCliEach([{ args: ['evaluate', '--model', model, '--data', data, '--json'] }, { args: ['evaluate', '--model', model, '--data', data] }])
  t.is(json.code, 0, json.stderr)
  const report = JSON.parse(json.stdout) as EvaluationReport
  const library = await loadModel(model)
  const expected = await library.evaluate(ITEMS.map(({ x, y }) => ({ input: x, target: y })))
  t.is(report.examples, 24)
  t.is(total(report.confusion!), 24)
  t.is(report.accuracy, expected.accuracy!)
  t.is(trace(report.confusion!) / 24, expected.accuracy!)
  assertNear(t, report.loss, expected.loss, 1e-12, 'loss')
  t.deepEqual(report.labels, LABELS)
  report.confusion!.forEach((row, truth) =>
    t.is(
      row.reduce((sum, count) => sum + count, 0),
      8,
      `8 examples of ${LABELS[truth]}`,
    ),
  )
  const predicted = ITEMS.map(({ x }) => library.predict(x).label!)
  t.true(new Set(predicted).size > 1, 'the model predicts more than one class, so the columns are tested')
  t.deepEqual(
    report.confusion!.map((_, k) => report.confusion!.reduce((sum, row) => sum + row[k], 0)),
    [0, 1, 2].map((k) => predicted.filter((label) => label === k).length),
  )
  library.dispose()

  t.is(table.code, 0, table.stderr)
  t.regex(table.stdout, /^examples {2}24\nloss {6}[\d.]+ \(cross-entropy\)\naccuracy {2}[\d.]+% \(\d+ of 24\)\n\nconfusion matrix \(rows: true class, columns: predicted\)\n {6}down {2}flat {2}up\ndown /)
})

test("readout 'each' counts one score row per step", async (t) => {
  const model = await modelFile('each.safetensors', 'each')
  const data = file('each.jsonl', ITEMS.map(({ x }, n) => JSON.stringify({ x, y: x.map((_, t) => LABELS[(n + t) % 3]) })).join('\n'))
  const result = await runCli(['evaluate', '--model', model, '--data', data, '--json'])
  t.is(result.code, 0, result.stderr)
  const report = JSON.parse(result.stdout) as EvaluationReport
  const steps = ITEMS.reduce((sum, { x }) => sum + x.length, 0)
  t.is(report.rows, steps)
  t.is(total(report.confusion!), steps)
  t.is(trace(report.confusion!) / steps, report.accuracy!)
})

test('the default model reads text and words with label names; regression reports the loss only', async (t) => {
  const text = [
    { text: 'A gorgeous, witty film.', y: 'very positive' },
    { tokens: ['a', 'dull', 'mess'], y: 'negative' },
    { text: 'It is a film.', y: 2 },
  ]
  const [sst, regression] = await runCliEach([
    { args: ['evaluate', '--data', '-', '--json'], stdin: text.map((line) => JSON.stringify(line)).join('\n') },
    { args: ['evaluate', '--model', toy, '--data', '-', '--json'], stdin: '{"x": [[0.5, 1], [0.25, 1]], "y": 0.75}\n' },
  ])
  t.is(sst.code, 0, sst.stderr)
  const report = JSON.parse(sst.stdout) as EvaluationReport
  t.is(total(report.confusion!), 3)
  const model = await loadModel(path.join(root, 'models', 'sst-bilstm.safetensors'))
  const ids = (line: (typeof text)[number]) => tokenizeText('text' in line ? line.text! : line.tokens!.join(' '), model.config).ids
  const expected = await model.evaluate(text.map((line) => ({ input: { tokens: ids(line) }, target: line.y })))
  t.is(report.accuracy, expected.accuracy!)
  model.dispose()
  t.is(regression.code, 0, regression.stderr)
  t.like(JSON.parse(regression.stdout), { examples: 1, lossName: 'mse', accuracy: null, confusion: null })
})

test('a line without "y" or with an unknown label is named', async (t) => {
  const runs = await runCliEach([
    { args: ['evaluate', '--data', '-'], stdin: '{"text": "fine", "y": 2}\n\n{"text": "no label"}\n' },
    { args: ['evaluate', '--data', '-'], stdin: '{"text": "fine", "y": "great"}\n' },
    { args: ['evaluate', '--data', '-'], stdin: '{"text": "fine", "y": 9}\n' },
    { args: ['evaluate', '--data', '-'], stdin: '' },
  ])
  t.deepEqual(
    runs.map((run) => [run.code, run.stderr]),
    [
      [1, 'lstm-lrp: line 3: no "y" (labelled lines are {"x": [[...]], "y": ...}, {"tokens": [...], "y": ...} or {"text": "...", "y": ...})\n'],
      [1, "lstm-lrp: line 1: \"y\": target 'great' is not one of the model's labels ('very negative', 'negative', 'neutral', 'positive', 'very positive')\n"],
      [1, 'lstm-lrp: line 1: "y": target class 9 is not an integer in [0, 5)\n'],
      [1, 'lstm-lrp: stdin holds no examples\n'],
    ],
  )
})
