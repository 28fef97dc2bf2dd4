// What a newcomer meets first: --version, explain or predict run with nothing to read, CSV piped without
// --input-format, why `info` skipped a backend, model files that are not lstm-lrp safetensors, and bench's files.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadModel, LstmLrpError } from '../lib/index.js'
import { runCli } from './helpers/run-cli.js'
import { runCliOnTerminal } from './helpers/terminal-stdin.js'
import { packageWithoutNative } from './helpers/package-without-native.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const toy = path.join(root, 'examples', 'toy-addition.safetensors')
const shipped = path.join(root, 'models', 'sst-bilstm.safetensors')
const fixtures = path.join(root, 'test', 'fixtures', 'import')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-first-contact-'))
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
  const forced: { args: string[]; env: Record<string, string>; reason: string }[] = [
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
  const copy = packageWithoutNative(t, 'lstm-lrp-info-no-native-')
  const env = { ...process.env }
  delete env.LSTM_LRP_BACKEND
  const info = (args: string[]) => execFileSync(process.execPath, [path.join(copy, 'dist', 'cli', 'main.js'), 'info', '--model', toy, ...args], { env, encoding: 'utf8' })
  t.regex(info([]), /^backend +wasm .*\nskipped +native: \S/m)
  const { backend } = JSON.parse(info(['--json'])) as InfoJson
  t.is(backend.backend, 'wasm')
  t.regex(backend.skipped?.[0] ?? '', /^native: (?!not tried)\S/)
})

/** A file in the work folder holding `bytes`, or a copy of a fixture. */
function file(name: string, bytes: Uint8Array | string): string {
  const target = path.join(work, name)
  if (typeof bytes === 'string') copyFileSync(bytes, target)
  else writeFileSync(target, bytes)
  return target
}

const ascii = (text: string) => new TextEncoder().encode(text)
const FOREIGN_FILES: { name: string; bytes: Uint8Array | string; start: string; looksLike?: string; advice?: RegExp }[] = [
  {
    name: 'model.onnx',
    bytes: path.join(fixtures, 'torch-uni.onnx'),
    start: '"\\x08\\t\\x12\\x07pytorch',
    looksLike: 'an ONNX model',
    advice: /convert it with `lstm-lrp convert --from onnx \S+model\.onnx --out model\.safetensors`$/,
  },
  { name: 'model.keras', bytes: path.join(fixtures, 'keras-uni.keras'), start: '"PK\\x03\\x04', looksLike: 'a Keras 3 .keras file (zip)', advice: /--from keras \S+model\.keras / },
  { name: 'model.json', bytes: path.join(fixtures, 'keras-uni-tfjs', 'model.json'), start: '"{\\"format\\"', looksLike: 'a TF.js model.json', advice: /--from tfjs \S+model\.json / },
  {
    name: 'model.h5',
    bytes: Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0),
    start: '"\\x89HDF\\r\\n\\x1a\\n\\x00\\x00"',
    looksLike: 'an HDF5 file (a Keras 2 .h5 model?)',
    advice: /model\.save\('model\.keras'\).*--from keras`$/,
  },
  { name: 'model.pt', bytes: ascii('PK\x03\x04\x00\x00archive/data.pkl'), start: '"PK\\x03\\x04', looksLike: 'a PyTorch torch.save archive', advice: /safetensors\.torch\.save_file.*--from pytorch`$/ },
  { name: 'config.json', bytes: ascii('{"inputSize": 2, "layers": []}\n'), start: '"{\\"inputSize\\": 2,..."', looksLike: 'a JSON file' },
  { name: 'heatmap.png', bytes: path.join(root, 'docs', 'terminal-heatmap.png'), start: '"\\x89PNG\\r\\n\\x1a\\n', looksLike: 'a PNG image' },
  { name: 'notes.txt', bytes: ascii('hello\n'), start: '"hello\\n"' },
]

