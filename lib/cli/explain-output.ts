/** explain's --format: the JSON lines as they come, or the relevance as a terminal heatmap, CSV, HTML or SVG. */
import type { Explanation, ResolvedTarget, SequenceInput } from '../explain/types.js'
import type { ModelConfig } from '../model/types.js'
import { argmaxOfRow } from '../explain/target.js'
import { renderHtml, renderSvg, renderTerminal, type HeatmapRow } from '../viz/index.js'
import { csvIdCell, csvTextCell } from './csv-cells.js'
import type { Provenance } from './explain-provenance.js'
import type { OutputSink } from './output-sink.js'

export const EXPLAIN_FORMATS = ['jsonl', 'terminal', 'html', 'svg', 'csv'] as const
export type ExplainFormat = (typeof EXPLAIN_FORMATS)[number]

/** The CSV columns: a row per token for token models, a row per step and feature for numeric ones. */
export const TOKEN_CSV_HEADER = 'input,id,step,token,unknown,relevance'
export const NUMERIC_CSV_HEADER = 'input,id,step,feature,x,relevance'

/** One explained input: its JSON line (the core contract) and what the renderings need beside it. */
export interface ExplainedInput {
  json: string
  explanation: Explanation
  input: SequenceInput
  id?: unknown
  /** The text's tokens when the input was text (otherwise token ids are named through the vocabulary). */
  tokens?: string[]
  /** Positions of the text's words that are not in the vocabulary (read as <unk>). */
  unknown?: number[]
  /** What the target is called when the target alone cannot say, e.g. "positive vs negative" for a contrast. */
  targetLabel?: string
}

export interface WriterSettings {
  /** The output is an interactive terminal: colour is allowed (NO_COLOR still wins) and lines are as wide as it. */
  toTerminal: boolean
  /** --values: each token's relevance beside it in the terminal heatmap. */
  values?: boolean
  /** The method, options and model, for the captions. */
  provenance?: Provenance
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

function className(config: ModelConfig, index: number): string {
  return `${config.labels?.[index] ?? 'class'} (${index})`
}

/** What was explained, for a caption; nothing for a one-output regression, where there is no choice. */
function targetName(target: ResolvedTarget, config: ModelConfig): string | undefined {
  if (config.task === 'regression' && config.head.outputs === 1 && typeof target === 'number') return undefined
  if (typeof target === 'number') return className(config, target)
  return Array.isArray(target) ? `step ${target[0]}, ${className(config, target[1])}` : 'weighted classes'
}

/** A classifier's predicted label and its softmax probability, from the last row of scores. */
function prediction(scores: ArrayLike<number>, config: ModelConfig): { predicted: string; probability: number } | undefined {
  const outputs = config.head.outputs
  if (config.task !== 'classification') return undefined
  const last = Array.from({ length: outputs }, (_, k) => scores[scores.length - outputs + k])
  const best = argmaxOfRow(last, 0, outputs)
  const total = last.reduce((sum, score) => sum + Math.exp(score - last[best]), 0)
  return { predicted: config.labels?.[best] ?? `class ${best}`, probability: 1 / total }
}

/** A numeric input as T rows of its features, whichever form it came in. */
function inputRows(input: SequenceInput, features: number): ArrayLike<number>[] | undefined {
  if (Array.isArray(input)) return input
  if ('data' in input) return Array.from({ length: input.steps }, (_, t) => input.data.subarray(t * features, (t + 1) * features))
  return undefined
}

function heatmapRow(item: ExplainedInput, index: number, config: ModelConfig, provenance: Provenance | undefined): HeatmapRow {
  const { explanation } = item
  const target = item.targetLabel ?? targetName(explanation.target, config)
  const row: HeatmapRow = {
    title: item.id === undefined ? `#${index + 1}` : String(item.id),
    relevance: explanation.perStep,
    ...(target === undefined ? {} : { target }),
    ...prediction(explanation.scores, config),
    ...(provenance === undefined ? {} : { method: provenance.method, options: provenance.options, model: provenance.model }),
  }
  if (item.tokens !== undefined) return { ...row, tokens: item.tokens, unknown: item.unknown ?? [] }
  if ('tokens' in item.input) {
    const vocab = config.tokenizer?.vocab
    return { ...row, tokens: Array.from(item.input.tokens, (id) => vocab?.[id] ?? `#${id}`) }
  }
  const x = inputRows(item.input, explanation.features)
  return x === undefined ? row : { ...row, x, featureRelevance: explanation.relevance }
}

function tokenCsvLines(row: HeatmapRow, index: number, idField: string): string {
  const unknown = new Set(row.unknown ?? [])
  return Array.from(row.relevance, (value, t) => `${index},${idField},${t},${csvTextCell(row.tokens?.[t] ?? '')},${unknown.has(t)},${value}\n`).join('')
}

/** Every step and feature, signed: x is the input value itself, relevance that feature's share. */
function numericCsvLines(row: HeatmapRow, index: number, idField: string): string {
  const x = row.x ?? []
  const lines: string[] = []
  x.forEach((step, t) => {
    for (let f = 0; f < step.length; f++) lines.push(`${index},${idField},${t},${f},${step[f]},${row.featureRelevance![t * step.length + f]}\n`)
  })
  return lines.join('')
}

/** `toTerminal`: the output is an interactive terminal, so colour is allowed (NO_COLOR still wins) and lines are as wide as it. */
export function explanationWriter(format: ExplainFormat, sink: OutputSink, config: ModelConfig, settings: WriterSettings): ExplanationWriter {
  const rows: HeatmapRow[] = []
  const numeric = config.embedding === undefined
  const width = settings.toTerminal ? process.stdout.columns || 80 : 80
  const terminalOptions = { ...(settings.toTerminal ? {} : { color: false }), width, values: settings.values === true }
  let count = 0
  return {
    async write(inputs) {
      if (format === 'jsonl') return sink.write(inputs.map((item) => item.json).join(''))
      const fresh = inputs.map((item, n) => heatmapRow(item, count + n, config, settings.provenance))
      const first = count
      count += inputs.length
      if (format === 'terminal') return sink.write(fresh.map((row, n) => (first + n > 0 ? '\n' : '') + renderTerminal(row, terminalOptions)).join(''))
      if (format === 'csv') {
        const header = first > 0 ? '' : `${numeric ? NUMERIC_CSV_HEADER : TOKEN_CSV_HEADER}\n`
        const lines = fresh.map((row, n) => {
          const id = inputs[n].id === undefined ? '' : csvIdCell(inputs[n].id)
          return numeric ? numericCsvLines(row, first + n, id) : tokenCsvLines(row, first + n, id)
        })
        return sink.write(header + lines.join(''))
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
