// Async kernel calls against the end of their environment: worker threads terminated or exiting
// and processes exiting while explainBatch, evaluate or train runs, at many moments, on both
// backends. Each case runs in a child process (test/helpers/teardown/child.ts): a crash there
// (the native addon used to abort with SIGABRT) must not take the test runner down with it.
import test from 'ava'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BackendName } from '../lib/index.js'
import { MAIN_EXIT_CODE, MOMENTS, OPERATIONS, WORKER_EXIT_CODE, type Moment } from './helpers/teardown/workload.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const child = path.join(root, 'test', 'helpers', 'teardown', 'child.ts')
const BACKENDS: BackendName[] = ['native', 'wasm']
/** Moments at which a whole process exits: each needs a child of its own. */
const EXIT_MOMENTS: Moment[] = [5, 'progress']

interface ChildResult {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
}

/** The machine is shared: at most two children run at once. */
let running = 0
const waiting: (() => void)[] = []

async function runChild(args: string[]): Promise<ChildResult> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve))
  running++
  try {
    return await new Promise((resolve) => {
      execFile(process.execPath, ['--max-old-space-size=1024', '--import', 'tsx', child, ...args], { cwd: root, timeout: 240_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, signal: error?.signal ?? null, stdout, stderr }),
      )
    })
  } finally {
    running--
    waiting.shift()?.()
  }
}

function assertExit(t: import('ava').ExecutionContext, result: ChildResult, code: number, stdout: string): void {
  t.is(result.signal, null, `killed by ${result.signal}; stderr: ${result.stderr.slice(0, 2000)}`)
  t.is(result.code, code, result.stderr.slice(0, 2000))
  t.is(result.stderr, '')
  t.is(result.stdout, stdout)
}

for (const backend of BACKENDS) {
  for (const operation of OPERATIONS) {
    test(`${backend}: terminate() on a worker at 0, 1, 5, 20, 50 ms and at the first progress of ${operation}; a main-thread model keeps its results`, async (t) => {
      const result = await runChild(['terminate', backend, operation])
      assertExit(t, result, 0, MOMENTS.map((moment) => `terminated at ${moment}\n`).join(''))
    })

    test(`${backend}: process.exit() inside a worker at 0, 1, 5, 20, 50 ms and from the first progress of ${operation}; a main-thread model keeps its results`, async (t) => {
      const result = await runChild(['worker-exit', backend, operation])
      assertExit(t, result, 0, MOMENTS.map((moment) => `worker exited with ${WORKER_EXIT_CODE} at ${moment}\n`).join(''))
    })

    for (const moment of EXIT_MOMENTS) {
      test(`${backend}: process.exit() on the main thread at ${moment} with ${operation} running there exits with its code`, async (t) => {
        assertExit(t, await runChild(['main-exit', backend, operation, String(moment)]), MAIN_EXIT_CODE, '')
      })

      test(`${backend}: process.exit() on the main thread at ${moment} with ${operation} running in two workers exits with its code`, async (t) => {
        assertExit(t, await runChild(['main-exit-workers', backend, operation, String(moment)]), MAIN_EXIT_CODE, '')
      })
    }
  }

  test(`${backend}: four workers with their own models, terminated together while a main-thread model works, leave it its results`, async (t) => {
    assertExit(t, await runChild(['many-workers', backend]), 0, 'terminated 4 workers\n')
  })
}
