// The relevance renderers on fixed relevance: output compared with committed snapshots under
// test/snapshots/ (UPDATE_SNAPSHOTS=1 rewrites them after a deliberate change), and escaping.
import test from 'ava'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderHtml, renderSvg, renderTerminal, seriesOf, type HeatmapRow } from '../lib/index.js'

const snapshots = path.join(path.dirname(fileURLToPath(import.meta.url)), 'snapshots')

function matchesSnapshot(name: string, actual: string): string {
  const file = path.join(snapshots, name)
  if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(file, actual)
  return readFileSync(file, 'utf8')
}

const TOKENS = ['not', 'a', 'bad', 'film', '!']
const RELEVANCE = [1.5, 0.1, -3, 0.75, 0]
const ROWS: HeatmapRow[] = [
  { title: 'review 1 · positive', tokens: TOKENS, relevance: RELEVANCE },
  {
    title: 'toy addition',
    relevance: [0, -0.5, 0, 0.25],
    series: seriesOf([
      [0.3, 0],
      [0, -0.6],
      [0.8, 0],
      [0, 0.4],
    ]),
  },
  {
    title: 'review 2',
    tokens: ['a', 'zorblax', 'film'],
    relevance: [0.2, -1, 0.5],
    unknown: [1],
    target: 'positive (1)',
    predicted: 'positive',
    probability: 0.62,
    method: 'lrp',
    options: { rule: 'all', eps: 0.001 },
    model: 'sst.safetensors',
  },
  { title: 'one feature', relevance: [0.5, -0.25, 0], x: [[-1], [2], [-0.5]] },
  {
    title: 'two features',
    relevance: [0.1, -0.3],
    x: [
      [0.5, -1],
      [0, 2],
    ],
    featureRelevance: [0.3, -0.2, -0.4, 0.1],
  },
]
const HOSTILE = ['<script>alert(1)</script>', '"quoted" & \'single\'', 'bell\u0007']
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }

