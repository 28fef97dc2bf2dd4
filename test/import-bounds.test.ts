// Hostile model files: every importer finishes in bounded time and memory, reads only regular files
// inside the model's folder, and fails with one bounded line. Cases that hung or ran out of memory
// before run in a child process under a time (and heap) guard.
import test from 'ava'
import { execFile, execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { strToU8, unzipSync, zipSync } from 'fflate'
import onnxProto from 'onnx-proto'
import { importModel, loadModel, LstmLrpError, type ImportFormat } from '../lib/index.js'
import { readSafetensors, writeSafetensors } from '../lib/model/safetensors.js'

const { onnx } = onnxProto
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixtures = path.join(root, 'test', 'fixtures', 'import')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-bounds-'))
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(fixtures, name)))
const library = pathToFileURL(path.join(root, 'lib', 'index.ts')).href
const cli = path.join(root, 'dist', 'cli', 'main.js')

interface ChildRun {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
}

/** Runs node with `args` under a wall-clock limit (killed past it) and optionally a heap limit. */
function runNode(args: string[], { seconds, heapMb }: { seconds: number; heapMb?: number }): Promise<ChildRun> {
  const heap = heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`]
  return new Promise((resolve) => {
    execFile(process.execPath, [...heap, ...args], { timeout: seconds * 1000, killSignal: 'SIGKILL', maxBuffer: 16 << 20, cwd: root }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number; signal?: string }) | null
      resolve({ code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0, signal: failure?.signal ?? null, stdout, stderr })
    })
  })
}

/** Imports in a child process and prints the error's code and message (or "ok") as JSON; `setup` is module code defining `source`. */
function importInChild(setup: string, format: ImportFormat, options: string, limits: { seconds: number; heapMb?: number }): Promise<ChildRun> {
  const script = `
import { importModel } from ${JSON.stringify(library)}
${setup}
let ticks = 0
const ticker = setInterval(() => ticks++, 100)
try {
  await importModel(source, ${JSON.stringify(format)}, undefined, ${options})
  console.log(JSON.stringify({ ok: true }))
} catch (error) {
  console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message, ticks }))
}
clearInterval(ticker)`
  return runNode(['--import=tsx', '--input-type=module', '-e', script], limits)
}

function childError(t: { log: (...values: unknown[]) => void }, run: ChildRun): { name?: string; code?: string; message?: string; ticks?: number } {
  t.log(run.stdout.trim() || `(no output; exit ${run.code}, signal ${run.signal}) ${run.stderr.slice(-400)}`)
  return run.stdout.trim() === '' ? {} : JSON.parse(run.stdout.trim().split('\n').at(-1) as string)
}

// HDF5 in .keras files

test('keras: a corrupted byte that makes HDF5 loop forever is stopped at the time limit, and the main thread keeps running', async (t) => {
  const hang = path.join(fixtures, 'keras-uni-hdf5-hang.keras')
  const run = await importInChild(`const source = ${JSON.stringify(hang)}`, 'keras', '{ timeout: 2 }', { seconds: 120 })
  const error = childError(t, run)
  t.is(error.code, 'E_IMPORT')
  t.regex(error.message ?? '', /^keras: reading model\.weights\.h5 timed out after 2 s/)
  // Ticks every 100 ms while the worker spins: the import did not block the event loop.
  t.true((error.ticks ?? 0) >= 15)
  t.is(run.stderr, '')
})

test('convert: the HDF5 time limit is --timeout, and the failure is one line with exit 1', async (t) => {
  const out = path.join(work, 'never.safetensors')
  const run = await runNode([cli, 'convert', '--from', 'keras', path.join(fixtures, 'keras-uni-hdf5-hang.keras'), '--timeout', '2', '--out', out], { seconds: 120 })
  t.is(run.code, 1, run.stderr)
  t.is(run.stderr, 'lstm-lrp: keras: reading model.weights.h5 timed out after 2 s: a damaged HDF5 file (or raise the import timeout)\n')
  const bad = await runNode([cli, 'convert', '--from', 'keras', path.join(fixtures, 'keras-uni.keras'), '--timeout', 'soon', '--out', out], { seconds: 60 })
  t.is(bad.code, 1)
  t.regex(bad.stderr, /--timeout must be a decimal number; got 'soon'/)
  const zero = await runNode([cli, 'convert', '--from', 'keras', path.join(fixtures, 'keras-uni.keras'), '--timeout', '0', '--out', out], { seconds: 60 })
  t.is(zero.code, 1)
  t.regex(zero.stderr, /--timeout must be a positive number of seconds; got 0/)
})

test('importModel and loadModel check the import timeout', async (t) => {
  for (const timeout of [0, -1, Number.NaN, 1e9]) {
    await t.throwsAsync(() => importModel(fixture('keras-uni.keras'), 'keras', undefined, { timeout }), { instanceOf: LstmLrpError, message: /import timeout must be a number of seconds/ })
    await t.throwsAsync(() => loadModel(path.join(fixtures, 'keras-uni.keras'), { format: 'keras', importTimeout: timeout }), { instanceOf: LstmLrpError, message: /import timeout must be a number of seconds/ })
  }
})

test('keras: HDF5 error stacks of a damaged weights file do not reach stderr; the error is one line', async (t) => {
  const entries = unzipSync(fixture('keras-uni.keras'))
  const weights = entries['model.weights.h5'].slice()
  weights[8] = 7 // the superblock version
  const file = path.join(work, 'bad-superblock.keras')
  writeFileSync(file, zipSync({ ...entries, 'model.weights.h5': weights }))
  const run = await runNode([cli, 'convert', '--from', 'keras', file, '--out', path.join(work, 'never.safetensors')], { seconds: 120 })
  t.is(run.code, 1)
  t.is(run.stderr, 'lstm-lrp: keras: model.weights.h5 is not a readable HDF5 file (bad superblock version number)\n')
})

test('keras: archives with too many entries or an entry twice are refused before anything is inflated', async (t) => {
  const entries = unzipSync(fixture('keras-uni.keras'))
  const many: Record<string, Uint8Array> = { ...entries }
  for (let index = 0; index < 1001; index++) many[`assets/${index}`] = new Uint8Array(0)
  await t.throwsAsync(() => importModel(zipSync(many), 'keras'), { instanceOf: LstmLrpError, message: /more than 1000 entries/ })
  // fflate writes one entry per key: a second config.json is spliced in as a renamed copy.
  const twice = zipSync({ ...entries, 'config.jsoN': entries['config.json'] })
  const at = Buffer.from(twice).indexOf('config.jsoN')
  const central = Buffer.from(twice).indexOf('config.jsoN', at + 1)
  for (const offset of [at, central]) twice[offset + 10] = 'n'.charCodeAt(0)
  await t.throwsAsync(() => importModel(twice, 'keras'), { instanceOf: LstmLrpError, message: /holds config\.json twice/ })
})

// ONNX protobufs

function emptyNodesModel(nodes: number): string {
  return `
