// Unsupported and damaged models: every one is an LstmLrpError naming what is wrong, never a crash.
import test, { type ExecutionContext } from 'ava'
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import onnxProto from 'onnx-proto'
import { importModel, loadModel, LstmLrpError, type ImportFormat } from '../lib/index.js'
import { readSafetensors, writeSafetensors } from '../lib/model/safetensors.js'
import type { Tensor } from '../lib/model/types.js'

const { onnx } = onnxProto
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'import')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-import-'))
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(fixtures, name)))

async function rejects(t: ExecutionContext, source: string | Uint8Array, format: ImportFormat, message: RegExp, hint?: unknown): Promise<void> {
  const error = await t.throwsAsync(() => importModel(source, format, hint), { instanceOf: LstmLrpError, message })
  t.log(error?.message)
}

// PyTorch state_dicts

function editedStateDict(name: string, edit: (tensors: Map<string, Tensor>) => void): Uint8Array {
  const tensors = new Map(readSafetensors(fixture(name)).tensors)
  edit(tensors)
  return writeSafetensors(
    [...tensors].map(([key, tensor]) => ({ name: key, tensor })),
    {},
  )
}

test('pytorch: a projection (proj_size > 0) is rejected by name', async (t) => {
  await rejects(t, fixture('torch-proj.safetensors'), 'pytorch', /weight_hr_l0.*proj_size > 0.*not supported/)
})

test('pytorch: a recurrent module with neither 4 (LSTM) nor 3 (GRU) gate blocks, or with both kinds of layers, fails on the gate count', async (t) => {
  const twoBlocks = editedStateDict('torch-uni.safetensors', (tensors) => {
    const weight = tensors.get('lstm.weight_hh_l0') as Tensor
    tensors.set('lstm.weight_hh_l0', { ...weight, shape: [8, 4], data: weight.data.subarray(0, 32) })
  })
  await rejects(t, twoBlocks, 'pytorch', /lstm\.weight_hh_l0.*an LSTM has 4 gate blocks and a GRU 3.*got \[8, 4\]/)
  const gruOnTop = editedStateDict('torch-uni2-nobias.safetensors', (tensors) => {
    const weight = tensors.get('lstm.weight_hh_l1') as Tensor
    tensors.set('lstm.weight_hh_l1', { ...weight, shape: [12, 4], data: weight.data.subarray(0, 48) })
  })
  await rejects(t, gruOnTop, 'pytorch', /"lstm\.weight_hh_l1" has 3 gate blocks \(GRU\) but layer 0 of "lstm\." has 4 \(LSTM\)/)
})

test('pytorch: a GRU with one of its two biases, or a bias of the wrong size, is named', async (t) => {
  const oneBias = editedStateDict('torch-gru.safetensors', (tensors) => tensors.delete('gru.bias_hh_l0'))
  await rejects(t, oneBias, 'pytorch', /missing tensor "gru\.bias_hh_l0".*recurrent bias.*\[12\]/)
  const short = editedStateDict('torch-gru.safetensors', (tensors) => {
    const bias = tensors.get('gru.bias_ih_l0') as Tensor
    tensors.set('gru.bias_ih_l0', { ...bias, shape: [8], data: bias.data.subarray(0, 8) })
  })
  await rejects(t, short, 'pytorch', /tensor "gru\.bias_ih_l0" \(layer 0 input bias\): expected shape \[12\], got \[8\]/)
})

test('pytorch: a missing tensor is named, with the shape it needs', async (t) => {
  const bytes = editedStateDict('torch-uni.safetensors', (tensors) => tensors.delete('lstm.bias_hh_l0'))
  await rejects(t, bytes, 'pytorch', /missing tensor "lstm\.bias_hh_l0".*\[16\]/)
  const noReverse = editedStateDict('torch-bi-each.safetensors', (tensors) => tensors.delete('lstm.weight_hh_l0_reverse'))
  await rejects(t, noReverse, 'pytorch', /missing tensor "lstm\.weight_hh_l0_reverse"/)
})

test('pytorch: a tensor of the wrong shape is named with both shapes', async (t) => {
  const bytes = editedStateDict('torch-uni.safetensors', (tensors) => {
    const weight = tensors.get('lstm.weight_ih_l0') as Tensor
    tensors.set('lstm.weight_ih_l0', { ...weight, shape: [12, 4], data: weight.data.subarray(0, 48) })
  })
  await rejects(t, bytes, 'pytorch', /"lstm\.weight_ih_l0".*expected shape \[16, 4\], got \[12, 4\]/)
})

