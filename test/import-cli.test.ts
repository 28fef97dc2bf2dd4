// `lstm-lrp convert` end to end: the built CLI converts, the result explains, failures exit 1 and write nothing.
import test from 'ava'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadModel } from '../lib/index.js'
import { runCli } from './helpers/run-cli.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixtures = path.join(root, 'test', 'fixtures', 'import')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-convert-'))

test('convert --from pytorch with a hint, then explain the result', async (t) => {
  const out = path.join(work, 'torch.safetensors')
  const hint = JSON.stringify({ labels: ['negative', 'neutral', 'positive'] })
  const converted = await runCli(['convert', '--from', 'pytorch', path.join(fixtures, 'torch-bi2-emb.safetensors'), '--config-hint', hint, '--out', out])
  t.is(converted.code, 0, converted.stderr)
  t.regex(converted.stderr, /wrote .*torch\.safetensors: Embedding\(12, 5\) → bi-LSTM\(4\) → bi-LSTM\(4\) → Linear\(3, readout last\), classification/)
  const model = await loadModel(out)
  t.deepEqual(model.config.labels, ['negative', 'neutral', 'positive'])
  model.dispose()
  const explained = await runCli(['explain', '--model', out], '{"tokens": [3, 1, 4, 1, 5]}\n')
  t.is(explained.code, 0, explained.stderr)
  const line = JSON.parse(explained.stdout) as { scores: number[]; perStep: number[] }
  t.is(line.scores.length, 3)
  t.is(line.perStep.length, 5)
})

test('convert --from tfjs, keras and onnx; notes go to stderr', async (t) => {
  for (const [format, file] of [
    ['tfjs', 'keras-bi2-emb-tfjs/model.json'],
    ['keras', 'keras-bi2-emb.keras'],
    ['onnx', 'keras-bi2-emb-tf2onnx.onnx'],
  ]) {
    const out = path.join(work, `${format}.safetensors`)
    const result = await runCli(['convert', '--from', format, path.join(fixtures, file), '--out', out])
    t.is(result.code, 0, result.stderr)
    t.regex(result.stderr, /note: .*softmax/)
    t.true(existsSync(out))
  }
})

test('--config-hint @FILE reads the hint from a file', async (t) => {
  const hintFile = path.join(work, 'hint.json')
  writeFileSync(hintFile, JSON.stringify({ readout: 'each', task: 'regression' }))
  const out = path.join(work, 'each.safetensors')
  const result = await runCli(['convert', '--from', 'pytorch', path.join(fixtures, 'torch-each.safetensors'), '--config-hint', `@${hintFile}`, '--out', out])
  t.is(result.code, 0, result.stderr)
  const model = await loadModel(readFileSync(out))
  t.is(model.config.head.readout, 'each')
  t.is(model.config.task, 'regression')
  model.dispose()
})

test('unsupported models and bad usage exit 1 with a message, and write no file', async (t) => {
  const out = path.join(work, 'never.safetensors')
  const cases: [string[], RegExp][] = [
    [['--from', 'onnx', path.join(fixtures, 'torch-peephole.onnx')], /lstm-lrp: onnx: .*peephole/],
    [['--from', 'pytorch', path.join(fixtures, 'torch-proj.safetensors')], /lstm-lrp: pytorch: .*proj_size/],
    [['--from', 'keras', path.join(fixtures, 'keras-relu.keras')], /lstm-lrp: keras: .*activation "relu"/],
    [['--from', 'pytorch', path.join(fixtures, 'torch-uni.safetensors'), '--config-hint', '{not json'], /--config-hint must be JSON/],
    [['--from', 'pytorch', path.join(fixtures, 'torch-uni.safetensors'), '--config-hint', '{"lables": []}'], /unknown key lables/],
    [['--from', 'caffe', path.join(fixtures, 'torch-uni.safetensors')], /argument 'caffe' is invalid/],
    [[path.join(fixtures, 'torch-uni.safetensors')], /--from <format>' not specified/],
  ]
  for (const [args, message] of cases) {
    const result = await runCli(['convert', ...args, '--out', out])
    t.is(result.code, 1, `${args.join(' ')}: ${result.stderr}`)
    t.regex(result.stderr, message)
    t.false(existsSync(out))
  }
})
