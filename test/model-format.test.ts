import test from 'ava'
import type { ExecutionContext } from 'ava'
import { LstmLrpError } from '../lib/errors.js'
import { configToJson, parseConfig, PRESET_BIASES, PRESETS, resolveCell } from '../lib/model/config.js'
import { createModel } from '../lib/model/load.js'
import { readSafetensors, writeSafetensors } from '../lib/model/safetensors.js'
import { checkTensors, expectedTensors, readModelFile, writeModelFile } from '../lib/model/tensors.js'
import type { DType, LayerConfig, LstmCellConfig, ModelConfig, PresetName, Tensor } from '../lib/model/types.js'
import { expectError } from './helpers/library-errors.js'

// ---------- helpers ----------

/** Deterministic non-trivial values so round trips prove every byte is in place. */
function makeTensor(dtype: DType, shape: number[], seed: number): Tensor {
  const length = shape.reduce((a, b) => a * b, 1)
  const data = dtype === 'f32' ? new Float32Array(length) : new Float64Array(length)
  for (let i = 0; i < length; i++) data[i] = Math.sin(seed * 1000 + i) * (dtype === 'f64' ? 1 + 1e-12 : 1)
  return { dtype, shape, data }
}

function tensorsFor(config: ModelConfig, dtype: DType = 'f32'): Map<string, Tensor> {
  return new Map(expectedTensors(config).map(({ name, shape }, index) => [name, makeTensor(dtype, shape, index)]))
}

function assertSameTensors(t: ExecutionContext, actual: Map<string, Tensor>, expected: Map<string, Tensor>): void {
  t.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort())
  for (const [name, tensor] of expected) {
    const read = actual.get(name) as Tensor
    t.is(read.dtype, tensor.dtype, name)
    t.deepEqual(read.shape, tensor.shape, name)
    t.is(read.data.constructor, tensor.data.constructor, name)
    t.deepEqual(Array.from(read.data), Array.from(tensor.data), name)
  }
}

const SMALL: ModelConfig = parseConfig({ inputSize: 3, layers: [{ hiddenSize: 2 }], head: { outputs: 2 } })

/** A safetensors file with exactly the given header text and data, optionally lying about the header length. */
function rawFile(header: string | object, data: Uint8Array = new Uint8Array(0), headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header))
  const out = new Uint8Array(8 + json.length + data.length)
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(json.length), true)
  out.set(json, 8)
  out.set(data, 8 + json.length)
  return out
}

function f32Entry(shape: number[], begin: number, end: number): object {
  return { dtype: 'F32', shape, data_offsets: [begin, end] }
}

/** A model file whose metadata and tensors are written as given, bypassing writeModelFile's checks. */
function modelFileWith(metadata: Record<string, string>, tensors: Map<string, Tensor>): Uint8Array {
  return writeSafetensors(
    [...tensors].map(([name, tensor]) => ({ name, tensor })),
    metadata,
  )
}

function configText(config: ModelConfig): string {
  return JSON.stringify(configToJson(config))
}

// ---------- round trips ----------

function roundTrip(t: ExecutionContext, config: ModelConfig, dtype: DType): void {
  const tensors = tensorsFor(config, dtype)
  const bytes = writeModelFile(config, tensors)
  const read = readModelFile(bytes)
  t.deepEqual(read.config, config)
  t.is(read.dtype, dtype)
  assertSameTensors(t, read.tensors, tensors)
}

test('round trip f32 without embedding', (t) => roundTrip(t, SMALL, 'f32'))
test('round trip f64 without embedding', (t) => roundTrip(t, SMALL, 'f64'))

test('round trip with embedding, labels and tokenizer', (t) => {
  const config = parseConfig({
    inputSize: 4,
    embedding: { vocabSize: 5 },
    layers: [{ hiddenSize: 3, bidirectional: true, cell: 'standard' }],
    head: { outputs: 3, bias: false, readout: 'last' },
    task: 'classification',
    labels: ['neg', 'neutral', 'pos'],
    tokenizer: { lowercase: true, vocab: ['<unk>', 'the', 'rock', 'é', '"quoted"'] },
  })
  roundTrip(t, config, 'f32')
  roundTrip(t, config, 'f64')
})

test('round trip of a stacked bidirectional model with readout each and regression', (t) => {
  const config = parseConfig({
    inputSize: 3,
    layers: [{ hiddenSize: 4, bidirectional: true }, { hiddenSize: 2 }, { hiddenSize: 3, bidirectional: true }],
    head: { outputs: 1, readout: 'each' },
    task: 'regression',
  })
  roundTrip(t, config, 'f32')
  roundTrip(t, config, 'f64')
})