test('pytorch: tensors outside Embedding → LSTM → Linear are an error unless the parts are named', async (t) => {
  const extra = editedStateDict('torch-uni.safetensors', (tensors) => tensors.set('norm.scale', { dtype: 'f32', shape: [4], data: new Float32Array(4) }))
  await rejects(t, extra, 'pytorch', /"norm\.scale" are not part of/)
  const imported = await importModel(extra, 'pytorch', { names: { lstm: 'lstm.', head: 'fc.' } })
  t.deepEqual(imported.notes, ['ignored tensors "norm.scale"'])
})

test('pytorch: wrong names in the hint, and unknown hint keys, are errors', async (t) => {
  await rejects(t, fixture('torch-uni.safetensors'), 'pytorch', /no nn\.LSTM or nn\.GRU under the prefix "rnn\."/, { names: { lstm: 'rnn.' } })
  await rejects(t, fixture('torch-uni.safetensors'), 'pytorch', /missing tensor "classifier\.weight"/, { names: { head: 'classifier.' } })
  await t.throwsAsync(() => importModel(fixture('torch-uni.safetensors'), 'pytorch', { readouts: 'each' }), { instanceOf: LstmLrpError, message: /unknown key readouts/ })
  await t.throwsAsync(() => importModel(fixture('torch-uni.safetensors'), 'pytorch', { labels: ['one'] }), { instanceOf: LstmLrpError, message: /labels.*1 labels.*outputs is 2/ })
})

test('pytorch: files that are not safetensors, or are cut short', async (t) => {
  await rejects(t, fixture('torch-uni.onnx'), 'pytorch', /safetensors: /)
  const bytes = fixture('torch-uni.safetensors')
  await rejects(t, bytes.subarray(0, bytes.length - 7), 'pytorch', /safetensors: /)
})

// Keras 3 .keras files

function editedKeras(name: string, edit: (entries: Record<string, Uint8Array>) => void): Uint8Array {
  const entries = unzipSync(fixture(name))
  edit(entries)
  return zipSync(entries)
}

function editKerasConfig(entries: Record<string, Uint8Array>, edit: (layers: { class_name: string; config: Record<string, unknown> }[]) => void): void {
  const config = JSON.parse(strFromU8(entries['config.json']))
  edit(config.config.layers)
  entries['config.json'] = strToU8(JSON.stringify(config))
}

