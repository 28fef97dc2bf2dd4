// Runs the built `lstm-lrp` CLI under a time limit (killed past it) and a V8 heap limit, and says how long it took.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const cli = path.join(root, 'dist', 'cli', 'main.js')

export interface GuardedRun {
  code: number | null
  /** Set when the run was killed, e.g. 'SIGTERM' past the time limit. */
  signal: string | null
  stdout: string
  stderr: string
  milliseconds: number
}

export interface Guards {
  timeoutMs: number
  maxOldSpaceMb: number
}

export function runCliGuarded(args: string[], stdin: string, { timeoutMs, maxOldSpaceMb }: Guards): Promise<GuardedRun> {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [`--max-old-space-size=${maxOldSpaceMb}`, cli, ...args], { timeout: timeoutMs, maxBuffer: 1 << 30 }, (error, stdout, stderr) =>
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
        signal: error?.signal ?? null,
        stdout,
        stderr,
        milliseconds: performance.now() - started,
      }),
    )
    child.stdin!.end(stdin)
  })
}
