// Hostile inputs the other error tests leave out: model files with deeply nested or enormous
// JSON headers, and sizes that each pass their own limit but multiply into more memory than a
// machine has. Each must be a clean error, raised before any allocation of that size, on the
// native addon and on the WASM module, and must leave the process and the backend usable.
import test from 'ava'
import type { ExecutionContext } from 'ava'
import { LstmLrpError, loadModel } from '../lib/index.js'
import type { Backend, KernelModelDesc } from '../lib/backend/types.js'
import { loadNativeBackend } from '../lib/backend/native.js'
import { loadWasmBackend } from '../lib/backend/wasm-node.js'
import { readModelFile } from '../lib/model/tensors.js'
import { randomRefModel, randomSequence } from './reference/random.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { STANDARD_KERNEL_CELL } from './helpers/raw-kernel.js'

const BACKENDS: Record<string, () => Backend> = { native: loadNativeBackend, wasm: () => loadWasmBackend('plain') }

/** A safetensors file from a header object (or raw header text) and a data section. */
function safetensors(header: unknown, data = new Uint8Array(0)): Uint8Array {
  const text = typeof header === 'string' ? header : JSON.stringify(header)
  const json = new TextEncoder().encode(text)
  const bytes = new Uint8Array(8 + json.length + data.length)
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true)
  bytes.set(json, 8)
  bytes.set(data, 8 + json.length)
  return bytes
}

async function expectFileError(t: ExecutionContext, bytes: Uint8Array, message: RegExp, name: string): Promise<void> {
  const error = await loadModel(bytes).then(
    () => null,
    (caught: unknown) => caught,
  )
  t.true(error instanceof LstmLrpError, `${name}: expected an LstmLrpError, got ${String(error)}`)
  if (error instanceof LstmLrpError) t.regex(error.message, message, name)
}

const nested = (depth: number, open: string, close: string, inner = '0'): string => open.repeat(depth) + inner + close.repeat(depth)

test('model files with deeply nested JSON anywhere give a clean error, not a stack overflow', async (t) => {
  const good = refModelFile(randomRefModel(1, ARCHITECTURES['uni, head bias']), 'f64')
  const goodHeaderLength = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true))
  const goodHeader = JSON.parse(new TextDecoder().decode(good.subarray(8, 8 + goodHeaderLength))) as Record<string, Record<string, string>>
  const data = new Uint8Array(good.subarray(8 + goodHeaderLength))
  for (const depth of [1_000, 100_000, 300_000]) {
    // The whole header, a tensor entry, the metadata, and the config inside the metadata.
    await expectFileError(t, safetensors(nested(depth, '[', ']')), /./, `header nested ${depth} deep`)
    await expectFileError(t, safetensors(`{"w":${nested(depth, '{"a":', '}')}}`), /./, `tensor entry nested ${depth} deep`)
    await expectFileError(t, safetensors(`{"__metadata__":${nested(depth, '{"a":', '}')}}`), /./, `metadata nested ${depth} deep`)
    const config = { ...goodHeader, __metadata__: { ...goodHeader.__metadata__, config: nested(depth, '{"a":', '}') } }
    await expectFileError(t, safetensors(config, data), /config/, `config nested ${depth} deep`)
    const arrays = { ...goodHeader, __metadata__: { ...goodHeader.__metadata__, config: nested(depth, '[', ']') } }
    await expectFileError(t, safetensors(arrays, data), /config/, `config of arrays nested ${depth} deep`)
  }
  // Still fine afterwards.
  const model = await loadModel(good)
  t.is(model.explain(randomSequence(1, 2, 3)).relevance.length, 2 * 3)
})

test('enormous or lying header lengths are refused before anything of that size is read or allocated', async (t) => {
  const cases: [string, Uint8Array, RegExp][] = []
  for (const length of [2n ** 64n - 1n, 2n ** 53n + 1n, 2n ** 32n, 16n * 1024n * 1024n + 1n]) {
    const bytes = new Uint8Array(16)
    new DataView(bytes.buffer).setBigUint64(0, length, true)
    cases.push([`header length ${length}`, bytes, /header length/])
  }
  // A header of 17 MB of whitespace is over the default 16 MiB limit even though the file holds it.
  cases.push(['17 MB header', safetensors(' '.repeat(17 * 1024 * 1024) + '{}'), /exceeds the limit/])
  // A 2 MB header of 100 000 tensor entries, each lying about a huge shape.
  const many: Record<string, unknown> = {}
  for (let k = 0; k < 100_000; k++) many[`t${k}`] = { dtype: 'F32', shape: [65536, 65536, 65536], data_offsets: [0, 4] }
  cases.push(['100 000 tensors of absurd shapes', safetensors(many), /./])
  for (const [name, bytes, message] of cases) await expectFileError(t, bytes, message, name)
  t.pass()
})