const nodes = ${nodes}
const graph = new Uint8Array(nodes * 2)
for (let i = 0; i < nodes; i++) graph[2 * i] = 0x0a
const length = []
for (let n = graph.length; ; n >>>= 7) { if (n < 0x80) { length.push(n); break } length.push((n & 0x7f) | 0x80) }
const source = new Uint8Array(1 + length.length + graph.length)
source.set([0x3a, ...length])
source.set(graph, 1 + length.length)`
}

test('onnx: 30 MB of empty nodes is refused within a 256 MB heap', async (t) => {
  const run = await importInChild(emptyNodesModel(15_000_000), 'onnx', '{}', { seconds: 120, heapMb: 256 })
  const error = childError(t, run)
  t.is(error.code, 'E_IMPORT')
  t.regex(error.message ?? '', /onnx: the protobuf holds more than \d+ fields and values/)
})

test('onnx: graphs over the node, initializer or attribute limits are refused by count', async (t) => {
  const base = onnx.ModelProto.decode(fixture('torch-uni.onnx'))
  const withNodes = onnx.ModelProto.create({ ...base, graph: onnx.GraphProto.create({ ...base.graph, node: Array.from({ length: 100_001 }, () => onnx.NodeProto.create({ opType: 'Identity' })) }) })
  await t.throwsAsync(() => importModel(onnx.ModelProto.encode(withNodes).finish(), 'onnx'), { instanceOf: LstmLrpError, message: /100001 nodes, over the limit of 100000/ })
  const attributes = Array.from({ length: 1001 }, (_, index) => onnx.AttributeProto.create({ name: `a${index}`, type: onnx.AttributeProto.AttributeType.INT, i: 1 }))
  const withAttributes = onnx.ModelProto.create({ ...base, graph: onnx.GraphProto.create({ ...base.graph, node: [onnx.NodeProto.create({ opType: 'Identity', attribute: attributes }), ...base.graph!.node!] }) })
  await t.throwsAsync(() => importModel(onnx.ModelProto.encode(withAttributes).finish(), 'onnx'), { instanceOf: LstmLrpError, message: /node #0 has 1001 attributes, over the limit of 1000/ })
})

test('keras, tfjs: inbound_nodes nested thousands of levels deep are an error, not a stack overflow', async (t) => {
  const folder = tfjsFolder()
  const file = path.join(folder, 'model.json')
  const json = JSON.parse(readFileSync(file, 'utf8'))
  const topology = json.modelTopology.model_config ?? json.modelTopology
  topology.class_name = 'Functional'
  topology.config.layers[0].inbound_nodes = 'DEEP'
  // Spliced in as text: JSON.stringify itself would overflow on such a value.
  writeFileSync(file, JSON.stringify(json).replace('"DEEP"', `${'['.repeat(20_000)}${']'.repeat(20_000)}`))
  await t.throwsAsync(() => importModel(file, 'tfjs'), { instanceOf: LstmLrpError, message: /inbound_nodes nest more than 32 levels deep/ })
})

// Paths: regular files only, of bounded size

test('model paths that are devices, named pipes, directories or over 1 GiB are refused without reading them', async (t) => {
  const fifo = path.join(work, 'model.fifo')
  execFileSync('mkfifo', [fifo])
  const huge = path.join(work, 'huge.onnx')
  writeFileSync(huge, '')
  truncateSync(huge, 2 ** 30 + 1) // sparse: takes no disk space
  const cases: [string, RegExp][] = [
    ['/dev/zero', /it is a device, not a regular file/],
    ['/dev/urandom', /it is a device, not a regular file/],
    [fifo, /it is a named pipe, not a regular file/],
    [work, /it is a directory, not a regular file/],
    [huge, /it is 1073741825 bytes, over the limit of 1073741824/],
  ]
  // In a child under a time guard: reading /dev/zero or opening a FIFO never ends without the checks.
  const script = `const cases = ${JSON.stringify(cases.map(([file]) => file))}
