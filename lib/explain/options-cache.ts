/**
 * A model's explain options, resolved once for a loop that passes the same options object to every
 * call: their checks cost about a microsecond, a noticeable share of a short explanation. Only a plain
 * object whose own properties hold primitive values is kept, and it is what gets checked (a copy of
 * those values), so a hit returns exactly what checking the object now would: the same object, its
 * prototype, keys and values unchanged.
 */
import type { DType } from '../model/types.js'
import type { ExplainOptions } from './types.js'
import { readingCallerValues } from '../caller-values.js'
import { resolveOptions, type ResolvedOptions } from './options.js'

interface FlatOptions {
  keys: string[]
  values: unknown[]
}

/** The own data properties of a plain object, when each holds a primitive; null otherwise. */
function flatOptions(options: unknown): FlatOptions | null {
  if (typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== Object.prototype) return null
  const keys = Object.keys(options)
  const values: unknown[] = []
  for (const key of keys) {
    const descriptor = Object.getOwnPropertyDescriptor(options, key)
    if (descriptor === undefined || !('value' in descriptor)) return null
    const value: unknown = descriptor.value
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') return null
    values.push(value)
  }
  return { keys, values }
}

/** Whether options still has flat's prototype, keys and values. */
function unchanged(options: object, flat: FlatOptions): boolean {
  if (Object.getPrototypeOf(options) !== Object.prototype) return false
  const keys = Object.keys(options)
  if (keys.length !== flat.keys.length) return false
  for (let k = 0; k < keys.length; k++) if (keys[k] !== flat.keys[k] || (options as Record<string, unknown>)[keys[k]] !== flat.values[k]) return false
  return true
}

export class ResolvedOptionsCache {
  private defaults: ResolvedOptions | null = null
  /** The last options object kept, its values as checked, and their resolution. */
  private kept: { options: object; flat: FlatOptions; resolved: ResolvedOptions } | null = null

  constructor(
    private readonly dtype: DType,
    private readonly inputSize: number,
  ) {}

  resolve(options: ExplainOptions | undefined): ResolvedOptions {
    if (options === undefined) return this.defaultOptions()
    const kept = this.kept
    if (kept !== null && options === kept.options && readingCallerValues('E_OPTIONS', 'explain options', () => unchanged(options, kept.flat))) return kept.resolved
    const flat = readingCallerValues('E_OPTIONS', 'explain options', () => flatOptions(options))
    if (flat === null) return resolveOptions(options, this.dtype, this.inputSize)
    if (flat.keys.length === 0) return this.defaultOptions()
    const resolved = resolveOptions(Object.fromEntries(flat.keys.map((key, k) => [key, flat.values[k]])), this.dtype, this.inputSize)
    this.kept = { options, flat, resolved }
    return resolved
  }

  private defaultOptions(): ResolvedOptions {
    this.defaults ??= resolveOptions({}, this.dtype, this.inputSize)
    return this.defaults
  }
}