for (const preset of Object.keys(PRESETS) as PresetName[]) {
  test(`round trip with preset ${preset}`, (t) => {
    const config = parseConfig({
      inputSize: 2,
      layers: [
        { hiddenSize: 3, cell: preset },
        { hiddenSize: 2, cell: { preset } },
      ],
      head: { outputs: 2 },
    })
    t.deepEqual(
      config.layers.map((layer) => layer.cell),
      [PRESETS[preset], PRESETS[preset]],
    )
    roundTrip(t, config, 'f32')
  })
}

test('round trip with cell overrides', (t) => {
  const config = parseConfig({
    inputSize: 2,
    layers: [
      {
        hiddenSize: 2,
        cell: { preset: 'lrp-nondecreasing', g: 'relu', gScale: 1.5, h: 'identity', hScale: 0.5, gates: { f: true }, connections: { f: { recurrent: true }, z: { recurrent: true } } },
      },
    ],
    head: { outputs: 1 },
  })
  const cell = (config.layers[0] as LayerConfig).cell as LstmCellConfig
  t.like(cell, { preset: 'lrp-nondecreasing', g: 'relu', gScale: 1.5, h: 'identity', hScale: 0.5 })
  t.deepEqual(cell.gates, { i: true, f: true, o: true })
  t.deepEqual(cell.connections, {
    z: { input: true, recurrent: true },
    i: { input: false, recurrent: true },
    f: { input: false, recurrent: true },
    o: { input: false, recurrent: true },
  })
  roundTrip(t, config, 'f64')
})

test('parseConfig fills every default', (t) => {
  t.deepEqual(parseConfig({ inputSize: 3, layers: [{ hiddenSize: 2 }], head: { outputs: 2 } }), {
    inputSize: 3,
    layers: [{ hiddenSize: 2, bidirectional: false, cell: PRESETS.standard }],
    head: { outputs: 2, bias: true, readout: 'last' },
    task: 'classification',
  })
  const withTokenizer = parseConfig({ inputSize: 3, embedding: { vocabSize: 1 }, layers: [{ hiddenSize: 2 }], head: { outputs: 1 }, tokenizer: { vocab: ['a'] } })
  t.deepEqual(withTokenizer.tokenizer, { lowercase: false, vocab: ['a'] })
})

test('configToJson writes full cells and round-trips through parseConfig', (t) => {
  const json = configToJson(SMALL) as { layers: [{ cell: unknown }] }
  t.deepEqual(json.layers[0].cell, {
    preset: 'standard',
    g: 'tanh',
    gScale: 1,
    h: 'tanh',
    hScale: 1,
    gates: { i: true, f: true, o: true },
    connections: { z: { input: true, recurrent: true }, i: { input: true, recurrent: true }, f: { input: true, recurrent: true }, o: { input: true, recurrent: true } },
  })
  t.deepEqual(parseConfig(JSON.parse(JSON.stringify(json))), SMALL)
  t.false('labels' in json || 'embedding' in json || 'tokenizer' in json)
})

test("a new model's biases per gate block are its preset's PRESET_BIASES (docs/METHODS.md § Training); absent blocks stay zero", async (t) => {
  t.deepEqual(PRESET_BIASES, {
    standard: { z: 0, i: 0, f: 1, o: 0 },
    'lrp-nondecreasing': { z: -1, i: -1, f: 1, o: -1 },
    markov: { z: -1, i: -1, f: 1, o: -1 },
    gateless: { z: -1, i: -1, f: 1, o: -1 },
  })
  t.true(Object.isFrozen(PRESET_BIASES.markov))
  const H = 2
  for (const preset of Object.keys(PRESETS) as PresetName[]) {
    const model = await createModel({ inputSize: 1, layers: [{ hiddenSize: H, cell: preset }], head: { outputs: 1 } })
    const b = model.weights.get('layers.0.fwd.b')!.data
    const expected = (['z', 'i', 'f', 'o'] as const).flatMap((block) => Array<number>(H).fill(block === 'z' || PRESETS[preset].gates[block] ? PRESET_BIASES[preset][block] : 0))
    t.deepEqual(Array.from(b), expected, preset)
    model.dispose()
  }
})

