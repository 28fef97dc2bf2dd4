/** Row-major typed arrays as the nested JSON arrays the CLI writes. */
import v8 from 'node:v8'
import type { FloatArray, ModelConfig } from '../model/types.js'
import { fail } from '../errors.js'

/**
 * JavaScript heap per value written: the number in its row array (about 10 bytes), its JSON text
 * (about 20 characters) and the text's copy in the line and in the joined output of a chunk.
 */
const HEAP_BYTES_PER_VALUE = 48

/** Fails with E_MEMORY, before building anything, when the JSON of `count` values cannot fit in the heap that is left. */
function checkHeapRoom(count: number): void {
  const { heap_size_limit: limit, used_heap_size: used } = v8.getHeapStatistics()
  const needed = count * HEAP_BYTES_PER_VALUE
  if (needed > limit - used) fail('E_MEMORY', `writing ${count} values as JSON would need about ${needed} bytes of JavaScript heap; ${limit - used} bytes are left (node --max-old-space-size raises the limit)`)
}

/** values[start, end) as a plain array, by a loop: Array.from on a typed array goes through its iterator, several times slower. */
export function numbers(values: ArrayLike<number>, start = 0, end = values.length): number[] {
  const out = new Array<number>(end - start)
  for (let k = start; k < end; k++) out[k - start] = values[k]
  return out
}

export function rows(values: FloatArray, width: number): number[][] {
  checkHeapRoom(values.length)
  return Array.from({ length: values.length / width }, (_, r) => numbers(values, r * width, (r + 1) * width))
}

/** Scores or probabilities: one row of numbers for readout `last`, T rows for `each`. */
export function outputRows(values: FloatArray, config: ModelConfig): number[] | number[][] {
  return config.head.readout === 'last' ? numbers(values) : rows(values, config.head.outputs)
}
