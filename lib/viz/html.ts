/** A self-contained HTML page of relevance heatmaps: one row per input, values on hover. */
import { fail } from '../errors.js'
import { escapeMarkup } from './escape.js'
import { formatRelevance, hex, maxAbs, relevanceRgb, stepLabels, textRgb } from './scale.js'
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
  '.legend{font-size:.8em;color:#555;margin-bottom:1.5em}',
  '.scale{display:inline-block;width:12em;height:.9em;vertical-align:middle;margin:0 .5em;background:linear-gradient(to right,#0000ff,#ffffff,#ff0000)}',
].join('')

function hoverText(label: string, step: number, value: number, input: number | undefined): string {
  return `${label} · step ${step} · R = ${formatRelevance(value)}${input === undefined ? '' : ` · x = ${Number(input.toPrecision(4))}`}`
}

function renderRow(row: HeatmapRow): string {
  const steps = row.relevance.length
  const labels = stepLabels(row.tokens, steps)
  if (labels.length !== steps) fail('E_INPUT', `renderHtml: ${labels.length} tokens but ${steps} relevance values`)
  const scale = maxAbs(row.relevance)
  const tokens = labels.map((label, t) => {
    const value = row.relevance[t]
    const style = `background:${hex(relevanceRgb(value, scale))};color:${hex(textRgb(value, scale))}`
    return `<bdi class="t" style="${style}" title="${escapeMarkup(hoverText(label, t, value, row.series?.[t]))}">${escapeMarkup(label)}</bdi>`
  })
  const caption = `${row.title === undefined ? '' : `<bdi>${escapeMarkup(row.title)}</bdi> · `}max |R| ${formatRelevance(scale).replace('+', '')}`
  return `<div class="row"><div class="caption">${caption}</div>${tokens.join(' ')}</div>`
}

/**
 * The page as a string: inline CSS, no scripts, every token and title escaped. Each token is its own
 * bidi isolate (<bdi>) and shows its invisible characters as ⟨U+XXXX⟩, so the tokens read left to
 * right in step order whatever they contain.
 */
export function renderHtml(rows: readonly HeatmapRow[], options: HtmlOptions = {}): string {
  const title = escapeMarkup(options.title ?? 'lstm-lrp relevance')
  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head>`,
    '<body>',
    `<h1>${title}</h1>`,
    '<div class="legend">negative<span class="scale"></span>positive · each row scaled to its max |R| · hover a token for its value</div>',
    ...rows.map(renderRow),
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
