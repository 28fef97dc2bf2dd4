/** Whole-file writes that never leave a partial file behind (Node). */
import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'

/**
 * Writes bytes to a temporary file beside `path` (a unique name, so concurrent writers never
 * share one), then renames it over `path`. On failure the temporary file is removed and the
 * error is rethrown for the caller to name.
 */
export async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temporary, bytes, { flag: 'wx' })
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined)
    throw error
  }
}
