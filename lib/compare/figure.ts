/** The comparison's heatmaps as one SVG: per input a title line, then a row per method with its AOPC, every cell on the page's one colour scale. */
import { svgDocument } from '../viz/svg-document.js'
import { escapeMarkup } from '../viz/escape.js'
import { formatRelevance, hex, maxAbsText, relevanceRgb, textRgb } from '../viz/scale.js'
import type { Comparison } from './comparison.js'
import { removalText, sharedScale } from './page.js'

const FONT_SIZE = 13
/** Rough advance of one character at FONT_SIZE: cells are sized without measuring text. */
const CHAR_WIDTH = 7.5
const ROW_HEIGHT = 22
const MARGIN = 12

function cellWidth(label: string): number {
  return Math.max(14, [...label].length * CHAR_WIDTH + 8)
}

export function comparisonSvg(comparison: Comparison): string {
  const scale = sharedScale(comparison)
  const methodWidth = Math.max(...comparison.inputs[0].rows.map((row) => [...row.method].length * CHAR_WIDTH)) + 16
  const body: string[] = []
  let y = MARGIN + FONT_SIZE
  let width = 0
  const line = (x: number, content: string, attributes = '') => body.push(`<text x="${x}" y="${y}"${attributes}>${escapeMarkup(content)}</text>`)
  line(MARGIN, `one colour scale for every row: ${maxAbsText(scale)} · deletion: ${removalText(comparison)}`, ' fill="#555"')
  for (const input of comparison.inputs) {
    y += ROW_HEIGHT * 1.5
    line(MARGIN, `${input.where} · explained: ${input.targetName}`, ' font-weight="bold"')
    for (const row of input.rows) {
      y += ROW_HEIGHT
      line(MARGIN, row.method)
      let x = MARGIN + methodWidth
      input.labels.forEach((label, t) => {
        const value = row.perStep[t]
        const cell = cellWidth(label)
        const title = `<title>${escapeMarkup(`${label} · step ${t} · R = ${formatRelevance(value)}`)}</title>`
        body.push(`<rect x="${x}" y="${y - FONT_SIZE - 2}" width="${cell - 2}" height="${ROW_HEIGHT - 4}" rx="3" fill="${hex(relevanceRgb(value, scale))}">${title}</rect>`)
        body.push(`<text x="${x + (cell - 2) / 2}" y="${y}" text-anchor="middle" fill="${hex(textRgb(value, scale))}">${escapeMarkup(label)}</text>`)
        x += cell
      })
      line(x + 8, `AOPC ${row.aopc.toPrecision(4)}`, ' fill="#555"')
      width = Math.max(width, x + 120)
    }
  }
  return svgDocument({ width: Math.ceil(Math.max(width, 600)), height: Math.ceil(y + MARGIN), fontFamily: 'sans-serif', fontSize: FONT_SIZE, background: 'white' }, body)
}
