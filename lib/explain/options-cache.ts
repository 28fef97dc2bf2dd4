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

export class ResolvedOptionsCache {
  private defaults: ResolvedOptions | null = null
  private options: object | null = null
  private flat: FlatOptions = { keys: [], values: [] }
  private resolved: ResolvedOptions | null = null

  constructor(
    private readonly dtype: DType,
    private readonly inputSize: number,
  ) {}

  resolve(options: ExplainOptions | undefined): ResolvedOptions {
    if (options === undefined) return this.defaultOptions()
    if (this.resolved !== null && options === this.options && readingCallerValues('E_OPTIONS', 'explain options', () => this.unchanged(options))) return this.resolved
    const flat = readingCallerValues('E_OPTIONS', 'explain options', () => flatOptions(options))
    if (flat === null) return resolveOptions(options, this.dtype, this.inputSize)
    if (flat.keys.length === 0) return this.defaultOptions()
    const resolved = resolveOptions(Object.fromEntries(flat.keys.map((key, k) => [key, flat.values[k]])), this.dtype, this.inputSize)
    this.options = options
    this.flat = flat
    this.resolved = resolved
    return resolved
  }

  private defaultOptions(): ResolvedOptions {
    this.defaults ??= resolveOptions({}, this.dtype, this.inputSize)
    return this.defaults
  }

  private unchanged(options: object): boolean {
    if (Object.getPrototypeOf(options) !== Object.prototype) return false
    const keys = Object.keys(options)
    const { keys: kept, values } = this.flat
    if (keys.length !== kept.length) return false
    for (let k = 0; k < keys.length; k++) if (keys[k] !== kept[k] || (options as Record<string, unknown>)[keys[k]] !== values[k]) return false
    return true
  }
}
