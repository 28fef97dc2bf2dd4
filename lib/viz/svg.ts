/**
 * Relevance as a standalone SVG: a token heatmap per row; for a numeric input of one feature (or a
 * series) without tokens, a line plot of the input with the relevance of each step as a bar under it
 * (red up, blue down); for several features, a feature × step heatmap.
 */
import { UNKNOWN_TOKEN } from '../text/vocabulary.js'
import { escapeMarkup, showInvisible } from './escape.js'
import { svgDocument } from './svg-document.js'
import { captionParts, featureCount, gridCellNote, provenanceJson, UNKNOWN_NOTE } from './caption.js'
import { checkOptions, checkRows } from './check.js'
import { formatInputValue, formatRelevance, hex, maxAbs, maxAbsText, relevanceRgb, stepLabels, textRgb } from './scale.js'
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
const GRID_CELL_HEIGHT = 16
/** Room for the feature labels ("feature 12") left of a feature × step heatmap. */
const GRID_LABEL_WIDTH = 11 * CHAR_WIDTH
const UNKNOWN_MARK = '?'

/** Coordinates with two decimals keep the files small and stable. */
function px(value: number): number {
  return Number(value.toFixed(2))
}

interface Drawn {
  markup: string[]
  height: number
}

/** Caption lines after the first are this much lower. */
const CAPTION_LINE = 14
/** Width of one character of the captions' smaller font. */
const CAPTION_CHAR_WIDTH = 0.6 * (FONT_SIZE - 2)

/** Joins the caption's parts with " · " into lines that fit the width (a part longer than a line gets its own). */
function captionLines(parts: string[], width: number): string[] {
  const room = Math.max(1, Math.floor((width - 2 * MARGIN) / CAPTION_CHAR_WIDTH))
  const lines: string[] = []
  let line = ''
  for (const part of parts) {
    if (line !== '' && [...line].length + 3 + [...part].length > room) {
      lines.push(`${line} ·`)
      line = part
    } else line = line === '' ? part : `${line} · ${part}`
  }
  lines.push(line)
  return lines
}

/** The row's caption, wrapped to the width; its method, options and model also in a data-provenance attribute (JSON). */
function caption(row: HeatmapRow, scale: number, top: number, width: number): Drawn {
  const lines = captionLines([...captionParts(row).map(showInvisible), maxAbsText(scale)], width)
  const provenance = provenanceJson(row)
  const attribute = provenance === undefined ? '' : ` data-provenance="${escapeMarkup(provenance)}"`
  const markup = lines.map(
    (line, n) => `<text class="caption" x="${MARGIN}" y="${px(top + FONT_SIZE + n * CAPTION_LINE)}" fill="#555" font-size="${FONT_SIZE - 2}"${n === 0 ? attribute : ''}>${escapeMarkup(line)}</text>`,
  )
  return { markup, height: CAPTION_HEIGHT + (lines.length - 1) * CAPTION_LINE }
}

