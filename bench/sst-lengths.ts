// Sentence lengths of the SST test set (the benchmark draws from them), read from the repository's trees.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

const TEST_TREES = new URL('../data/sst/test.txt.gz', import.meta.url)

/** Word counts of the test sentences: the number of leaves `(label word)` of each tree. */
export function sstTestLengths(): number[] {
  return gunzipSync(readFileSync(TEST_TREES))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (line.match(/\(\d [^()\s]+\)/g) ?? []).length)
}
