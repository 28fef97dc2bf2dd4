/** explain's --format: the JSON lines as they come, or the relevance as a terminal heatmap, CSV, HTML or SVG. */
import type { Explanation, ResolvedTarget, SequenceInput } from '../explain/types.js'
import type { ModelConfig } from '../model/types.js'
import { renderHtml, renderSvg, renderTerminal, seriesOf, type HeatmapRow } from '../viz/index.js'
import { showInvisible } from '../viz/escape.js'
import { csvIdCell, csvTextCell } from './csv-cells.js'
import type { OutputSink } from './jsonl.js'

export const EXPLAIN_FORMATS = ['jsonl', 'terminal', 'html', 'svg', 'csv'] as const
export type ExplainFormat = (typeof EXPLAIN_FORMATS)[number]

/** One explained input: its JSON line (the core contract) and what the renderings need beside it. */
export interface ExplainedInput {
  json: string
  explanation: Explanation
  input: SequenceInput
  id?: unknown
  /** The text's tokens when the input was text (otherwise token ids are named through the vocabulary). */
  tokens?: string[]
  /** What the target is called when the target alone cannot say, e.g. "positive vs negative" for a contrast. */
  targetLabel?: string
}

export interface ExplanationWriter {
  write(inputs: readonly ExplainedInput[]): Promise<void>
  /** Writes what needs every input (HTML, SVG). */
  finish(): Promise<void>
}

/** Heatmaps for people at a terminal, JSON lines for pipes and files. */
export function defaultFormat(output: string | undefined): ExplainFormat {
  return (output === undefined || output === '-') && process.stdout.isTTY ? 'terminal' : 'jsonl'
}

/** What was explained, for a caption; nothing for a one-output regression, where there is no choice. */
function targetName(target: ResolvedTarget, config: ModelConfig): string | undefined {
  const labels = config.labels
  if (config.task === 'regression' && config.head.outputs === 1 && typeof target === 'number') return undefined
  if (typeof target === 'number') return labels?.[target] ?? `class ${target}`
  return Array.isArray(target) ? `step ${target[0]}, ${labels?.[target[1]] ?? `class ${target[1]}`}` : 'weighted classes'
}

function heatmapRow(item: ExplainedInput, index: number, config: ModelConfig): HeatmapRow {
  const target = item.targetLabel ?? targetName(item.explanation.target, config)
  const title = `${item.id === undefined ? `#${index + 1}` : String(item.id)}${target === undefined ? '' : ` · ${target}`}`
  const relevance = item.explanation.perStep
  if (item.tokens !== undefined) return { title, tokens: item.tokens, relevance }
  if ('tokens' in item.input) {
    const vocab = config.tokenizer?.vocab
    return { title, tokens: Array.from(item.input.tokens, (id) => vocab?.[id] ?? `#${id}`), relevance }
  }
  return Array.isArray(item.input) ? { title, relevance, series: seriesOf(item.input) } : { title, relevance }
}

function csvLines(row: HeatmapRow, index: number, id: unknown): string {
  const idField = id === undefined ? '' : csvIdCell(id)
  return Array.from(row.relevance, (value, t) => `${index},${idField},${t},${csvTextCell(row.tokens?.[t] ?? '')},${row.series?.[t] ?? ''},${value}\n`).join('')
}

/** Numeric steps are labelled by their plotted value, which says more than an index at a terminal. */
function terminalBlock(row: HeatmapRow, color: boolean): string {
  const labels = row.tokens ?? (row.series === undefined ? row.relevance.length : Array.from(row.series, (value) => String(Number(value.toPrecision(3)))))
  return `${showInvisible(row.title ?? '')}\n${renderTerminal(labels, row.relevance, color ? {} : { color: false })}`
}

/** `toTerminal`: the output is an interactive terminal, so colour is allowed (NO_COLOR still wins). */
export function explanationWriter(format: ExplainFormat, sink: OutputSink, config: ModelConfig, toTerminal: boolean): ExplanationWriter {
  const rows: HeatmapRow[] = []
  let count = 0
  return {
    async write(inputs) {
      if (format === 'jsonl') return sink.write(inputs.map((item) => item.json).join(''))
      const fresh = inputs.map((item, n) => heatmapRow(item, count + n, config))
      const first = count
      count += inputs.length
      if (format === 'terminal') return sink.write(fresh.map((row, n) => (first + n > 0 ? '\n' : '') + terminalBlock(row, toTerminal)).join(''))
      if (format === 'csv') {
        const header = first === 0 ? 'input,id,step,token,x,relevance\n' : ''
        return sink.write(header + fresh.map((row, n) => csvLines(row, first + n, inputs[n].id)).join(''))
      }
      // One push per row: spreading a chunk into push() would overflow the stack past ~100k arguments.
      for (const row of fresh) rows.push(row)
    },
    async finish() {
      if (format === 'html') await sink.write(renderHtml(rows))
      if (format === 'svg') await sink.write(renderSvg(rows))
    },
  }
}
