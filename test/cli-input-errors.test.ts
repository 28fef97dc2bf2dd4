// Every input error of explain and predict exits 1 with a message naming the problem and where it is.
import test from 'ava'
import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createModel, saveModel } from '../lib/index.js'
import { runCli } from './helpers/run-cli.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const toy = path.join(root, 'examples', 'toy-addition.safetensors')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-input-errors-'))
/** A vocabulary without <unk>: an unknown word has no id to fall back on. */
const strict = path.join(work, 'strict-vocabulary.safetensors')

test.before(async () => {
  const model = await createModel({ inputSize: 2, embedding: { vocabSize: 2 }, layers: [{ hiddenSize: 2 }], head: { outputs: 2 }, tokenizer: { lowercase: true, vocab: ['good', 'film'] } }, { seed: 1 })
  await saveModel(model, strict)
  model.dispose()
})

interface ErrorCase {
  what: string
  args: string[]
  stdin?: string
  message: RegExp
}

const CSV_CASES: ErrorCase[] = [
  { what: 'a cell that is not a number', args: ['--input-format', 'csv'], stdin: 'value,marker\n0.5,0\n0,abc\n', message: /^lstm-lrp: line 3, column 'marker': 'abc' is not a number\n$/ },
  { what: 'an empty cell', args: ['--input-format', 'csv'], stdin: '0.5,0\n,0.3\n', message: /line 2, column 1: empty cell/ },
  { what: 'a row with too many cells', args: ['--input-format', 'csv'], stdin: 'value,marker\n0.5,0\n0,1,2\n', message: /line 3: 3 cells, but the header has 2/ },
  { what: 'an unclosed quote', args: ['--input-format', 'csv'], stdin: '0.5,0\n"0,1\n', message: /line 2: a quoted cell is not closed/ },
  { what: 'text after a closing quote', args: ['--input-format', 'csv'], stdin: '"0.5"x,0\n', message: /line 1: text after the closing quote of cell 1/ },
  { what: 'an unknown column name', args: ['--input-format', 'csv', '--columns', 'value,nope'], stdin: 'value,marker\n0.5,0\n', message: /--columns: no column 'nope' \(the header has 'value', 'marker'\)/ },
  { what: 'a column number past the last column', args: ['--input-format', 'csv', '--columns', '1,5'], stdin: '0.5,0\n', message: /--columns: '5' is outside the columns 1\.\.2/ },
  { what: 'a column name without a header', args: ['--input-format', 'csv', '--columns', 'value,marker'], stdin: '0.5,0\n', message: /--columns: 'value' is not a column number \(the input has no header row/ },
  {
    what: 'too few columns for the model',
    args: ['--input-format', 'tsv', '--columns', 'value'],
    stdin: 'value\tmarker\n0.5\t0\n',
    message: /--columns selects 1 column \(column 'value'\) but the model takes 2 features per step/,
  },
  {
    what: 'too many columns and no --columns',
    args: ['--input-format', 'csv'],
    stdin: 'a,b,c\n1,2,3\n',
    message: /the input has 3 columns .* but the model takes 2 features per step: choose the feature columns with --columns/,
  },
  {
    what: 'the sequence column as a feature',
    args: ['--input-format', 'csv', '--columns', 'sequence,value'],
    stdin: 'sequence,value\n1,0.5\n',
    message: /the 'sequence' column groups rows into sequences and cannot be a feature/,
  },
  { what: 'an empty sequence cell', args: ['--input-format', 'csv'], stdin: 'sequence,value,marker\n,0.5,0\n', message: /line 2, column 'sequence': empty cell/ },
  { what: '--columns on JSON input', args: ['--columns', '1,2'], stdin: '{"x": [[1, 0]]}\n', message: /--columns applies to CSV or TSV input/ },
]

const LINE_CASES: ErrorCase[] = [
  { what: 'a text line for a model without a tokenizer', args: [], stdin: '{"x": [[1, 0]]}\nhello there\n', message: /line 2: not JSON, and the model has no tokenizer to read it as text/ },
  { what: '--input-format text for a model without a tokenizer', args: ['--input-format', 'text'], stdin: 'hello\n', message: /line 1: the model has no tokenizer/ },
  { what: '--input-format jsonl with a text line', args: ['--input-format', 'jsonl'], stdin: '{"x": [[1, 0]]}\nhello\n', message: /line 2: not valid JSON/ },
  { what: 'a {"text"} line for a model without a tokenizer', args: [], stdin: '{"text": "good film"}\n', message: /line 1: the model has no tokenizer/ },
  { what: 'words for a model without a tokenizer', args: ['--tokens', 'good,film'], message: /--tokens: the tokens are strings \(the first is "good"\), but the model has no vocabulary: token ids must be integers/ },
  { what: 'both x and text', args: [], stdin: '{"x": [[1, 0]], "text": "good"}\n', message: /line 1: give exactly one of "x", "tokens" and "text"/ },
  { what: 'an empty sequence', args: [], stdin: '{"x": [[1, 0]]}\n{"x": []}\n', message: /line 2: .*the sequence is empty/ },
]

const STRICT_CASES: ErrorCase[] = [
  { what: 'an empty {"text"} line', args: [], stdin: '{"text": "good"}\n{"text": "   "}\n', message: /line 2: the text has no tokens/ },
  { what: 'an empty {"tokens"} line', args: [], stdin: '{"tokens": []}\n', message: /line 1: .*the sequence is empty/ },
  { what: 'an unknown token id in a line', args: [], stdin: '{"tokens": [0, 1]}\n{"tokens": [1, 7]}\n', message: /line 2: .*step 1: token id 7 is not in the vocabulary \[0, 2\)/ },
  { what: 'an unknown token id in --tokens', args: ['--tokens', '0 -1'], message: /--tokens: .*step 1: token id -1 is not in the vocabulary/ },
  { what: 'a word the vocabulary lacks, without <unk>', args: [], stdin: 'good film\ngood zzz\n', message: /line 2: token 'zzz' \(position 1\) is not in the vocabulary, which has no <unk> entry/ },
  { what: 'ids and words mixed in "tokens"', args: [], stdin: '{"tokens": ["good", 1]}\n', message: /line 1: "tokens" must be all token ids or all words/ },
  { what: 'a "text" that is not a string', args: [], stdin: '{"text": 5}\n', message: /line 1: "text" must be a string/ },
  { what: 'an empty --tokens', args: ['--tokens', ' , '], message: /--tokens: no tokens given/ },
  { what: 'an empty --text', args: ['--text', ' '], message: /--text: the text has no tokens/ },
  { what: '--text and --tokens together', args: ['--text', 'good', '--tokens', '1'], message: /give --text or --tokens, not both/ },
  { what: '--input-format with --text', args: ['--text', 'good', '--input-format', 'csv'], message: /--input-format applies to --input or stdin, not --text/ },
]

for (const command of ['explain', 'predict']) {
  for (const [model, cases] of [
    [toy, [...CSV_CASES, ...LINE_CASES]],
    [strict, STRICT_CASES],
  ] as const) {
    for (const { what, args, stdin, message } of cases) {
      test(`${command}: ${what} exits 1 and says so`, async (t) => {
        const result = await runCli([command, '--model', model, ...args], stdin)
        t.is(result.code, 1, result.stderr)
        t.regex(result.stderr, message)
        t.is(result.stdout, '', 'no output for the lines before the bad one')
      })
    }
  }
}

test('a bad CSV cell leaves no output file', async (t) => {
  const output = path.join(work, 'out.jsonl')
  const result = await runCli(['explain', '--model', toy, '--input-format', 'csv', '--output', output], '0.5,0\n0,1\n\n0,x\n')
  t.is(result.code, 1)
  t.regex(result.stderr, /line 4, column 2: 'x' is not a number/)
  t.false(existsSync(output))
  t.deepEqual(
    readdirSync(work).filter((name) => name.startsWith('out.jsonl')),
    [],
  )
})

test('an unreadable --input is a usage error', async (t) => {
  for (const input of [path.join(work, 'absent.csv'), work]) {
    const result = await runCli(['predict', '--model', toy, '--input', input])
    t.is(result.code, 1, input)
    t.regex(result.stderr, /cannot read input/)
  }
})

test('names, keys and cells from the input are cut in messages: one bounded line however long the input line', async (t) => {
  const wide = `${Array.from({ length: 400 }, (_, index) => `column${index}${'x'.repeat(50)}`).join(',')}\n`
  const cases: [string[], string, RegExp][] = [
    [['--input-format', 'csv'], `${wide}`, /the input has 400 columns \(column 'column0x+\.\.\. \(57 characters\)', .* and 392 more\) but the model takes/],
    [['--input-format', 'csv', '--columns', 'nope'], wide, /no column 'nope' \(the header has 'column0x+\.\.\. \(57 characters\)', .* and 392 more\)/],
    [['--input-format', 'csv'], `a,b\n${'7'.repeat(20_000)}z,1\n`, /line 2, column 'a': '7+\.\.\. \(20001 characters\)' is not a number/],
    [[], `{"x": [[1]], ${JSON.stringify(`${'k'.repeat(20_000)}\nsecond line`)}: 1}\n`, /line 1: unknown key 'k+\.\.\. \(20012 characters\)' \(expected/],
  ]
  for (const [args, stdin, message] of cases) {
    const result = await runCli(['predict', '--model', toy, ...args], stdin)
    t.is(result.code, 1)
    t.regex(result.stderr, message)
    t.true(result.stderr.length < 1000, `${result.stderr.length} characters`)
    t.is(result.stderr.split('\n').length, 2)
  }
})
