// `lstm-lrp explain` end to end: the built CLI against the float64 reference, and its error contract.
import test from 'ava'
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomRefModel, randomSequence } from './reference/random.js'
import { refLrp } from './reference/lrp.js'
import { refForward } from './reference/forward.js'
import { refGradientMethods } from './reference/gradient.js'
import { refOcclusion } from './reference/occlusion.js'
import { REF_PRESETS } from './reference/model.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { assertClose } from './helpers/compare.js'
import { runCli } from './helpers/run-cli.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-'))

const ref = randomRefModel(7, {
  inputSize: 3,
  layers: [
    { hiddenSize: 4, bidirectional: true, cell: REF_PRESETS.standard },
    { hiddenSize: 3, bidirectional: true, cell: REF_PRESETS.standard },
  ],
  outputs: 4,
  headBias: true,
  readout: 'last',
})
const files = {
  f64: path.join(work, 'model-f64.safetensors'),
  f32: path.join(work, 'model-f32.safetensors'),
}
writeFileSync(files.f64, refModelFile(ref, 'f64'))
writeFileSync(files.f32, refModelFile(ref, 'f32'))
const sequences = [randomSequence(1, 5, 3), randomSequence(2, 1, 3), randomSequence(3, 9, 3)]
const inputText = sequences.map((x, n) => JSON.stringify(n === 1 ? { x, target: 2 } : { x })).join('\n') + '\n'

interface OutputLine {
  scores: number[]
  target: number
  relevance: number[][]
  perStep: number[]
  conservation: { input: number; inputs: number; absorbed: number; initialState: number } | null
}

function parseLines(text: string): OutputLine[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OutputLine)
}

function oneHot(target: number): number[][] {
  return [Array.from({ length: 4 }, (_, k) => (k === target ? 1 : 0))]
}

for (const [dtype, tolerance] of [
  ['f64', 1e-9],
  ['f32', 1e-4],
] as const) {
  test(`explain LRP (prop rules, bias factor) matches the reference [${dtype}]`, async (t) => {
    const result = await runCli(['explain', '--model', files[dtype], '--rule', 'prop', '--rules', 'forget=half', '--eps', '0.01', '--product-eps', '0.2', '--bias-factor', '0.5'], inputText)
    t.is(result.code, 0, result.stderr)
    const lines = parseLines(result.stdout)
    t.is(lines.length, 3)
    lines.forEach((line, n) => {
      const scores = refForward(ref, { x: sequences[n] }).scores[0]
      const argmax = scores.indexOf(Math.max(...scores))
      t.is(line.target, n === 1 ? 2 : argmax)
      assertClose(t, line.scores, scores, tolerance, 'scores')
      const expected = refLrp(
        ref,
        { x: sequences[n] },
        {
          targetWeights: oneHot(line.target),
          init: 'logit',
          eps: 0.01,
          biasFactor: 0.5,
          rules: { input: 'prop', forget: 'half', output: 'prop' },
          productEps: { input: 0.2, forget: 0.2, output: 0.2 },
        },
      )
      assertClose(t, line.relevance.flat(), expected.relevance.flat(), tolerance, 'relevance')
      assertClose(t, line.perStep, expected.perStep, tolerance, 'perStep')
      const c = line.conservation!
      t.true(Math.abs(c.input - (c.inputs + c.absorbed + c.initialState)) <= tolerance * Math.max(1, Math.abs(c.input)) * 10)
    })
  })
}

test('explain gradient-x-input and occlusion P-diff with --target match the reference', async (t) => {
  const gxi = parseLines((await runCli(['explain', '--model', files.f64, '--method', 'gradient-x-input', '--target', '1'], inputText)).stdout)
  const occlusion = parseLines((await runCli(['explain', '--model', files.f64, '--method', 'occlusion', '--occlusion-score', 'prob', '--target', '1'], inputText)).stdout)
  sequences.forEach((x, n) => {
    const target = n === 1 ? 2 : 1
    t.is(gxi[n].target, target)
    t.is(gxi[n].conservation, null)
    assertClose(t, gxi[n].relevance.flat(), refGradientMethods(ref, { x }, oneHot(target)).gradientXInput.flat(), 1e-9, 'gradient × input')
    const expected = refOcclusion(ref, { x }, oneHot(target), { score: 'prob', replacement: 'zero' })
    assertClose(t, occlusion[n].perStep, expected.perStep, 1e-9, 'occlusion')
  })
})

