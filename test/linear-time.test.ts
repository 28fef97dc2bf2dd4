// Text and CSV input cost time in proportion to their length, whatever their shape: the treebank
// tokenizer on adversarial megabyte lines, and the CLI on a 100 KB text line and a 100 KB CSV cell.
import test from 'ava'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createModel, saveModel } from '../lib/index.js'
import { tokenizeTreebank } from '../lib/text/tokenize.js'
import { runCliGuarded } from './helpers/guarded-cli.js'

const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-linear-time-'))
test.after.always(() => rmSync(work, { recursive: true, force: true }))

const HALF_MEGABYTE = 1 << 19

/** Lines of `length` characters that made the old tokenizer quadratic, and the plain shapes beside them. */
const SHAPES: Record<string, (length: number) => string> = {
  'trailing punctuation': (length) => `word${','.repeat(length - 4)}`,
  'all punctuation': (length) => '!?.,;:'.repeat(length / 8) + '"()[]{}'.repeat(length / 28),
  'one long word': (length) => 'a'.repeat(length),
  'many spaces': (length) => ` ${' '.repeat(length - 2)}a`,
  'alternating words and punctuation': (length) => 'ab.,'.repeat(length / 4),
  'a word then alternating periods and commas': (length) => `x${'.,'.repeat(length / 2)}`,
  'initials then periods and commas': (length) => 'a.'.repeat(length / 4) + '.,'.repeat(length / 4),
  'opening brackets': (length) => `${'('.repeat(length - 1)}a`,
  'an apostrophe word then commas': (length) => `'s${','.repeat(length - 2)}`,
  'dashes and ellipses inside a word': (length) => 'a--b...'.repeat(length / 7),
}

/** The faster of two runs, so one garbage collection does not decide the ratio. */
function tokenizeMilliseconds(text: string): number {
  let best = Infinity
  for (let run = 0; run < 2; run++) {
    const started = performance.now()
    tokenizeTreebank(text)
    best = Math.min(best, performance.now() - started)
  }
  return best
}

// The old tokenizer took 26 s for 100 KB of trailing punctuation (about 40 minutes for 1 MB); a
// linear one takes well under a second. A bound far between the two cannot flake on a loaded machine,
// as a ratio of two timings did.
const MEGABYTE_BOUND_MS = 10_000

for (const [shape, line] of Object.entries(SHAPES)) {
  test(`tokenizing a 1 MB line of ${shape} takes linear time (under ${MEGABYTE_BOUND_MS / 1000} s)`, (t) => {
    const half = tokenizeMilliseconds(line(HALF_MEGABYTE))
    const whole = tokenizeMilliseconds(line(2 * HALF_MEGABYTE))
    t.true(whole < MEGABYTE_BOUND_MS, `${half.toFixed(0)} ms for 512 KB, ${whole.toFixed(0)} ms for 1 MB`)
    t.log(`${half.toFixed(0)} ms for 512 KB, ${whole.toFixed(0)} ms for 1 MB`)
  })
}

test('the tokens of adversarial lines are still the treebank tokens', (t) => {
  t.deepEqual(tokenizeTreebank(`word${','.repeat(5)}`), ['word', ',', ',', ',', ',', ','])
  t.deepEqual(tokenizeTreebank(`x${'.,'.repeat(2)}`), ['x.', ',', '.', ','])
  t.deepEqual(tokenizeTreebank(`word${'.,'.repeat(2)}`), ['word', '.', ',', '.', ','])
  t.deepEqual(tokenizeTreebank(`u.s.${'.,'.repeat(1)}`), ['u.s.', '.', ','])
  t.deepEqual(tokenizeTreebank(`'s,,`), ["'s", ',', ','])
  t.deepEqual(tokenizeTreebank(`'hello,,`), ['`', 'hello', ',', ','])
  t.deepEqual(tokenizeTreebank('((a'), ['-LRB-', '-LRB-', 'a'])
})

async function textModel(): Promise<string> {
  const file = path.join(work, 'text-model.safetensors')
  const vocab = ['<unk>', 'word', ',', '.']
  const model = await createModel({ inputSize: 2, embedding: { vocabSize: vocab.length }, layers: [{ hiddenSize: 2 }], head: { outputs: 2 }, tokenizer: { lowercase: true, vocab } }, { seed: 1 })
  await saveModel(model, file)
  model.dispose()
  return file
}

test('explain of one 100 KB text line of trailing punctuation finishes in seconds', async (t) => {
  const line = `word${','.repeat(100_000)}\n`
  const run = await runCliGuarded(['explain', '--model', await textModel(), '--input-format', 'text', '--format', 'csv'], line, { timeoutMs: 20_000, maxOldSpaceMb: 512 })
  t.is(run.signal, null, `killed after ${run.milliseconds.toFixed(0)} ms`)
  t.is(run.code, 0, run.stderr.slice(0, 500))
  t.is(run.stdout.split('\n').length, 1 + 100_001 + 1, 'a header, one row per token, a final newline')
})

test('a 100 KB CSV cell of digits that is not a number is rejected in seconds', async (t) => {
  const model = path.join(work, 'series-model.safetensors')
  const created = await createModel({ inputSize: 2, layers: [{ hiddenSize: 2 }], head: { outputs: 1 }, task: 'regression' }, { seed: 1 })
  await saveModel(created, model)
  created.dispose()
  for (const cell of [`${'1'.repeat(100_000)}x`, `${'1'.repeat(100_000)}.1.`, `${'1'.repeat(100_000)}e`]) {
    const run = await runCliGuarded(['explain', '--model', model, '--input-format', 'csv'], `0,0\n0,${cell}\n`, { timeoutMs: 15_000, maxOldSpaceMb: 512 })
    t.is(run.signal, null, `killed after ${run.milliseconds.toFixed(0)} ms`)
    t.is(run.code, 1)
    t.regex(run.stderr, /line 2, column 2: .* is not a number/)
  }
})
