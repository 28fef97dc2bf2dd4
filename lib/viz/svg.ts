/**
 * Relevance as a standalone SVG: a token heatmap per row, or, for a numeric series without tokens,
 * a line plot of the input with the relevance of each step as a bar under it (red up, blue down).
 */
import { fail } from '../errors.js'
import { escapeMarkup, showInvisible } from './escape.js'
import { formatRelevance, hex, maxAbs, relevanceRgb, stepLabels, textRgb } from './scale.js'
import type { HeatmapRow } from './types.js'

export interface SvgOptions {
  /** Width in pixels (default 800); token rows wrap to it. */
  width?: number
}

const MARGIN = 10
const FONT_SIZE = 13
/** Width of one monospace character at FONT_SIZE, so token cells fit their text without measuring. */
const CHAR_WIDTH = 0.6 * FONT_SIZE
const CELL_HEIGHT = 22
const CELL_GAP = 3
const CAPTION_HEIGHT = 18
const ROW_GAP = 14
const PLOT_HEIGHT = 60
const BAR_HEIGHT = 40
const POSITIVE = '#d62728'
const NEGATIVE = '#1f77b4'

/** Coordinates with two decimals keep the files small and stable. */
function px(value: number): number {
  return Number(value.toFixed(2))
}

interface Drawn {
  markup: string[]
  height: number
}

function caption(row: HeatmapRow, scale: number, y: number): string {
  const text = `${row.title === undefined ? '' : `${row.title} · `}max |R| ${formatRelevance(scale).replace('+', '')}`
  return `<text x="${MARGIN}" y="${px(y + FONT_SIZE)}" fill="#555" font-size="${FONT_SIZE - 2}">${escapeMarkup(text)}</text>`
}

function tokenRow(row: HeatmapRow, labels: string[], top: number, width: number): Drawn {
  const scale = maxAbs(row.relevance)
  const markup = [caption(row, scale, top)]
  let x = MARGIN
  let y = top + CAPTION_HEIGHT
  labels.forEach((token, t) => {
    // Sized by what is drawn: invisible characters take the room of their ⟨U+XXXX⟩.
    const label = showInvisible(token)
    const cellWidth = [...label].length * CHAR_WIDTH + 8
    if (x > MARGIN && x + cellWidth > width - MARGIN) {
      x = MARGIN
      y += CELL_HEIGHT + CELL_GAP
    }
    const value = row.relevance[t]
    markup.push(
      `<g><title>${escapeMarkup(`${label} · step ${t} · R = ${formatRelevance(value)}`)}</title>` +
        `<rect x="${px(x)}" y="${px(y)}" width="${px(cellWidth)}" height="${CELL_HEIGHT}" rx="3" fill="${hex(relevanceRgb(value, scale))}"/>` +
        `<text x="${px(x + 4)}" y="${px(y + CELL_HEIGHT / 2 + FONT_SIZE * 0.35)}" fill="${hex(textRgb(value, scale))}" xml:space="preserve">${escapeMarkup(label)}</text></g>`,
    )
    x += cellWidth + CELL_GAP
  })
  return { markup, height: y + CELL_HEIGHT - top }
}

/** The smallest and largest value, by a loop: spreading a long series into Math.min overflows the stack. */
function extent(values: readonly number[]): { low: number; high: number } {
  let low = Infinity
  let high = -Infinity
  for (const value of values) {
    low = Math.min(low, value)
    high = Math.max(high, value)
  }
  return { low, high }
}