test('keras: activations the cell cannot express, and other recurrent layers', async (t) => {
  await rejects(t, fixture('keras-relu.keras'), 'keras', /activation "relu" is not supported.*tanh or identity/)
  await rejects(t, fixture('keras-hard-sigmoid.keras'), 'keras', /recurrent_activation "hard_sigmoid" is not supported/)
  await rejects(t, fixture('keras-gru-relu.keras'), 'keras', /layer "gru\w*": activation "relu" is not supported \(lstm-lrp's GRU candidate uses tanh\)/)
  const simpleRnn = editedKeras('keras-gru.keras', (entries) =>
    editKerasConfig(entries, (layers) => {
      layers[1].class_name = 'SimpleRNN'
    }),
  )
  await rejects(t, simpleRnn, 'keras', /expected an LSTM or GRU layer \(or a Bidirectional one\), found SimpleRNN/)
})

test('keras: GRU settings lstm-lrp cannot express, and a bias that does not fit reset_after', async (t) => {
  const hardSigmoid = editedKeras('keras-gru.keras', (entries) =>
    editKerasConfig(entries, (layers) => {
      layers[1].config.recurrent_activation = 'hard_sigmoid'
    }),
  )
  await rejects(t, hardSigmoid, 'keras', /layer "gru\w*": recurrent_activation "hard_sigmoid" is not supported/)
  const resetMode = editedKeras('keras-gru.keras', (entries) =>
    editKerasConfig(entries, (layers) => {
      layers[1].config.reset_after = 'sometimes'
    }),
  )
  await rejects(t, resetMode, 'keras', /reset_after must be true or false/)
  // The weights were made with reset_after=True: a bias [2, 12] where reset_after=False needs [12].
  const resetBefore = editedKeras('keras-gru.keras', (entries) =>
    editKerasConfig(entries, (layers) => {
      layers[1].config.reset_after = false
    }),
  )
  await rejects(t, resetBefore, 'keras', /weight "bias" has shape \[2, 12\], expected \[12\]/)
  // Absent, reset_after is Keras' default, true: weights made with reset_after=False have a bias [9] where [2, 9] is needed.
  const defaultMode = editedKeras('keras-gru-before-bi.keras', (entries) =>
    editKerasConfig(entries, (layers) => {
      const wrapper = layers[1].config as { layer: { config: Record<string, unknown> }; backward_layer: { config: Record<string, unknown> } }
      delete wrapper.layer.config.reset_after
      delete wrapper.backward_layer.config.reset_after
    }),
  )
  await rejects(t, defaultMode, 'keras', /weight "bias" has shape \[9\], expected \[2, 9\]/)
  const mixedDirections = editedKeras('keras-gru-before-bi.keras', (entries) =>
    editKerasConfig(entries, (layers) => {
      const wrapper = layers[1].config as { layer: { config: Record<string, unknown> }; backward_layer: { config: Record<string, unknown> } }
      wrapper.backward_layer.config.reset_after = true
    }),
  )
  await rejects(t, mixedDirections, 'keras', /the backward layer differs from the forward one in units, activations or reset_after/)
})

test('keras: unsupported layer settings are named', async (t) => {
  const sum = editedKeras('keras-bi2-emb.keras', (entries) =>
    editKerasConfig(entries, (layers) => {
      layers[2].config.merge_mode = 'sum'
    }),
  )
  await rejects(t, sum, 'keras', /merge_mode "sum" is not supported/)
  const sigmoidHead = editedKeras('keras-uni.keras', (entries) =>
    editKerasConfig(entries, (layers) => {
      layers[2].config.activation = 'sigmoid'
    }),
  )
  await rejects(t, sigmoidHead, 'keras', /Dense activation "sigmoid" is not supported/)
  const extra = editedKeras('keras-uni.keras', (entries) =>
    editKerasConfig(entries, (layers) => {
      layers.splice(2, 0, { class_name: 'LayerNormalization', config: { name: 'norm' } })
    }),
  )
  await rejects(t, extra, 'keras', /LayerNormalization after the recurrent layers is not supported/)
})

test('keras: weights that do not match the config name the layer, the weight and the shapes', async (t) => {
  const wider = editedKeras('keras-uni.keras', (entries) =>
    editKerasConfig(entries, (layers) => {
      layers[1].config.units = 5
    }),
  )
  await rejects(t, wider, 'keras', /layer "lstm\w*": weight "kernel" has shape \[3, 16\], expected \[3, 20\].*4 gate blocks/)
})

test('keras: damaged archives', async (t) => {
  await rejects(t, fixture('torch-uni.onnx'), 'keras', /not a \.keras file: cannot unzip/)
  const noWeights = editedKeras('keras-uni.keras', (entries) => delete entries['model.weights.h5'])
  await rejects(t, noWeights, 'keras', /no model\.weights\.h5/)
  const garbage = editedKeras('keras-uni.keras', (entries) => {
    entries['model.weights.h5'] = strToU8('not hdf5 at all')
  })
  await rejects(t, garbage, 'keras', /model\.weights\.h5 is not a readable HDF5 file/)
  const badJson = editedKeras('keras-uni.keras', (entries) => {
    entries['config.json'] = strToU8('{')
  })
  await rejects(t, badJson, 'keras', /config\.json is not valid JSON/)
})

// TF.js layers models

function tfjsCopy(name: string, edit: (json: Record<string, unknown>, folder: string) => void): string {
  const folder = mkdtempSync(path.join(work, 'tfjs-'))
  copyFileSync(path.join(fixtures, name, 'group1-shard1of1.bin'), path.join(folder, 'group1-shard1of1.bin'))
  const json = JSON.parse(readFileSync(path.join(fixtures, name, 'model.json'), 'utf8'))
  edit(json, folder)
  writeFileSync(path.join(folder, 'model.json'), JSON.stringify(json))
  return path.join(folder, 'model.json')
}

test('tfjs: activations and layers lstm-lrp cannot express', async (t) => {
  await rejects(t, path.join(fixtures, 'keras-relu-tfjs/model.json'), 'tfjs', /activation "relu" is not supported/)
  await rejects(t, path.join(fixtures, 'keras-hard-sigmoid-tfjs/model.json'), 'tfjs', /recurrent_activation "hard_sigmoid"/)
  await rejects(t, path.join(fixtures, 'keras-gru-relu-tfjs/model.json'), 'tfjs', /activation "relu" is not supported \(lstm-lrp's GRU candidate uses tanh\)/)
})

test("tfjs: a GRU without reset_after resets before, as TF.js' own GRU does", async (t) => {
  // keras-gru-tfjs was converted from a reset_after=True GRU: its bias [2, 12] does not fit a GRU resetting before.
  const absent = tfjsCopy('keras-gru-tfjs', (json) => {
    const layers = ((json.modelTopology as Record<string, Record<string, unknown>>).model_config.config as { layers: { class_name: string; config: Record<string, unknown> }[] }).layers
    delete layers.find((layer) => layer.class_name === 'GRU')!.config.reset_after
  })
  await rejects(t, absent, 'tfjs', /weight "bias" has shape \[2, 12\], expected \[12\]/)
})

test('tfjs: missing, short and escaping shards, quantized weights', async (t) => {
  type Manifest = { paths: string[]; weights: Record<string, unknown>[] }[]
  const missing = tfjsCopy('keras-uni-tfjs', (json) => {
    ;(json.weightsManifest as Manifest)[0].paths = ['gone.bin']
  })
  await rejects(t, missing, 'tfjs', /cannot read .*gone\.bin/)
  const short = tfjsCopy('keras-uni-tfjs', (_, folder) => {
    const shard = path.join(folder, 'group1-shard1of1.bin')
    writeFileSync(shard, readFileSync(shard).subarray(0, 100))
  })
  await rejects(t, short, 'tfjs', /runs past the end of its shards \(100 bytes\)/)
  const escaping = tfjsCopy('keras-uni-tfjs', (json) => {
    ;(json.weightsManifest as Manifest)[0].paths = ['../../etc/passwd']
  })
  await rejects(t, escaping, 'tfjs', /points outside the folder of model\.json/)
  const quantized = tfjsCopy('keras-uni-tfjs', (json) => {
    ;(json.weightsManifest as Manifest)[0].weights[0].quantization = { dtype: 'uint8' }
  })
  await rejects(t, quantized, 'tfjs', /is quantized/)
  const missingWeight = tfjsCopy('keras-uni-tfjs', (json) => {
    const group = (json.weightsManifest as Manifest)[0]
    group.weights = group.weights.map((weight) => (String(weight.name).endsWith('recurrent_kernel') ? { ...weight, name: 'other/recurrent_kernel' } : weight))
  })
  await rejects(t, missingWeight, 'tfjs', /missing weight "recurrent_kernel"/)
})

test('tfjs: graph models and broken model.json', async (t) => {
  const graph = tfjsCopy('keras-uni-tfjs', (json) => {
    json.format = 'graph-model'
  })
  await rejects(t, graph, 'tfjs', /only TF\.js layers models/)
  const folder = mkdtempSync(path.join(work, 'tfjs-'))
  writeFileSync(path.join(folder, 'model.json'), '{"format": ')
  await rejects(t, path.join(folder, 'model.json'), 'tfjs', /model\.json is not valid JSON/)
  await t.throwsAsync(() => importModel(fixture('torch-uni.onnx'), 'tfjs'), { instanceOf: LstmLrpError, message: /path of its model\.json/ })
})

// ONNX graphs

function editedOnnx(name: string, edit: (model: InstanceType<typeof onnx.ModelProto>) => void): Uint8Array {
  const model = onnx.ModelProto.decode(fixture(name))
  edit(model)
  return onnx.ModelProto.encode(model).finish()
}

function lstmNode(model: InstanceType<typeof onnx.ModelProto>): InstanceType<typeof onnx.NodeProto> {
  return model.graph!.node!.find((node) => node.opType === 'LSTM') as InstanceType<typeof onnx.NodeProto>
}

test('onnx: peepholes, a bidirectional output[:, -1] head and unrolled LSTMs are rejected with the reason', async (t) => {
  await rejects(t, fixture('torch-peephole.onnx'), 'onnx', /LSTM node .*peephole connections \(input P\) are not supported/)
  await rejects(t, fixture('torch-bi-output-last.onnx'), 'onnx', /output\[:, -1\] of a bidirectional LSTM.*h_n/)
  await rejects(t, fixture('keras-linear-tf2onnx.onnx'), 'onnx', /Loop rather than the LSTM or GRU operator/)
  // tf2onnx maps only reset_after=True GRUs onto the GRU operator.
  await rejects(t, fixture('keras-gru-before-bi-tf2onnx.onnx'), 'onnx', /Loop rather than the LSTM or GRU operator/)
})

function gruNode(model: InstanceType<typeof onnx.ModelProto>): InstanceType<typeof onnx.NodeProto> {
  return model.graph!.node!.find((node) => node.opType === 'GRU') as InstanceType<typeof onnx.NodeProto>
}

test('onnx: GRU activations, clipping, reverse direction and initial states the cell cannot express', async (t) => {
  const activations = (names: string[]) =>
    editedOnnx('torch-gru.onnx', (model) =>
      gruNode(model).attribute.push(onnx.AttributeProto.create({ name: 'activations', type: onnx.AttributeProto.AttributeType.STRINGS, strings: names.map((name) => strToU8(name)) })),
    )
  await rejects(t, activations(['HardSigmoid', 'Tanh']), 'onnx', /GRU node .*activations HardSigmoid, Tanh are not supported \(only Sigmoid, Tanh per direction\)/)
  await rejects(t, activations(['Sigmoid', 'Relu']), 'onnx', /activations Sigmoid, Relu are not supported/)
  const clip = editedOnnx('torch-gru.onnx', (model) => gruNode(model).attribute.push(onnx.AttributeProto.create({ name: 'clip', type: onnx.AttributeProto.AttributeType.FLOAT, f: 3 })))
  await rejects(t, clip, 'onnx', /GRU node .*attribute clip is not supported/)
  const reverse = editedOnnx('torch-gru.onnx', (model) => gruNode(model).attribute.push(onnx.AttributeProto.create({ name: 'direction', type: onnx.AttributeProto.AttributeType.STRING, s: strToU8('reverse') })))
  await rejects(t, reverse, 'onnx', /a reverse-only GRU is not supported/)
  const state = editedOnnx('torch-gru.onnx', (model) => {
    model.graph!.initializer!.push(onnx.TensorProto.create({ name: 'h0', dims: [1, 1, 4], dataType: 1, floatData: [1, 0, 0, 0] }))
    gruNode(model).input![5] = 'h0'
  })
  await rejects(t, state, 'onnx', /GRU node .*initial_h must be zero/)
  const hidden = editedOnnx('torch-gru.onnx', (model) => {
    gruNode(model).attribute.find((attribute) => attribute.name === 'hidden_size')!.i = 3
  })
  await rejects(t, hidden, 'onnx', /W has shape \[1, 12, 3\], expected \[1, 9, 3\] \(a GRU has 3 gate blocks/)
})

test('onnx: LSTM attributes the cell cannot express', async (t) => {
  const clip = editedOnnx('torch-uni.onnx', (model) => lstmNode(model).attribute.push(onnx.AttributeProto.create({ name: 'clip', type: onnx.AttributeProto.AttributeType.FLOAT, f: 3 })))
  await rejects(t, clip, 'onnx', /attribute clip is not supported/)
  const hardSigmoid = editedOnnx('torch-uni.onnx', (model) =>
    lstmNode(model).attribute.push(
      onnx.AttributeProto.create({
        name: 'activations',
        type: onnx.AttributeProto.AttributeType.STRINGS,
        strings: ['HardSigmoid', 'Tanh', 'Tanh'].map((name) => strToU8(name)),
      }),
    ),
  )
  await rejects(t, hardSigmoid, 'onnx', /gate activation HardSigmoid is not supported/)
})

test('onnx: a hidden_size that does not fit W names the gate count', async (t) => {
  const wrong = editedOnnx('torch-uni.onnx', (model) => {
    const hidden = lstmNode(model).attribute.find((attribute) => attribute.name === 'hidden_size')!
    hidden.i = 3
  })
  await rejects(t, wrong, 'onnx', /W has shape \[1, 16, 3\], expected \[1, 12, 3\].*4 gate blocks/)
})

test('onnx: a missing initializer, a non-zero initial state, garbage and truncated files', async (t) => {
  const missing = editedOnnx('torch-uni.onnx', (model) => {
    model.graph!.initializer = model.graph!.initializer!.filter((tensor) => tensor.name !== 'fc.weight')
  })
  await rejects(t, missing, 'onnx', /reads "fc\.weight", which no node or initializer produces/)
  const state = editedOnnx('torch-uni.onnx', (model) => {
    model.graph!.initializer!.push(onnx.TensorProto.create({ name: 'h0', dims: [1, 1, 4], dataType: 1, floatData: [1, 0, 0, 0] }))
    lstmNode(model).input![5] = 'h0'
  })
  await rejects(t, state, 'onnx', /initial_h must be zero/)
  await rejects(t, fixture('torch-uni.safetensors'), 'onnx', /not an ONNX model|no graph/)
  const bytes = fixture('torch-bi2-emb.onnx')
  await rejects(t, bytes.subarray(0, bytes.length >> 1), 'onnx', /not an ONNX model|no graph/)
})

test('loadModel and importModel check the format name and report unreadable files', async (t) => {
  await t.throwsAsync(() => loadModel(path.join(fixtures, 'torch-uni.safetensors'), { format: 'caffe' as ImportFormat }), { instanceOf: LstmLrpError, message: /unknown import format "caffe"/ })
  await rejects(t, path.join(work, 'nothing-here.onnx'), 'onnx', /onnx: cannot read/)
  mkdirSync(path.join(work, 'folder.keras'))
  await rejects(t, path.join(work, 'folder.keras'), 'keras', /keras: cannot read/)
})