test('presets follow docs/METHODS.md, are frozen, and resolveCell returns fresh copies', (t) => {
  t.like(PRESETS['lrp-nondecreasing'], { g: 'sigmoid', gScale: 2, h: 'tanh', hScale: 1, gates: { i: true, f: false, o: true } })
  t.like(PRESETS['lrp-nondecreasing'].connections, { z: { input: true, recurrent: false }, i: { input: false, recurrent: true }, o: { input: false, recurrent: true } })
  t.deepEqual(PRESETS.markov.gates, { i: true, f: false, o: false })
  t.deepEqual(PRESETS.gateless.gates, { i: false, f: false, o: false })
  t.like(PRESETS.gateless, { g: 'sigmoid', gScale: 2, h: 'tanh', connections: { z: { input: true, recurrent: false } } })
  t.true(Object.isFrozen(PRESETS.standard.connections.z))
  const cell = resolveCell('markov', 'cell') as LstmCellConfig
  cell.gates.i = false
  t.true(PRESETS.markov.gates.i)
})

test('expectedTensors lists names and shapes in file order', (t) => {
  const config = parseConfig({
    inputSize: 5,
    embedding: { vocabSize: 7 },
    layers: [{ hiddenSize: 3, bidirectional: true }, { hiddenSize: 2 }],
    head: { outputs: 4 },
  })
  t.deepEqual(expectedTensors(config), [
    { name: 'embedding.weight', shape: [7, 5] },
    { name: 'layers.0.fwd.W', shape: [12, 5] },
    { name: 'layers.0.fwd.U', shape: [12, 3] },
    { name: 'layers.0.fwd.b', shape: [12] },
    { name: 'layers.0.bwd.W', shape: [12, 5] },
    { name: 'layers.0.bwd.U', shape: [12, 3] },
    { name: 'layers.0.bwd.b', shape: [12] },
    { name: 'layers.1.fwd.W', shape: [8, 6] },
    { name: 'layers.1.fwd.U', shape: [8, 2] },
    { name: 'layers.1.fwd.b', shape: [8] },
    { name: 'head.weight', shape: [4, 2] },
    { name: 'head.bias', shape: [4] },
  ])
})

test('writeSafetensors aligns the data, keeps tensor order and metadata', (t) => {
  const tensors = [
    { name: '10', tensor: makeTensor('f32', [3], 1) },
    { name: 'b', tensor: makeTensor('f32', [], 2) },
    { name: '2', tensor: makeTensor('f32', [0, 4], 3) },
  ]
  const bytes = writeSafetensors(tensors, { note: 'hé' })
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true))
  t.is((8 + headerLength) % 8, 0)
  const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))
  t.regex(headerText, /^\{"__metadata__".*"10".*"b".*"2".*\} *$/)
  const read = readSafetensors(bytes)
  t.deepEqual(read.metadata, { note: 'hé' })
  t.deepEqual([...read.tensors.keys()].sort(), ['10', '2', 'b'])
  t.deepEqual(Array.from(read.tensors.get('10')?.data ?? []), Array.from(tensors[0]?.tensor.data ?? []))
  t.deepEqual(read.tensors.get('b')?.shape, [])
  t.is(read.tensors.get('b')?.data.length, 1)
})

test('aligned tensors are zero-copy views, misaligned ones are copied', (t) => {
  const bytes = writeModelFile(SMALL, tensorsFor(SMALL, 'f64'))
  const aligned = readModelFile(bytes)
  for (const tensor of aligned.tensors.values()) t.is(tensor.data.buffer, bytes.buffer)

  const shifted = new Uint8Array(bytes.length + 1)
  shifted.set(bytes, 1)
  const misaligned = readModelFile(shifted.subarray(1))
  for (const tensor of misaligned.tensors.values()) t.not(tensor.data.buffer, shifted.buffer)
  assertSameTensors(t, misaligned.tensors, aligned.tensors)
})

test('readSafetensors accepts a file without metadata', (t) => {
  const data = new Uint8Array(new Float32Array([1, 2]).buffer)
  const read = readSafetensors(rawFile({ x: f32Entry([2], 0, 8) }, data))
  t.deepEqual(read.metadata, {})
  t.deepEqual(Array.from(read.tensors.get('x')?.data ?? []), [1, 2])
})

// ---------- safetensors errors ----------

const MODEL_FILE = 'E_MODEL_FILE'