function tokenRow(row: HeatmapRow, labels: string[], top: number, width: number): Drawn {
  const scale = maxAbs(row.relevance)
  const head = caption(row, scale, top, width)
  const markup = head.markup
  const unknown = new Set(row.unknown ?? [])
  let x = MARGIN
  let y = top + head.height
  labels.forEach((token, t) => {
    // Sized by what is drawn: invisible characters take the room of their ⟨U+XXXX⟩.
    const label = showInvisible(token)
    const isUnknown = unknown.has(t)
    const textWidth = [...label].length * CHAR_WIDTH
    const cellWidth = textWidth + 8 + (isUnknown ? CHAR_WIDTH + 2 : 0)
    if (x > MARGIN && x + cellWidth > width - MARGIN) {
      x = MARGIN
      y += CELL_HEIGHT + CELL_GAP
    }
    const value = row.relevance[t]
    const baseline = px(y + CELL_HEIGHT / 2 + FONT_SIZE * 0.35)
    const hover = `${label} · step ${t} · R = ${formatRelevance(value)}${isUnknown ? ` · ${UNKNOWN_NOTE}` : ''}`
    const outline = isUnknown ? ' stroke="#666" stroke-dasharray="3 2"' : ''
    const mark = isUnknown ? `<text class="unk" x="${px(x + 6 + textWidth)}" y="${baseline}" fill="${hex(textRgb(value, scale))}" font-size="${FONT_SIZE - 3}">${UNKNOWN_MARK}</text>` : ''
    markup.push(
      `<g><title>${escapeMarkup(hover)}</title>` +
        `<rect x="${px(x)}" y="${px(y)}" width="${px(cellWidth)}" height="${CELL_HEIGHT}" rx="3" fill="${hex(relevanceRgb(value, scale))}"${outline}/>` +
        `<text x="${px(x + 4)}" y="${baseline}" fill="${hex(textRgb(value, scale))}" xml:space="preserve">${escapeMarkup(label)}</text>${mark}</g>`,
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

/** `name`: what the plotted values are, "x" (the input's one feature) or "series" (the caller's numbers). */
function seriesRow(row: HeatmapRow, series: ArrayLike<number>, name: string, top: number, width: number): Drawn {
  const steps = row.relevance.length
  const scale = maxAbs(row.relevance)
  const pitch = (width - 2 * MARGIN) / Math.max(steps, 1)
  const centre = (t: number) => MARGIN + (t + 0.5) * pitch
  const values = Array.from(series)
  const { low, high } = extent(values)
  const span = high - low || 1
  const head = caption(row, scale, top, width)
  const plotTop = top + head.height
  const plotY = (value: number) => px(plotTop + PLOT_HEIGHT * (1 - (value - low) / span))
  const points = values.map((value, t) => `${px(centre(t))},${plotY(value)}`).join(' ')
  const dots = values.map((value, t) => `<circle cx="${px(centre(t))}" cy="${plotY(value)}" r="2.5" fill="#333"/>`).join('')
  const zero = plotTop + PLOT_HEIGHT + 8 + BAR_HEIGHT / 2
  const markup = [
    ...head.markup,
    `<rect x="${MARGIN}" y="${px(plotTop)}" width="${px(width - 2 * MARGIN)}" height="${PLOT_HEIGHT}" fill="none" stroke="#ddd"/>`,
    `<polyline points="${points}" fill="none" stroke="#333" stroke-width="1.5"/>`,
    dots,
    `<line x1="${MARGIN}" y1="${px(zero)}" x2="${px(width - MARGIN)}" y2="${px(zero)}" stroke="#999"/>`,
  ]
  for (let t = 0; t < steps; t++) {
    const value = row.relevance[t]
    const bar = (Math.abs(value) / scale) * (BAR_HEIGHT / 2)
    markup.push(
      `<g><title>${escapeMarkup(`step ${t} · ${name} = ${formatInputValue(values[t])} · R = ${formatRelevance(value)}`)}</title>` +
        `<rect x="${px(centre(t) - 0.4 * pitch)}" y="${px(value >= 0 ? zero - bar : zero)}" width="${px(0.8 * pitch)}" height="${px(bar)}" fill="${value >= 0 ? POSITIVE : NEGATIVE}"/></g>`,
    )
  }
  return { markup, height: zero + BAR_HEIGHT / 2 - top }
}

/** Several features: a row of cells per feature, a column per step, each cell coloured by its relevance. */
function featureGrid(row: HeatmapRow, features: number, top: number, width: number): Drawn {
  const x = row.x!
  const relevance = row.featureRelevance!
  const steps = x.length
  const scale = maxAbs(relevance)
  const left = MARGIN + GRID_LABEL_WIDTH
  const pitch = (width - MARGIN - left) / Math.max(steps, 1)
  const head = caption(row, scale, top, width)
  const gridTop = top + head.height
  const markup = head.markup
  for (let f = 0; f < features; f++) {
    const y = gridTop + f * GRID_CELL_HEIGHT
    markup.push(`<text x="${px(left - 4)}" y="${px(y + GRID_CELL_HEIGHT * 0.75)}" fill="#555" font-size="${FONT_SIZE - 2}" text-anchor="end">feature ${f}</text>`)
    for (let t = 0; t < steps; t++) {
      const value = relevance[t * features + f]
      markup.push(
        `<g class="cell"><title>${escapeMarkup(gridCellNote(t, f, x[t][f], value))}</title>` +
          `<rect x="${px(left + t * pitch)}" y="${px(y)}" width="${px(pitch)}" height="${GRID_CELL_HEIGHT}" fill="${hex(relevanceRgb(value, scale))}" stroke="#eee" stroke-width="0.5"/></g>`,
      )
    }
  }
  const axis = gridTop + features * GRID_CELL_HEIGHT + FONT_SIZE
  markup.push(`<text x="${px(left)}" y="${px(axis)}" fill="#555" font-size="${FONT_SIZE - 2}">step 0</text>`)
  if (steps > 1) markup.push(`<text x="${px(width - MARGIN)}" y="${px(axis)}" fill="#555" font-size="${FONT_SIZE - 2}" text-anchor="end">step ${steps - 1}</text>`)
  return { markup, height: axis + 4 - top }
}

function drawRow(row: HeatmapRow, top: number, width: number): Drawn {
  const steps = row.relevance.length
  const features = featureCount(row)
  if (features > 1) return featureGrid(row, features, top, width)
  if (row.tokens === undefined && steps > 0 && row.x !== undefined)
    return seriesRow(
      row,
      row.x.map((step) => step[0]),
      'x',
      top,
      width,
    )
  if (row.tokens === undefined && steps > 0 && row.series !== undefined) return seriesRow(row, row.series, 'series', top, width)
  return tokenRow(row, stepLabels(row.tokens, steps), top, width)
}

/** Each row's method, options and model, for readers of the file. */
function description(rows: readonly HeatmapRow[]): string {
  const lines = rows.flatMap((row, n) => {
    const provenance = provenanceJson(row)
    return provenance === undefined ? [] : [`row ${n}: ${provenance}`]
  })
  return lines.join('\n')
}

function legend(): string {
  const y = MARGIN
  return [
    '<defs><linearGradient id="relevance-scale"><stop offset="0" stop-color="#0000ff"/><stop offset="0.5" stop-color="#ffffff"/><stop offset="1" stop-color="#ff0000"/></linearGradient></defs>',
    `<text x="${MARGIN}" y="${y + FONT_SIZE}" fill="#555" font-size="${FONT_SIZE - 2}">negative</text>`,
    `<rect x="${MARGIN + 60}" y="${y + 3}" width="120" height="10" fill="url(#relevance-scale)" stroke="#ccc"/>`,
    `<text x="${MARGIN + 188}" y="${y + FONT_SIZE}" fill="#555" font-size="${FONT_SIZE - 2}">positive · each row scaled to its max |R| · dashed with ?: read as ${escapeMarkup(UNKNOWN_TOKEN)}</text>`,
  ].join('')
}

/**
 * The SVG document as a string; every token and title is escaped and shows its invisible characters
 * as ⟨U+XXXX⟩. Each token is its own <text> at its own position, so no token can move another.
 */
export function renderSvg(rows: readonly HeatmapRow[], options: SvgOptions = {}): string {
  checkRows(rows, 'renderSvg')
  checkOptions(options, { width: 'width' }, 'renderSvg')
  const width = options.width ?? 800
  const markup: string[] = [legend()]
  let y = MARGIN + 24
  for (const row of rows) {
    const drawn = drawRow(row, y, width)
    for (const element of drawn.markup) markup.push(element)
    y += drawn.height + ROW_GAP
  }
  const height = px(y - ROW_GAP + MARGIN)
  const page = { width, height, fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: FONT_SIZE, background: '#fff', description: description(rows) }
  return svgDocument(page, markup)
}
