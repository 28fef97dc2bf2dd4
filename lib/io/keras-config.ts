/**
 * A Keras model config (Keras 3 `config.json`, Keras 2 / TF.js `modelTopology`) as the chain of
 * layers the input runs through: Sequential models, and Functional ones whose layers form a chain.
 */
import { importError } from './import-error.js'

export type KerasFormat = 'keras' | 'tfjs'

export interface KerasLayer {
  className: string
  name: string
  config: Record<string, unknown>
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseLayer(format: KerasFormat, value: unknown, index: number): KerasLayer {
  if (!isRecord(value) || typeof value.class_name !== 'string' || !isRecord(value.config)) {
    importError(format, `layer ${index} of the model config is not an object with "class_name" and "config"`)
  }
  const name = typeof value.config.name === 'string' ? value.config.name : typeof value.name === 'string' ? value.name : `#${index}`
  return { className: value.class_name, name, config: value.config }
}

/** Keras nests inbound_nodes a few levels deep; a hostile file nesting thousands would overflow the stack of the walk. */
const MAX_INBOUND_DEPTH = 32

/** Names of the layers a Functional layer reads: Keras 3 stores them as keras_history, Keras 2 as [name, node, tensor, kwargs]. */
function inboundLayerNames(format: KerasFormat, layer: KerasLayer, inboundNodes: unknown): string[] {
  const names: string[] = []
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_INBOUND_DEPTH) importError(format, `layer "${layer.name}": inbound_nodes nest more than ${MAX_INBOUND_DEPTH} levels deep`)
    if (Array.isArray(value)) {
      if (typeof value[0] === 'string' && typeof value[1] === 'number' && typeof value[2] === 'number') names.push(value[0])
      else value.forEach((entry) => visit(entry, depth + 1))
    } else if (isRecord(value)) {
      if (Array.isArray(value.keras_history) && typeof value.keras_history[0] === 'string') names.push(value.keras_history[0])
      else Object.values(value).forEach((entry) => visit(entry, depth + 1))
    }
  }
  visit(inboundNodes, 0)
  return names
}

function checkChain(format: KerasFormat, layers: KerasLayer[], raw: Record<string, unknown>[]): void {
  raw.forEach((layer, index) => {
    const inbound = inboundLayerNames(format, layers[index], layer.inbound_nodes)
    const expected = index === 0 ? [] : [layers[index - 1].name]
    if (inbound.length !== expected.length || inbound.some((name, k) => name !== expected[k])) {
      importError(format, `layer "${layers[index].name}" reads ${inbound.length === 0 ? 'no layer' : inbound.map((name) => `"${name}"`).join(', ')}: only models whose layers form a single chain are supported`)
    }
  })
}

/** The model config inside TF.js' modelTopology (which may wrap it in model_config) or a .keras file's config.json. */
function modelConfigOf(json: unknown): Record<string, unknown> {
  if (isRecord(json) && isRecord(json.model_config)) return json.model_config
  return isRecord(json) ? json : {}
}

export function kerasLayerChain(format: KerasFormat, json: unknown): KerasLayer[] {
  const model = modelConfigOf(json)
  const className = model.class_name
  // Old Keras 2 Sequential configs are the layer list itself.
  const config = Array.isArray(model.config) ? { layers: model.config } : model.config
  if (typeof className !== 'string' || !isRecord(config) || !Array.isArray(config.layers)) {
    importError(format, 'the model config has no "class_name" and "config.layers": not a Keras model')
  }
  const raw: unknown[] = config.layers
  const layers = raw.map((layer, index) => parseLayer(format, layer, index))
  if (className === 'Functional' || className === 'Model') checkChain(format, layers, raw.filter(isRecord))
  else if (className !== 'Sequential') importError(format, `unsupported model class "${className}" (supported: Sequential, Functional)`)
  return layers
}
