// Sentence lengths of the SST test set (the benchmark draws from them), read from the trees.
import { existsSync, readFileSync } from 'node:fs'

const TEST_TREES = new URL('../../shared/data/sst/test.txt', import.meta.url)

/** Word counts of the test sentences; a mean-19 fallback where the data is not beside the repository. */
export function sstTestLengths(): number[] {
  if (!existsSync(TEST_TREES)) return Array.from({ length: 100 }, (_, k) => 5 + ((k * 7) % 29))
  return readFileSync(TEST_TREES, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (line.match(/\(\d [^()\s]+\)/g) ?? []).length)
}