function seriesRow(row: HeatmapRow, series: ArrayLike<number>, top: number, width: number): Drawn {
  const steps = row.relevance.length
  const scale = maxAbs(row.relevance)
  const pitch = (width - 2 * MARGIN) / Math.max(steps, 1)
  const centre = (t: number) => MARGIN + (t + 0.5) * pitch
  const values = Array.from(series)
  const { low, high } = extent(values)
  const span = high - low || 1
  const plotTop = top + CAPTION_HEIGHT
  const plotY = (value: number) => px(plotTop + PLOT_HEIGHT * (1 - (value - low) / span))
  const points = values.map((value, t) => `${px(centre(t))},${plotY(value)}`).join(' ')
  const dots = values.map((value, t) => `<circle cx="${px(centre(t))}" cy="${plotY(value)}" r="2.5" fill="#333"/>`).join('')
  const zero = plotTop + PLOT_HEIGHT + 8 + BAR_HEIGHT / 2
  const markup = [
    caption(row, scale, top),
    `<rect x="${MARGIN}" y="${px(plotTop)}" width="${px(width - 2 * MARGIN)}" height="${PLOT_HEIGHT}" fill="none" stroke="#ddd"/>`,
    `<polyline points="${points}" fill="none" stroke="#333" stroke-width="1.5"/>`,
    dots,
    `<line x1="${MARGIN}" y1="${px(zero)}" x2="${px(width - MARGIN)}" y2="${px(zero)}" stroke="#999"/>`,
  ]
  for (let t = 0; t < steps; t++) {
    const value = row.relevance[t]
    const bar = (Math.abs(value) / scale) * (BAR_HEIGHT / 2)
    markup.push(
      `<g><title>${escapeMarkup(`step ${t} · x = ${Number(values[t].toPrecision(4))} · R = ${formatRelevance(value)}`)}</title>` +
        `<rect x="${px(centre(t) - 0.4 * pitch)}" y="${px(value >= 0 ? zero - bar : zero)}" width="${px(0.8 * pitch)}" height="${px(bar)}" fill="${value >= 0 ? POSITIVE : NEGATIVE}"/></g>`,
    )
  }
  return { markup, height: zero + BAR_HEIGHT / 2 - top }
}

function legend(): string {
  const y = MARGIN
  return [
    '<defs><linearGradient id="relevance-scale"><stop offset="0" stop-color="#0000ff"/><stop offset="0.5" stop-color="#ffffff"/><stop offset="1" stop-color="#ff0000"/></linearGradient></defs>',
    `<text x="${MARGIN}" y="${y + FONT_SIZE}" fill="#555" font-size="${FONT_SIZE - 2}">negative</text>`,
    `<rect x="${MARGIN + 60}" y="${y + 3}" width="120" height="10" fill="url(#relevance-scale)" stroke="#ccc"/>`,
    `<text x="${MARGIN + 188}" y="${y + FONT_SIZE}" fill="#555" font-size="${FONT_SIZE - 2}">positive · each row scaled to its max |R|</text>`,
  ].join('')
}

/**
 * The SVG document as a string; every token and title is escaped and shows its invisible characters
 * as ⟨U+XXXX⟩. Each token is its own <text> at its own position, so no token can move another.
 */
export function renderSvg(rows: readonly HeatmapRow[], options: SvgOptions = {}): string {
  const width = options.width ?? 800
  const markup: string[] = [legend()]
  let y = MARGIN + 24
  for (const row of rows) {
    const steps = row.relevance.length
    if (row.tokens !== undefined && row.tokens.length !== steps) fail('E_INPUT', `renderSvg: ${row.tokens.length} tokens but ${steps} relevance values`)
    if (row.series !== undefined && row.series.length !== steps) fail('E_INPUT', `renderSvg: ${row.series.length} series values but ${steps} relevance values`)
    const drawn =
      row.tokens === undefined && row.series !== undefined && steps > 0 ? seriesRow(row, row.series, y, width) : tokenRow(row, stepLabels(row.tokens, steps), y, width)
    for (const element of drawn.markup) markup.push(element)
    y += drawn.height + ROW_GAP
  }
  const height = px(y - ROW_GAP + MARGIN)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="${FONT_SIZE}">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...markup,
    '</svg>',
    '',
  ].join('\n')
}
