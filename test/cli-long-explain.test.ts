// A real explanation of 10^6 steps (a tiny model) through the CLI in every rendered format, under a
// time and a heap limit: no renderer overflows the stack or the heap on a long sequence.
import test from 'ava'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createModel, saveModel } from '../lib/index.js'
import { runCliGuarded } from './helpers/guarded-cli.js'

const STEPS = 1_000_000
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-long-explain-'))
test.after.always(() => rmSync(work, { recursive: true, force: true }))

async function tinyModel(): Promise<string> {
  const file = path.join(work, 'tiny.safetensors')
  const model = await createModel({ inputSize: 1, layers: [{ hiddenSize: 2 }], head: { outputs: 1 }, task: 'regression' }, { seed: 1 })
  await saveModel(model, file)
  model.dispose()
  return file
}

function count(text: string, pattern: string): number {
  let found = 0
  for (let at = text.indexOf(pattern); at >= 0; at = text.indexOf(pattern, at + 1)) found++
  return found
}

const INPUT = `{"x": [${Array.from({ length: STEPS }, (_, t) => `[${(t % 7) / 8}]`).join(',')}]}\n`
const EXPECTED: Record<string, (output: string) => number> = {
  csv: (output) => count(output, '\n') - 1,
  terminal: (output) => count(output, ']'),
  html: (output) => count(output, '<bdi class="t"'),
  svg: (output) => count(output, '<circle '),
}

for (const [format, drawnSteps] of Object.entries(EXPECTED)) {
  test.serial(`explain --format ${format} of a 10^6-step input draws every step`, async (t) => {
    const run = await runCliGuarded(['explain', '--model', await tinyModel(), '--format', format, '--progress', 'never'], INPUT, { timeoutMs: 300_000, maxOldSpaceMb: 2048 })
    t.is(run.signal, null, `killed after ${run.milliseconds.toFixed(0)} ms`)
    t.is(run.code, 0, run.stderr.slice(0, 500))
    t.is(drawnSteps(run.stdout), STEPS)
  })
}
