/** A self-contained HTML page of relevance heatmaps: one row per input, values on hover. */
import { escapeMarkup } from './escape.js'
import { captionParts, featureCount, gridCellNote, provenanceJson, UNKNOWN_NOTE, valuesLabel } from './caption.js'
import { checkOptions, checkRows } from './check.js'
import { formatInputValue, formatRelevance, hex, maxAbs, maxAbsText, relevanceRgb, stepLabels, textRgb } from './scale.js'
import type { HeatmapRow } from './types.js'

export interface HtmlOptions {
  /** The page's title and heading (default "lstm-lrp relevance"). */
  title?: string
}

const STYLE = [
  'body{font:15px/2 system-ui,sans-serif;margin:2em;color:#222}',
  'h1{font-size:1.2em}',
  '.row{margin:0 0 1em}',
  '.caption{font-size:.8em;color:#555;line-height:1.4}',
  '.t{padding:.15em .3em;margin-right:.15em;border-radius:.25em;white-space:pre}',
  '.t.unk{outline:1px dashed #666}',
  '.u{font-size:.7em;color:#555;margin-left:.1em}',
  '.grid{border-collapse:collapse;font-size:.75em;line-height:1}',
  '.grid th{font-weight:normal;color:#555;padding:0 .4em 0 0;text-align:right}',
  '.grid td{width:1.1em;min-width:2px;height:1.1em;padding:0;border:1px solid #fff}',
  '.legend{font-size:.8em;color:#555;margin-bottom:1.5em}',
  '.scale{display:inline-block;width:12em;height:.9em;vertical-align:middle;margin:0 .5em;background:linear-gradient(to right,#0000ff,#ffffff,#ff0000)}',
].join('')

/** `plotted`: the step's input value ("x") or the caller's series value. */
function hoverText(label: string, step: number, value: number, plotted: string, unknown: boolean): string {
  return `${label} · step ${step} · R = ${formatRelevance(value)}${plotted}${unknown ? ` · ${UNKNOWN_NOTE}` : ''}`
}

function plottedText(row: HeatmapRow, t: number): string {
  if (row.x !== undefined) return ` · x = ${formatInputValue(row.x[t][0])}`
  return row.series === undefined ? '' : ` · series = ${formatInputValue(row.series[t])}`
}

function caption(row: HeatmapRow, scale: number): string {
  const [first, ...rest] = captionParts(row)
  const isolated = first === undefined ? [] : row.title === undefined ? [escapeMarkup(first)] : [`<bdi>${escapeMarkup(first)}</bdi>`]
  return [...isolated, ...rest.map(escapeMarkup), maxAbsText(scale)].join(' · ')
}

function tokenCells(row: HeatmapRow): string[] {
  const steps = row.relevance.length
  const scale = maxAbs(row.relevance)
  const unknown = new Set(row.unknown ?? [])
  const labels = row.tokens === undefined && row.x !== undefined ? row.x.map(valuesLabel) : stepLabels(row.tokens, steps)
  return labels.map((label, t) => {
    const value = row.relevance[t]
    const isUnknown = unknown.has(t)
    const style = `background:${hex(relevanceRgb(value, scale))};color:${hex(textRgb(value, scale))}`
    const mark = isUnknown ? `<span class="u" title="${escapeMarkup(UNKNOWN_NOTE)}">?</span>` : ''
    const title = escapeMarkup(hoverText(label, t, value, plottedText(row, t), isUnknown))
    return `<bdi class="t${isUnknown ? ' unk' : ''}" style="${style}" title="${title}">${escapeMarkup(label)}${mark}</bdi>`
  })
}

/** Several features: a table with a row per feature and a column per step, each cell coloured by its relevance. */
function featureGrid(row: HeatmapRow, features: number): { markup: string; scale: number } {
  const x = row.x!
  const relevance = row.featureRelevance!
  const scale = maxAbs(relevance)
  const header = `<tr><th>step</th>${x.map((_, t) => `<th>${t}</th>`).join('')}</tr>`
  const lines = Array.from({ length: features }, (_, f) => {
    const cells = x.map((step, t) => {
      const value = relevance[t * features + f]
      return `<td style="background:${hex(relevanceRgb(value, scale))}" title="${escapeMarkup(gridCellNote(t, f, step[f], value))}"></td>`
    })
    return `<tr><th>feature ${f}</th>${cells.join('')}</tr>`
  })
  return { markup: `<table class="grid">${header}${lines.join('')}</table>`, scale }
}

function renderRow(row: HeatmapRow): string {
  const features = featureCount(row)
  const provenance = provenanceJson(row)
  const attributes = provenance === undefined ? '' : ` data-provenance="${escapeMarkup(provenance)}"`
  if (features > 1) {
    const grid = featureGrid(row, features)
    return `<div class="row"${attributes}><div class="caption">${caption(row, grid.scale)}</div>${grid.markup}</div>`
  }
  return `<div class="row"${attributes}><div class="caption">${caption(row, maxAbs(row.relevance))}</div>${tokenCells(row).join(' ')}</div>`
}

/**
 * The page as a string: inline CSS, no scripts, every token and title escaped. Each token is its own
 * bidi isolate (<bdi>) and shows its invisible characters as ⟨U+XXXX⟩, so the tokens read left to
 * right in step order whatever they contain. A numeric input of several features is a feature × step
 * table instead. Each row's method, options and model are in its data-provenance attribute (JSON).
 */
export function renderHtml(rows: readonly HeatmapRow[], options: HtmlOptions = {}): string {
  checkRows(rows, 'renderHtml')
  checkOptions(options, { title: 'string' }, 'renderHtml')
  const title = escapeMarkup(options.title ?? 'lstm-lrp relevance')
  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head>`,
    '<body>',
    `<h1>${title}</h1>`,
    `<div class="legend">negative<span class="scale"></span>positive · each row scaled to its max |R| · hover a token or cell for its value · a dashed token marked ? was ${escapeMarkup(UNKNOWN_NOTE)}</div>`,
    ...rows.map(renderRow),
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
