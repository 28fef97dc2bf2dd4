// explain's CSV output: text cells a spreadsheet would run as formulas are neutralised (OWASP CSV
// injection), our numbers stay numbers, and titles and tokens show their invisible characters.
import test from 'ava'
import { csvIdCell, csvTextCell } from '../lib/cli/csv-cells.js'
import type { ExplainedInput } from '../lib/cli/explain-output.js'
import { written } from './helpers/written-explanations.js'
import type { Explanation } from '../lib/explain/types.js'
import type { ModelConfig } from '../lib/model/types.js'

const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r']

for (const start of FORMULA_STARTS) {
  const name = JSON.stringify(start)
  test(`a text cell starting with ${name} gets a leading ' and is quoted`, (t) => {
    const cell = csvTextCell(`${start}1+2`)
    t.true(cell.startsWith(`"'`), cell)
    t.true(cell.endsWith('"'), cell)
    t.false(cell.includes('\t') || cell.includes('\r'), 'tab and carriage return are shown, not written')
    t.is(csvIdCell(`${start}cmd|' /C calc'!A0`).slice(0, 2), `"'`)
  })
}

test('a token "-3" is text: neutralised; so is "=HYPERLINK()" with a comma inside', (t) => {
  t.is(csvTextCell('-3'), `"'-3"`)
  t.is(csvTextCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`)
})

test('harmless text cells stay as they are, quoted only when they hold a comma or a quote', (t) => {
  t.is(csvTextCell('film'), 'film')
  t.is(csvTextCell('a,b'), '"a,b"')
  t.is(csvTextCell('say "hi"'), '"say ""hi"""')
  t.is(csvTextCell("'s"), "'s")
  t.is(csvTextCell('1-2'), '1-2')
})

test('text cells show line breaks and bidi controls as ⟨U+XXXX⟩, so a row stays one line', (t) => {
  t.is(csvTextCell('a\nb\u2028c\u202ed'), 'a⟨U+000A⟩b⟨U+2028⟩c⟨U+202E⟩d')
  t.is(csvTextCell('-\u202e1'), `"'-⟨U+202E⟩1"`)
})

test('numeric ids stay numbers, other ids are text cells', (t) => {
  t.is(csvIdCell(-5), '-5')
  t.is(csvIdCell(2.5), '2.5')
  t.is(csvIdCell('-5'), `"'-5"`)
  t.is(csvIdCell({ a: 1 }), '"{""a"":1}"')
})

const CONFIG = { task: 'classification', head: { outputs: 2 }, labels: ['neg', 'pos'], embedding: { vocabSize: 2 } } as unknown as ModelConfig

function explained(tokens: string[], relevance: number[], id?: unknown): ExplainedInput {
  const perStep = Float64Array.from(relevance)
  return { json: '', explanation: { target: 1, perStep, scores: Float32Array.of(0, 1) } as unknown as Explanation, input: { tokens: new Int32Array(tokens.length) }, id, tokens }
}

test('explain --format csv neutralises every formula start in tokens and ids, and writes negative relevance as a number', async (t) => {
  const tokens = FORMULA_STARTS.map((start) => `${start}1`)
  const csv = await written(CONFIG, 'csv', [
    explained(
      tokens,
      tokens.map((_, n) => -0.5 * n),
      '=id',
    ),
  ])
  const lines = csv.split('\n')
  t.is(lines[0], 'input,id,step,token,unknown,relevance')
  t.is(lines.length, 2 + tokens.length, 'a header, one line per token (no line break from a token), a final newline')
  lines.slice(1, -1).forEach((line, n) => {
    t.true(line.startsWith(`0,"'=id",${n},"'`), line)
    t.true(line.endsWith(`,false,${-0.5 * n}`), line)
  })
})

test('explain --format terminal shows invisible characters in the title line', async (t) => {
  const text = await written(CONFIG, 'terminal', [explained(['a'], [1], '\u202eid\x1b[2J')])
  t.true(text.startsWith('⟨U+202E⟩id⟨U+001B⟩[2J · target: pos (1) · predicted: pos, p = 0.73 ·\n'), text)
})

test.serial('explain --values at a terminal: each token in colour with its value beside it, painted alike', async (t) => {
  const saved = process.env.NO_COLOR
  delete process.env.NO_COLOR
  try {
    const item = explained(['good', 'bad'], [1, -1])
    const withValues = await written(CONFIG, 'terminal', [item], { toTerminal: true, values: true })
    t.true(withValues.includes('\x1b[48;2;255;0;0m\x1b[38;2;255;255;255mgood\x1b[0m\x1b[48;2;255;0;0m\x1b[38;2;255;255;255m[+1]\x1b[0m'), withValues)
    t.false((await written(CONFIG, 'terminal', [item], { toTerminal: true })).includes('[+1]'))
  } finally {
    if (saved !== undefined) process.env.NO_COLOR = saved
  }
})

test('explain renderings mark the unknown words and name the method, options and model', async (t) => {
  const item = { ...explained(['a', 'zorblax'], [1, -1]), unknown: [1] }
  const provenance = { method: 'lrp' as const, options: { rule: 'all' }, model: 'sst.safetensors' }
  const html = await written(CONFIG, 'html', [item], { toTerminal: false, provenance })
  t.true(html.includes('<bdi class="t unk"'))
  t.true(html.includes('1 of 2 words unknown, read as &lt;unk&gt; · lrp (rule=all) · model: sst.safetensors'))
  t.true((await written(CONFIG, 'svg', [item], { toTerminal: false, provenance })).includes('<desc>row 0: {&quot;method&quot;:&quot;lrp&quot;'))
  t.true((await written(CONFIG, 'csv', [item])).endsWith('\n0,,1,zorblax,true,-1\n'))
})
