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
  { title: 'toy addition', relevance: [0, -0.5, 0, 0.25], series: seriesOf([[0.3, 0], [0, -0.6], [0.8, 0], [0, 0.4]]) },
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
  t.is(text, 'not[+1.5] a[+0.1]\nbad[-3] film[+0.75]\n![0]\nrelevance in brackets (max |R| 3)\n')
  t.is(renderTerminal(3, [1, 0, -1], { color: false }), '0[+1] 1[0] 2[-1]\nrelevance in brackets (max |R| 1)\n')
})

test('terminal heatmap prints control characters in tokens as U+FFFD, not as terminal commands', (t) => {
  t.is(renderTerminal(['\x1b[2Jclear'], [1], { color: false }), '\ufffd[2Jclear[+1]\nrelevance in brackets (max |R| 1)\n')
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
  t.true(texts.includes('bell\ufffd'))
})

test('renderers reject tokens and relevance of different lengths', (t) => {
  t.throws(() => renderTerminal(['a', 'b'], [1]), { message: /2 tokens but 1 relevance/ })
  t.throws(() => renderHtml([{ tokens: ['a'], relevance: [1, 2] }]), { message: /1 tokens but 2 relevance/ })
  t.throws(() => renderSvg([{ tokens: ['a'], relevance: [1, 2] }]), { message: /1 tokens but 2 relevance/ })
})

test('seriesOf: the feature itself, or the L2 norm of several', (t) => {
  t.deepEqual(seriesOf([[1], [-2]]), [1, -2])
  t.deepEqual(seriesOf([[3, 4], [0, -1]]), [5, 1])
})