test('rejects a truncated file', (t) => {
  expectError(t, MODEL_FILE, 'too short', () => readSafetensors(new Uint8Array(5)))
  const bytes = writeModelFile(SMALL, tensorsFor(SMALL))
  expectError(t, MODEL_FILE, /tensor "head\.bias": data_offsets \[\d+, \d+\] lie outside the data buffer of \d+ bytes \(truncated file\?\)/, () => readSafetensors(bytes.subarray(0, bytes.length - 4)))
  expectError(t, MODEL_FILE, 'runs past the end', () => readSafetensors(bytes.subarray(0, 20)))
})

test('rejects a header length beyond the file or over the limit', (t) => {
  expectError(t, MODEL_FILE, 'runs past the end', () => readSafetensors(rawFile('{}', new Uint8Array(0), 100n)))
  expectError(t, MODEL_FILE, 'header length 9007199254740992 exceeds the limit', () => readSafetensors(rawFile('{}', new Uint8Array(0), 2n ** 53n)))
  expectError(t, MODEL_FILE, 'exceeds the limit', () => readSafetensors(rawFile('{}', new Uint8Array(0), 2n ** 64n - 1n)))
  expectError(t, MODEL_FILE, 'exceeds the limit of 4 bytes', () => readSafetensors(rawFile('{   }'), { maxHeaderBytes: 4 }))
})

test('rejects a header that is not UTF-8, not JSON, or not an object', (t) => {
  const bytes = rawFile('{"a":1}')
  bytes[10] = 0xff
  expectError(t, MODEL_FILE, 'not valid UTF-8', () => readSafetensors(bytes))
  expectError(t, MODEL_FILE, 'not valid JSON', () => readSafetensors(rawFile('{"x": ')))
  expectError(t, MODEL_FILE, 'must be a JSON object, got an array', () => readSafetensors(rawFile('[]')))
  expectError(t, MODEL_FILE, 'must be a JSON object, got null', () => readSafetensors(rawFile('null')))
})

test('rejects duplicate tensor names and duplicate keys in an entry', (t) => {
  const data = new Uint8Array(8)
  expectError(t, MODEL_FILE, 'duplicate tensor name "x"', () => readSafetensors(rawFile('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\\u0078":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', data)))
  expectError(t, MODEL_FILE, 'duplicate key header.x.shape', () => readSafetensors(rawFile('{"x":{"dtype":"F32","shape":[1],"shape":[2],"data_offsets":[0,8]}}', data)))
  expectError(t, MODEL_FILE, 'duplicate key header.__metadata__.format', () => readSafetensors(rawFile('{"__metadata__":{"format":"a","format":"b"}}')))
})

test('rejects unsupported dtypes by name', (t) => {
  for (const dtype of ['BF16', 'I64', 'F16', 'constructor']) {
    expectError(t, MODEL_FILE, `tensor "x": unsupported dtype "${dtype}"`, () => readSafetensors(rawFile({ x: { dtype, shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8))))
  }
  expectError(t, MODEL_FILE, 'dtype must be a string', () => readSafetensors(rawFile({ x: { shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4))))
})

test('rejects malformed tensor entries', (t) => {
  const data = new Uint8Array(4)
  expectError(t, MODEL_FILE, 'tensor "x": entry must be an object', () => readSafetensors(rawFile({ x: [1] }, data)))
  expectError(t, MODEL_FILE, 'tensor "x": unknown key "extra"', () => readSafetensors(rawFile({ x: { ...f32Entry([1], 0, 4), extra: 1 } }, data)))
  for (const shape of [[-1], [1.5], ['1'], 1, [2 ** 53]]) {
    expectError(t, MODEL_FILE, 'tensor "x": shape must be an array of non-negative integers', () => readSafetensors(rawFile({ x: { dtype: 'F32', shape, data_offsets: [0, 4] } }, data)))
  }
  expectError(t, MODEL_FILE, 'data_offsets must be [begin, end]', () => readSafetensors(rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [0] } }, data)))
  expectError(t, MODEL_FILE, '__metadata__.format must be a string', () => readSafetensors(rawFile({ __metadata__: { format: 1 } })))
  expectError(t, MODEL_FILE, '__metadata__ must be an object', () => readSafetensors(rawFile({ __metadata__: 'x' })))
})

