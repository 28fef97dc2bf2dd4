// The WASM calls take one float64 field array each, laid out by the header's LSTM_LRP_WASM_* positions
// (mirrored in lib/backend/codes.ts): an array of any other size is refused as an internal error
// before a field is read, so a loader bug never reads past the array's end.
import test from 'ava'
import { readFileSync } from 'node:fs'
import {
  WASM_EXPLAIN_FIELDS,
  WASM_LAYER_FIELDS,
  WASM_LOSS_FIELDS,
  WASM_MODEL_FIELDS,
  WASM_PREDICT_FIELDS,
  WASM_STEP_FIELDS,
  WASM_TENSOR_HEAD_FIELDS,
  WASM_TENSOR_LAYER_FIELDS,
  WASM_TENSORS_FIELDS,
  WASM_TRAINER_FIELDS,
} from '../lib/backend/codes.js'
import { wasmImports } from '../lib/backend/wasm.js'

/** LSTM_LRP_INTERNAL_ERROR */
const MALFORMED = 3

type Call = (fields: number, count: number) => number

for (const file of ['lstm_lrp.wasm', 'lstm_lrp.simd.wasm']) {
  test(`${file}: every call refuses a field array one field short or long`, (t) => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL(`../wasm/${file}`, import.meta.url))), wasmImports())
    const wasm = instance.exports as Record<string, (...args: number[]) => number> & { memory: WebAssembly.Memory }
    wasm._initialize()
    const results = wasm.malloc(16)
    const oneLayerTensors = WASM_TENSORS_FIELDS.LAYERS + WASM_TENSOR_LAYER_FIELDS.SIZE + WASM_TENSOR_HEAD_FIELDS.SIZE
    const calls: [string, Call, number, number[]?][] = [
      ['model_create', (fields, count) => wasm.lstm_lrp_wasm_model_create(fields, count, results), WASM_MODEL_FIELDS.SIZE + WASM_LAYER_FIELDS.SIZE, [WASM_MODEL_FIELDS.NUM_LAYERS]],
      ['predict', (fields, count) => wasm.lstm_lrp_wasm_predict(0, fields, count), WASM_PREDICT_FIELDS.SIZE],
      ['explain', (fields, count) => wasm.lstm_lrp_wasm_explain(0, fields, count), WASM_EXPLAIN_FIELDS.SIZE],
      ['model_weights', (fields, count) => wasm.lstm_lrp_wasm_model_weights(0, fields, count), oneLayerTensors, [WASM_TENSORS_FIELDS.NUM_LAYERS]],
      ['gradients', (fields, count) => wasm.lstm_lrp_wasm_gradients(0, fields, count, results), WASM_LOSS_FIELDS.SIZE + oneLayerTensors, [WASM_LOSS_FIELDS.SIZE + WASM_TENSORS_FIELDS.NUM_LAYERS]],
      ['evaluate', (fields, count) => wasm.lstm_lrp_wasm_evaluate(0, fields, count, results), WASM_LOSS_FIELDS.SIZE],
      ['trainer_create', (fields, count) => wasm.lstm_lrp_wasm_trainer_create(0, fields, count, results), WASM_TRAINER_FIELDS.SIZE],
      ['train_step', (fields, count) => wasm.lstm_lrp_wasm_train_step(0, fields, count, results), WASM_STEP_FIELDS.SIZE],
    ]
    for (const [name, call, size, layerCounts = []] of calls)
      for (const count of [size - 1, size + 1]) {
        const fields = wasm.malloc(8 * (size + 1))
        const values = new Float64Array(wasm.memory.buffer, fields, size + 1).fill(0)
        // One layer announced, so that the size depends on it as the loader would send it.
        for (const at of layerCounts) values[at] = 1
        t.is(call(fields, count), MALFORMED, `${name}, ${count} fields for ${size}`)
        wasm.free(fields)
      }
  })
}
