// What the renderers say beside the relevance: words read as <unk> marked, numeric inputs with their
// signs (a feature × step heatmap for several features), the method, options, model and prediction
// in every caption, and the terminal's width, near-zero and --values behaviour.
import test from 'ava'
import { renderHtml, renderSvg, renderTerminal, type HeatmapRow } from '../lib/index.js'

const NOTE = 'not in the vocabulary: read as &lt;unk&gt;'
const UNKNOWN_ROW: HeatmapRow = { title: 'review', tokens: ['a', 'zorblax', 'film', 'qux'], relevance: [0.5, -1, 0.25, 0.75], unknown: [1, 3] }
const PROVENANCE: HeatmapRow = {
  title: 'review',
  tokens: ['good'],
  relevance: [1],
  target: 'positive (3)',
  predicted: 'positive',
  probability: 0.6234,
  method: 'lrp',
  options: { rule: 'all', eps: 0.001, rules: { input: 'all' } },
  model: 'sst.safetensors',
}
const GRID: HeatmapRow = {
  relevance: [0.1, -0.3, 0],
  x: [
    [0.5, -1],
    [0, 2],
    [-3, 0],
  ],
  featureRelevance: [0.3, -0.2, -0.4, 0.1, 0, 0],
}

/** Text with the ANSI escape sequences removed. */
function plain(text: string): string {
  return text.replace(/\x1b\[[\d;]*m/g, '')
}

test('terminal: unknown words are followed by →<unk>, and the caption counts them', (t) => {
  const text = renderTerminal(UNKNOWN_ROW, { color: false, width: 200 })
  t.is(text, 'review · 2 of 4 words unknown, read as <unk>\na[+0.5] zorblax→<unk>[-1] film[+0.25] qux→<unk>[+0.75]\nrelevance in brackets (max |R| 1)\n')
  const coloured = renderTerminal(UNKNOWN_ROW, { color: true, width: 200 })
  t.true(coloured.includes('\x1b[2m→<unk>\x1b[0m'), 'dim in colour')
  t.is(plain(coloured).split('\n')[1], 'a zorblax→<unk> film qux→<unk>')
})

test('HTML: an unknown word has a dashed outline, a ? marker and the note in its tooltip; the caption counts them', (t) => {
  const html = renderHtml([UNKNOWN_ROW])
  const tokens = [...html.matchAll(/<bdi class="t( unk)?"[^>]*title="([^"]*)">(.*?)<\/bdi>/g)]
  t.deepEqual(
    tokens.map((match) => match[1] !== undefined),
    [false, true, false, true],
  )
  t.true(tokens[1][2].endsWith(`· ${NOTE}`))
  t.is(tokens[1][3], `zorblax<span class="u" title="${NOTE}">?</span>`)
  t.false(tokens[0][2].includes('vocabulary'))
  t.true(html.includes('2 of 4 words unknown, read as &lt;unk&gt;'))
})

test('SVG: an unknown word has a dashed outline, a ? marker and the note in its title; the caption counts them', (t) => {
  const svg = renderSvg([UNKNOWN_ROW])
  const groups = [...svg.matchAll(/<g><title>([^<]*)<\/title>(.*?)<\/g>/g)]
  t.is(groups.length, 4)
  t.deepEqual(
    groups.map((match) => match[2].includes('stroke-dasharray') && match[2].includes('<text class="unk"')),
    [false, true, false, true],
  )
  t.true(groups[3][1].endsWith(NOTE))
  t.true(svg.includes('2 of 4 words unknown, read as &lt;unk&gt;'))
})

test('no unknown list, no count: the caption only counts when told which words were unknown', (t) => {
  t.false(renderHtml([{ tokens: ['a'], relevance: [1] }]).includes('words unknown'))
  t.true(renderHtml([{ tokens: ['a'], relevance: [1], unknown: [] }]).includes('0 of 1 word unknown'))
})

test('captions show the target, the prediction with its probability, the method with its options, and the model', (t) => {
  const expected = 'review · target: positive (3) · predicted: positive, p = 0.62 · lrp (rule=all, eps=0.001, rules={input=all}) · model: sst.safetensors'
  t.true(renderTerminal(PROVENANCE, { color: false, width: 500 }).startsWith(`${expected}\n`))
  t.true(renderHtml([PROVENANCE]).includes(`<bdi>review</bdi>${expected.slice('review'.length)} · max |R| 1</div>`))
  const svg = renderSvg([PROVENANCE])
  const lines = [...svg.matchAll(/<text class="caption"[^>]*>([^<]*)<\/text>/g)].map((match) => match[1].replace(/&lt;/g, '<'))
  t.true(lines.length > 1, 'a caption wider than the SVG wraps')
  t.is(lines.join(' '), `${expected} · max |R| 1`)
  t.true(
    lines.every((line) => line.length * 0.6 * 11 <= 800 - 20),
    JSON.stringify(lines),
  )
})

test('HTML rows and the SVG carry the method, options and model as JSON', (t) => {
  const json = { method: 'lrp', options: PROVENANCE.options, model: 'sst.safetensors' }
  const decode = (text: string) => JSON.parse(text.replace(/&quot;/g, '"')) as unknown
  const html = renderHtml([PROVENANCE])
  t.deepEqual(decode(html.match(/<div class="row" data-provenance="([^"]*)"/)![1]), json)
  const svg = renderSvg([{ relevance: [1] }, PROVENANCE])
  t.deepEqual(decode(svg.match(/<desc>row 1: ([^<]*)<\/desc>/)![1]), json)
  t.deepEqual(decode(svg.match(/<text class="caption"[^>]* data-provenance="([^"]*)"/)![1]), json)
  t.false(renderSvg([{ relevance: [1] }]).includes('<desc>'), 'no <desc> when no row says how it was made')
})

test('terminal: a numeric input of one feature labels each step with its signed value', (t) => {
  t.is(renderTerminal({ relevance: [0.5, -0.25], x: [[-1.5], [2]] }, { color: false }), '-1.5[+0.5] 2[-0.25]\nrelevance in brackets (max |R| 0.5)\n')
})

test('terminal: a numeric input of several features labels each step with its signed values, not a norm', (t) => {
  t.is(renderTerminal(GRID, { color: false }), '(0.5,-1)[+0.1] (0,2)[-0.3] (-3,0)[0]\nrelevance in brackets (max |R| 0.3)\n')
})

test('HTML: several features are a feature × step table, each cell coloured by its relevance with the signed value on hover', (t) => {
  const html = renderHtml([GRID])
  const rows = [...html.matchAll(/<tr><th>feature (\d)<\/th>(.*?)<\/tr>/g)]
  t.is(rows.length, 2)
  const cells = rows.map((row) => [...row[2].matchAll(/<td style="background:(#[0-9a-f]{6})" title="([^"]*)"><\/td>/g)].map((match) => [match[1], match[2]]))
  t.deepEqual(cells[1][0], ['#8080ff', 'step 0 · feature 1 · x = -1 · R = -0.2'])
  t.deepEqual(cells[0][2], ['#ffffff', 'step 2 · feature 0 · x = -3 · R = 0'])
  t.is(cells.flat().length, 6)
})

test('SVG: several features are a feature × step heatmap; one feature is a line plot of the signed values', (t) => {
  const svg = renderSvg([GRID])
  const cells = [...svg.matchAll(/<g class="cell"><title>([^<]*)<\/title><rect [^>]*fill="(#[0-9a-f]{6})"/g)].map((match) => [match[1], match[2]])
  t.is(cells.length, 6)
  t.true(cells.some(([title, fill]) => title === 'step 2 · feature 0 · x = -3 · R = 0' && fill === '#ffffff'))
  t.false(svg.includes('<polyline'))
  const line = renderSvg([{ relevance: [1, -1], x: [[-2], [3]] }])
  t.true(line.includes('<polyline'))
  t.true(line.includes('<title>step 0 · x = -2 · R = +1</title>'))
})

test('terminal: relevance under 5 % of max |R| gets no colour at all', (t) => {
  const text = renderTerminal(['big', 'tiny', 'small'], [1, 0.049, -0.051], { color: true })
  t.true(text.startsWith('\x1b[48;2;255;0;0m'))
  t.true(text.includes('\x1b[0m tiny \x1b[48;2;'), 'tiny is written as it is, between two coloured tokens')
  t.regex(text, /\x1b\[48;2;\d+;\d+;255m\x1b\[38;2;0;0;0msmall/)
})

/** The visible width of each line of a rendering, the final newline's empty line left out. */
function lineWidths(text: string): number[] {
  return plain(text)
    .split('\n')
    .slice(0, -1)
    .map((line) => [...line].length)
}

test('terminal: lines wrap to the width between tokens, a token wider than the line gets its own; so does the legend', (t) => {
  const tokens = ['alpha', 'beta', 'gamma', 'averyveryverylongtoken', 'delta']
  const text = renderTerminal(tokens, [1, 2, 3, 4, 5], { color: true, width: 12 })
  t.deepEqual(plain(text).split('\n').slice(0, 4), ['alpha beta', 'gamma', 'averyveryverylongtoken', 'delta'])
  const legend = plain(text).split('\n').slice(4, -1)
  t.is(legend[0], `-5 ${' '.repeat(22)} +5`, 'the colour scale is one cell')
  t.true(
    legend.slice(1).every((line) => line.length <= 12),
    JSON.stringify(legend),
  )
  t.true(lineWidths(renderTerminal(tokens, [1, 2, 3, 4, 5], { color: false, width: 16 })).every((width) => width <= 16 || width === 'averyveryverylongtoken[+4]'.length))
})

test("terminal: the width defaults to the terminal's columns on a TTY and to 80 otherwise", (t) => {
  const tokens = Array.from({ length: 40 }, () => 'word')
  const stdout = process.stdout as { isTTY?: boolean; columns?: number }
  const saved = { isTTY: stdout.isTTY, columns: stdout.columns }
  try {
    stdout.isTTY = false
    const wide = lineWidths(
      renderTerminal(
        tokens,
        tokens.map(() => 1),
        { color: true },
      ),
    )
    t.is(wide[0], 79)
    t.true(
      wide.every((width) => width <= 80),
      String(wide),
    )
    stdout.isTTY = true
    stdout.columns = 30
    const narrow = lineWidths(
      renderTerminal(
        tokens,
        tokens.map(() => 1),
        { color: true },
      ),
    )
    t.is(narrow[0], 29)
    t.true(
      narrow.every((width) => width <= 30),
      String(narrow),
    )
  } finally {
    stdout.isTTY = saved.isTTY
    stdout.columns = saved.columns
  }
})

test('terminal: values beside each token in colour, painted as the token', (t) => {
  const text = renderTerminal(['good', 'bad'], [1, -0.5], { color: true, values: true })
  t.true(text.startsWith('\x1b[48;2;255;0;0m\x1b[38;2;255;255;255mgood\x1b[0m\x1b[48;2;255;0;0m\x1b[38;2;255;255;255m[+1]\x1b[0m '))
  t.is(plain(text).split('\n')[0], 'good[+1] bad[-0.5]')
  t.is(plain(renderTerminal(['good', 'bad'], [1, -0.5], { color: true })).split('\n')[0], 'good bad', 'without values: the tokens only')
})
