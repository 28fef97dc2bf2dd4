/**
 * The comparison as one self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched):
 * per input a heatmap row per method, all rows of the page on one colour scale so that methods can
 * be compared, the deletion curves, and the methods ranked by mean AOPC.
 */
import { escapeMarkup } from '../viz/escape.js'
import { formatRelevance, hex, maxAbs, maxAbsText, relevanceRgb, textRgb } from '../viz/scale.js'
import { lineChart } from '../reproduce/svg/line-chart.js'
import type { ComparedInput, Comparison } from './comparison.js'

const STYLE = [
  'body{font:15px/1.6 system-ui,sans-serif;margin:2em;color:#222}',
  'h1{font-size:1.2em}h2{font-size:1em;margin-top:2em}',
  'table{border-collapse:collapse}td,th{padding:.25em .6em;text-align:left;vertical-align:middle}',
  '.m{color:#555;white-space:nowrap}.n{text-align:right;font-variant-numeric:tabular-nums}',
  '.t{display:inline-block;padding:0 .3em;margin:.1em .1em;border-radius:.25em;white-space:pre}',
  '.legend{font-size:.85em;color:#555}',
  '.scale{display:inline-block;width:12em;height:.9em;vertical-align:middle;margin:0 .5em;background:linear-gradient(to right,#0000ff,#ffffff,#ff0000)}',
].join('')

/** The largest |relevance| over every row of every input: the one scale of the page (and of the SVG). */
export function sharedScale(comparison: Comparison): number {
  return maxAbs(comparison.inputs.flatMap((input) => input.rows.flatMap((row) => row.perStep)))
}

export function removalText(comparison: Comparison): string {
  const removal = comparison.removal === 'zero' ? 'set to zero' : 'deleted'
  const cap = comparison.maxRemovals === null ? 'up to every step' : `up to ${comparison.maxRemovals} steps`
  return `most relevant steps first, ${removal}, ${cap}`
}

function tokenCells(labels: readonly string[], relevance: readonly number[], scale: number): string {
  return labels
    .map((label, t) => {
      const value = relevance[t]
      const style = `background:${hex(relevanceRgb(value, scale))};color:${hex(textRgb(value, scale))}`
      return `<span class="t" style="${style}" title="${escapeMarkup(`${label} · step ${t} · R = ${formatRelevance(value)}`)}">${escapeMarkup(label)}</span>`
    })
    .join('')
}

function curveChart(input: ComparedInput): string {
  return lineChart({
    title: `Deletion curves: ${input.where}`,
    xLabel: 'most relevant steps removed',
    yLabel: `score of ${input.targetName}`,
    series: input.rows.map((row) => ({ name: row.method, points: row.curve.map((value, k): [number, number] => [k, value]) })),
  })
}

function inputSection(input: ComparedInput, scale: number): string {
  const rows = input.rows.map((row) => `<tr><td class="m">${escapeMarkup(row.method)}</td><td>${tokenCells(input.labels, row.perStep, scale)}</td><td class="n">${row.aopc.toPrecision(4)}</td></tr>`)
  return [
    `<h2>${escapeMarkup(input.where)} · explained: ${escapeMarkup(input.targetName)}</h2>`,
    `<table><tr><th>method</th><th>relevance per step</th><th class="n">AOPC</th></tr>${rows.join('')}</table>`,
    curveChart(input),
  ].join('\n')
}

function rankingTable(comparison: Comparison): string {
  const rows = comparison.ranking.map(({ method, meanAopc }, n) => `<tr><td class="n">${n + 1}</td><td>${escapeMarkup(method)}</td><td class="n">${meanAopc.toPrecision(4)}</td></tr>`)
  return `<table><tr><th class="n">rank</th><th>method</th><th class="n">mean AOPC</th></tr>${rows.join('')}</table>`
}

export function comparisonHtml(comparison: Comparison, title: string): string {
  const scale = sharedScale(comparison)
  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeMarkup(title)}</title><style>${STYLE}</style></head>`,
    '<body>',
    `<h1>${escapeMarkup(title)}</h1>`,
    `<p class="legend">negative<span class="scale"></span>positive · one colour scale for every row: ${maxAbsText(scale)} · deletion curves: ${escapeMarkup(removalText(comparison))} · AOPC: mean over k = 1..K of f(x) − f(x without its k most relevant steps)</p>`,
    `<h2>Methods by mean AOPC over ${comparison.inputs.length} ${comparison.inputs.length === 1 ? 'input' : 'inputs'}</h2>`,
    rankingTable(comparison),
    ...comparison.inputs.map((input) => inputSection(input, scale)),
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
