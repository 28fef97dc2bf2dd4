/** Seeded mutations of bytes and of JSON: what the JavaScript fuzzer feeds the importers and the CLI input parsers. */

/** mulberry32: a small, fast, seeded generator; the same seed gives the same case. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state)
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
}

export type Random = () => number

const below = (next: Random, limit: number): number => Math.floor(next() * limit)
const pick = <T>(next: Random, items: readonly T[]): T => items[below(next, items.length)]

/** Integers that sit on the edges of the sizes and counts formats store. */
const INTERESTING_32 = [0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, -0x80000000, 0x40000000, 16, 64, 1024]

type ByteMutation = (bytes: Uint8Array, next: Random) => Uint8Array

const byteMutations: Record<string, ByteMutation> = {
  flipBit(bytes, next) {
    if (bytes.length === 0) return bytes
    const copy = bytes.slice()
    copy[below(next, copy.length)] ^= 1 << below(next, 8)
    return copy
  },
  setByte(bytes, next) {
    if (bytes.length === 0) return bytes
    const copy = bytes.slice()
    copy[below(next, copy.length)] = pick(next, [0, 0xff, 0x7f, 0x80, 0x01, below(next, 256)])
    return copy
  },
  insertBytes(bytes, next) {
    const at = below(next, bytes.length + 1)
    const inserted = Uint8Array.from({ length: 1 + below(next, 16) }, () => below(next, 256))
    return concat(bytes.subarray(0, at), inserted, bytes.subarray(at))
  },
  deleteBytes(bytes, next) {
    if (bytes.length === 0) return bytes
    const at = below(next, bytes.length)
    return concat(bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + below(next, 64))))
  },
  truncate(bytes, next) {
    return bytes.subarray(0, below(next, bytes.length + 1)).slice()
  },
  duplicateChunk(bytes, next) {
    if (bytes.length === 0) return bytes
    const start = below(next, bytes.length)
    const chunk = bytes.subarray(start, Math.min(bytes.length, start + 1 + below(next, 256)))
    const at = below(next, bytes.length + 1)
    return concat(bytes.subarray(0, at), ...Array.from({ length: 1 + below(next, 8) }, () => chunk), bytes.subarray(at))
  },
  interestingInteger(bytes, next) {
    if (bytes.length < 4) return bytes
    const copy = bytes.slice()
    new DataView(copy.buffer).setInt32(below(next, copy.length - 3), pick(next, INTERESTING_32), next() < 0.5)
    return copy
  },
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0))
  parts.reduce((offset, part) => (joined.set(part, offset), offset + part.length), 0)
  return joined
}

/** One to four stacked byte mutations. */
export function mutateBytes(bytes: Uint8Array, next: Random): Uint8Array {
  let mutated = bytes
  const names = Object.keys(byteMutations)
  for (let count = 1 + below(next, 4); count > 0; count--) mutated = byteMutations[pick(next, names)](mutated, next)
  return mutated
}

const INTERESTING_VALUES: (() => unknown)[] = [
  () => null,
  () => -1,
  () => 0,
  () => 1e308,
  () => -0.5,
  () => 2 ** 53,
  () => '',
  () => 'x'.repeat(100_000),
  () => [],
  () => ({}),
  () => true,
  () => [[[[[[[[[[[]]]]]]]]]]],
  () => JSON.parse('{"__proto__": {"polluted": 1}}'),
  () => JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`),
  () => Array.from({ length: 10_000 }, () => 0),
]

/** Words the importers branch on: swapping them in reaches code that random bytes rarely do. */
const KEYWORDS = [
  'Functional',
  'Model',
  'Sequential',
  'InputLayer',
  'LSTM',
  'Bidirectional',
  'Dense',
  'TimeDistributed',
  'Embedding',
  'Dropout',
  'GRU',
  'concat',
  'sum',
  'tanh',
  'linear',
  'softmax',
  'sigmoid',
  'relu',
  'float32',
  'float64',
  'int32',
  'layers-model',
  'graph-model',
  'inbound_nodes',
  'keras_history',
  'model_config',
  'weightsManifest',
  'paths',
  'x',
  'tokens',
  'text',
  'target',
  'id',
]

/** The containers (objects and arrays) of a JSON value with the key that reaches each of their entries. */
function slots(value: unknown, found: [Record<string, unknown> | unknown[], string | number][] = [], depth = 0): [Record<string, unknown> | unknown[], string | number][] {
  if (depth > 64 || typeof value !== 'object' || value === null) return found
  const container = value as Record<string, unknown> | unknown[]
  for (const key of Array.isArray(container) ? container.keys() : Object.keys(container)) {
    found.push([container, key])
    slots((container as Record<string | number, unknown>)[key], found, depth + 1)
  }
  return found
}

/** Replaces, deletes or duplicates an entry somewhere in a JSON document; falls back to bytes when it does not parse. */
export function mutateJson(text: string, next: Random): string {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return new TextDecoder().decode(mutateBytes(new TextEncoder().encode(text), next))
  }
  for (let count = 1 + below(next, 3); count > 0; count--) {
    const all = slots(value)
    if (all.length === 0) return JSON.stringify(pick(next, INTERESTING_VALUES)())
    const [container, key] = pick(next, all)
    const entries = container as Record<string | number, unknown>
    const choice = next()
    if (choice < 0.3) entries[key] = pick(next, INTERESTING_VALUES)()
    else if (choice < 0.5) entries[key] = typeof entries[key] === 'object' && entries[key] !== null ? { [pick(next, KEYWORDS)]: entries[key] } : pick(next, KEYWORDS)
    else if (choice < 0.7) {
      if (Array.isArray(container)) container.splice(key as number, 1)
      else Reflect.deleteProperty(entries, key)
    } else if (choice < 0.85 && Array.isArray(container)) container.push(...Array.from({ length: 1 + below(next, 50) }, () => container[key as number]))
    // A copy of another container: the document stays a tree (an alias could make it cyclic).
    else entries[key] = JSON.parse(JSON.stringify(pick(next, all)[0]))
  }
  return JSON.stringify(value)
}

/** JSON lines: each line mutated as JSON with some probability, and lines duplicated or dropped. */
export function mutateLines(text: string, next: Random, asJson: boolean): string {
  if (next() < 0.3) return new TextDecoder().decode(mutateBytes(new TextEncoder().encode(text), next))
  const lines = text.split('\n')
  const at = below(next, lines.length)
  const choice = next()
  if (choice < 0.5) lines[at] = asJson ? mutateJson(lines[at], next) : new TextDecoder().decode(mutateBytes(new TextEncoder().encode(lines[at]), next))
  else if (choice < 0.75) lines.splice(at, 0, ...Array.from({ length: 1 + below(next, 100) }, () => lines[at]))
  else lines.splice(at, 1)
  return lines.join('\n')
}
