// explain and predict on one input of a million steps (a CSV of 10^6 rows, a JSON line of 10^6 token ids):
// nothing in the CLI may spread such an input into a call's arguments, which overflows the stack.
import test from 'ava'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createModel, saveModel } from '../lib/index.js'
import { runCli } from './helpers/run-cli.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const toy = path.join(root, 'examples', 'toy-addition.safetensors')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-long-'))
const STEPS = 1_000_000
/** The child's heap: a million steps must fit in far less than the default. */
const MEMORY = ['--max-old-space-size=1536']

const rows = path.join(work, 'rows.csv')
writeFileSync(rows, `value,marker\n${Array.from({ length: STEPS }, (_, t) => `${(t % 7) / 7},${t % 2}`).join('\n')}\n`)
const ids = path.join(work, 'ids.jsonl')
writeFileSync(ids, `${JSON.stringify({ tokens: Array.from({ length: STEPS }, (_, t) => t % 4) })}\n`)
const tokenModel = path.join(work, 'tokens.safetensors')
const model = await createModel({ inputSize: 2, embedding: { vocabSize: 4 }, layers: [{ hiddenSize: 2 }], head: { outputs: 2 } }, { seed: 1 })
await saveModel(model, tokenModel)
model.dispose()
test.after.always(() => rmSync(work, { recursive: true, force: true }))

/** What is explained, the model, the input, and the CSV rows per step (numeric CSV has a row per step and feature). */
const CASES = [
  ['a CSV of 10^6 rows', toy, rows, 2],
  ['a JSON line of 10^6 token ids', tokenModel, ids, 1],
] as const

for (const [what, modelFile, input, csvRowsPerStep] of CASES) {
  test.serial(`explain: ${what}`, async (t) => {
    for (const format of ['jsonl', 'csv']) {
      const result = await runCli(['explain', '--model', modelFile, '--input', input, '--progress', 'never', '--format', format], '', { nodeArgs: MEMORY })
      t.is(result.code, 0, result.stderr.slice(0, 2000))
      if (format === 'jsonl') t.is((JSON.parse(result.stdout) as { perStep: number[] }).perStep.length, STEPS)
      else t.is(result.stdout.trim().split('\n').length, csvRowsPerStep * STEPS + 1)
    }
  })

  test.serial(`predict: ${what}`, async (t) => {
    const result = await runCli(['predict', '--model', modelFile, '--input', input, '--progress', 'never'], '', { nodeArgs: MEMORY })
    t.is(result.code, 0, result.stderr.slice(0, 2000))
    t.true(Array.isArray((JSON.parse(result.stdout) as { scores: number[] }).scores))
  })
}
