/** The checks explain and train options share: each failure is an E_OPTIONS LstmLrpError naming the option. */
import { describeValue } from './describe-value.js'
import { fail } from './errors.js'

export function optionError(message: string): never {
  fail('E_OPTIONS', message)
}

/** `value` as one of `table`'s names. */
export function oneOf<T extends string>(table: Record<T, number>, value: unknown, what: string): T {
  if (typeof value !== 'string' || !Object.hasOwn(table, value)) optionError(`${what} must be one of ${Object.keys(table).join(', ')}; got ${describeValue(value)}`)
  return value as T
}

/** Refuses a key that is not in `allowed`: a misspelt option is an error, not a silent default. */
export function onlyKeys(value: object, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) optionError(`${what}: unknown option '${key}' (expected ${allowed.join(', ')})`)
}