test('a model file that is not safetensors says so, what it looks like and how to convert it', async (t) => {
  for (const { name, bytes, start, looksLike, advice } of FOREIGN_FILES) {
    const model = file(name, bytes)
    const error = await loadModel(model).then(
      () => null,
      (caught: unknown) => caught,
    )
    t.true(error instanceof LstmLrpError && error.code === 'E_MODEL_FILE', `${name}: ${String(error)}`)
    const message = (error as Error).message
    t.true(message.startsWith(`${model} is not a safetensors file (it starts with ${start}`), message)
    if (looksLike === undefined) t.notRegex(message, /looks like/, name)
    else t.true(message.includes(`): it looks like ${looksLike}`), message)
    if (advice !== undefined) t.regex(message, advice, name)
  }
  const spaced = file('my model.onnx', path.join(fixtures, 'torch-uni.onnx'))
  const quoted = await loadModel(spaced).then(
    () => null,
    (caught: unknown) => caught as Error,
  )
  t.true(quoted?.message.endsWith(`\`lstm-lrp convert --from onnx '${spaced}' --out model.safetensors\``), quoted?.message)
  const empty = await loadModel(file('empty.safetensors', new Uint8Array(0))).then(
    () => null,
    (caught: unknown) => caught as Error,
  )
  t.regex(empty?.message ?? '', /empty\.safetensors is not a safetensors file \(it is empty\)$/)
})

test('--model with a file that is not safetensors: one line naming the file and the convert command', async (t) => {
  const model = file('cli-model.onnx', path.join(fixtures, 'torch-uni.onnx'))
  for (const args of [['info'], ['predict', '--tokens', '1']]) {
    const result = await runCli([...args, '--model', model])
    t.is(result.code, 1)
    t.regex(result.stderr, /^lstm-lrp: \S+cli-model\.onnx is not a safetensors file \(it starts with [^\n]*--from onnx [^\n]*\n$/)
  }
})

test('a PyTorch state_dict given as a model is pointed to convert --from pytorch', async (t) => {
  const error = await loadModel(path.join(fixtures, 'torch-uni.safetensors')).then(
    () => null,
    (caught: unknown) => caught as Error,
  )
  t.regex(error?.message ?? '', /__metadata__\.format is missing .*`lstm-lrp convert --from pytorch`$/)
})

test('a safetensors header after whitespace is still read as safetensors', async (t) => {
  const bytes = readFileSync(toy)
  const length = Number(bytes.readBigUInt64LE(0))
  const padded = Buffer.concat([Buffer.alloc(8), Buffer.from('  '), bytes.subarray(8)])
  padded.writeBigUInt64LE(BigInt(length + 2), 0)
  const model = await loadModel(file('padded.safetensors', padded))
  t.is(model.config.inputSize, 2)
  model.dispose()
})

interface BenchJson {
  inputs: number
  length: number
  method: string
  backend: { backend: string }
  timings: { operation: string; inputs: number; meanMicroseconds: number; p50Microseconds: number | null; inputsPerSecond: number }[]
}

test('bench writes no file unless --out names one, and then its table as JSON', async (t) => {
  const folder = path.join(work, 'bench')
  mkdirSync(folder)
  const plain = await runCli(['bench', '--model', toy, '--inputs', '12', '--length', '3'], '', { cwd: folder })
  t.is(plain.code, 0, plain.stderr)
  t.deepEqual(readdirSync(folder), [])
  const result = await runCli(['bench', '--model', toy, '--inputs', '12', '--length', '3', '--out', 'results.json'], '', { cwd: folder })
  t.is(result.code, 0, result.stderr)
  t.deepEqual(readdirSync(folder), ['results.json'])
  const json = JSON.parse(readFileSync(path.join(folder, 'results.json'), 'utf8')) as BenchJson
  t.like(json, { inputs: 12, length: 3, method: 'lrp' })
  t.deepEqual(
    json.timings.map((row) => row.operation),
    ['predict', 'explain (lrp)', 'explainBatch (lrp)'],
  )
  for (const row of json.timings) {
    t.is(row.inputs, 12)
    t.regex(result.stdout, new RegExp(`\\| ${row.operation.replace(/[()]/g, '\\$&')} +\\| +12 \\| +${row.meanMicroseconds.toFixed(1)} \\|`))
  }
  t.is(json.timings[2].p50Microseconds, null)
})

test('bench --out refuses a destination it cannot write before timing anything', async (t) => {
  const result = await runCli(['bench', '--model', toy, '--out', path.join(work, 'no-such-folder', 'results.json')])
  t.is(result.code, 1)
  t.regex(result.stderr, /^lstm-lrp: cannot write \S+results\.json: /)
  t.is(result.stdout, '')
})
