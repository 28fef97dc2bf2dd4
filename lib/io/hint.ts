/** The --config-hint / loadModel `hint` object: strict keys, so a typo is an error rather than silently ignored. */
import { fail } from '../errors.js'
import type { Readout, Task, TokenizerConfig } from '../model/types.js'
import type { ImportHint, PytorchNames } from './types.js'

const HINT_KEYS = ['task', 'labels', 'tokenizer', 'readout', 'names']
const NAME_KEYS = ['lstm', 'embedding', 'head']

function hintError(message: string): never {
  fail('E_OPTIONS', `config hint: ${message}`)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function checkKeys(record: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) hintError(`unknown key ${path}${key} (allowed: ${allowed.join(', ')})`)
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string')
}

function parseNames(value: unknown): PytorchNames {
  if (!isRecord(value)) hintError('names must be an object { lstm, embedding, head }')
  checkKeys(value, NAME_KEYS, 'names.')
  const { lstm, embedding, head } = value
  if (lstm !== undefined && typeof lstm !== 'string' && !(isStringList(lstm) && lstm.length > 0)) {
    hintError('names.lstm must be a tensor name prefix or a non-empty list of them')
  }
  if (embedding !== undefined && typeof embedding !== 'string') hintError('names.embedding must be a tensor name')
  if (head !== undefined && typeof head !== 'string') hintError('names.head must be a tensor name prefix')
  return { lstm, embedding, head } as PytorchNames
}

/** Validates the shape of a hint; labels and tokenizer are checked fully by parseConfig when the model is assembled. */
export function parseHint(json: unknown): ImportHint {
  if (json === undefined) return {}
  if (!isRecord(json)) hintError('expected a JSON object')
  checkKeys(json, HINT_KEYS, '')
  const hint: ImportHint = {}
  if (json.task !== undefined) {
    if (json.task !== 'classification' && json.task !== 'regression') hintError('task must be "classification" or "regression"')
    hint.task = json.task as Task
  }
  if (json.readout !== undefined) {
    if (json.readout !== 'last' && json.readout !== 'each') hintError('readout must be "last" or "each"')
    hint.readout = json.readout as Readout
  }
  if (json.labels !== undefined) {
    if (!isStringList(json.labels)) hintError('labels must be a list of strings')
    hint.labels = json.labels
  }
  if (json.tokenizer !== undefined) hint.tokenizer = json.tokenizer as TokenizerConfig
  if (json.names !== undefined) hint.names = parseNames(json.names)
  return hint
}