test('rejects a shape that does not match the byte span, including overflowing shapes', (t) => {
  expectError(t, MODEL_FILE, 'tensor "x": shape [3] of F32 needs 12 bytes but data_offsets [0, 8] span 8', () => readSafetensors(rawFile({ x: f32Entry([3], 0, 8) }, new Uint8Array(8))))
  expectError(t, MODEL_FILE, 'needs 4835703278458516698824704 bytes', () => readSafetensors(rawFile({ x: f32Entry([2 ** 40, 2 ** 40], 0, 8) }, new Uint8Array(8))))
  expectError(t, MODEL_FILE, 'needs 0 bytes', () => readSafetensors(rawFile({ x: f32Entry([2 ** 40, 0], 0, 8) }, new Uint8Array(8))))
})

test('rejects offsets outside the data buffer or reversed', (t) => {
  expectError(t, MODEL_FILE, 'tensor "x": data_offsets [0, 16] lie outside the data buffer of 8 bytes', () => readSafetensors(rawFile({ x: f32Entry([4], 0, 16) }, new Uint8Array(8))))
  expectError(t, MODEL_FILE, 'tensor "x": data_offsets begin 8 is after end 4', () => readSafetensors(rawFile({ x: f32Entry([1], 8, 4) }, new Uint8Array(8))))
  expectError(t, MODEL_FILE, 'lie outside', () => readSafetensors(rawFile({ x: f32Entry([1], 2 ** 53 - 5, 2 ** 53 - 1) }, new Uint8Array(8))))
})

test('rejects overlapping tensors, gaps and trailing bytes', (t) => {
  expectError(t, MODEL_FILE, /tensor "(a|b)" \[\d+, \d+\] overlaps tensor "(a|b)"/, () => readSafetensors(rawFile({ a: f32Entry([2], 0, 8), b: f32Entry([2], 4, 12) }, new Uint8Array(12))))
  expectError(t, MODEL_FILE, 'overlaps tensor "a"', () => readSafetensors(rawFile({ a: f32Entry([2], 0, 8), b: f32Entry([2], 0, 8) }, new Uint8Array(8))))
  expectError(t, MODEL_FILE, 'gap in the data buffer: bytes [0, 4) before tensor "a"', () => readSafetensors(rawFile({ a: f32Entry([1], 4, 8) }, new Uint8Array(8))))
  expectError(t, MODEL_FILE, '4 trailing bytes', () => readSafetensors(rawFile({ a: f32Entry([1], 0, 4) }, new Uint8Array(8))))
})

test('writeSafetensors rejects inconsistent input', (t) => {
  const tensor = makeTensor('f32', [2], 0)
  expectError(t, MODEL_FILE, 'duplicate tensor name "x"', () =>
    writeSafetensors(
      [
        { name: 'x', tensor },
        { name: 'x', tensor },
      ],
      {},
    ),
  )
  expectError(t, MODEL_FILE, 'reserved', () => writeSafetensors([{ name: '__metadata__', tensor }], {}))
  expectError(t, MODEL_FILE, 'has 3 elements but data has 2', () => writeSafetensors([{ name: 'x', tensor: { ...tensor, shape: [3] } }], {}))
  expectError(t, MODEL_FILE, 'dtype f64 but data is a Float32Array', () => writeSafetensors([{ name: 'x', tensor: { ...tensor, dtype: 'f64' } }], {}))
})

// ---------- model file errors ----------

test('rejects a missing or wrong format', (t) => {
  const tensors = tensorsFor(SMALL)
  expectError(t, MODEL_FILE, '__metadata__.format is missing', () => readModelFile(modelFileWith({ config: configText(SMALL) }, tensors)))
  expectError(t, MODEL_FILE, 'unsupported model format "lstm-lrp/2"', () => readModelFile(modelFileWith({ format: 'lstm-lrp/2', config: configText(SMALL) }, tensors)))
})

test('rejects a missing, invalid or duplicated config', (t) => {
  const tensors = tensorsFor(SMALL)
  expectError(t, MODEL_FILE, '__metadata__.config is missing', () => readModelFile(modelFileWith({ format: 'lstm-lrp/1' }, tensors)))
  expectError(t, MODEL_FILE, '__metadata__.config is not valid JSON', () => readModelFile(modelFileWith({ format: 'lstm-lrp/1', config: '{"inputSize": 3,' }, tensors)))
  const duplicated = '{"inputSize":3,"layers":[{"hiddenSize":2,"hiddenSize":3}],"head":{"outputs":2}}'
  expectError(t, MODEL_FILE, 'duplicate key config.layers[0].hiddenSize', () => readModelFile(modelFileWith({ format: 'lstm-lrp/1', config: duplicated }, tensors)))
})