/** Markup problems: text outside tags holding '<' or '>', a bare '&', or a control character XML forbids. */
function markupProblems(markup: string): string[] {
  const outside = markup.replace(/<!doctype html>/i, '').replace(/<\/?[a-zA-Z][^<>]*>/g, '')
  const problems = [...outside.matchAll(/[<>]|&(?!(amp|lt|gt|quot|#39);)/g)].map((match) => `raw '${match[0]}' at ${match.index}`)
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(markup)) problems.push('control character')
  return problems
}

/** The decoded text of every <text> element. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1].replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name]))
}

test('terminal heatmap in colour matches its snapshot', (t) => {
  const text = renderTerminal(TOKENS, RELEVANCE, { color: true })
  t.is(text, matchesSnapshot('terminal-color.txt', text))
  t.true(text.includes('\x1b[48;2;0;0;255m'), 'the most negative token is full blue')
  t.true(text.includes('\x1b[48;2;255;128;128m'), 'half of max |R| is half-saturated red')
})

test('terminal heatmap without colour: values in brackets, no escape codes, wrapped', (t) => {
  const text = renderTerminal(TOKENS, RELEVANCE, { color: false, width: 20 })
  t.is(text, 'not[+1.5] a[+0.1]\nbad[-3] film[+0.75]\n![0]\nrelevance in\nbrackets (max |R| 3)\n', 'the legend wraps too')
  t.is(renderTerminal(3, [1, 0, -1], { color: false }), '0[+1] 1[0] 2[-1]\nrelevance in brackets (max |R| 1)\n')
})

test('terminal heatmap prints control characters in tokens as ⟨U+XXXX⟩, not as terminal commands', (t) => {
  t.is(renderTerminal(['\x1b[2Jclear'], [1], { color: false }), '⟨U+001B⟩[2Jclear[+1]\nrelevance in brackets (max |R| 1)\n')
})

test('terminal heatmap honours NO_COLOR unless colour is asked for', (t) => {
  const saved = process.env.NO_COLOR
  process.env.NO_COLOR = '1'
  try {
    t.false(renderTerminal(TOKENS, RELEVANCE).includes('\x1b['))
    t.true(renderTerminal(TOKENS, RELEVANCE, { color: true }).includes('\x1b['))
  } finally {
    if (saved === undefined) delete process.env.NO_COLOR
    else process.env.NO_COLOR = saved
  }
})

test('HTML page matches its snapshot', (t) => {
  const html = renderHtml(ROWS)
  t.is(html, matchesSnapshot('heatmap.html', html))
  t.deepEqual(markupProblems(html), [])
  t.regex(html, /title="bad · step 2 · R = -3"/)
})

test('SVG matches its snapshot and is well-formed XML', (t) => {
  const svg = renderSvg(ROWS)
  t.is(svg, matchesSnapshot('heatmap.svg', svg))
  t.deepEqual(markupProblems(svg), [])
  t.regex(svg, /<polyline points="[^"]+"/, 'the numeric row is a line plot')
})

test('a <script> token renders as text in HTML', (t) => {
  const html = renderHtml([{ title: '<b>title</b>', tokens: HOSTILE, relevance: [1, -1, 0.5] }])
  t.false(html.includes('<script>'))
  t.false(html.includes('<b>'))
  t.true(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
  t.true(html.includes('&quot;quoted&quot; &amp; &#39;single&#39;'))
  t.deepEqual(markupProblems(html), [])
})

test('a <script> token renders as text in SVG, and control characters cannot break the XML', (t) => {
  const svg = renderSvg([{ title: '<b>title</b>', tokens: HOSTILE, relevance: [1, -1, 0.5] }])
  t.false(svg.includes('<script>'))
  t.deepEqual(markupProblems(svg), [])
  const texts = svgTexts(svg)
  t.true(texts.includes('<script>alert(1)</script>'))
  t.true(texts.includes('"quoted" & \'single\''))
  t.true(texts.includes('bell⟨U+0007⟩'))
})

test('renderers reject tokens and relevance of different lengths', (t) => {
  t.throws(() => renderTerminal(['a', 'b'], [1]), { message: /2 tokens but 1 relevance/ })
  t.throws(() => renderHtml([{ tokens: ['a'], relevance: [1, 2] }]), { message: /1 tokens but 2 relevance/ })
  t.throws(() => renderSvg([{ tokens: ['a'], relevance: [1, 2] }]), { message: /1 tokens but 2 relevance/ })
})

test('seriesOf: the feature itself, or the L2 norm of several', (t) => {
  t.deepEqual(seriesOf([[1], [-2]]), [1, -2])
  t.deepEqual(
    seriesOf([
      [3, 4],
      [0, -1],
    ]),
    [5, 1],
  )
})

/**
 * Every Unicode bidi formatting character, the other invisible format characters (zero-width spaces
 * and joiners, word joiner, invisible operators, BOM, soft hyphen, a tag character), the line and
 * paragraph separators, and controls (NUL, tab, line feed, carriage return, ESC, DEL, NEXT LINE), and a lone surrogate.
 */
const INVISIBLE = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\u2061',
  '\u2062',
  '\u2063',
  '\u2064',
  '\ufeff',
  '\u00ad',
  '\u{e0001}',
  '\u2028',
  '\u2029',
  '\u0000',
  '\u0009',
  '\u000a',
  '\u000d',
  '\u001b',
  '\u007f',
  '\u0085',
  '\ud800',
]

function shown(character: string): string {
  return `⟨U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`
}

/** The invisible characters in `output`, other than the line feeds (and, in colour, the ESC) the renderer writes itself. */
function invisibleIn(output: string, own: string[]): string[] {
  return INVISIBLE.filter((character) => !own.includes(character) && output.includes(character)).map(shown)
}

for (const character of INVISIBLE) {
  const token = `a${character}b`
  const visible = `a${shown(character)}b`
  const rows: HeatmapRow[] = [{ title: `id${character}`, tokens: [token, 'next', 'last'], relevance: [1, -1, 0.5] }]

  test(`terminal heatmap shows ${shown(character)} in a token and writes none of it`, (t) => {
    for (const color of [false, true]) {
      const text = renderTerminal([token, 'next', 'last'], [1, -1, 0.5], { color })
      t.true(text.includes(visible), `colour ${color}`)
      t.deepEqual(invisibleIn(text, color ? ['\n', '\x1b'] : ['\n']), [], `colour ${color}`)
    }
  })

  test(`HTML heatmap shows ${shown(character)} in a token and a title, each token in its own bidi isolate`, (t) => {
    const html = renderHtml(rows, { title: `page${character}` })
    t.deepEqual(invisibleIn(html, ['\n']), [])
    t.deepEqual(
      [...html.matchAll(/<bdi class="t"[^>]*>([^<]*)<\/bdi>/g)].map((match) => match[1]),
      [visible, 'next', 'last'],
    )
    t.true(html.includes(`<bdi>id${shown(character)}</bdi>`), 'the row title is isolated and shown')
    t.true(html.includes(`<title>page${shown(character)}</title>`))
    t.true(html.includes(`title="${visible} · step 0 · R = +1"`), 'the hover text')
    t.deepEqual(markupProblems(html), [])
  })

  test(`SVG heatmap shows ${shown(character)} in a token and a title, and stays well-formed`, (t) => {
    const svg = renderSvg(rows)
    t.deepEqual(invisibleIn(svg, ['\n']), [])
    t.deepEqual(markupProblems(svg), [])
    const texts = svgTexts(svg)
    t.true(texts.includes(visible))
    t.true(texts.some((text) => text.startsWith(`id${shown(character)} · `)))
    t.true(svg.includes(`<title>${visible} · step 0`))
  })
}

test('SVG token cells are as wide as the shown text, so ⟨U+202E⟩ does not overlap the next token', (t) => {
  const svg = renderSvg([{ tokens: ['\u202e', 'b'], relevance: [1, 1] }])
  const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="22"/g)].map((match) => ({ x: Number(match[1]), width: Number(match[2]) }))
  t.is(rects.length, 2)
  t.true(rects[0].width >= [...'⟨U+202E⟩'].length * 7.8)
  t.true(rects[0].x + rects[0].width < rects[1].x)
})
