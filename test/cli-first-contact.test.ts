// What a newcomer meets first: --version, explain or predict run with nothing to read, CSV piped without
// --input-format, why `info` skipped a backend, model files that are not lstm-lrp safetensors, and bench's files.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCli } from './helpers/run-cli.js'
import { runCliOnTerminal } from './helpers/terminal-stdin.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const toy = path.join(root, 'examples', 'toy-addition.safetensors')
const shipped = path.join(root, 'models', 'sst-bilstm.safetensors')
const NO_PROGRESS = ['--progress', 'never']

test('--version and -V print the version in package.json', async (t) => {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
  for (const flag of ['--version', '-V']) {
    const result = await runCli([flag])
    t.is(result.code, 0, result.stderr)
    t.is(result.stdout, `${version}\n`)
  }
})

test('explain and predict with no input and stdin a terminal print the usage and a hint instead of waiting', async (t) => {
  for (const command of ['explain', 'predict']) {
    const result = await runCliOnTerminal([command, '--model', toy])
    t.is(result.code, 1, result.stderr)
    t.true(result.stderr.startsWith(`Usage: lstm-lrp ${command}`), result.stderr)
    t.true(result.stderr.endsWith('lstm-lrp: no input: give --text, --tokens, --input FILE or pipe lines on stdin\n'), result.stderr)
    t.is(result.stdout, '')
  }
})

test('with stdin a terminal, --text is read and stdin is not', async (t) => {
  const result = await runCliOnTerminal(['predict', '--model', toy, '--tokens', '1'])
  t.regex(result.stderr, /^lstm-lrp: --tokens/)
  t.notRegex(result.stderr, /no input/)
})

const CSV_LOOKALIKES = [
  ['numbers', '0.5,0\n0,1\n', 'csv'],
  ['a header over numbers', 'value,marker\n0.5,0\n0,1\n', 'csv'],
  ['tab-separated numbers', 'value\tmarker\n0.5\t0\n', 'tsv'],
] as const

test('CSV piped without --input-format: the error of a model without a tokenizer says to pass it', async (t) => {
  for (const [name, stdin, format] of CSV_LOOKALIKES) {
    const result = await runCli(['predict', '--model', toy, ...NO_PROGRESS], stdin)
    t.is(result.code, 1, name)
    t.regex(result.stderr, new RegExp(`^lstm-lrp: line 1: .*looks like ${format.toUpperCase()}: pass --input-format ${format}\\n$`), name)
  }
})

test('CSV piped without --input-format to a text model: a note says to pass it', async (t) => {
  for (const [name, stdin, format] of CSV_LOOKALIKES) {
    const result = await runCli(['predict', '--model', shipped, ...NO_PROGRESS], stdin)
    t.is(result.code, 0, result.stderr)
    t.is(result.stderr, `note: the input looks like ${format.toUpperCase()}: pass --input-format ${format} (without it, each line is read as a sentence)\n`, name)
  }
})

test('sentences with commas and numbers are never taken for CSV', async (t) => {
  const sentences = ['A gorgeous, witty film.\nNot bad, really.\n', 'one, two, three\nfour, five, six\n', 'Rated 4, 5 stars.\n', 'It cost 10, not 20.\nIt was, in 1999, new.\n', '{"text": "1, 2"}\n1 2\n']
  for (const stdin of sentences) {
    const result = await runCli(['predict', '--model', shipped, ...NO_PROGRESS], stdin)
    t.is(result.code, 0, result.stderr)
    t.is(result.stderr, '', stdin)
  }
  const refused = await runCli(['predict', '--model', toy, ...NO_PROGRESS], 'A gorgeous, witty film.\nNot bad, really.\n')
  t.notRegex(refused.stderr, /looks like/)
})

interface InfoJson {
  backend: { backend: string; skipped?: string[] }
}

test('info says why the backends before the chosen one were skipped: not tried, when one is forced', async (t) => {
  const forced = [
    { args: [], env: { LSTM_LRP_BACKEND: 'wasm' }, reason: 'native: not tried: LSTM_LRP_BACKEND=wasm' },
    { args: ['--backend', 'wasm'], env: {}, reason: 'native: not tried: --backend wasm' },
  ]
  for (const { args, env, reason } of forced) {
    const table = await runCli(['info', '--model', toy, ...args], '', { env })
    t.is(table.code, 0, table.stderr)
    t.regex(table.stdout, /^backend +wasm /m)
    t.true(table.stdout.includes(`\nskipped       ${reason}\n`), table.stdout)
    const json = await runCli(['info', '--model', toy, '--json', ...args], '', { env })
    t.deepEqual((JSON.parse(json.stdout) as InfoJson).backend.skipped, [reason])
  }
  const native = await runCli(['info', '--model', toy, '--json', '--backend', 'native'])
  t.is((JSON.parse(native.stdout) as InfoJson).backend.skipped, undefined)
})

test('info says why the native backend was skipped when it does not load (a package without its native build)', (t) => {
  const copy = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-info-no-native-'))
  t.teardown(() => rmSync(copy, { recursive: true, force: true }))
  cpSync(path.join(root, 'package.json'), path.join(copy, 'package.json'))
  cpSync(path.join(root, 'dist'), path.join(copy, 'dist'), { recursive: true })
  cpSync(path.join(root, 'wasm'), path.join(copy, 'wasm'), { recursive: true })
  symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'))
  const env = { ...process.env }
  delete env.LSTM_LRP_BACKEND
  const info = (args: string[]) => execFileSync(process.execPath, [path.join(copy, 'dist', 'cli', 'main.js'), 'info', '--model', toy, ...args], { env, encoding: 'utf8' })
  t.regex(info([]), /^backend +wasm .*\nskipped +native: \S/m)
  const { backend } = JSON.parse(info(['--json'])) as InfoJson
  t.is(backend.backend, 'wasm')
  t.regex(backend.skipped?.[0] ?? '', /^native: (?!not tried)\S/)
})
