/**
 * The model config stored in a file's `__metadata__.config` (docs/MODEL-CONFIG.md): validation with
 * exact keys, defaults, the cell presets of Sec. 11.4 (docs/METHODS.md), and the canonical
 * JSON written back to files.
 */
import { describeValue } from '../describe-value.js'
import { fail } from '../errors.js'
import { MAX_CELL_SCALE, MAX_LAYERS, MAX_VOCAB, MAX_WIDTH } from '../backend/codes.js'
import type { BlockName, CellConfig, Connection, GActivation, GateName, GruCellConfig, HActivation, HeadConfig, LayerConfig, LstmCellConfig, ModelConfig, PresetName, Readout, Task, TokenizerConfig } from './types.js'

/** Sane upper bounds, the kernel's (lib/backend/codes.ts): anything larger is a corrupt or hostile file, not a model. */
export const CONFIG_LIMITS = {
  /** inputSize, hiddenSize, head outputs. */
  maxWidth: MAX_WIDTH,
  maxVocabSize: MAX_VOCAB,
  maxLayers: MAX_LAYERS,
  /** gScale and hScale: larger scales only overflow. */
  maxCellScale: MAX_CELL_SCALE,
} as const

export const PRESET_NAMES: readonly PresetName[] = ['standard', 'lrp-nondecreasing', 'markov', 'gateless']
export const G_ACTIVATIONS: readonly GActivation[] = ['tanh', 'sigmoid', 'relu', 'identity']
export const H_ACTIVATIONS: readonly HActivation[] = ['tanh', 'identity']
export const GATE_NAMES: readonly GateName[] = ['i', 'f', 'o']
export const BLOCK_NAMES: readonly BlockName[] = ['z', 'i', 'f', 'o']
const READOUTS: readonly Readout[] = ['last', 'each']
const TASKS: readonly Task[] = ['classification', 'regression']

const BOTH: Connection = { input: true, recurrent: true }
const INPUT_ONLY: Connection = { input: true, recurrent: false }
const RECURRENT_ONLY: Connection = { input: false, recurrent: true }
// Absent gates get no connections either: their weights are stored as zeros and ignored.
const NONE: Connection = { input: false, recurrent: false }

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) deepFreeze(child as object)
  return Object.freeze(value)
}

/** The cell presets of Sec. 11.4, exactly as docs/METHODS.md lists them. Frozen: resolve cells with resolveCell. */
export const PRESETS: Record<PresetName, LstmCellConfig> = deepFreeze({
  standard: {
    preset: 'standard',
    g: 'tanh',
    gScale: 1,
    h: 'tanh',
    hScale: 1,
    gates: { i: true, f: true, o: true },
    connections: { z: BOTH, i: BOTH, f: BOTH, o: BOTH },
  },
  'lrp-nondecreasing': {
    // Eq. 11.7–11.11
    preset: 'lrp-nondecreasing',
    g: 'sigmoid',
    gScale: 2,
    h: 'tanh',
    hScale: 1,
    gates: { i: true, f: false, o: true },
    connections: { z: INPUT_ONLY, i: RECURRENT_ONLY, f: NONE, o: RECURRENT_ONLY },
  },
  markov: {
    // Eq. 11.12–11.15
    preset: 'markov',
    g: 'sigmoid',
    gScale: 2,
    h: 'tanh',
    hScale: 1,
    gates: { i: true, f: false, o: false },
    connections: { z: INPUT_ONLY, i: RECURRENT_ONLY, f: NONE, o: NONE },
  },
  gateless: {
    // Eq. 11.16–11.18
    preset: 'gateless',
    g: 'sigmoid',
    gScale: 2,
    h: 'tanh',
    hScale: 1,
    gates: { i: false, f: false, o: false },
    connections: { z: INPUT_ONLY, i: NONE, f: NONE, o: NONE },
  },
})

/** The keys each object of a config may have (docs/MODEL-CONFIG.md lists every one). */
export const CONFIG_KEYS = ['inputSize', 'embedding', 'layers', 'head', 'task', 'labels', 'tokenizer'] as const
export const EMBEDDING_KEYS = ['vocabSize'] as const
export const LAYER_KEYS = ['hiddenSize', 'bidirectional', 'cell'] as const
export const HEAD_KEYS = ['outputs', 'bias', 'readout'] as const
export const TOKENIZER_KEYS = ['lowercase', 'vocab'] as const
export const CELL_KEYS = ['type', 'preset', 'g', 'gScale', 'h', 'hScale', 'gates', 'connections'] as const
export const GRU_CELL_KEYS = ['type', 'resetAfter'] as const
export const CELL_TYPES = ['lstm', 'gru'] as const
export const CONNECTION_KEYS = ['input', 'recurrent'] as const

function configError(path: string, message: string): never {
  fail('E_CONFIG', `${path}: ${message}`)
}

function quoteList(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ')
}

function objectWithKeys(value: unknown, path: string, allowedKeys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    configError(path, `expected an object, got ${describeValue(value)}`)
  }
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) {
    if (!allowedKeys.includes(key)) configError(`${path}.${key}`, `unknown key (allowed: ${allowedKeys.join(', ')})`)
  }
  return record
}

