// Runs the built `lstm-lrp` CLI (dist/cli/main.js) with the given arguments and standard input, under a time guard.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const cli = path.join(root, 'dist', 'cli', 'main.js')

/** No CLI run in the tests takes this long; a hung one is killed so the suite cannot hang. */
const TIME_LIMIT_MS = 120_000

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export interface CliOptions {
  /** Milliseconds before the run is killed (its code is then 1 and stderr says so). */
  timeout?: number
  /** Node flags for the child, e.g. a heap limit. */
  nodeArgs?: string[]
  /** Environment variables set for the child, beside this process's. */
  env?: Record<string, string>
  /** The child's working folder (default: this process's). */
  cwd?: string
}

export function runCli(args: string[], stdin = '', { timeout = TIME_LIMIT_MS, nodeArgs = [], env = {}, cwd }: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const options = { maxBuffer: 64 << 20, timeout, killSignal: 'SIGKILL' as const, env: { ...process.env, ...env }, cwd }
    const child = execFile(process.execPath, [...nodeArgs, cli, ...args], options, (error, stdout, stderr) => {
      const killed = error?.killed === true ? `\n(killed after ${timeout} ms)` : ''
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr: stderr + killed })
    })
    child.stdin!.on('error', () => undefined)
    child.stdin!.end(stdin)
  })
}

export interface RunningCli {
  child: ChildProcess
  stderr(): string
  /** Resolves with the exit code, or the signal that ended the run. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts the CLI with stdin, stdout and stderr as pipes, for tests that act while it runs; killed after `timeout` ms. */
export function startCli(args: string[], { timeout = TIME_LIMIT_MS }: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'pipe' })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdin!.on('error', () => undefined)
  const guard = setTimeout(() => child.kill('SIGKILL'), timeout)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(guard)
      resolve({ code, signal })
    }),
  )
  return { child, stderr: () => stderr, exited }
}

/** Runs many CLI invocations, a few at a time: the test machine has few cores and each run is a Node process. */
export async function runCliEach(runs: { args: string[]; stdin?: string }[], concurrency = 4): Promise<CliRun[]> {
  const results: CliRun[] = new Array(runs.length)
  let next = 0
  const worker = async () => {
    for (let n = next++; n < runs.length; n = next++) results[n] = await runCli(runs[n].args, runs[n].stdin ?? '')
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return results
}
