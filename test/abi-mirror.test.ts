// The TypeScript mirror of the C ABI's codes and limits (lib/backend/codes.ts, the training codes, CONFIG_LIMITS) against
// native/include/lstm_lrp.h, read as text: a value changed, added or removed on either side fails here.
import test from 'ava'
import { readFileSync } from 'node:fs'
import {
  ABI_VERSION,
  CD_CONVENTION_CODES,
  CELL_TYPE_CODES,
  DTYPE_CODES,
  G_CODES,
  H_CODES,
  INIT_CODES,
  INTEGRATION_RULE_CODES,
  MAX_CELL_SCALE,
  MAX_INTEGRATION_STEPS,
  MAX_LAYERS,
  MAX_THREADS,
  MAX_VOCAB,
  MAX_WIDTH,
  CONSERVATION_FIELDS,
  METHOD_CODES,
  OCCLUSION_SCORE_CODES,
  PACKED_OPTION_SLOTS,
  READOUT_CODES,
  PROJECTION_TABLE_CODES,
  REPLACEMENT_CODES,
  RULE_CODES,
  WASM_BATCH_FIELDS,
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
  errorCodeOfStatus,
} from '../lib/backend/codes.js'
import { CONFIG_LIMITS } from '../lib/model/config.js'
import { LOSS_CODES, OPTIMIZER_CODES } from '../lib/train/options.js'

const header = readFileSync(new URL('../native/include/lstm_lrp.h', import.meta.url), 'utf8')

