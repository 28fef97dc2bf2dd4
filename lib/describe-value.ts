/** Values echoed in error messages are cut to this length: a hostile value must not flood them. */
const MAX_LENGTH = 80

/** Arrays up to this long show their numbers: a CD phrase or a [step, class] pair reads best as written. */
const MAX_LISTED = 8

/**
 * Text from a caller or a file as an error message shows it: whole when short, otherwise its start
 * and how long it was ("abc... (1048576 characters)"), so a megabyte-long word or line never floods
 * a message.
 */
export function excerpt(text: string, maxLength = MAX_LENGTH): string {
  if (text.length <= maxLength) return text
  return `${text.slice(0, maxLength - 3)}... (${text.length} characters)`
}

/**
 * A value a caller or a file gave, as an error message shows it: strings quoted, other primitives
 * and short arrays of numbers as written, anything else by its kind. Objects are never converted
 * (no toString, valueOf or toJSON), so building an error message cannot itself throw: String() and
 * JSON.stringify() do for objects without a prototype, BigInts, symbols and circular objects.
 * `quoteStrings: false` shows a string where a number belongs (a token id '3') as the number it spells.
 */
export function describeValue(value: unknown, { quoteStrings = true }: { quoteStrings?: boolean } = {}): string {
  if (typeof value !== 'string') return excerpt(fullText(value))
  // Cut before quoting: quoting a gigabyte string would copy it only to throw the copy away.
  const cut = value.length > MAX_LENGTH
  const shown = cut ? value.slice(0, MAX_LENGTH - 3) : value
  const text = quoteStrings ? JSON.stringify(shown) : shown
  return cut ? `${text}... (${value.length} characters)` : text
}

function fullText(value: unknown): string {
  switch (typeof value) {
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
