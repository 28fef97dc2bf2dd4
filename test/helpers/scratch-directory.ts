// Temporary folders for tests that write files.
import type { ExecutionContext } from 'ava'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** A fresh directory, removed when the test ends (also when an assertion fails). */
export async function scratchDirectory(t: ExecutionContext, prefix = 'lstm-lrp-test-'): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), prefix))
  t.teardown(() => rm(directory, { recursive: true, force: true }))
  return directory
}
