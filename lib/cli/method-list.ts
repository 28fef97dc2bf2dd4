/**
 * --methods of `compare` and `evaluate-methods`: the API's method names (METHOD_CODES) and the
 * presets (EXPLAIN_PRESETS: the LRP rule variants and the occlusion scores), read from those tables
 * so that a method or preset added there is accepted here without a change.
 */
import { METHOD_CODES } from '../backend/codes.js'
import { EXPLAIN_PRESETS } from '../explain/presets.js'
import type { ExplainOptions } from '../explain/types.js'
import type { NamedMethod } from '../reproduce/methods.js'
import { excerpt } from '../describe-value.js'
import { UsageError } from './usage.js'
import type { Command } from 'commander'
import { methodOptions, type MethodFlags } from './method-flags.js'

export function comparableMethodNames(): string[] {
  return [...Object.keys(METHOD_CODES), ...Object.keys(EXPLAIN_PRESETS)]
}

/** A method or preset name as explain options (each method's own options at their defaults), named as given. */
export function comparedMethod(name: string): NamedMethod {
  if (Object.hasOwn(METHOD_CODES, name)) return { name, options: { method: name as ExplainOptions['method'] } }
  if (Object.hasOwn(EXPLAIN_PRESETS, name)) return { name, options: { preset: name as ExplainOptions['preset'] } }
  throw new UsageError(`--methods: unknown method '${excerpt(name)}'; valid: ${comparableMethodNames().join(', ')}`)
}

/** The comma-separated list of --methods, each name once. */
export function parseMethods(list: string): NamedMethod[] {
  const names = list.split(',').map((name) => name.trim())
  if (names.some((name) => name === '')) throw new UsageError(`--methods takes names separated by commas; got '${excerpt(list)}' (valid: ${comparableMethodNames().join(', ')})`)
  const repeated = names.find((name, n) => names.indexOf(name) !== n)
  if (repeated !== undefined) throw new UsageError(`--methods names '${excerpt(repeated)}' twice`)
  return names.map(comparedMethod)
}

/** Each method with the method flags given on the command line: a flag applies to every listed method that reads it and replaces a preset's value. */
export function withMethodFlags(methods: NamedMethod[], flags: MethodFlags, command: Command): NamedMethod[] {
  const given = methodOptions(flags, command)
  return methods.map(({ name, options }) => ({ name, options: { ...options, ...given } }))
}