function required(record: Record<string, unknown>, key: string, path: string): unknown {
  if (record[key] === undefined) configError(`${path}.${key}`, 'missing')
  return record[key]
}

function positiveInteger(value: unknown, path: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    configError(path, `expected an integer from 1 to ${max}, got ${describeValue(value)}`)
  }
  return value
}

function cellScale(value: unknown, path: string): number {
  if (typeof value !== 'number' || !(value > 0 && value <= CONFIG_LIMITS.maxCellScale)) configError(path, `expected a number in (0, ${CONFIG_LIMITS.maxCellScale}], got ${describeValue(value)}`)
  return value
}

function boolean(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') configError(path, `expected true or false, got ${describeValue(value)}`)
  return value
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    configError(path, `unknown ${what} ${describeValue(value)} (allowed: ${quoteList(allowed)})`)
  }
  return value as T
}

/**
 * The gate-block biases a new model's layers start from, per cell preset (docs/METHODS.md § Training):
 * negative cell-input and gate biases in the LRP presets against the drift effect (paper A2, A7, A8),
 * and forget bias 1, which keeps memory early in training. Blocks a cell does not have keep zero.
 */
export const PRESET_BIASES: Record<PresetName, Record<BlockName, number>> = deepFreeze({
  standard: { z: 0, i: 0, f: 1, o: 0 },
  'lrp-nondecreasing': { z: -1, i: -1, f: 1, o: -1 },
  markov: { z: -1, i: -1, f: 1, o: -1 },
  gateless: { z: -1, i: -1, f: 1, o: -1 },
})

function stringArray(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) configError(path, `expected an array of strings, got ${describeValue(value)}`)
  const strings: unknown[] = value
  strings.forEach((entry, index) => {
    if (typeof entry !== 'string') configError(`${path}[${index}]`, `expected a string, got ${describeValue(entry)}`)
  })
  return [...(strings as string[])]
}

/** Whether a layer's cell is a GRU (else an LSTM). */
export function isGruCell(cell: CellConfig): cell is GruCellConfig {
  return 'type' in cell && cell.type === 'gru'
}

/** A GRU cell object: `type` and an optional `resetAfter` (default true), nothing else. */
function resolveGruCell(spec: unknown, path: string): GruCellConfig {
  const record = objectWithKeys(spec, path, GRU_CELL_KEYS)
  return { type: 'gru', resetAfter: boolean(record.resetAfter, `${path}.resetAfter`, true) }
}

/**
 * A cell spec resolved to a full, fresh CellConfig: a GRU object ({ type: 'gru' }), or for an LSTM a preset
 * name or partial object over a preset (its `type`, when written, is 'lstm').
 */
export function resolveCell(spec: unknown, path: string): CellConfig {
  if (typeof spec === 'string') return structuredClone(PRESETS[oneOf(spec, path, PRESET_NAMES, 'preset')])
  const type = typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? (spec as Record<string, unknown>).type : undefined
  if (type !== undefined && oneOf(type, `${path}.type`, CELL_TYPES, 'cell type') === 'gru') return resolveGruCell(spec, path)
  const record = objectWithKeys(spec, path, CELL_KEYS)
  const preset = record.preset === undefined ? 'standard' : oneOf(record.preset, `${path}.preset`, PRESET_NAMES, 'preset')
  const cell = structuredClone(PRESETS[preset])
  if (record.g !== undefined) cell.g = oneOf(record.g, `${path}.g`, G_ACTIVATIONS, 'activation')
  if (record.gScale !== undefined) cell.gScale = cellScale(record.gScale, `${path}.gScale`)
  if (record.h !== undefined) cell.h = oneOf(record.h, `${path}.h`, H_ACTIVATIONS, 'activation')
  if (record.hScale !== undefined) cell.hScale = cellScale(record.hScale, `${path}.hScale`)
  if (record.gates !== undefined) {
    const gates = objectWithKeys(record.gates, `${path}.gates`, GATE_NAMES)
    for (const gate of GATE_NAMES) cell.gates[gate] = boolean(gates[gate], `${path}.gates.${gate}`, cell.gates[gate])
  }
  if (record.connections !== undefined) {
    const connections = objectWithKeys(record.connections, `${path}.connections`, BLOCK_NAMES)
    for (const block of BLOCK_NAMES) {
      if (connections[block] === undefined) continue
      const blockPath = `${path}.connections.${block}`
      const connection = objectWithKeys(connections[block], blockPath, CONNECTION_KEYS)
      const base = cell.connections[block]
      cell.connections[block] = {
        input: boolean(connection.input, `${blockPath}.input`, base.input),
        recurrent: boolean(connection.recurrent, `${blockPath}.recurrent`, base.recurrent),
      }
    }
  }
  return cell
}

