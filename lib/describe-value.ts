/** Values echoed in error messages are cut to this length: a hostile value must not flood them. */
const MAX_LENGTH = 80

/** Arrays up to this long show their numbers: a CD phrase or a [step, class] pair reads best as written. */
const MAX_LISTED = 8

/**
 * A value a caller or a file gave, as an error message shows it: strings quoted, other primitives
 * and short arrays of numbers as written, anything else by its kind. Objects are never converted
 * (no toString, valueOf or toJSON), so building an error message cannot itself throw: String() and
 * JSON.stringify() do for objects without a prototype, BigInts, symbols and circular objects.
 * `quoteStrings: false` shows a string where a number belongs (a token id '3') as the number it spells.
 */
export function describeValue(value: unknown, { quoteStrings = true }: { quoteStrings?: boolean } = {}): string {
  const text = fullText(value, quoteStrings)
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 3)}...` : text
}

function fullText(value: unknown, quoteStrings: boolean): string {
  switch (typeof value) {
    case 'string':
      return quoteStrings ? JSON.stringify(value) : value
    case 'bigint':
      return `${value}n`
    case 'function':
      return 'a function'
    case 'object':
      return value === null ? 'null' : Array.isArray(value) ? describeArray(value) : 'an object'
    default:
      // number, boolean, undefined, symbol: String() converts these without calling user code.
      return String(value)
  }
}

function describeArray(values: readonly unknown[]): string {
  if (values.length === 0 || values.length > MAX_LISTED) return 'an array'
  const items: string[] = []
  for (let i = 0; i < values.length; i++) {
    const item = values[i]
    if (typeof item !== 'number') return 'an array'
    items.push(String(item))
  }
  return `[${items.join(', ')}]`
}
