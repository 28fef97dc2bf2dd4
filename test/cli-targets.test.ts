// explain's --target by label name, --versus, "target" by name in lines, --target-from y; predict's "y" and "correct".
import test from 'ava'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createModel, loadModel, saveModel, tokenizeText } from '../lib/index.js'
import { assertClose } from './helpers/compare.js'
import { runCli, runCliEach } from './helpers/run-cli.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const sst = path.join(root, 'models', 'sst-bilstm.safetensors')
const toy = path.join(root, 'examples', 'toy-addition.safetensors')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-targets-'))
const TOLERANCE = 1e-5
const TEXT = 'Not a bad film, really.'

interface Line {
  label?: string
  labelName?: string
  target: unknown
  perStep: number[]
  y?: unknown
  correct?: boolean
}

function lines(stdout: string): Line[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line)
}

/** A model labelled "1", "2", "3": numbers that are also label names. */
async function starModel(): Promise<string> {
  const file = path.join(work, 'stars.safetensors')
  const model = await createModel({ inputSize: 2, layers: [{ hiddenSize: 3 }], head: { outputs: 3 }, task: 'classification', labels: ['1', '2', '3'] }, { seed: 3 })
  await saveModel(model, file)
  model.dispose()
  return file
}

test('--target and a line\'s "target" take label names: the same explanation as the class index', async (t) => {
  const runs = await runCliEach([
    { args: ['explain', '--text', TEXT, '--target', 'positive'] },
    { args: ['explain', '--text', TEXT, '--target', '3'] },
    { args: ['explain'], stdin: `${JSON.stringify({ text: TEXT, target: 'positive' })}\n` },
  ])
  for (const run of runs) t.is(run.code, 0, run.stderr)
  const [byFlag, byIndex, byLine] = runs.map((run) => lines(run.stdout)[0])
  t.is(byFlag.target, 3)
  t.is(byFlag.label, 'positive')
  t.deepEqual(byFlag.perStep, byIndex.perStep)
  t.deepEqual(byLine.perStep, byIndex.perStep)
})

test('a class flag is the label of that exact name first, else a whole number is an index', async (t) => {
  const stars = await starModel()
  const x = JSON.stringify({
    x: [
      [0.5, 1],
      [-1, 0.2],
    ],
  })
  const [label, index, neither] = await runCliEach([
    { args: ['explain', '--model', stars, '--target', '3'], stdin: x },
    { args: ['explain', '--model', stars, '--target', '0'], stdin: x },
    { args: ['explain', '--model', stars, '--target', 'five'], stdin: x },
  ])
  t.is(lines(label.stdout)[0].target, 2, '"3" is the label "3", index 2')
  t.is(lines(index.stdout)[0].target, 0, '"0" is no label: index 0')
  t.is(neither.code, 1)
  t.is(neither.stderr, "lstm-lrp: --target 'five' is not one of the model's labels ('1', '2', '3')\n")
})

test('--target positive --versus negative explains the contrast: weights +1 and −1', async (t) => {
  const result = await runCli(['explain', '--text', TEXT, '--target', 'positive', '--versus', 'negative'])
  t.is(result.code, 0, result.stderr)
  const [line] = lines(result.stdout)
  t.is(line.label, 'positive vs negative')
  t.deepEqual(line.target, { weights: [0, -1, 0, 1, 0] })
  const model = await loadModel(sst)
  const expected = model.explain({ tokens: tokenizeText(TEXT, model.config).ids }, { target: { weights: [0, -1, 0, 1, 0] } })
  assertClose(t, line.perStep, expected.perStep, TOLERANCE, 'perStep')
  model.dispose()
  const heatmap = await runCli(['explain', '--text', TEXT, '--target', 'positive', '--versus', 'negative', '--format', 'terminal'])
  t.true(heatmap.stdout.split('\n')[0].startsWith('#1 · target: positive vs negative · predicted: '), 'the heatmap caption names the contrast')
})