function parseLayer(value: unknown, path: string): LayerConfig {
  const record = objectWithKeys(value, path, LAYER_KEYS)
  return {
    hiddenSize: positiveInteger(required(record, 'hiddenSize', path), `${path}.hiddenSize`, CONFIG_LIMITS.maxWidth),
    bidirectional: boolean(record.bidirectional, `${path}.bidirectional`, false),
    cell: resolveCell(record.cell === undefined ? 'standard' : record.cell, `${path}.cell`),
  }
}

function parseLayers(value: unknown, path: string): LayerConfig[] {
  if (!Array.isArray(value)) configError(path, `expected an array of layers, got ${describeValue(value)}`)
  const layers: unknown[] = value
  if (layers.length === 0) configError(path, 'needs at least one layer')
  if (layers.length > CONFIG_LIMITS.maxLayers) configError(path, `${layers.length} layers exceed the limit of ${CONFIG_LIMITS.maxLayers}`)
  return layers.map((layer, index) => parseLayer(layer, `${path}[${index}]`))
}

function parseHead(value: unknown, path: string): HeadConfig {
  const record = objectWithKeys(value, path, HEAD_KEYS)
  return {
    outputs: positiveInteger(required(record, 'outputs', path), `${path}.outputs`, CONFIG_LIMITS.maxWidth),
    bias: boolean(record.bias, `${path}.bias`, true),
    readout: record.readout === undefined ? 'last' : oneOf(record.readout, `${path}.readout`, READOUTS, 'readout'),
  }
}

function parseTokenizer(value: unknown, path: string, vocabSize: number | undefined): TokenizerConfig {
  const record = objectWithKeys(value, path, TOKENIZER_KEYS)
  if (vocabSize === undefined) configError(path, 'a tokenizer requires an embedding (config.embedding)')
  const vocab = stringArray(required(record, 'vocab', path), `${path}.vocab`)
  if (vocab.length !== vocabSize) {
    configError(`${path}.vocab`, `has ${vocab.length} tokens but config.embedding.vocabSize is ${vocabSize}`)
  }
  return { lowercase: boolean(record.lowercase, `${path}.lowercase`, false), vocab }
}

/** Validates an architecture config (docs/MODEL-CONFIG.md) and fills in every default. Errors are E_CONFIG. */
export function parseConfig(json: unknown): ModelConfig {
  const root = 'config'
  const record = objectWithKeys(json, root, CONFIG_KEYS)
  const config: ModelConfig = {
    inputSize: positiveInteger(required(record, 'inputSize', root), `${root}.inputSize`, CONFIG_LIMITS.maxWidth),
    layers: [],
    head: { outputs: 1, bias: true, readout: 'last' },
    task: 'classification',
  }
  if (record.embedding !== undefined) {
    const embedding = objectWithKeys(record.embedding, `${root}.embedding`, EMBEDDING_KEYS)
    const vocabSizePath = `${root}.embedding.vocabSize`
    config.embedding = { vocabSize: positiveInteger(required(embedding, 'vocabSize', `${root}.embedding`), vocabSizePath, CONFIG_LIMITS.maxVocabSize) }
  }
  config.layers = parseLayers(required(record, 'layers', root), `${root}.layers`)
  config.head = parseHead(required(record, 'head', root), `${root}.head`)
  if (record.task !== undefined) config.task = oneOf(record.task, `${root}.task`, TASKS, 'task')
  if (record.labels !== undefined) {
    const labels = stringArray(record.labels, `${root}.labels`)
    if (labels.length !== config.head.outputs) {
      configError(`${root}.labels`, `has ${labels.length} labels but config.head.outputs is ${config.head.outputs}`)
    }
    config.labels = labels
  }
  if (record.tokenizer !== undefined) {
    config.tokenizer = parseTokenizer(record.tokenizer, `${root}.tokenizer`, config.embedding?.vocabSize)
  }
  return config
}

function cellToJson(cell: CellConfig): CellConfig {
  if (isGruCell(cell)) return { type: 'gru', resetAfter: cell.resetAfter }
  const connection = (block: BlockName): Connection => ({ ...cell.connections[block] })
  return {
    preset: cell.preset,
    g: cell.g,
    gScale: cell.gScale,
    h: cell.h,
    hScale: cell.hScale,
    gates: { i: cell.gates.i, f: cell.gates.f, o: cell.gates.o },
    connections: { z: connection('z'), i: connection('i'), f: connection('f'), o: connection('o') },
  }
}

/** The canonical JSON for files: every default written out, cells as full objects, keys in a fixed order. */
export function configToJson(config: ModelConfig): object {
  return {
    inputSize: config.inputSize,
    ...(config.embedding && { embedding: { vocabSize: config.embedding.vocabSize } }),
    layers: config.layers.map((layer) => ({
      hiddenSize: layer.hiddenSize,
      bidirectional: layer.bidirectional,
      cell: cellToJson(layer.cell),
    })),
    head: { outputs: config.head.outputs, bias: config.head.bias, readout: config.head.readout },
    task: config.task,
    ...(config.labels && { labels: [...config.labels] }),
    ...(config.tokenizer && { tokenizer: { lowercase: config.tokenizer.lowercase, vocab: [...config.tokenizer.vocab] } }),
  }
}