test('explain reads --input and writes --output atomically', async (t) => {
  const input = path.join(work, 'in.jsonl')
  const output = path.join(work, 'out.jsonl')
  writeFileSync(input, inputText)
  const result = await runCli(['explain', '--model', files.f64, '--input', input, '--output', output])
  t.is(result.code, 0, result.stderr)
  t.is(result.stdout, '')
  t.is(parseLines(readFileSync(output, 'utf8')).length, 3)
  t.deepEqual(
    readdirSync(work).filter((name) => name.startsWith('out.jsonl.')),
    [],
  )
})

test('a bad line names its line number, exits 1 and leaves no output file', async (t) => {
  const output = path.join(work, 'failed.jsonl')
  const lines = [JSON.stringify({ x: sequences[0] }), '', JSON.stringify({ x: [[1, 2]] })].join('\n')
  const result = await runCli(['explain', '--model', files.f64, '--output', output], lines)
  t.is(result.code, 1)
  t.regex(result.stderr, /line 3: .*expected a row of 3 numbers/)
  t.false(existsSync(output))
  t.deepEqual(
    readdirSync(work).filter((name) => name.startsWith('failed.jsonl.')),
    [],
  )
})

test('malformed JSON, unknown keys and bad targets name the line', async (t) => {
  const cases: [string, RegExp][] = [
    ['{"x": [[1, 2, 3]]}\n{not json', /line 2: not valid JSON/],
    ['{"x": [[1, 2, 3]], "colour": 1}', /line 1: unknown key 'colour'/],
    ['{"x": [[1, 2, 3]], "target": 9}', /line 1: .*target must be an integer class index in \[0, 4\)/],
    ['{"tokens": [1]}', /line 1: .*token ids need a model with an embedding/],
    ['[1, 2]', /line 1: expected an object/],
  ]
  for (const [stdin, pattern] of cases) {
    const result = await runCli(['explain', '--model', files.f64], stdin)
    t.is(result.code, 1, stdin)
    t.regex(result.stderr, pattern)
  }
})

test('bad flags and a missing model are usage errors with exit code 1', async (t) => {
  const cases: [string[], RegExp][] = [
    [['explain', '--model'], /option '--model <file>' argument missing/],
    [['explain', '--model', path.join(work, 'absent.safetensors')], /cannot read model file/],
    [['explain', '--model', files.f64, '--eps', 'abc'], /--eps must be a decimal number/],
    [['explain', '--model', files.f64, '--rule', 'none'], /argument 'none' is invalid/],
    [['explain', '--model', files.f64, '--rules', 'input=prop,gate=all'], /--rules takes PRODUCT=R pairs, PRODUCT one of input, forget, output, update, reset; got 'input=prop,gate=all'/],
    [['explain', '--model', files.f64, '--rules', 'input=maybe'], /rules\.input must be one of all, prop, abs, half/],
    [['explain', '--model', files.f64, '--bias-factor', '2'], /biasFactor must be a number in \[0, 1\]/],
    [['explain', '--model', files.f64, '--input', path.join(work, 'absent.jsonl')], /cannot read input/],
  ]
  for (const [args, pattern] of cases) {
    const result = await runCli(args, '{"x": [[1, 2, 3]]}\n')
    t.is(result.code, 1, args.join(' '))
    t.regex(result.stderr, pattern, args.join(' '))
  }
})

test('the shipped example model explains its example inputs', async (t) => {
  const result = await runCli(['explain', '--model', path.join(root, 'examples', 'toy-addition.safetensors'), '--input', path.join(root, 'examples', 'toy-addition.jsonl')])
  t.is(result.code, 0, result.stderr)
  const inputs = readFileSync(path.join(root, 'examples', 'toy-addition.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).x as number[][])
  parseLines(result.stdout).forEach((line, n) => {
    const marked = inputs[n].map((row) => row[1] !== 0)
    const sum = inputs[n].reduce((total, row) => total + row[1], 0)
    t.true(Math.abs(line.scores[0] - sum) < 0.05, `predicts n_a + n_b: ${line.scores[0]} vs ${sum}`)
    line.perStep.forEach((relevance, step) => {
      if (marked[step]) t.true(Math.sign(relevance) === Math.sign(inputs[n][step][1]), 'marked steps carry the relevance of their value')
      else t.is(relevance, 0, 'unmarked steps get no relevance')
    })
  })
})