test('reports config errors from a file as E_CONFIG with the path', (t) => {
  const json = configToJson(SMALL) as { layers: [{ cell: { gates: Record<string, boolean> } }] }
  json.layers[0].cell.gates.x = true
  expectError(t, 'E_CONFIG', 'config.layers[0].cell.gates.x: unknown key', () => readModelFile(modelFileWith({ format: 'lstm-lrp/1', config: JSON.stringify(json) }, tensorsFor(SMALL))))
})

test('rejects missing, extra and wrongly shaped tensors', (t) => {
  const metadata = { format: 'lstm-lrp/1', config: configText(SMALL) }
  const missing = tensorsFor(SMALL)
  missing.delete('layers.0.fwd.U')
  expectError(t, MODEL_FILE, 'missing tensor "layers.0.fwd.U" (expected shape [8, 2])', () => readModelFile(modelFileWith(metadata, missing)))
  const extra = tensorsFor(SMALL)
  extra.set('layers.0.bwd.W', makeTensor('f32', [8, 3], 9))
  expectError(t, MODEL_FILE, 'unexpected tensor "layers.0.bwd.W"', () => readModelFile(modelFileWith(metadata, extra)))
  const wrong = tensorsFor(SMALL)
  wrong.set('layers.0.fwd.W', makeTensor('f32', [8, 4], 9))
  expectError(t, MODEL_FILE, 'tensor "layers.0.fwd.W": expected shape [8, 3], got [8, 4]', () => readModelFile(modelFileWith(metadata, wrong)))
  const noBias = parseConfig({ ...configToJson(SMALL), head: { outputs: 2, bias: false } })
  expectError(t, MODEL_FILE, 'unexpected tensor "head.bias"', () => checkTensors(noBias, tensorsFor(SMALL)))
})

test('rejects mixed dtypes naming the odd tensor', (t) => {
  const tensors = tensorsFor(SMALL)
  tensors.set('head.bias', makeTensor('f64', [2], 1))
  expectError(t, MODEL_FILE, 'mixed dtypes: tensor "head.bias" is f64 but "layers.0.fwd.W" is f32', () => readModelFile(modelFileWith({ format: 'lstm-lrp/1', config: configText(SMALL) }, tensors)))
})

test('rejects non-finite values naming the tensor and flat index', (t) => {
  for (const [value, dtype] of [
    [Number.NaN, 'f32'],
    [Number.POSITIVE_INFINITY, 'f64'],
    [Number.NEGATIVE_INFINITY, 'f32'],
  ] as const) {
    const tensors = tensorsFor(SMALL, dtype)
    ;(tensors.get('layers.0.fwd.U') as Tensor).data[5] = value
    expectError(t, MODEL_FILE, `tensor "layers.0.fwd.U" holds a non-finite value (${value}) at flat index 5`, () => readModelFile(modelFileWith({ format: 'lstm-lrp/1', config: configText(SMALL) }, tensors)))
    expectError(t, MODEL_FILE, 'at flat index 5', () => writeModelFile(SMALL, tensors))
  }
})

test('writeModelFile validates the config and the tensors first', (t) => {
  const broken: ModelConfig = { ...SMALL, layers: [{ ...(SMALL.layers[0] as LayerConfig), hiddenSize: 0 }] }
  expectError(t, 'E_CONFIG', 'config.layers[0].hiddenSize: expected an integer from 1 to 65536, got 0', () => writeModelFile(broken, tensorsFor(SMALL)))
  const tensors = tensorsFor(SMALL)
  const head = tensors.get('head.weight') as Tensor
  tensors.set('head.weight', { ...head, data: head.data.subarray(1) })
  expectError(t, MODEL_FILE, 'tensor "head.weight": shape [2, 2] has 4 elements but data has 3', () => writeModelFile(SMALL, tensors))
  tensors.set('head.weight', { ...head, data: new Float64Array(4) })
  expectError(t, MODEL_FILE, 'dtype f32 but data is a Float64Array', () => writeModelFile(SMALL, tensors))
})

// ---------- config errors ----------

const CONFIG = 'E_CONFIG'
const base = { inputSize: 3, layers: [{ hiddenSize: 2 }], head: { outputs: 2 } }