/** Every `NAME = value` enumerator and `#define NAME value` of the header. */
const constants = new Map<string, number>()
for (const [, name, value] of header.matchAll(/\b(LSTM_LRP_[A-Z0-9_]+)\s*=\s*(\d+)/g)) constants.set(name, Number(value))
for (const [, name, value] of header.matchAll(/#define\s+(LSTM_LRP_[A-Z0-9_]+)\s+(\d+)/g)) constants.set(name, Number(value))

/** The header's enumerators that begin with `prefix`, by the rest of their name. */
function enumerators(prefix: string, except: string[] = []): Record<string, number> {
  return Object.fromEntries(
    Array.from(constants)
      .filter(([name]) => name.startsWith(prefix) && !except.includes(name))
      .map(([name, value]) => [name.slice(prefix.length), value]),
  )
}

/** A facade table with its names spelled as the header spells them ('gauss-legendre' → GAUSS_LEGENDRE). */
function spelledAsHeader(table: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(table).map(([name, value]) => [name.toUpperCase().replace(/-/g, '_'), value]))
}

const TABLES: [string, Record<string, number>, string, string[]?][] = [
  ['DTYPE_CODES', DTYPE_CODES, 'LSTM_LRP_F'],
  ['G_CODES', G_CODES, 'LSTM_LRP_G_'],
  ['H_CODES', H_CODES, 'LSTM_LRP_H_'],
  ['READOUT_CODES', READOUT_CODES, 'LSTM_LRP_READOUT_'],
  ['CELL_TYPE_CODES', CELL_TYPE_CODES, 'LSTM_LRP_CELL_'],
  ['PROJECTION_TABLE_CODES', PROJECTION_TABLE_CODES, 'LSTM_LRP_PROJECTION_TABLE_'],
  ['METHOD_CODES', METHOD_CODES, 'LSTM_LRP_METHOD_'],
  ['RULE_CODES', RULE_CODES, 'LSTM_LRP_RULE_'],
  ['INIT_CODES', INIT_CODES, 'LSTM_LRP_INIT_'],
  ['OCCLUSION_SCORE_CODES', OCCLUSION_SCORE_CODES, 'LSTM_LRP_SCORE_'],
  ['REPLACEMENT_CODES', REPLACEMENT_CODES, 'LSTM_LRP_REPLACE_'],
  ['CD_CONVENTION_CODES', CD_CONVENTION_CODES, 'LSTM_LRP_CD_', ['LSTM_LRP_CD_SCORE', 'LSTM_LRP_CD_RELEVANT', 'LSTM_LRP_CD_IRRELEVANT', 'LSTM_LRP_CD_BIAS']],
  ['INTEGRATION_RULE_CODES', INTEGRATION_RULE_CODES, 'LSTM_LRP_IG_', ['LSTM_LRP_IG_MAX_STEPS', 'LSTM_LRP_IG_DIFFERENCE', 'LSTM_LRP_IG_SUM', 'LSTM_LRP_IG_DELTA']],
  ['LOSS_CODES', LOSS_CODES, 'LSTM_LRP_LOSS_'],
  ['OPTIMIZER_CODES', OPTIMIZER_CODES, 'LSTM_LRP_OPTIMIZER_'],
  ['PACKED_OPTION_SLOTS', PACKED_OPTION_SLOTS, 'LSTM_LRP_PACKED_'],
  ['WASM_BATCH_FIELDS', WASM_BATCH_FIELDS, 'LSTM_LRP_WASM_BATCH_'],
  ['WASM_MODEL_FIELDS', WASM_MODEL_FIELDS, 'LSTM_LRP_WASM_MODEL_'],
  ['WASM_LAYER_FIELDS', WASM_LAYER_FIELDS, 'LSTM_LRP_WASM_LAYER_'],
  ['WASM_PREDICT_FIELDS', WASM_PREDICT_FIELDS, 'LSTM_LRP_WASM_PREDICT_'],
  ['WASM_EXPLAIN_FIELDS', WASM_EXPLAIN_FIELDS, 'LSTM_LRP_WASM_EXPLAIN_'],
  ['WASM_TENSORS_FIELDS', WASM_TENSORS_FIELDS, 'LSTM_LRP_WASM_TENSORS_'],
  ['WASM_TENSOR_LAYER_FIELDS', WASM_TENSOR_LAYER_FIELDS, 'LSTM_LRP_WASM_TENSOR_LAYER_'],
  ['WASM_TENSOR_HEAD_FIELDS', WASM_TENSOR_HEAD_FIELDS, 'LSTM_LRP_WASM_TENSOR_HEAD_'],
  ['WASM_LOSS_FIELDS', WASM_LOSS_FIELDS, 'LSTM_LRP_WASM_LOSS_'],
  ['WASM_STEP_FIELDS', WASM_STEP_FIELDS, 'LSTM_LRP_WASM_STEP_'],
  ['WASM_TRAINER_FIELDS', WASM_TRAINER_FIELDS, 'LSTM_LRP_WASM_TRAINER_'],
]

for (const [label, table, prefix, except] of TABLES)
  test(`${label} holds exactly the header's ${prefix}* codes`, (t) => {
    const fromHeader = enumerators(prefix, except)
    // DTYPE: the header writes F32/F64 after the prefix LSTM_LRP_F.
    const facade = label === 'DTYPE_CODES' ? Object.fromEntries(Object.entries(table).map(([name, value]) => [name.slice(1), value])) : spelledAsHeader(table)
    t.true(Object.keys(fromHeader).length > 0, `the header has ${prefix}* enumerators`)
    t.deepEqual(facade, fromHeader)
  })

test('each WASM call layout is consistent: fields follow the batch, the packed options fill their span, sizes close the layouts', (t) => {
  t.is(WASM_EXPLAIN_FIELDS.OPTIONS as number, WASM_BATCH_FIELDS.SIZE)
  t.is(WASM_EXPLAIN_FIELDS.OCCLUSION_VECTOR as number, WASM_EXPLAIN_FIELDS.OPTIONS + PACKED_OPTION_SLOTS.OPTIONS_SIZE)
  for (const layout of [WASM_PREDICT_FIELDS, WASM_LOSS_FIELDS, WASM_STEP_FIELDS]) t.is(Math.min(...Object.values(layout)), WASM_BATCH_FIELDS.SIZE)
  t.is(WASM_LAYER_FIELDS.SIZE as number, WASM_LAYER_FIELDS.B_HN + 4)
  t.is(WASM_TENSOR_LAYER_FIELDS.SIZE as number, WASM_TENSOR_LAYER_FIELDS.B_HN + 4)
  // One packed rule and one eps per gated product (the LSTM's three, the GRU's two).
  t.is(PACKED_OPTION_SLOTS.PRODUCT_EPS - PACKED_OPTION_SLOTS.PRODUCT_RULE, constants.get('LSTM_LRP_PRODUCTS')!)
  t.is(PACKED_OPTION_SLOTS.INIT - PACKED_OPTION_SLOTS.PRODUCT_EPS, constants.get('LSTM_LRP_PRODUCTS')!)
})

test('limits and status codes match the header', (t) => {
  t.is(constants.get('LSTM_LRP_IG_MAX_STEPS'), MAX_INTEGRATION_STEPS as number)
  t.is(constants.get('LSTM_LRP_MAX_CELL_SCALE'), MAX_CELL_SCALE)
  t.is(constants.get('LSTM_LRP_MAX_LAYERS'), MAX_LAYERS)
  t.is(constants.get('LSTM_LRP_MAX_WIDTH'), MAX_WIDTH)
  t.is(constants.get('LSTM_LRP_MAX_VOCAB'), MAX_VOCAB)
  t.deepEqual(CONFIG_LIMITS, { maxWidth: MAX_WIDTH, maxVocabSize: MAX_VOCAB, maxLayers: MAX_LAYERS, maxCellScale: MAX_CELL_SCALE })
  t.is(constants.get('LSTM_LRP_MAX_THREADS'), MAX_THREADS)
  t.is(constants.get('LSTM_LRP_ABI_VERSION'), ABI_VERSION)
  t.is(constants.get('LSTM_LRP_CONSERVATION_SIZE'), CONSERVATION_FIELDS)
  t.is(errorCodeOfStatus(constants.get('LSTM_LRP_OUT_OF_MEMORY')!), 'E_MEMORY')
  t.is(errorCodeOfStatus(constants.get('LSTM_LRP_NUMERIC_ERROR')!), 'E_NUMERIC')
  t.is(errorCodeOfStatus(constants.get('LSTM_LRP_INVALID_ARGUMENT')!), 'E_KERNEL')
  t.is(errorCodeOfStatus(constants.get('LSTM_LRP_INTERNAL_ERROR')!), 'E_KERNEL')
})
