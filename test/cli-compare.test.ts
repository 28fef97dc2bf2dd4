// lstm-lrp compare and evaluate-methods end to end on the shipped SST model, the removal experiment's seeded random orders, and every error path.
import test from 'ava'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createModel, defaultModelPath, loadModel, saveModel } from '../lib/index.js'
import { defaultSstDir, readSstTrees, sentences } from '../lib/reproduce/sst/data.js'
import { runRemovalExperiment } from '../lib/compare/removal-experiment.js'
import { encodeTokens } from '../lib/text/vocabulary.js'
import { parseMethods } from '../lib/cli/method-list.js'
import type { Comparison } from '../lib/compare/comparison.js'
import type { RemovalExperiment } from '../lib/compare/removal-experiment.js'
import type { EvaluationReport } from '../lib/cli/evaluate.js'
import { runCli, runCliEach } from './helpers/run-cli.js'

const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-compare-'))
test.after.always(() => rmSync(work, { recursive: true, force: true }))

function file(name: string, content: string): string {
  const where = path.join(work, name)
  writeFileSync(where, content)
  return where
}

/** The first `count` SST test sentences as labelled lines of words. */
async function sstLines(count: number): Promise<{ tokens: string[]; y: number }[]> {
  const test_ = sentences(await readSstTrees(defaultSstDir(), 'test'))
  return test_.slice(0, count).map(({ words, label }) => ({ tokens: words, y: label }))
}

test('compare writes the page, the SVG and JSON, and prints the methods ranked by mean AOPC', async (t) => {
  const out = path.join(work, 'compare')
  const texts = ['A gorgeous, witty, seductive movie.', 'The story is not bad but the acting is terrible.', '<b>Dull</b> & long.']
  const { code, stdout, stderr } = await runCli(['compare', '--methods', 'lrp,gradient-x-input,occlusion,lrp-prop', ...texts.flatMap((text) => ['--text', text]), '--out', out])
  t.is(code, 0, stderr)
  const json = JSON.parse(readFileSync(path.join(out, 'compare.json'), 'utf8')) as Comparison
  t.is(json.inputs.length, 3)
  t.deepEqual(
    json.inputs.map((input) => input.where),
    ['--text 1', '--text 2', '--text 3'],
  )
  for (const input of json.inputs) {
    t.deepEqual(
      input.rows.map((row) => row.method),
      ['lrp', 'gradient-x-input', 'occlusion', 'lrp-prop'],
    )
    for (const row of input.rows) t.is(row.curve.length, input.labels.length + 1, 'k = 0..T with zero removal and no cap')
  }
  const means = json.ranking.map((entry) => entry.meanAopc)
  t.deepEqual(
    means,
    [...means].sort((a, b) => b - a),
  )
  const printed = stdout.trim().split('\n').slice(1)
  t.deepEqual(
    printed.map((line) => line.split(/\s+/)[1]),
    json.ranking.map((entry) => entry.method),
  )
  const html = readFileSync(path.join(out, 'compare.html'), 'utf8')
  t.true(html.includes('&lt;b&gt;') && !html.includes('<b>'))
  t.true(readFileSync(path.join(out, 'compare.svg'), 'utf8').startsWith('<svg'))
})

test('compare reads inputs from a file, caps the removals, and deletes steps when asked', async (t) => {
  const out = path.join(work, 'compare-file')
  // No .txt extension: lines are read as JSON or text line by line.
  const input = file('inputs', 'a fine film\n{"text": "an awful, awful film", "id": "b"}\n')
  const { code, stderr } = await runCli(['compare', '--methods', 'occlusion-p-diff,gradient', '--input', input, '--removal', 'delete', '--max-removals', '2', '--out', out])
  t.is(code, 0, stderr)
  const json = JSON.parse(readFileSync(path.join(out, 'compare.json'), 'utf8')) as Comparison
  t.deepEqual(
    json.inputs.map((entry) => entry.where),
    ['line 1', 'line 2 (id b)'],
  )
  t.true(json.inputs.every((entry) => entry.rows.every((row) => row.curve.length === 3)))
  t.is(json.removal, 'delete')
})

test('evaluate-methods writes JSON, SVGs and a table; every curve starts at the unperturbed accuracy', async (t) => {
  const data = file('sst-40.jsonl', (await sstLines(40)).map((line) => JSON.stringify(line)).join('\n'))
  const out = path.join(work, 'evaluate-methods')
  const [run, evaluated] = await runCliEach([
    { args: ['evaluate-methods', '--data', data, '--methods', 'lrp,occlusion,gradient', '--random-runs', '3', '--max-removals', '4', '--out', out] },
    { args: ['evaluate', '--data', data, '--json'] },
  ])
  t.is(run.code, 0, run.stderr)
  t.regex(run.stdout, /accuracy \(%\) of all 40 examples after removing the most relevant steps/)
  t.regex(run.stdout, /^random /m)
  const result = JSON.parse(readFileSync(path.join(out, 'evaluate-methods.json'), 'utf8')) as RemovalExperiment
  const accuracy = (JSON.parse(evaluated.stdout) as EvaluationReport).accuracy!
  t.is(result.examples, 40)
  t.true(Math.abs(result.correct / 40 - accuracy) < 1e-9)
  for (const curves of [...result.methods.flatMap((method) => [method.most, method.least]), result.random]) {
    t.is(curves.accuracy.all.length, 5)
    t.true(Math.abs(curves.accuracy.all[0] - accuracy) < 1e-6, `starts at ${curves.accuracy.all[0]}, not ${accuracy}`)
    t.is(curves.aopc[0], 0)
  }
  const [lrp] = result.methods
  t.true(lrp.most.accuracy.correct[4] < result.random.accuracy.correct[4], 'removing what LRP finds most relevant hurts more than random removal')
  t.true(lrp.most.aopc[4] > lrp.least.aopc[4])
  for (const figure of ['accuracy-most.svg', 'accuracy-least.svg', 'aopc.svg']) t.regex(readFileSync(path.join(out, figure), 'utf8'), /^<svg[^]*<\/svg>\n$/)
  t.is(readFileSync(path.join(out, 'evaluate-methods.txt'), 'utf8'), run.stdout)
})

