/** What a row's caption says beside its heatmap: what was explained, what the model predicted, how, and which words it did not know. */
import { UNKNOWN_TOKEN } from '../text/vocabulary.js'
import { formatInputValue, formatRelevance } from './scale.js'
import type { HeatmapRow } from './types.js'

/** The tooltip of a step whose word is not in the vocabulary. */
export const UNKNOWN_NOTE = `not in the vocabulary: read as ${UNKNOWN_TOKEN}`

function formatValue(value: unknown): string {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return `{${Object.entries(value)
      .map(([key, inner]) => `${key}=${formatValue(inner)}`)
      .join(', ')}}`
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
}

/** "lrp (rule=all, eps=0.001, ...)": the method with its effective options. */
export function methodText(row: HeatmapRow): string | undefined {
  if (row.method === undefined) return undefined
  const options = Object.entries(row.options ?? {}).map(([key, value]) => `${key}=${formatValue(value)}`)
  return options.length === 0 ? row.method : `${row.method} (${options.join(', ')})`
}

/** "2 of 9 words unknown, read as <unk>", when the row says which words were unknown. */
export function unknownText(row: HeatmapRow): string | undefined {
  if (row.unknown === undefined) return undefined
  const count = new Set(row.unknown).size
  return `${count} of ${row.relevance.length} ${row.relevance.length === 1 ? 'word' : 'words'} unknown, read as ${UNKNOWN_TOKEN}`
}

/** The caption's parts, in reading order; renderers join them with " · " and may add the scale. */
export function captionParts(row: HeatmapRow): string[] {
  const predicted = row.predicted === undefined ? undefined : `predicted: ${row.predicted}${row.probability === undefined ? '' : `, p = ${Number(row.probability.toFixed(2))}`}`
  const parts = [row.title, row.target === undefined ? undefined : `target: ${row.target}`, predicted, unknownText(row), methodText(row), row.model === undefined ? undefined : `model: ${row.model}`]
  return parts.filter((part): part is string => part !== undefined)
}

/** The method, options and model as JSON, for data- attributes and an SVG <desc>; undefined when the row names none. */
export function provenanceJson(row: HeatmapRow): string | undefined {
  if (row.method === undefined && row.options === undefined && row.model === undefined) return undefined
  return JSON.stringify({ method: row.method, options: row.options, model: row.model })
}

/** The tooltip of one cell of a feature × step heatmap. */
export function gridCellNote(step: number, feature: number, x: number, relevance: number): string {
  return `step ${step} · feature ${feature} · x = ${formatInputValue(x)} · R = ${formatRelevance(relevance)}`
}

/** A step's input values as its label: the value itself, or (v1,v2,...) for several features (no space: spaces separate steps). */
export function valuesLabel(values: ArrayLike<number>): string {
  const shown = Array.from(values, (value) => String(Number(value.toPrecision(3))))
  return shown.length === 1 ? shown[0] : `(${shown.join(',')})`
}

/** The input's features per step (0 without x). */
export function featureCount(row: HeatmapRow): number {
  return row.x !== undefined && row.x.length > 0 ? row.x[0].length : 0
}
