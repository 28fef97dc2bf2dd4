// The HTML and SVG heatmaps in real Chromium: a token holding a bidi control (U+202E and the rest of
// the class) or right-to-left letters cannot reorder the tokens on screen, which read left to right
// in step order, and the control shows as ⟨U+XXXX⟩.
import test from 'ava'
import type { Browser, Page } from 'playwright-core'
import { renderHtml, renderSvg, type HeatmapRow } from '../../lib/index.js'
import { launchChromium, pageWith } from '../helpers/chromium.js'

let browser: Browser

test.before(async () => {
  browser = await launchChromium()
})

test.after.always(async () => {
  await browser?.close()
})

const BIDI_CONTROLS = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c']
const FOLLOWING = ['one', 'two', 'three']

function shown(character: string): string {
  return `⟨U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`
}

const ROWS: HeatmapRow[] = [
  ...BIDI_CONTROLS.map((control) => ({ title: shown(control), tokens: ['start', `x${control}y`, ...FOLLOWING], relevance: [1, -1, 0.5, 0.25, 0] })),
  { title: 'Hebrew', tokens: ['start', 'אחד', 'שתיים', 'שלוש', '!'], relevance: [1, -1, 0.5, 0.25, 0] },
  { title: 'Arabic', tokens: ['start', 'واحد', 'اثنان', '123', 'ثلاثة'], relevance: [1, -1, 0.5, 0.25, 0] },
]

interface DrawnToken {
  text: string
  left: number
  right: number
  top: number
}

const page = (content: string): Promise<Page> => pageWith(browser, content, { width: 1400, height: 900 })

/** Each row's tokens as drawn: their text and on-screen box, in document (step) order. */
async function drawnRows(tab: Page, rowSelector: string, tokenSelector: string): Promise<DrawnToken[][]> {
  return tab.$$eval(
    rowSelector,
    (rows, selector) =>
      rows.map((row) =>
        Array.from(row.querySelectorAll(selector), (element) => {
          const box = element.getBoundingClientRect()
          return { text: element.textContent ?? '', left: box.left, right: box.right, top: box.top }
        }),
      ),
    tokenSelector,
  )
}

function assertLeftToRight(t: import('ava').ExecutionContext, tokens: DrawnToken[], what: string) {
  t.true(
    tokens.every((token) => token.top === tokens[0].top),
    `${what}: one line`,
  )
  for (let n = 1; n < tokens.length; n++) t.true(tokens[n - 1].right <= tokens[n].left, `${what}: step ${n - 1} is left of step ${n}: ${JSON.stringify(tokens)}`)
}

test('HTML heatmap in Chromium: every token stays in step order left to right, bidi controls shown', async (t) => {
  const tab = await page(renderHtml(ROWS))
  const rows = await drawnRows(tab, '.row', '.t')
  await tab.close()
  t.is(rows.length, ROWS.length)
  rows.forEach((tokens, r) => {
    t.deepEqual(
      tokens.map((token) => token.text),
      ROWS[r].tokens!.map((token) => token.replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g, shown)),
    )
    assertLeftToRight(t, tokens, ROWS[r].title!)
  })
})

test('SVG heatmap in Chromium: every token stays in step order left to right, bidi controls shown', async (t) => {
  const tab = await page(`<!doctype html><body style="margin:0">${renderSvg(ROWS, { width: 1300 })}</body>`)
  const [tokens] = await drawnRows(tab, 'svg', 'g > text')
  await tab.close()
  t.is(tokens.length, 5 * ROWS.length)
  for (let r = 0; r < ROWS.length; r++) {
    const drawn = tokens.slice(5 * r, 5 * r + 5)
    t.deepEqual(
      drawn.map((token) => token.text),
      ROWS[r].tokens!.map((token) => token.replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g, shown)),
    )
    assertLeftToRight(t, drawn, ROWS[r].title!)
  }
})