test('random removal is reproducible with a seed, and another seed draws other orders', async (t) => {
  const model = await loadModel(defaultModelPath())
  const examples = (await sstLines(30)).map(({ tokens, y }) => ({ input: { tokens: encodeTokens(tokens, model.config.tokenizer!).ids }, label: y }))
  const run = (seed: number) => runRemovalExperiment(model, examples, parseMethods('gradient'), { removal: 'zero', maxRemovals: 3, randomRuns: 2, seed })
  const [first, again, other] = [await run(7), await run(7), await run(8)]
  model.dispose()
  t.deepEqual(first.random, again.random)
  t.deepEqual(first.randomStd, again.randomStd)
  t.deepEqual(first.methods, again.methods)
  t.notDeepEqual(first.random.scoreDrop, other.random.scoreDrop)
})

test('bad input ends with one line naming the problem and exit code 1', async (t) => {
  const data = file('sst-3.jsonl', (await sstLines(3)).map((line) => JSON.stringify(line)).join('\n'))
  const empty = file('empty.jsonl', '\n')
  const missing = path.join(work, 'no-such-model.safetensors')
  const regression = path.join(work, 'regression.safetensors')
  const model = await createModel({ inputSize: 1, layers: [{ hiddenSize: 2 }], head: { outputs: 1 }, task: 'regression' })
  await saveModel(model, regression)
  model.dispose()
  const out = path.join(work, 'errors')
  const cases: [string[], RegExp][] = [
    [['compare', '--methods', 'lrp,nope', '--text', 'a film', '--out', out], /^lstm-lrp: --methods: unknown method 'nope'; valid: lrp, gradient, .*occlusion-p-diff$/],
    [['evaluate-methods', '--methods', 'nope', '--data', data, '--out', out], /^lstm-lrp: --methods: unknown method 'nope'; valid: /],
    [['compare', '--methods', 'lrp', '--model', missing, '--text', 'a film', '--out', out], /^lstm-lrp: cannot read model file .*no-such-model\.safetensors: /],
    [['evaluate-methods', '--methods', 'lrp', '--model', missing, '--data', data, '--out', out], /^lstm-lrp: cannot read model file /],
    [['evaluate-methods', '--methods', 'lrp', '--data', empty, '--out', out], /^lstm-lrp: .*empty\.jsonl holds no examples$/],
    [['evaluate-methods', '--methods', 'lrp', '--data', data, '--max-removals', '0', '--out', out], /^lstm-lrp: --max-removals must be an integer >= 1; got 0$/],
    [['evaluate-methods', '--methods', 'lrp', '--data', data, '--max-removals', 'five', '--out', out], /^lstm-lrp: --max-removals must be a whole decimal number; got 'five'$/],
    [['evaluate-methods', '--methods', 'lrp', '--data', data, '--random-runs', '0', '--out', out], /^lstm-lrp: --random-runs must be an integer >= 1; got 0$/],
    [['evaluate-methods', '--methods', 'lrp', '--model', regression, '--data', data, '--out', out], /^lstm-lrp: evaluate-methods needs a classifier with readout last; regression\.safetensors is a regression model/],
    [['compare', '--methods', 'lrp', '--text', 'a film', '--max-removals', '-1', '--out', out], /^lstm-lrp: --max-removals must be an integer >= 1; got -1$/],
    [['compare', '--methods', 'lrp', '--out', out], /^lstm-lrp: give the inputs with --text \(once per input\) or with --input FILE$/],
    [['compare', '--methods', 'lrp', '--text', 'wonderful', '--removal', 'delete', '--out', out], /^lstm-lrp: --text: one step, which --removal delete cannot remove \(give --removal zero\)$/],
    [['compare', '--methods', 'lrp', '--text', 'a film', '--removal', 'blank', '--out', out], /^error: option '--removal <how>' argument 'blank' is invalid\. Allowed choices are zero, delete\.$/],
  ]
  const runs = await runCliEach(cases.map(([args]) => ({ args })))
  runs.forEach(({ code, stdout, stderr }, n) => {
    const args = cases[n][0].join(' ')
    t.is(code, 1, args)
    t.is(stdout, '', args)
    t.is(stderr.trim().split('\n').length, 1, `${args}: ${stderr}`)
    t.regex(stderr.trim(), cases[n][1], args)
  })
})
