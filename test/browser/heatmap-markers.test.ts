// The HTML and SVG heatmaps in real Chromium: the marker of a word read as <unk> and every cell of a
// feature × step heatmap are drawn with a visible box, and the tooltips say what they are.
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

const ROWS: HeatmapRow[] = [
  { title: 'text', tokens: ['a', 'zorblax', 'film'], relevance: [0.5, -1, 0.25], unknown: [1], method: 'lrp', options: { rule: 'all' } },
  {
    title: 'three features',
    relevance: [0.1, -0.3],
    x: [
      [0.5, -1, 2],
      [0, 2, -3],
    ],
    featureRelevance: [0.3, -0.2, 0, -0.4, 0.1, 0.05],
  },
]

interface Drawn {
  width: number
  height: number
  title: string
}

const page = (content: string): Promise<Page> => pageWith(browser, content, { width: 1000, height: 800 })

/** The on-screen box of each element matching `selector`, and its own or its parent's tooltip. */
function boxes(tab: Page, selector: string): Promise<Drawn[]> {
  return tab.$$eval(selector, (elements) =>
    elements.map((element) => {
      const box = element.getBoundingClientRect()
      const title = element.getAttribute('title') ?? element.parentElement?.querySelector('title')?.textContent ?? ''
      return { width: box.width, height: box.height, title }
    }),
  )
}

function assertVisible(t: import('ava').ExecutionContext, drawn: Drawn[], count: number, what: string) {
  t.is(drawn.length, count, what)
  for (const box of drawn) t.true(box.width > 2 && box.height > 2, `${what}: ${JSON.stringify(box)}`)
}

test('HTML in Chromium: the unknown word has a visible marker and the feature × step table visible cells', async (t) => {
  const tab = await page(renderHtml(ROWS))
  const markers = await boxes(tab, '.t.unk .u')
  const cells = await boxes(tab, '.grid td')
  const caption = await tab.$eval('.row', (row) => row.getAttribute('data-provenance'))
  await tab.close()
  assertVisible(t, markers, 1, 'unknown marker')
  t.is(markers[0].title, 'not in the vocabulary: read as <unk>')
  assertVisible(t, cells, 6, 'grid cells')
  t.is(cells[5].title, 'step 1 · feature 2 · x = -3 · R = +0.05')
  t.deepEqual(JSON.parse(caption!), { method: 'lrp', options: { rule: 'all' } })
})

test('SVG in Chromium: the unknown word has a visible marker and the feature × step heatmap visible cells', async (t) => {
  const tab = await page(`<!doctype html><body style="margin:0">${renderSvg(ROWS)}</body>`)
  const markers = await boxes(tab, 'text.unk')
  const cells = await boxes(tab, 'g.cell > rect')
  await tab.close()
  assertVisible(t, markers, 1, 'unknown marker')
  t.true(markers[0].title.endsWith('not in the vocabulary: read as <unk>'))
  assertVisible(t, cells, 6, 'heatmap cells')
  t.true(cells.some((cell) => cell.title === 'step 0 · feature 1 · x = -1 · R = -0.2'))
})
