/** The renderers' input checks: a wrong call is an LstmLrpError naming the field, never a TypeError deep inside. */
import { describeValue } from '../describe-value.js'
import { fail } from '../errors.js'
import type { HeatmapRow } from './types.js'

const ROW_KEYS = ['title', 'tokens', 'relevance', 'unknown', 'series', 'x', 'featureRelevance', 'target', 'predicted', 'probability', 'method', 'options', 'model']
const TEXT_FIELDS = ['title', 'target', 'predicted', 'method', 'model'] as const

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return typeof value === 'object' && value !== null && Number.isSafeInteger((value as ArrayLike<unknown>).length) && (value as ArrayLike<unknown>).length >= 0
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Finite numbers, `length` of them when given; `what` names the field in the message. */
function checkNumbers(value: unknown, what: string, length?: number): asserts value is ArrayLike<number> {
  if (!isArrayLike(value)) fail('E_INPUT', `${what} must be an array of numbers; got ${describeValue(value)}`)
  if (length !== undefined && value.length !== length) fail('E_INPUT', `${what} has ${value.length} values; expected ${length}`)
  for (let n = 0; n < value.length; n++) {
    const entry = value[n]
    if (typeof entry !== 'number' || !Number.isFinite(entry)) fail('E_INPUT', `${what}[${n}] must be a finite number; got ${describeValue(entry)}`)
  }
}

function checkNumericInput(row: Record<string, unknown>, where: string, steps: number): void {
  const x = row.x
  if (!Array.isArray(x)) fail('E_INPUT', `${where}: x must be an array of steps, each an array of numbers; got ${describeValue(x)}`)
  if (x.length !== steps) fail('E_INPUT', `${where}: x has ${x.length} steps but relevance has ${steps} values`)
  if (row.series !== undefined) fail('E_INPUT', `${where}: give x or series, not both`)
  const features = steps > 0 && isArrayLike(x[0]) ? x[0].length : 0
  x.forEach((step, t) => checkNumbers(step, `${where}: x[${t}]`, features))
  if (steps > 0 && features === 0) fail('E_INPUT', `${where}: x has steps without features`)
  if (row.featureRelevance !== undefined) checkNumbers(row.featureRelevance, `${where}: featureRelevance`, steps * features)
  else if (features > 1) fail('E_INPUT', `${where}: x has ${features} features, so featureRelevance (steps × features relevance) is needed`)
}

function checkRow(row: unknown, where: string): asserts row is HeatmapRow {
  if (!isRecord(row)) fail('E_INPUT', `${where} must be an object { relevance, tokens?, ... }; got ${describeValue(row)}`)
  const extra = Object.keys(row).find((key) => !ROW_KEYS.includes(key))
  if (extra !== undefined) fail('E_INPUT', `${where}: unknown field '${extra}' (expected ${ROW_KEYS.join(', ')})`)
  checkNumbers(row.relevance, `${where}: relevance`)
  const steps = row.relevance.length
  for (const field of TEXT_FIELDS) if (row[field] !== undefined && typeof row[field] !== 'string') fail('E_INPUT', `${where}: ${field} must be a string; got ${describeValue(row[field])}`)
  const tokens = row.tokens
  if (tokens !== undefined) {
    if (!Array.isArray(tokens)) fail('E_INPUT', `${where}: tokens must be an array of strings; got ${describeValue(tokens)}`)
    if (tokens.length !== steps) fail('E_INPUT', `${where}: ${tokens.length} tokens but ${steps} relevance values`)
    const bad = tokens.findIndex((token) => typeof token !== 'string')
    if (bad >= 0) fail('E_INPUT', `${where}: tokens[${bad}] must be a string; got ${describeValue(tokens[bad])}`)
  }
  const unknown = row.unknown
  if (unknown !== undefined) {
    if (!Array.isArray(unknown)) fail('E_INPUT', `${where}: unknown must be an array of step positions; got ${describeValue(unknown)}`)
    const bad = unknown.find((position) => !Number.isSafeInteger(position) || position < 0 || position >= steps)
    if (bad !== undefined) fail('E_INPUT', `${where}: unknown holds ${describeValue(bad)}, not a step position in [0, ${steps})`)
  }
  if (row.series !== undefined) checkNumbers(row.series, `${where}: series`, steps)
  if (row.x !== undefined) checkNumericInput(row, where, steps)
  else if (row.featureRelevance !== undefined) fail('E_INPUT', `${where}: featureRelevance needs x, the input it belongs to`)
  const probability = row.probability
  if (probability !== undefined && (typeof probability !== 'number' || !(probability >= 0 && probability <= 1))) fail('E_INPUT', `${where}: probability must be a number in [0, 1]; got ${describeValue(probability)}`)
  if (row.options !== undefined && !isRecord(row.options)) fail('E_INPUT', `${where}: options must be an object; got ${describeValue(row.options)}`)
}

/** Checks `rows` for `renderer` ("renderHtml"): an array of HeatmapRow whose fields agree in length. */
export function checkRows(rows: unknown, renderer: string): asserts rows is readonly HeatmapRow[] {
  if (!Array.isArray(rows)) fail('E_INPUT', `${renderer}: rows must be an array of HeatmapRow; got ${describeValue(rows)}`)
  rows.forEach((row, n) => checkRow(row, `${renderer}: row ${n}`))
}

/** Checks one row (renderTerminal's row form). */
export function checkOneRow(row: unknown, renderer: string): asserts row is HeatmapRow {
  checkRow(row, `${renderer}: row`)
}

export type OptionKind = 'boolean' | 'string' | 'width'

/** Checks an options object against the option names and kinds `renderer` accepts. */
export function checkOptions(options: unknown, kinds: Record<string, OptionKind>, renderer: string): void {
  if (options === undefined) return
  if (!isRecord(options)) fail('E_OPTIONS', `${renderer}: options must be an object; got ${describeValue(options)}`)
  for (const [key, value] of Object.entries(options)) {
    const kind = kinds[key]
    if (kind === undefined) fail('E_OPTIONS', `${renderer}: unknown option '${key}' (expected ${Object.keys(kinds).join(', ')})`)
    if (value === undefined) continue
    if (kind === 'width' && !(Number.isSafeInteger(value) && (value as number) > 0)) fail('E_OPTIONS', `${renderer}: ${key} must be a positive integer; got ${describeValue(value)}`)
    if (kind !== 'width' && typeof value !== kind) fail('E_OPTIONS', `${renderer}: ${key} must be a ${kind}; got ${describeValue(value)}`)
  }
}
