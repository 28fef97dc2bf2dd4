/**
 * Files that appear whole or not at all (Node). Bytes go to a temporary file beside the destination,
 * which is renamed over it once complete. The temporary name is unguessable and created exclusively
 * without following links, so another user cannot plant a link there and redirect the write.
 */
import { randomBytes } from 'node:crypto'
import { constants, unlinkSync } from 'node:fs'
import { access, lstat, open, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import path from 'node:path'

/** Fails if the name exists, even as a link (O_EXCL), and never opens through a link (O_NOFOLLOW, where the system has it). */
const EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0)

/** Temporary files not yet renamed or removed; an interrupted process removes them with removeTemporaryFilesSync. */
const pending = new Set<string>()

/** Removes every temporary file still open; synchronous, for signal handlers and process exit. */
export function removeTemporaryFilesSync(): void {
  for (const file of pending) {
    try {
      unlinkSync(file)
    } catch {
      // Already gone: nothing to clean up.
    }
    pending.delete(file)
  }
}

function errorMessage(error: unknown): string {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message
}

/**
 * Why `destination` cannot be written, or null: its folder must exist and be writable, and the
 * destination must not be a directory or a special file (a device or pipe would be replaced by the
 * rename). A symbolic link there is replaced, never written through.
 */
export async function destinationProblem(destination: string): Promise<string | null> {
  const folder = path.dirname(destination)
  try {
    if (!(await stat(folder)).isDirectory()) return `${folder} is not a folder`
  } catch (error) {
    return `the folder ${folder} does not exist (${errorMessage(error)})`
  }
  try {
    await access(folder, constants.W_OK | constants.X_OK)
  } catch {
    return `the folder ${folder} is not writable`
  }
  try {
    const info = await lstat(destination)
    if (info.isDirectory()) return 'it is a directory'
    if (!info.isFile() && !info.isSymbolicLink()) return 'it is not a regular file (a device, pipe or socket)'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return errorMessage(error)
  }
  return null
}

/** The mode a newly created file gets (0o666 less the umask), given once the file is complete. */
function normalMode(): number {
  return 0o666 & ~process.umask()
}

/** Errors with which Windows refuses to replace a file that is open or being replaced at that moment. */
const TRANSIENT_ON_WINDOWS = new Set(['EPERM', 'EACCES', 'EBUSY'])
const RENAME_PATIENCE_MS = 2000

/**
 * rename(), retried on Windows while the destination is briefly held (a concurrent writer's rename,
 * a virus scanner): there the lock clears within milliseconds, and giving up would lose the write.
 */
async function renameOver(from: string, to: string): Promise<void> {
  const deadline = Date.now() + RENAME_PATIENCE_MS
  for (let wait = 1; ; wait = Math.min(wait * 2, 100)) {
    try {
      return await rename(from, to)
    } catch (error) {
      const transient = process.platform === 'win32' && TRANSIENT_ON_WINDOWS.has((error as NodeJS.ErrnoException).code ?? '')
      if (!transient || Date.now() + wait > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
}

/** A file being written: nothing is at the destination until commit, and abandon leaves nothing behind. */
export class AtomicFile {
  private constructor(
    readonly destination: string,
    private readonly temporary: string,
    private readonly handle: FileHandle,
  ) {}

  /** Opens a fresh temporary file beside `destination`, readable only by its owner until commit. */
  static async create(destination: string): Promise<AtomicFile> {
    const problem = await destinationProblem(destination)
    if (problem !== null) throw new Error(problem)
    const temporary = `${destination}.${randomBytes(12).toString('hex')}.tmp`
    const handle = await open(temporary, EXCLUSIVE, 0o600)
    pending.add(temporary)
    return new AtomicFile(destination, temporary, handle)
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    for (let offset = 0; offset < bytes.length;) offset += (await this.handle.write(bytes, offset, bytes.length - offset)).bytesWritten
  }

  /** Flushes the file to disk, gives it a normal file's mode and renames it over the destination. */
  async commit(): Promise<void> {
    await this.handle.sync()
    await this.handle.chmod(normalMode())
    await this.handle.close()
    await renameOver(this.temporary, this.destination)
    pending.delete(this.temporary)
  }

  /** Removes the temporary file; the destination is left as it was. */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined)
    await rm(this.temporary, { force: true }).catch(() => undefined)
    pending.delete(this.temporary)
  }
}

/** Writes `bytes` to `destination` whole or not at all; the error names why not, for the caller to wrap. */
export async function writeAtomically(destination: string, bytes: Uint8Array | string): Promise<void> {
  const file = await AtomicFile.create(destination)
  try {
    await file.write(bytes)
    await file.commit()
  } catch (error) {
    await file.abandon()
    throw error
  }
}
