// Calls whose true need is many GiB are refused with E_MEMORY before anything of that size is
// allocated: with readout 'each' a 2000-output model asks for steps × 2000 scores, probabilities,
// target weights and trace rows, and with readout 'last' a 4096-wide embedding asks for steps ×
// 4096 trace and relevance values, from a million-step input of a few megabytes. Each call runs in
// a child process under a time and heap guard and must fail fast, its resident memory growing by
// less than 256 MiB, on the native addon and on WASM. A large call that fits still runs.
import test from 'ava'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createModel, saveModel } from '../lib/index.js'
import { runCli } from './helpers/run-cli.js'

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers', 'memory-refusal-child.ts')
const MiB = 2 ** 20
const RSS_BOUND = 256 * MiB
const CALLS = ['predict', 'lrp', 'lrp-target', 'gradient', 'gradient-x-input', 'occlusion', 'cd', 'cd-phrase', 'integrated-gradients', 'explain-batch', 'evaluate', 'gradients', 'train']

interface ChildReport {
  call: string
  code: string
  message: string
  seconds: number
  rssGrowth: number
}

function runChild(args: string[]): Promise<ChildReport[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--max-old-space-size=768', '--import', 'tsx', CHILD, ...args], { timeout: 120_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${args.join(' ')}: ${error.message}\n${stderr.slice(0, 2000)}`))
      else resolve(JSON.parse(stdout) as ChildReport[])
    })
  })
}

for (const backend of ['native', 'wasm']) {
  for (const readout of ['each', 'last']) {
    test(`${backend}, readout ${readout}: every method on a million steps needing many GiB is refused with E_MEMORY, fast and without allocating`, async (t) => {
      const reports = await runChild([backend, readout, ...CALLS])
      t.is(reports.length, CALLS.length)
      for (const { call, ...report } of reports) {
        t.is(report.code, 'E_MEMORY', `${call}: ${report.message}`)
        t.regex(report.message, /would need about \d+ bytes|WASM memory is exhausted/, call)
        t.true(report.seconds < 20, `${call} took ${report.seconds.toFixed(1)} s`)
        t.true(report.rssGrowth < RSS_BOUND, `${call}: RSS grew by ${(report.rssGrowth / MiB).toFixed(0)} MiB`)
      }
    })
  }

  test(`${backend}: a large call that fits still runs (readout each, 2000 outputs, 8000 steps)`, async (t) => {
    const reports = await runChild([backend, 'each', 'predict-fits', 'lrp-fits'])
    t.deepEqual(
      reports.map(({ call, code }) => [call, code]),
      [
        ['predict-fits', 'none'],
        ['lrp-fits', 'none'],
      ],
      JSON.stringify(reports),
    )
  })
}

for (const backend of ['native', 'wasm']) {
  test(`${backend} CLI: JSON lines whose numbers would not fit in the heap are refused with one line, not a crash`, async (t) => {
    // 5000 steps × 2000 outputs: 10 million scores and as many probabilities, about 0.5 GB of JSON each.
    const dir = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-memory-'))
    try {
      const model = await createModel({ inputSize: 1, layers: [{ hiddenSize: 2 }], head: { outputs: 2000, readout: 'each' } }, { seed: 1 })
      const file = path.join(dir, 'each.safetensors')
      writeFileSync(file, await saveModel(model))
      const line = `${JSON.stringify({ x: Array.from({ length: 5000 }, () => [0.5]) })}\n`
      for (const command of ['predict', 'explain']) {
        const run = await runCli([command, '--model', file, '--backend', backend, '--progress', 'never'], line, { nodeArgs: ['--max-old-space-size=256'] })
        t.is(run.code, 1, `${command}: ${run.stderr.slice(0, 500)}`)
        t.is(run.stdout, '', command)
        t.regex(run.stderr, /^lstm-lrp: writing \d+ values as JSON would need about \d+ bytes of JavaScript heap; \d+ bytes are left/, command)
        t.is(run.stderr.split('\n').length, 2, `${command}: one line`)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
}
