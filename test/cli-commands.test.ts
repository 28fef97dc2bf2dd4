// Every `lstm-lrp` subcommand: its --help, and a real invocation of predict, info, bench and each explain --format.
import test from 'ava'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createModel, saveModel } from '../lib/index.js'
import { runCli } from './helpers/run-cli.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const toy = path.join(root, 'examples', 'toy-addition.safetensors')
const toyInput = path.join(root, 'examples', 'toy-addition.jsonl')
const shipped = path.join(root, 'models', 'sst-bilstm.safetensors')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-commands-'))
const SUBCOMMANDS = ['explain', 'predict', 'train', 'evaluate', 'compare', 'evaluate-methods', 'convert', 'bench', 'reproduce', 'info']
const SCRIPT = '<script>alert(1)</script>'

/** The shipped sentiment model, or (before it is built) a small random one with a tokenizer that knows the test's words. */
async function textModel(): Promise<string> {
  if (existsSync(shipped)) return shipped
  const file = path.join(work, 'text-model.safetensors')
  const vocab = ['<unk>', 'a', 'good', 'film', '.']
  const model = await createModel(
    {
      inputSize: 4,
      embedding: { vocabSize: vocab.length },
      layers: [{ hiddenSize: 3 }],
      head: { outputs: 2 },
      labels: ['negative', 'positive'],
      tokenizer: { lowercase: true, vocab },
    },
    { seed: 3 },
  )
  await saveModel(model, file)
  model.dispose()
  return file
}

for (const name of SUBCOMMANDS) {
  test(`${name} --help`, async (t) => {
    const result = await runCli([name, '--help'])
    t.is(result.code, 0, result.stderr)
    t.true(result.stdout.startsWith(`Usage: lstm-lrp ${name}`), result.stdout)
  })
}

for (const name of ['explain', 'predict', 'compare', 'evaluate-methods', 'bench', 'info']) {
  test(`${name} --help shows examples`, async (t) => {
    t.regex((await runCli([name, '--help'])).stdout, /Examples?:\n {2}lstm-lrp /)
  })
}

test('the top-level help lists every subcommand', async (t) => {
  const result = await runCli(['--help'])
  t.is(result.code, 0)
  for (const name of SUBCOMMANDS) t.regex(result.stdout, new RegExp(`^ {2}${name}\\b`, 'm'))
})

test('predict writes scores, probabilities and label per input line', async (t) => {
  const result = await runCli(['predict', '--model', toy], '{"x": [[0.5, 0], [0, 0.3], [0, 0.4]], "id": "a"}\n{"x": [[1, 0]]}\n')
  t.is(result.code, 0, result.stderr)
  const lines = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id?: string; scores: number[]; probabilities: null; label: null })
  t.is(lines.length, 2)
  t.is(lines[0].id, 'a')
  // The toy model adds the two marked values: 0.3 + 0.4.
  t.true(Math.abs(lines[0].scores[0] - 0.7) < 0.05, String(lines[0].scores))
  t.is(lines[1].probabilities, null, 'regression has no probabilities')
  t.is(lines[1].label, null)
})

test('predict --text gives probabilities summing to one and the label name', async (t) => {
  const result = await runCli(['predict', '--model', await textModel(), '--text', 'A good film.'])
  t.is(result.code, 0, result.stderr)
  const line = JSON.parse(result.stdout) as { tokens: string[]; probabilities: number[]; label: number; labelName: string }
  t.deepEqual(line.tokens, ['a', 'good', 'film', '.'])
  t.true(Math.abs(line.probabilities.reduce((sum, p) => sum + p, 0) - 1) < 1e-5)
  t.is(line.probabilities.indexOf(Math.max(...line.probabilities)), line.label)
  t.is(typeof line.labelName, 'string')
})

test('predict names the bad line and exits 1', async (t) => {
  const result = await runCli(['predict', '--model', toy], '{"x": [[1, 0]]}\n{"x": [[1, 0, 3]]}\n')
  t.is(result.code, 1)
  t.regex(result.stderr, /line 2/)
})

