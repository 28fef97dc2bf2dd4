/**
 * How the CLI ends when it does not run to completion: on SIGINT, SIGTERM or SIGHUP, when the reader
 * of stdout goes away (`lstm-lrp explain ... | head -1`), or on an uncaught exception. Every path
 * first removes the temporary files of unfinished atomic writes.
 */
import { removeTemporaryFilesSync } from '../model/write-atomically.js'

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/** Exit status of an internal error (a bug), as for an error thrown from a command. */
export const INTERNAL_ERROR = 2

export function installExitPaths(): void {
  process.on('exit', removeTemporaryFilesSync)
  for (const signal of SIGNALS)
    process.once(signal, () => {
      removeTemporaryFilesSync()
      // With its handler gone the signal ends the process as usual, so the shell sees 128 + its number (130 for Ctrl-C).
      process.kill(process.pid, signal)
    })
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // The reader has all it wanted: stop the work quietly, as `yes | head -1` does.
    if (error.code === 'EPIPE') process.exit(0)
    process.stderr.write(`lstm-lrp: cannot write to stdout: ${error.message}\n`)
    process.exit(1)
  })
  process.on('uncaughtException', (error) => {
    process.stderr.write(`lstm-lrp: internal error: ${error?.stack ?? String(error)}\n`)
    process.exit(INTERNAL_ERROR)
  })
}
