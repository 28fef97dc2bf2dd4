/**
 * A request body (already valid against its schema) as the CLI's input record and the API's options,
 * read by the same code as `lstm-lrp explain` reads a JSON line, so both answer alike.
 */
import type { Model } from '../model/model.js'
import type { ExplainOptions } from '../explain/types.js'
import { resolveOptions } from '../explain/options.js'
import { withPreset } from '../explain/presets.js'
import { LstmLrpError } from '../errors.js'
import { jsonRecord, type InputRecord } from '../cli/input/records.js'
import { contrastOf, type Contrast } from '../cli/class-flags.js'
import { provenanceOf, type Provenance } from '../cli/explain-provenance.js'
import { UsageError } from '../cli/usage.js'

const INPUT_KEYS = ['x', 'tokens', 'text', 'target', 'id'] as const
const OPTION_KEYS = ['preset', 'method', 'rule', 'rules', 'eps', 'productEps', 'biasFactor', 'init', 'occlusion', 'cd', 'integratedGradients', 'seed', 'shapley', 'kernelShap', 'lime', 'smoothgrad', 'versus'] as const

export type RequestBody = Record<string, unknown>

export interface ExplainJob {
  record: InputRecord
  options: ExplainOptions
  /** Requests with the same key share kernel calls. */
  key: string
  provenance: Provenance
  contrast: Contrast | null
  /** Keep the per-dimension relevance (always for vectors; for tokens and text on request). */
  relevance: boolean
}

/** JSON with object keys sorted, so options written in another order still batch together. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`
  return JSON.stringify(value)
}

/** The CLI reads records with UsageErrors; a request's own problems are E_INPUT. */
function asInputError<T>(read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof UsageError) throw new LstmLrpError('E_INPUT', error.message)
    throw error
  }
}

/** The request's input as the CLI reads a JSON line; messages begin with its field ("text: ..."). */
export function requestRecord(model: Model, body: RequestBody): InputRecord {
  const line = Object.fromEntries(INPUT_KEYS.filter((key) => body[key] !== undefined).map((key) => [key, body[key]]))
  const field = ['text', 'tokens', 'x'].find((key) => key in line) ?? 'input'
  return asInputError(() => jsonRecord(field, line, 0, { config: model.config, lowercase: false }))
}

export function explainJob(model: Model, body: RequestBody, modelFile: string): ExplainJob {
  // A preset is spelled out first, so the work estimate, the cache key and the provenance see the options it stands for.
  const options = withPreset(Object.fromEntries(OPTION_KEYS.filter((key) => body[key] !== undefined).map((key) => [key, body[key]])) as ExplainOptions)
  resolveOptions(options, model.dtype, model.config.inputSize)
  const record = requestRecord(model, body)
  return {
    record,
    options,
    key: canonical(options),
    provenance: provenanceOf(options, modelFile, model.config),
    contrast: contrastOf(record.target ?? undefined, options.versus),
    relevance: body.relevance === true || (record.words === undefined && !('tokens' in record.input)),
  }
}