test('config: rejects unknown keys anywhere, naming the path', (t) => {
  expectError(t, CONFIG, 'config.extra: unknown key', () => parseConfig({ ...base, extra: 1 }))
  expectError(t, CONFIG, 'config.head.softmax: unknown key (allowed: outputs, bias, readout)', () => parseConfig({ ...base, head: { outputs: 2, softmax: true } }))
  expectError(t, CONFIG, 'config.embedding.dim: unknown key', () => parseConfig({ ...base, embedding: { vocabSize: 2, dim: 3 } }))
  expectError(t, CONFIG, 'config.layers[1].cell.gates.x: unknown key', () => parseConfig({ ...base, layers: [{ hiddenSize: 2 }, { hiddenSize: 2, cell: { gates: { x: true } } }] }))
  expectError(t, CONFIG, 'config.layers[0].cell.connections.z.bias: unknown key', () => parseConfig({ ...base, layers: [{ hiddenSize: 2, cell: { connections: { z: { bias: true } } } }] }))
  expectError(t, CONFIG, 'config.layers[0].cell.connections.g: unknown key', () => parseConfig({ ...base, layers: [{ hiddenSize: 2, cell: { connections: { g: {} } } }] }))
  expectError(t, CONFIG, 'config.tokenizer.lower: unknown key', () => parseConfig({ ...base, embedding: { vocabSize: 1 }, tokenizer: { vocab: ['a'], lower: true } }))
  expectError(t, CONFIG, 'config.__proto__: unknown key', () => parseConfig(JSON.parse('{"inputSize":3,"__proto__":{}}')))
})

test('config: rejects missing keys and wrong types', (t) => {
  expectError(t, CONFIG, 'config: expected an object, got an array', () => parseConfig([]))
  expectError(t, CONFIG, 'config: expected an object, got null', () => parseConfig(null))
  expectError(t, CONFIG, 'config.inputSize: missing', () => parseConfig({ layers: base.layers, head: base.head }))
  expectError(t, CONFIG, 'config.layers: missing', () => parseConfig({ inputSize: 3, head: base.head }))
  expectError(t, CONFIG, 'config.head.outputs: missing', () => parseConfig({ ...base, head: {} }))
  expectError(t, CONFIG, 'config.inputSize: expected an integer from 1 to 65536, got "3"', () => parseConfig({ ...base, inputSize: '3' }))
  expectError(t, CONFIG, 'config.layers: expected an array of layers, got an object', () => parseConfig({ ...base, layers: {} }))
  expectError(t, CONFIG, 'config.layers[0]: expected an object, got 2', () => parseConfig({ ...base, layers: [2] }))
  expectError(t, CONFIG, 'config.layers[0].bidirectional: expected true or false, got "yes"', () => parseConfig({ ...base, layers: [{ hiddenSize: 2, bidirectional: 'yes' }] }))
  expectError(t, CONFIG, 'config.head.bias: expected true or false, got 1', () => parseConfig({ ...base, head: { outputs: 2, bias: 1 } }))
  expectError(t, CONFIG, 'config.layers[0].cell: expected an object, got null', () => parseConfig({ ...base, layers: [{ hiddenSize: 2, cell: null }] }))
  expectError(t, CONFIG, 'config.layers[0].cell.gates.f: expected true or false', () => parseConfig({ ...base, layers: [{ hiddenSize: 2, cell: { gates: { f: 0 } } }] }))
})

test('config: rejects non-positive, non-integer and oversized sizes', (t) => {
  for (const size of [0, -1, 2.5, Number.NaN, 65537]) {
    expectError(t, CONFIG, 'config.layers[0].hiddenSize: expected an integer from 1 to 65536', () => parseConfig({ ...base, layers: [{ hiddenSize: size }] }))
  }
  expectError(t, CONFIG, 'config.inputSize: expected an integer from 1 to 65536, got 0', () => parseConfig({ ...base, inputSize: 0 }))
  expectError(t, CONFIG, 'config.head.outputs: expected an integer from 1 to 65536, got 100000', () => parseConfig({ ...base, head: { outputs: 100000 } }))
  expectError(t, CONFIG, 'config.embedding.vocabSize: expected an integer from 1 to 50000000, got 50000001', () => parseConfig({ ...base, embedding: { vocabSize: 50_000_001 } }))
  expectError(t, CONFIG, 'config.layers: needs at least one layer', () => parseConfig({ ...base, layers: [] }))
  expectError(t, CONFIG, 'config.layers: 65 layers exceed the limit of 64', () => parseConfig({ ...base, layers: Array.from({ length: 65 }, () => ({ hiddenSize: 1 })) }))
})