test('bad class flags stop with one line naming the problem', async (t) => {
  const runs = await runCliEach([
    { args: ['explain', '--text', TEXT, '--target', 'postive'] },
    { args: ['explain', '--model', toy, '--target', 'up'], stdin: '{"x": [[1, 0]]}\n' },
    { args: ['explain', '--text', TEXT, '--versus', 'negative'] },
    { args: ['explain', '--text', TEXT, '--target', '3', '--versus', 'positive'] },
    { args: ['explain', '--text', TEXT, '--target', '3', '--target-from', 'y'] },
    { args: ['explain', '--versus', '1'], stdin: `${JSON.stringify({ text: TEXT, target: 3 })}\n${JSON.stringify({ text: TEXT })}\n` },
  ])
  t.deepEqual(
    runs.map((run) => [run.code, run.stderr]),
    [
      [1, "lstm-lrp: --target 'postive' is not one of the model's labels ('very negative', 'negative', 'neutral', 'positive', 'very positive')\n"],
      [1, "lstm-lrp: --target must be a whole decimal number; got 'up' (the model has no labels: classes are indices in [0, 1))\n"],
      [1, 'lstm-lrp: --versus needs --target: the class to contrast with it\n'],
      [1, 'lstm-lrp: --versus names the --target class itself (positive): the contrast would be zero\n'],
      [1, 'lstm-lrp: give --target or --target-from, not both\n'],
      [1, 'lstm-lrp: line 2: versus needs a target: the class to contrast with it\n'],
    ],
  )
})

test('explain reads training-format lines and --target-from y explains their "y" (an index or a label name)', async (t) => {
  const data = [
    { text: TEXT, y: 'negative' },
    { tokens: ['a', 'dull', 'film'], y: 0 },
  ]
  const stdin = data.map((line) => JSON.stringify(line)).join('\n')
  const [plain, fromY] = await runCliEach([
    { args: ['explain'], stdin },
    { args: ['explain', '--target-from', 'y'], stdin },
  ])
  t.is(plain.code, 0, plain.stderr)
  t.is(fromY.code, 0, fromY.stderr)
  t.deepEqual(
    lines(fromY.stdout).map((line) => [line.target, line.label]),
    [
      [1, 'negative'],
      [0, 'very negative'],
    ],
  )
  const model = await loadModel(sst)
  const expected = model.explain({ tokens: tokenizeText(TEXT, model.config).ids }, { target: 1 })
  assertClose(t, lines(fromY.stdout)[0].perStep, expected.perStep, TOLERANCE, 'perStep of y')
  t.is(lines(plain.stdout)[0].target, model.predict({ tokens: tokenizeText(TEXT, model.config).ids }).label, 'without --target-from, y is not the target')
  model.dispose()
})

test('--target-from y names the line that has no usable "y"', async (t) => {
  const runs = await runCliEach([
    { args: ['explain', '--target-from', 'y'], stdin: `{"text": "fine", "y": 1}\n{"text": "no label"}\n` },
    { args: ['explain', '--target-from', 'y'], stdin: `{"text": "fine", "y": [1, 2]}\n` },
    { args: ['explain', '--target-from', 'y'], stdin: `{"text": "fine", "y": 1, "target": 2}\n` },
    { args: ['explain', '--target-from', 'y'], stdin: `{"text": "fine", "y": "great"}\n` },
  ])
  t.deepEqual(
    runs.map((run) => [run.code, run.stderr]),
    [
      [1, 'lstm-lrp: line 2: no "y" to explain (--target-from y)\n'],
      [1, 'lstm-lrp: line 1: --target-from y needs "y" to be one class (an index or a label name); got [1, 2]\n'],
      [1, 'lstm-lrp: line 1: the line has a "target" and --target-from y explains its "y": give one\n'],
      [1, "lstm-lrp: line 1: target 'great' is not one of the model's labels ('very negative', 'negative', 'neutral', 'positive', 'very positive')\n"],
    ],
  )
})

test('predict echoes "y" and says whether the prediction is correct', async (t) => {
  const model = await loadModel(sst)
  const label = model.predict({ tokens: tokenizeText(TEXT, model.config).ids }).label!
  const other = (label + 1) % 5
  model.dispose()
  const stdin = [{ text: TEXT, y: label }, { text: TEXT, y: ['very negative', 'negative', 'neutral', 'positive', 'very positive'][other] }, { text: TEXT }]
  const [result, bad] = await runCliEach([
    { args: ['predict'], stdin: stdin.map((line) => JSON.stringify(line)).join('\n') },
    { args: ['predict'], stdin: `{"text": "fine", "y": 1}\n{"text": "fine", "y": "great"}\n` },
  ])
  t.is(result.code, 0, result.stderr)
  t.deepEqual(
    lines(result.stdout).map((line) => [line.y, line.correct]),
    [
      [label, true],
      [stdin[1].y, false],
      [undefined, undefined],
    ],
  )
  t.is(bad.code, 1)
  t.regex(bad.stderr, /^lstm-lrp: line 2: "y" 'great' is not one of the model's labels/)
})
