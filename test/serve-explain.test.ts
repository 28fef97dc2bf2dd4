// POST /v1/explain and /v1/predict answer with the object `lstm-lrp explain` and `lstm-lrp predict`
// print for the same input: text, token ids, words and x, every method, label-name targets, versus.
import test from 'ava'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCli } from './helpers/run-cli.js'
import { post, startServer, type RunningServer } from './helpers/serve.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TOY = path.join(root, 'examples', 'toy-addition.safetensors')
const METHODS = ['lrp', 'gradient', 'gradient-x-input', 'occlusion', 'cd', 'integrated-gradients'] as const

/** JSON lines as the CLI reads them; each is also a request body. */
const SENTENCES = [
  { text: 'A gorgeous, witty film.' },
  { text: 'Not a bad film, really.', id: 'second', target: 'positive' },
  { tokens: ['not', 'a', 'bad', 'film'], target: 1 },
  { tokens: [12, 7, 300, 41], id: 4 },
  { text: 'a qwertyuiop film', target: 'very negative' },
]
const SERIES = [
  {
    x: [
      [-0.757, 0],
      [0, -0.578],
      [0.642, 0],
    ],
  },
  {
    x: [
      [0, 0.514],
      [0.656, 0],
    ],
    id: 'b',
  },
  { x: [[0.5, 0]], target: 0 },
]

let sst: RunningServer
let toy: RunningServer
test.before(async () => {
  ;[sst, toy] = await Promise.all([startServer(), startServer(['--model', TOY])])
})
test.after.always(async () => {
  await Promise.all([sst?.stop(), toy?.stop()])
})

async function cliLines(args: string[], lines: object[]): Promise<unknown[]> {
  const run = await runCli(['explain', '--format', 'jsonl', ...args], lines.map((line) => JSON.stringify(line)).join('\n'))
  if (run.code !== 0) throw new Error(run.stderr)
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
}

for (const method of METHODS) {
  test(`${method}: every answer is the CLI's line for the input (text, token ids, words, x)`, async (t) => {
    const [sstLines, toyLines] = await Promise.all([cliLines(['--method', method], SENTENCES), cliLines(['--method', method, '--model', TOY], SERIES)])
    for (const [server, lines, bodies] of [
      [sst, sstLines, SENTENCES],
      [toy, toyLines, SERIES],
    ] as const) {
      const answers = await Promise.all(bodies.map((body) => post(server.url, '/v1/explain', { ...body, method, relevance: true })))
      answers.forEach((answer, n) => {
        t.is(answer.status, 200, answer.text)
        t.deepEqual(answer.json(), lines[n], JSON.stringify(bodies[n]))
      })
    }
  })
}

test('token and text answers leave out the per-dimension relevance unless asked; x answers keep it', async (t) => {
  const [full] = await cliLines([], [SENTENCES[0]])
  const answer = await post(sst.url, '/v1/explain', SENTENCES[0])
  const { relevance, ...rest } = full as Record<string, unknown>
  t.true(Array.isArray(relevance))
  t.deepEqual(answer.json(), rest)
  const series = await post(toy.url, '/v1/explain', SERIES[0])
  t.true(Array.isArray(series.json().relevance))
})

test("label-name targets and versus are the CLI's --versus", async (t) => {
  const lines = await cliLines(
    ['--versus', 'negative'],
    [
      { text: 'Not a bad film.', target: 'positive' },
      { tokens: ['dull'], target: 4 },
    ],
  )
  const answers = await Promise.all([
    post(sst.url, '/v1/explain', { text: 'Not a bad film.', target: 'positive', versus: 'negative', relevance: true }),
    post(sst.url, '/v1/explain', { tokens: ['dull'], target: 4, versus: 'negative', relevance: true }),
  ])
  t.is(answers[0].json().label, 'positive vs negative')
  answers.forEach((answer, n) => t.deepEqual(answer.json(), lines[n]))
})

test('API-shaped options are the CLI flags: rules, eps, biasFactor, cd phrase, integrated gradients steps and rule', async (t) => {
  const input = { text: 'Not a bad film, really.' }
  const cases = [
    {
      flags: ['--rules', 'input=prop,forget=abs,output=half', '--eps', '0.01', '--bias-factor', '0.5', '--init', 'one'],
      body: { rules: { input: 'prop', forget: 'abs', output: 'half' }, eps: 0.01, biasFactor: 0.5, init: 'one' },
    },
    { flags: ['--method', 'cd', '--cd-phrase', '1,3', '--cd-convention', 'inclusive'], body: { method: 'cd', cd: { phrase: [1, 3], convention: 'inclusive' } } },
    { flags: ['--method', 'integrated-gradients', '--steps', '16', '--ig-rule', 'gauss-legendre'], body: { method: 'integrated-gradients', integratedGradients: { steps: 16, rule: 'gauss-legendre' } } },
    { flags: ['--method', 'occlusion', '--occlusion-score', 'prob', '--occlusion-replacement', 'delete'], body: { method: 'occlusion', occlusion: { score: 'prob', replacement: 'delete' } } },
  ]
  for (const { flags, body } of cases) {
    const [line] = await cliLines(flags, [input])
    const answer = await post(sst.url, '/v1/explain', { ...input, ...body, relevance: true })
    t.deepEqual(answer.json(), line, flags.join(' '))
  }
})

test('/v1/predict answers with the CLI predict line, single and items', async (t) => {
  const run = await runCli(['predict'], SENTENCES.map(({ target, ...line }) => JSON.stringify(line)).join('\n'))
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
  const bodies = SENTENCES.map(({ target, ...line }) => line)
  const answers = await Promise.all(bodies.map((body) => post(sst.url, '/v1/predict', body)))
  answers.forEach((answer, n) => t.deepEqual(answer.json(), lines[n]))
  const items = await post(sst.url, '/v1/predict', { items: [...bodies, { tokens: [99999] }] })
  t.deepEqual(items.json().results.slice(0, bodies.length), lines)
  t.deepEqual(items.json().results[bodies.length], { error: { code: 'E_INPUT', message: `items[${bodies.length}]: input, step 0: token id 99999 is not in the vocabulary [0, 8217)` } })
  const toyRun = await runCli(['predict', '--model', TOY], SERIES.map(({ target, ...line }) => JSON.stringify(line)).join('\n'))
  const toyAnswer = await post(toy.url, '/v1/predict', { x: SERIES[0].x })
  t.deepEqual(toyAnswer.json(), JSON.parse(toyRun.stdout.split('\n')[0]))
})