test('shapes whose product overflows 2^53 or 2^64 are refused, whatever the offsets claim', async (t) => {
  const shapes = [[2 ** 32, 2 ** 32], [2 ** 53, 2], [4294967296, 4294967296, 4294967296], [-1, 4], [1e308], [2 ** 31, 0, 2 ** 31]]
  for (const shape of shapes) {
    const bytes = safetensors({ w: { dtype: 'F32', shape, data_offsets: [0, 4] } }, new Uint8Array(4))
    t.throws(() => readModelFile(bytes), { instanceOf: LstmLrpError }, `shape ${JSON.stringify(shape)}`)
    await expectFileError(t, bytes, /./, `shape ${JSON.stringify(shape)}`)
  }
})

// A description whose every size is within its own limit but whose weights would take
// 16 G elements per matrix (hidden 65536 x input 65536 x 4 gates): refused from the sizes alone,
// before the (deliberately tiny) tensors are looked at, so nothing of that size is allocated.
function hugeDesc(hiddenSize: number, inputSize: number, dtype = 1): KernelModelDesc {
  const tiny = () => (dtype === 1 ? new Float64Array(4) : new Float32Array(4))
  return {
    dtype,
    inputSize,
    vocabSize: 0,
    embedding: null,
    layers: [{ hiddenSize, bidirectional: false, cell: { ...STANDARD_KERNEL_CELL }, W: [tiny(), null], U: [tiny(), null], b: [tiny(), null], bHn: [null, null] }],
    outputs: 2,
    headWeight: tiny(),
    headBias: null,
    readout: 0,
    inputProjectionTable: 0,
  }
}

for (const [backendName, load] of Object.entries(BACKENDS)) {
  test(`${backendName}: model sizes that multiply past the memory limit are refused before allocation`, (t) => {
    const backend = load()
    const huge: [string, KernelModelDesc][] = [
      ['hidden 65536 x input 65536 (f64)', hugeDesc(65536, 65536)],
      ['hidden 65536 x input 65536 (f32)', hugeDesc(65536, 65536, 0)],
      ['hidden 65536 x input 1', hugeDesc(65536, 1)],
      ['vocab 50 000 000 x input 65536', { ...hugeDesc(4, 65536), vocabSize: 50_000_000, embedding: new Float64Array(4) }],
      ['64 bidirectional layers of 65536', { ...hugeDesc(65536, 4), layers: Array.from({ length: 64 }, () => ({ ...hugeDesc(65536, 4).layers[0], bidirectional: true })) }],
    ]
    const before = process.memoryUsage().rss
    for (const [name, desc] of huge) {
      const error = t.throws(() => backend.createModel(desc), undefined, name)
      t.regex(String(error?.message), /would take \d+ bytes of weights; the limit is \d+ bytes/, name)
    }
    // Nothing of that size was touched (allow generous slack for the test runner itself).
    t.true(process.memoryUsage().rss - before < 512 * 1024 * 1024)
    // A model just within the limit's reach of a small machine still builds: hidden 512, input 64.
    const H = 512
    const I = 64
    const cell = hugeDesc(1, 1).layers[0].cell
    const ok = backend.createModel({
      ...hugeDesc(H, I),
      layers: [{ hiddenSize: H, bidirectional: false, cell, W: [new Float64Array(4 * H * I), null], U: [new Float64Array(4 * H * H), null], b: [new Float64Array(4 * H), null], bHn: [null, null] }],
      headWeight: new Float64Array(2 * H),
    })
    // A single sequence whose working memory would be absurd is refused before allocation too;
    // the inputs given are deliberately tiny, so the check must come from the lengths alone.
    const scores = new Float64Array(2)
    const steps = 2 ** 27
    const error = t.throws(() => ok.predict({ lengths: Int32Array.of(steps), inputs: new Float64Array(I), tokens: null }, scores, null))
    t.regex(String(error?.message), /would need about \d+ bytes of working memory|more than \d+ steps/, 'long sequence')
    ok.predict({ lengths: Int32Array.of(1), inputs: new Float64Array(I), tokens: null }, scores, null)
    t.true(scores.every(Number.isFinite))
    ok.dispose()
  })
}