test('config: rejects unknown names, listing the allowed ones', (t) => {
  expectError(t, CONFIG, 'config.layers[0].cell: unknown preset "lstm" (allowed: "standard", "lrp-nondecreasing", "markov", "gateless")', () => parseConfig({ ...base, layers: [{ hiddenSize: 2, cell: 'lstm' }] }))
  expectError(t, CONFIG, 'config.layers[0].cell.preset: unknown preset "toString"', () => parseConfig({ ...base, layers: [{ hiddenSize: 2, cell: { preset: 'toString' } }] }))
  expectError(t, CONFIG, 'config.layers[0].cell.g: unknown activation "gelu" (allowed: "tanh", "sigmoid", "relu", "identity")', () => parseConfig({ ...base, layers: [{ hiddenSize: 2, cell: { g: 'gelu' } }] }))
  expectError(t, CONFIG, 'config.layers[0].cell.h: unknown activation "relu" (allowed: "tanh", "identity")', () => parseConfig({ ...base, layers: [{ hiddenSize: 2, cell: { h: 'relu' } }] }))
  expectError(t, CONFIG, 'config.head.readout: unknown readout "first" (allowed: "last", "each")', () => parseConfig({ ...base, head: { outputs: 2, readout: 'first' } }))
  expectError(t, CONFIG, 'config.task: unknown task "ranking" (allowed: "classification", "regression")', () => parseConfig({ ...base, task: 'ranking' }))
})

test('config: rejects bad activation scales', (t) => {
  // Above 1000 a scale only overflows (1e308 gave Infinity natively and NaN in WASM).
  for (const scale of [0, -1, Number.POSITIVE_INFINITY, '2', 1000.5, 1e308]) {
    expectError(t, CONFIG, 'config.layers[0].cell.gScale: expected a number in (0, 1000]', () => parseConfig({ ...base, layers: [{ hiddenSize: 2, cell: { gScale: scale } }] }))
    expectError(t, CONFIG, 'config.layers[0].cell.hScale: expected a number in (0, 1000]', () => parseConfig({ ...base, layers: [{ hiddenSize: 2, cell: { hScale: scale } }] }))
  }
})

test('config: labels must match the head outputs', (t) => {
  expectError(t, CONFIG, 'config.labels: has 3 labels but config.head.outputs is 2', () => parseConfig({ ...base, labels: ['a', 'b', 'c'] }))
  expectError(t, CONFIG, 'config.labels[1]: expected a string, got 2', () => parseConfig({ ...base, labels: ['a', 2] }))
  expectError(t, CONFIG, 'config.labels: expected an array of strings', () => parseConfig({ ...base, labels: 'a,b' }))
})

test('config: tokenizer needs an embedding of the same vocabulary size', (t) => {
  expectError(t, CONFIG, 'config.tokenizer: a tokenizer requires an embedding', () => parseConfig({ ...base, tokenizer: { vocab: ['a'] } }))
  expectError(t, CONFIG, 'config.tokenizer.vocab: has 2 tokens but config.embedding.vocabSize is 3', () => parseConfig({ ...base, embedding: { vocabSize: 3 }, tokenizer: { vocab: ['a', 'b'] } }))
  expectError(t, CONFIG, 'config.tokenizer.vocab: missing', () => parseConfig({ ...base, embedding: { vocabSize: 3 }, tokenizer: {} }))
  expectError(t, CONFIG, 'config.tokenizer.lowercase: expected true or false, got "yes"', () => parseConfig({ ...base, embedding: { vocabSize: 1 }, tokenizer: { vocab: ['a'], lowercase: 'yes' } }))
  expectError(t, CONFIG, 'config.tokenizer.vocab[0]: expected a string, got null', () => parseConfig({ ...base, embedding: { vocabSize: 1 }, tokenizer: { vocab: [null] } }))
})

test('metadata keys are plain data, even "__proto__"', (t) => {
  const read = readSafetensors(rawFile('{"__metadata__":{"__proto__":"x","format":"y"}}'))
  t.is(Object.getOwnPropertyDescriptor(read.metadata, '__proto__')?.value, 'x')
  t.is(read.metadata.format, 'y')
})

test('error messages quote untrusted values only in short excerpts', (t) => {
  const dtype = 'X'.repeat(10_000)
  const error = t.throws(() => readSafetensors(rawFile({ x: { dtype, shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4))), { instanceOf: LstmLrpError })
  t.true((error?.message.length ?? Infinity) < 200)
  const configError = t.throws(() => parseConfig({ ...base, task: dtype }), { instanceOf: LstmLrpError })
  t.true((configError?.message.length ?? Infinity) < 200)
})