test('info describes the toy model as JSON and as a table', async (t) => {
  const json = await runCli(['info', '--model', toy, '--json'])
  t.is(json.code, 0, json.stderr)
  const info = JSON.parse(json.stdout) as { architecture: string; parameters: number; task: string; tokenizer: null; backend: { backend: string } }
  t.is(info.architecture, 'input 2 → LSTM(1) → Linear(1, no bias, readout last), regression')
  // W 4×2, U 4×1, b 4, head 1×1, initial state c0/y0 2: what the file stores.
  t.true(info.parameters >= 17, String(info.parameters))
  t.is(info.tokenizer, null)
  t.true(['native', 'wasm'].includes(info.backend.backend))
  const table = await runCli(['info', '--model', toy])
  t.regex(table.stdout, /^architecture {2}input 2 → LSTM\(1\)/m)
  t.regex(table.stdout, /^backend +(native|wasm) \(/m)
})

test('bench prints a timing table', async (t) => {
  const result = await runCli(['bench', '--model', toy, '--inputs', '20', '--length', '5'])
  t.is(result.code, 0, result.stderr)
  t.regex(result.stdout, /\| operation +\| inputs \| mean µs/)
  for (const operation of ['predict', 'explain \\(lrp\\)', 'explainBatch \\(lrp\\)']) t.regex(result.stdout, new RegExp(`\\| ${operation} +\\| +20 \\|`))
})

test('bench rejects a bad --inputs with exit code 1', async (t) => {
  const result = await runCli(['bench', '--model', toy, '--inputs', '0'])
  t.is(result.code, 1)
  t.regex(result.stderr, /--inputs must be an integer >= 1/)
})

test('explain writes JSON lines by default when piped', async (t) => {
  const result = await runCli(['explain', '--model', toy, '--input', toyInput])
  t.is(result.code, 0, result.stderr)
  const first = JSON.parse(result.stdout.split('\n')[0]) as { perStep: number[] }
  t.true(Array.isArray(first.perStep))
})

test('explain --format csv: one row per step and feature, with the signed input and its relevance', async (t) => {
  const result = await runCli(['explain', '--model', toy, '--format', 'csv'], '{"x": [[0.5, 0], [0, -0.3], [0, 0.4]], "id": "a,b"}\n')
  t.is(result.code, 0, result.stderr)
  const lines = result.stdout.trim().split('\n')
  t.is(lines[0], 'input,id,step,feature,x,relevance')
  t.is(lines.length, 7)
  t.true(lines.slice(1).every((line) => line.startsWith('0,"a,b",')))
  t.deepEqual(
    lines.slice(1).map((line) => line.slice('0,"a,b",'.length).split(',').slice(0, 3).join(',')),
    ['0,0,0.5', '0,1,0', '1,0,0', '1,1,-0.3', '2,0,0', '2,1,0.4'],
  )
  const markers = [2, 4, 6].map((line) => Number(lines[line].split(',').at(-1)))
  t.true(Math.abs(markers[0]) < 0.02 && markers[1] < -0.2 && markers[2] > 0.3, String(markers))
})

test('explain --format csv of text: a row per token with its unknown flag', async (t) => {
  const result = await runCli(['explain', '--model', await textModel(), '--format', 'csv', '--text', 'a zorblaxic film.'])
  t.is(result.code, 0, result.stderr)
  const lines = result.stdout.trim().split('\n')
  t.is(lines[0], 'input,id,step,token,unknown,relevance')
  t.deepEqual(
    lines.slice(1).map((line) => line.split(',').slice(3, 5).join(',')),
    ['a,false', 'zorblaxic,true', 'film,false', '.,false'],
  )
})

test('explain --format terminal without a TTY has no colour codes; numeric steps are labelled by their signed values', async (t) => {
  const result = await runCli(['explain', '--model', toy, '--format', 'terminal'], '{"x": [[0.5, 0], [0, -0.3]]}\n')
  t.is(result.code, 0, result.stderr)
  t.false(result.stdout.includes('\x1b['))
  t.regex(result.stdout, /^#1 ·\nlrp \(rule=all, .*\) ·\nmodel: toy-addition\.safetensors\n\(0\.5,0\)\[0\] \(0,-0\.3\)\[-0\.\d+\]\nrelevance in brackets/)
})

test('explain --format terminal of text: the caption has the target, the prediction and the unknown words', async (t) => {
  const result = await runCli(['explain', '--model', await textModel(), '--format', 'terminal', '--text', 'a zorblaxic film.'])
  t.is(result.code, 0, result.stderr)
  t.regex(result.stdout, /^#1 · target: \w[\w ]* \(\d\) · predicted: \w[\w ]*, p = 0\.\d+ ·\n1 of 4 words unknown, read as <unk> ·\n/)
  t.regex(result.stdout, /\nzorblaxic→<unk>\[|\szorblaxic→<unk>\[/)
})

test('explain --values applies to --format terminal only', async (t) => {
  const result = await runCli(['explain', '--model', toy, '--format', 'csv', '--values'], '{"x": [[1, 0]]}\n')
  t.is(result.code, 1)
  t.regex(result.stderr, /--values applies to --format terminal, not to --format csv/)
})

test('explain JSON lines record the method, its effective options and the model file', async (t) => {
  const lrp = await runCli(['explain', '--model', toy, '--eps', '0.01', '--rules', 'forget=half'], '{"x": [[1, 0]]}\n')
  t.is(lrp.code, 0, lrp.stderr)
  const line = JSON.parse(lrp.stdout) as Record<string, unknown>
  t.is(line.method, 'lrp')
  t.deepEqual(line.options, { rule: 'all', rules: { input: 'all', forget: 'half', output: 'all' }, eps: 0.01, productEps: 0.01, biasFactor: 0, init: 'logit' })
  t.is(line.model, 'toy-addition.safetensors')
  const occlusion = await runCli(['explain', '--model', toy, '--method', 'occlusion', '--occlusion-score', 'prob'], '{"x": [[1, 0]]}\n')
  t.is(occlusion.code, 0, occlusion.stderr)
  const other = JSON.parse(occlusion.stdout) as Record<string, unknown>
  t.is(other.method, 'occlusion')
  t.deepEqual(other.options, { score: 'prob', replacement: 'zero' })
  const gradient = JSON.parse((await runCli(['explain', '--model', toy, '--method', 'gradient'], '{"x": [[1, 0]]}\n')).stdout) as Record<string, unknown>
  t.deepEqual([gradient.method, gradient.options], ['gradient', {}])
})

test('explain --format html and svg carry the method and options; several features are a feature × step heatmap', async (t) => {
  const html = await runCli(['explain', '--model', toy, '--input', toyInput, '--format', 'html'])
  t.is(html.code, 0, html.stderr)
  t.is(html.stdout.match(/<table class="grid">/g)?.length, 3, 'one table per input line')
  t.is(html.stdout.match(/<div class="row" data-provenance="\{&quot;method&quot;:&quot;lrp&quot;,&quot;options&quot;:\{&quot;rule&quot;:&quot;all&quot;/g)?.length, 3)
  const svg = await runCli(['explain', '--model', toy, '--input', toyInput, '--format', 'svg'])
  t.is(svg.code, 0, svg.stderr)
  t.true(svg.stdout.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'))
  t.is(svg.stdout.match(/<text [^>]*>feature 1<\/text>/g)?.length, 3, 'one heatmap per input line')
  t.false(svg.stdout.includes('<polyline'))
  t.regex(svg.stdout, /<desc>row 0: \{&quot;method&quot;:&quot;lrp&quot;/)
})

test('explain --text --format html and svg render a <script> token as text', async (t) => {
  const model = await textModel()
  for (const format of ['html', 'svg']) {
    const result = await runCli(['explain', '--model', model, '--text', `a ${SCRIPT} film.`, '--format', format])
    t.is(result.code, 0, result.stderr)
    t.false(result.stdout.includes('<script>'), format)
    t.true(result.stdout.includes('&lt;script&gt;'), format)
  }
})

test('explain --format rejects an unknown format with exit code 1', async (t) => {
  const result = await runCli(['explain', '--model', toy, '--format', 'pdf'], '{"x": [[1, 0]]}\n')
  t.is(result.code, 1)
  t.regex(result.stderr, /--format/)
})
