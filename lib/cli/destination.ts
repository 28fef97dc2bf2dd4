/** Where the CLI writes files: checked before any work, and every failure to write as one line naming the file. */
import { access, constants, stat } from 'node:fs/promises'
import path from 'node:path'
import { destinationProblem } from '../model/write-atomically.js'
import { UsageError } from './usage.js'

/** Runs a write step; an I/O error becomes a usage error that names the file (no stack trace). */
export async function cannotWrite<T>(file: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`)
  }
}

/** Fails fast, before a long run, when `file` could not be written at its end. */
export async function checkDestination(file: string): Promise<void> {
  const problem = await destinationProblem(file)
  if (problem !== null) throw new UsageError(`cannot write ${file}: ${problem}`)
}

/** A folder the run will create or fill: an existing one must be a writable folder; a new one, creatable in its nearest existing parent. */
export async function checkOutputFolder(folder: string): Promise<void> {
  let existing = path.resolve(folder)
  for (;;) {
    try {
      const info = await stat(existing)
      if (!info.isDirectory()) throw new UsageError(`cannot write into ${folder}: ${existing} is not a folder`)
      break
    } catch (error) {
      if (error instanceof UsageError) throw error
      const parent = path.dirname(existing)
      if (parent === existing) throw new UsageError(`cannot write into ${folder}: ${(error as Error).message}`)
      existing = parent
    }
  }
  try {
    await access(existing, constants.W_OK | constants.X_OK)
  } catch {
    throw new UsageError(`cannot write into ${folder}: the folder ${existing} is not writable`)
  }
}
