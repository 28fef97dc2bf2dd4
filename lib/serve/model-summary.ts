/** GET /v1/model: what a client needs to know to call the service. */
import path from 'node:path'
import { isGruCell } from '../model/config.js'
import type { Model } from '../model/model.js'
import type { ServeLimits } from './limits.js'
import { TEXT_CHARACTERS_PER_STEP } from './limits.js'

export function modelSummary(model: Model, modelFile: string, limits: ServeLimits): Record<string, unknown> {
  const { config } = model
  return {
    model: path.basename(modelFile),
    architecture: {
      inputSize: config.inputSize,
      embedding: config.embedding ?? null,
      layers: config.layers.map((layer) => ({ hiddenSize: layer.hiddenSize, bidirectional: layer.bidirectional, cell: isGruCell(layer.cell) ? 'gru' : layer.cell.preset })),
      head: config.head,
      task: config.task,
    },
    labels: config.labels ?? null,
    tokenizer: config.tokenizer === undefined ? null : { kind: 'treebank', size: config.tokenizer.vocab.length, lowercase: config.tokenizer.lowercase },
    dtype: model.dtype,
    backend: model.backend,
    limits: { ...limits, maxTextLength: limits.maxSteps * TEXT_CHARACTERS_PER_STEP },
  }
}

export const modelSummarySchema = {
  type: 'object',
  required: ['model', 'architecture', 'labels', 'tokenizer', 'dtype', 'backend', 'limits'],
  properties: {
    model: { type: 'string' },
    architecture: { type: 'object', additionalProperties: true },
    labels: { anyOf: [{ type: 'null' }, { type: 'array', items: { type: 'string' } }] },
    tokenizer: {
      anyOf: [{ type: 'null' }, { type: 'object', required: ['kind', 'size', 'lowercase'], properties: { kind: { type: 'string' }, size: { type: 'integer' }, lowercase: { type: 'boolean' } } }],
    },
    dtype: { type: 'string', enum: ['f32', 'f64'] },
    backend: { type: 'object', additionalProperties: true },
    limits: { type: 'object', additionalProperties: { type: 'integer' } },
  },
}
