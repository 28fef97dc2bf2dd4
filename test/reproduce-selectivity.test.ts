// Fig. 11.5 in small (the shipped model, 60 test sentences): removal order and the qualitative result.
import test from 'ava'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadModel, defaultModelPath } from '../lib/index.js'
import { randomOrder, relevanceOrder, withoutPositions } from '../lib/compare/removal.js'
import { eligibleSentences, RANDOM, runSelectivity } from '../lib/reproduce/selectivity/run.js'
import { selectivityTable } from '../lib/reproduce/selectivity/report.js'
import { defaultSstDir, readSstTrees, sentences } from '../lib/reproduce/sst/data.js'
import { seededRandom } from '../lib/train/random.js'
import { runCli } from './helpers/run-cli.js'

test('removal order: decreasing relevance (correct sentences), increasing (misclassified), ties in word order', (t) => {
  t.deepEqual(relevanceOrder([0.1, 0.5, -0.2, 0.5], 'most'), [1, 3, 0, 2])
  t.deepEqual(relevanceOrder([0.1, 0.5, -0.2, 0.5], 'least'), [2, 0, 1, 3])
  t.deepEqual(withoutPositions([10, 11, 12, 13], [1, 3, 0], 2), [10, 12])
  t.deepEqual(withoutPositions([10, 11], [0, 1], 0), [10, 11])
  t.deepEqual([...randomOrder(6, seededRandom(1))].sort(), [0, 1, 2, 3, 4, 5])
})

test('on 60 test sentences LRP-all and Occlusion remove accuracy faster than random, and add it back faster', async (t) => {
  const model = await loadModel(defaultModelPath())
  const test_ = sentences(await readSstTrees(defaultSstDir(), 'test'))
  const result = await runSelectivity(model, test_, { sentences: 60, randomRuns: 10, seed: 1 })
  model.dispose()
  t.log(selectivityTable(result, ''))
  t.is(result.sentences, 60)
  t.true(eligibleSentences(test_, 60).every((sentence) => sentence.words.length >= 10))
  const { curves } = result
  for (const [name, curve] of Object.entries(curves)) {
    t.is(curve.correct[0], 1, `${name}: correct sentences start at 100%`)
    t.is(curve.misclassified[0], 0, `${name}: misclassified sentences start at 0%`)
  }
  for (const name of ['LRP-all', 'Occlusion f-diff', 'Occlusion P-diff', 'CD']) {
    t.true(curves[name].correct[5] < curves[RANDOM].correct[5] - 0.15, `${name}: ${curves[name].correct[5]} vs random ${curves[RANDOM].correct[5]}`)
    t.true(curves[name].misclassified[5] > curves[RANDOM].misclassified[5] + 0.1, `${name} (misclassified): ${curves[name].misclassified[5]} vs random ${curves[RANDOM].misclassified[5]}`)
  }
})

test('the CLI writes the table, JSON and both figures', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-selectivity-'))
  try {
    const { code, stdout } = await runCli(['reproduce', 'selectivity', '--sentences', '12', '--random-runs', '2', '--out', dir])
    t.is(code, 0)
    t.regex(stdout, /initially correct sentences/)
    const json = JSON.parse(readFileSync(path.join(dir, 'selectivity.json'), 'utf8')) as { sentences: number; curves: Record<string, unknown> }
    t.is(json.sentences, 12)
    t.truthy(json.curves['LRP-all'])
    for (const file of ['figure-11-5.txt', 'figure-11-5-correct.svg', 'figure-11-5-misclassified.svg']) t.true(readFileSync(path.join(dir, file), 'utf8').length > 100, file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
