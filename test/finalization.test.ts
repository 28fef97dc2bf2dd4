// Models nobody disposes are freed once they are garbage. The WASM module used to keep every one
// for good, until loads failed with E_MEMORY; the native addon frees them through its N-API
// finalizers. Each backend loads a model 3000 times in a child process (--expose-gc, a bounded heap,
// a time limit; test/helpers/finalization-child.ts) with only every third model disposed.
import test from 'ava'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const child = path.join(root, 'test', 'helpers', 'finalization-child.ts')
const MiB = 2 ** 20
const LOADS = 3000

interface Report {
  rounds: number[]
  unheldSame: boolean
  keptSame: boolean
}

function runChild(backend: string, growthLimit: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=512', '--import', 'tsx', child, backend, String(LOADS), String(growthLimit)],
      { cwd: root, timeout: 240_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, signal: error?.signal ?? null, stdout, stderr }),
    )
  })
}

/**
 * Growth allowed after the first 100 loads. Each model takes about 0.2 MiB of the WASM module's
 * memory and more of the native heap: 3000 models left behind would take over 500 MiB.
 */
const GROWTH_LIMITS = { wasm: 16 * MiB, native: 64 * MiB }

for (const [backend, limit] of Object.entries(GROWTH_LIMITS)) {
  const measured = backend === 'wasm' ? "the WASM module's memory" : "the process's RSS"
  test(`${backend}: ${LOADS} loads without dispose() all succeed and ${measured} grows by at most ${limit / MiB} MiB; a batch on an unheld model and a kept model give their results`, async (t) => {
    const result = await runChild(backend, limit)
    t.is(result.signal, null, `killed by ${result.signal}`)
    t.is(result.code, 0, result.stderr.slice(0, 2000))
    t.is(result.stderr, '')
    const report = JSON.parse(result.stdout) as Report
    const growth = Math.max(...report.rounds) - report.rounds[0]
    t.true(growth <= limit, `grew by ${(growth / MiB).toFixed(1)} MiB`)
    t.is(report.rounds.length, LOADS / 100, 'every round of loads ran')
    t.true(report.unheldSame, 'the batch on a model held only by its promise gives the results of a kept model')
    t.true(report.keptSame, 'the kept model gives its first results at the end')
  })
}