const source = cases[Number(process.env.CASE)]`
  for (const [index, [file, message]] of cases.entries()) {
    process.env.CASE = String(index)
    const run = await importInChild(script, 'onnx', '{}', { seconds: 60, heapMb: 512 })
    const error = childError(t, run)
    t.is(error.code, 'E_IMPORT', file)
    t.regex(error.message ?? '', message)
  }
  delete process.env.CASE
})

// TF.js shards: inside the model's folder only

function tfjsFolder(): string {
  const folder = mkdtempSync(path.join(work, 'tfjs-'))
  for (const name of ['model.json', 'group1-shard1of1.bin']) copyFileSync(path.join(fixtures, 'keras-uni-tfjs', name), path.join(folder, name))
  return folder
}

function setShardPaths(folder: string, paths: string[]): string {
  const file = path.join(folder, 'model.json')
  const json = JSON.parse(readFileSync(file, 'utf8'))
  json.weightsManifest[0].paths = paths
  writeFileSync(file, JSON.stringify(json))
  return file
}

test('tfjs: a shard or sub-folder that is a symbolic link out of the model folder is refused, naming the manifest path and not the target size', async (t) => {
  const secret = path.join(work, 'secret-12345.bin')
  writeFileSync(secret, new Uint8Array(12345))
  const outsideFolder = mkdtempSync(path.join(work, 'outside-'))
  copyFileSync(path.join(fixtures, 'keras-uni-tfjs', 'group1-shard1of1.bin'), path.join(outsideFolder, 'shard.bin'))

  const linkedShard = tfjsFolder()
  symlinkSync(secret, path.join(linkedShard, 'linked.bin'))
  const error = await t.throwsAsync(() => importModel(setShardPaths(linkedShard, ['linked.bin']), 'tfjs'), {
    instanceOf: LstmLrpError,
    message: /weight shard path "linked\.bin" points outside the folder of model\.json/,
  })
  t.notRegex(error?.message ?? '', /12345/)

  const linkedFolder = tfjsFolder()
  symlinkSync(outsideFolder, path.join(linkedFolder, 'sub'))
  await t.throwsAsync(() => importModel(setShardPaths(linkedFolder, ['sub/shard.bin']), 'tfjs'), { instanceOf: LstmLrpError, message: /"sub\/shard\.bin" points outside/ })

  // A link that stays inside the folder is an ordinary shard.
  const inside = tfjsFolder()
  mkdirSync(path.join(inside, 'weights'))
  copyFileSync(path.join(inside, 'group1-shard1of1.bin'), path.join(inside, 'weights', 'real.bin'))
  symlinkSync(path.join(inside, 'weights', 'real.bin'), path.join(inside, 'alias.bin'))
  const imported = await importModel(setShardPaths(inside, ['alias.bin']), 'tfjs')
  t.is(imported.config.layers.length, 1)
})

test('tfjs: manifest paths with "..", absolute paths and URLs are refused; a shard that is a device is not read', async (t) => {
  for (const shard of ['../group1-shard1of1.bin', 'a/../../x.bin', '/etc/passwd', 'file:///etc/passwd', 'https://example.com/shard.bin', 'C:\\shard.bin']) {
    const folder = tfjsFolder()
    await t.throwsAsync(() => importModel(setShardPaths(folder, [shard]), 'tfjs'), { instanceOf: LstmLrpError, message: /points outside the folder of model\.json/ }, shard)
  }
  const folder = tfjsFolder()
  symlinkSync('/dev/zero', path.join(folder, 'zero.bin'))
  await t.throwsAsync(() => importModel(setShardPaths(folder, ['zero.bin']), 'tfjs'), { instanceOf: LstmLrpError, message: /points outside/ })
})

// Messages: one line, bounded

test('names from a hostile file are not echoed in full: every importer error is one line of bounded length', async (t) => {
  const longName = `${'x'.repeat(2_000_000)}\nsecond line`
  const check = async (source: string | Uint8Array, format: ImportFormat): Promise<void> => {
    const error = await t.throwsAsync(() => importModel(source, format), { instanceOf: LstmLrpError })
    t.true((error?.message.length ?? Infinity) <= 1100, `${format}: ${error?.message.length} characters`)
    t.false(error?.message.includes('\n'), format)
    t.log(error?.message.slice(0, 120))
  }
  const model = onnx.ModelProto.decode(fixture('torch-uni.onnx'))
  model.graph!.node!.push(onnx.NodeProto.create({ opType: 'Frobnicate', name: longName, input: [model.graph!.output![0].name!], output: ['y'] }))
  await check(onnx.ModelProto.encode(model).finish(), 'onnx')

  const { tensors } = readSafetensors(fixture('torch-uni.safetensors'))
  await check(writeSafetensors([...tensors, [longName, { dtype: 'f32', shape: [1], data: new Float32Array(1) }]].map(([name, tensor]) => ({ name, tensor })) as never, {}), 'pytorch')

  const entries = unzipSync(fixture('keras-uni.keras'))
  const config = JSON.parse(Buffer.from(entries['config.json']).toString('utf8'))
  config.config.layers[1].config.name = longName
  config.config.layers[1].config.activation = 'relu'
  await check(zipSync({ ...entries, 'config.json': strToU8(JSON.stringify(config)) }), 'keras')

  const folder = tfjsFolder()
  await check(setShardPaths(folder, [longName]), 'tfjs')
})

test('onnx: a node attribute declared a tensor that holds none is E_IMPORT, not a TypeError (found by the JS fuzzer)', async (t) => {
  const error = await t.throwsAsync(() => importModel(path.join(fixtures, 'onnx-tensor-attribute-without-tensor.onnx'), 'onnx'), { instanceOf: LstmLrpError })
  t.is(error?.code, 'E_IMPORT')
  t.regex(error?.message ?? '', /attribute .* is declared a tensor but holds none/)
})
