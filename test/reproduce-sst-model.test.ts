// The shipped default model (models/, trained by `npm run train:sst`): its architecture, its test
// accuracy on full sentences, and `lstm-lrp explain --text` with no --model.
import test from 'ava'
import { statSync } from 'node:fs'
import { defaultModelPath, loadModel, tokenizeText, UNKNOWN_TOKEN } from '../lib/index.js'
import { sstAccuracy } from '../lib/reproduce/sst/accuracy.js'
import { defaultSstDir, readSstTrees, sentences, SST_LABELS } from '../lib/reproduce/sst/data.js'
import type { LstmCellConfig } from '../lib/model/types.js'
import { runCli } from './helpers/run-cli.js'

test('the default model is the bidirectional SST LSTM of docs/REPRODUCTION.md, float32, with labels and a tokenizer, under 3 MB', async (t) => {
  const model = await loadModel(defaultModelPath())
  const { config } = model
  t.is(model.dtype, 'f32')
  t.is(config.inputSize, 60)
  t.deepEqual(
    config.layers.map((layer) => [layer.hiddenSize, layer.bidirectional, (layer.cell as LstmCellConfig).preset]),
    [[60, true, 'standard']],
  )
  t.deepEqual(config.head, { outputs: 5, bias: false, readout: 'last' })
  t.deepEqual(config.labels, SST_LABELS)
  t.is(config.tokenizer?.vocab[0], UNKNOWN_TOKEN)
  t.is(config.embedding?.vocabSize, config.tokenizer?.vocab.length)
  t.true(statSync(defaultModelPath()).size < 3e6)
  model.dispose()
})

test('test accuracy on full sentences: at least 44% five-class and 80% binary', async (t) => {
  const model = await loadModel(defaultModelPath())
  const accuracy = sstAccuracy(model, sentences(await readSstTrees(defaultSstDir(), 'test')))
  model.dispose()
  t.log(`five-class ${(100 * accuracy.fiveClass).toFixed(1)}%, binary ${(100 * accuracy.binary).toFixed(1)}% (${accuracy.binarySentences} sentences)`)
  t.is(accuracy.sentences, 2210)
  t.is(accuracy.binarySentences, 1821)
  t.true(accuracy.fiveClass >= 0.44)
  t.true(accuracy.binary >= 0.8)
})

test('text is tokenized with the model tokenizer; the model tells a clearly positive from a clearly negative sentence', async (t) => {
  const model = await loadModel(defaultModelPath())
  const positive = tokenizeText('A gorgeous, witty and deeply moving film.', model.config)
  const negative = tokenizeText("It's a dull, boring and stupid mess.", model.config)
  t.deepEqual(negative.tokens.slice(0, 2), ['it', "'s"])
  const p = model.predict({ tokens: positive.ids }).probabilities!
  const n = model.predict({ tokens: negative.ids }).probabilities!
  t.true(p[3] + p[4] > 0.5 && n[0] + n[1] > 0.5)
  t.deepEqual(tokenizeText('zzqxv film', model.config).unknown, [0])
  model.dispose()
})

test('lstm-lrp explain --text works with no --model and reports the tokens', async (t) => {
  const { code, stdout, stderr } = await runCli(['explain', '--text', 'Not a bad film, really.'])
  t.is(code, 0, stderr)
  const line = JSON.parse(stdout) as { tokens: string[]; unknown: number[]; perStep: number[]; label: string; scores: number[] }
  t.deepEqual(line.tokens, ['not', 'a', 'bad', 'film', ',', 'really', '.'])
  t.is(line.perStep.length, line.tokens.length)
  t.is(line.scores.length, 5)
  t.true(SST_LABELS.includes(line.label))
  t.deepEqual(line.unknown, [])
  const both = await runCli(['explain', '--text', 'fine', '--input', 'x.jsonl'])
  t.is(both.code, 1)
  t.regex(both.stderr, /--text or --input/)
})
