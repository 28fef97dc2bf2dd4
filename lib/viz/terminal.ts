/** A relevance heatmap for a terminal: tokens on a red (positive) / blue (negative) background. */
import { fail } from '../errors.js'
import { describeValue } from '../describe-value.js'
import { UNKNOWN_TOKEN } from '../text/vocabulary.js'
import { showInvisible } from './escape.js'
import { captionParts, valuesLabel } from './caption.js'
import { checkOneRow, checkOptions } from './check.js'
import { formatRelevance, isNearZero, maxAbs, maxAbsText, NEAR_ZERO, relevanceRgb, stepLabels, textRgb, type Rgb } from './scale.js'
import type { HeatmapRow } from './types.js'

export interface TerminalOptions {
  /** ANSI colours (default: on, unless the NO_COLOR environment variable is set and not empty). */
  color?: boolean
  /** Columns to wrap at (default: the terminal's width when stdout is a terminal, else 80). No token is broken. */
  width?: number
  /** Each token's relevance beside it, as token[+0.12] (always so without colour). */
  values?: boolean
}

const RESET = '\x1b[0m'
const DIM = '\x1b[2m'
const LEGEND_CELLS = 11
const DEFAULT_WIDTH = 80
const OPTION_KINDS = { color: 'boolean', width: 'width', values: 'boolean' } as const
/** What follows a word the model read as <unk>. */
const UNKNOWN_MARK = `→${UNKNOWN_TOKEN}`

interface Process {
  env?: Record<string, string | undefined>
  stdout?: { isTTY?: boolean; columns?: number }
}

/** Node's process, looked up without assuming Node, so the renderer also runs in browsers. */
function host(): Process | undefined {
  return (globalThis as { process?: Process }).process
}

/** NO_COLOR (no-color.org). */
function noColorRequested(): boolean {
  return (host()?.env?.NO_COLOR ?? '') !== ''
}

function terminalWidth(): number {
  const stdout = host()?.stdout
  return stdout?.isTTY === true && Number.isSafeInteger(stdout.columns) && stdout.columns! > 0 ? stdout.columns! : DEFAULT_WIDTH
}

function paint(text: string, background: Rgb, foreground: Rgb): string {
  return `\x1b[48;2;${background.r};${background.g};${background.b}m\x1b[38;2;${foreground.r};${foreground.g};${foreground.b}m${text}${RESET}`
}

interface Cell {
  text: string
  columns: number
}

/** Joins cells with spaces into lines of at most `width` visible columns (a longer cell gets its own line). */
function wrap(cells: Cell[], width: number): string[] {
  const lines: string[] = []
  let line = ''
  let used = 0
  for (const cell of cells) {
    if (used > 0 && used + 1 + cell.columns > width) {
      lines.push(line)
      line = ''
      used = 0
    }
    line += used > 0 ? ` ${cell.text}` : cell.text
    used += (used > 0 ? 1 : 0) + cell.columns
  }
  if (used > 0) lines.push(line)
  return lines
}

/** The legend as cells, so it wraps to the width like the tokens: the scale as one cell, then its explanation word by word. */
function legend(scale: number, color: boolean): Cell[] {
  const words = (text: string) => text.split(' ').map((word) => ({ text: word, columns: columnsOf(word) }))
  if (!color) return words(`relevance in brackets (${maxAbsText(scale)})`)
  const cells = Array.from({ length: LEGEND_CELLS }, (_, n) => {
    const value = ((2 * n) / (LEGEND_CELLS - 1) - 1) * scale
    return isNearZero(value, scale) ? '  ' : paint('  ', relevanceRgb(value, scale), textRgb(value, scale))
  })
  const low = formatRelevance(-scale)
  const high = formatRelevance(scale)
  const bar = { text: `${low} ${cells.join('')} ${high}`, columns: columnsOf(low) + 2 * LEGEND_CELLS + columnsOf(high) + 2 }
  return [bar, ...words(`blue negative, red positive, scaled to max |R|; under ${NEAR_ZERO * 100} % of it uncoloured`)]
}

function columnsOf(text: string): number {
  return [...text].length
}

function cellOf(label: string, value: number, unknown: boolean, scale: number, color: boolean, values: boolean): Cell {
  const mark = unknown ? UNKNOWN_MARK : ''
  const number = values || !color ? `[${formatRelevance(value)}]` : ''
  const columns = columnsOf(label) + columnsOf(mark) + columnsOf(number)
  if (!color) return { text: label + mark + number, columns }
  // Near zero stays the terminal's own colours: a white background glares on a dark terminal.
  const coloured = isNearZero(value, scale) ? (text: string) => text : (text: string) => paint(text, relevanceRgb(value, scale), textRgb(value, scale))
  return { text: coloured(label) + (unknown ? `${DIM}${mark}${RESET}` : '') + (number === '' ? '' : coloured(number)), columns }
}

/** The step labels of a row: its tokens, its input values, or the step indices. */
function rowLabels(row: HeatmapRow): string[] {
  if (row.tokens !== undefined || row.x === undefined) return stepLabels(row.tokens, row.relevance.length)
  return row.x.map(valuesLabel)
}

/** The (tokens or steps, relevance) call form, checked: its labels and relevance. */
function checkedLabels(tokens: unknown, relevance: unknown): { labels: string[]; relevance: ArrayLike<number> } {
  if (typeof tokens === 'number') {
    if (!Number.isSafeInteger(tokens) || tokens < 0) fail('E_INPUT', `renderTerminal: steps must be a whole number >= 0; got ${describeValue(tokens)}`)
    checkOneRow({ relevance }, 'renderTerminal')
    return { labels: stepLabels(undefined, tokens), relevance: relevance as ArrayLike<number> }
  }
  if (!Array.isArray(tokens)) fail('E_INPUT', `renderTerminal: the first argument must be a HeatmapRow, the tokens or a number of steps; got ${describeValue(tokens)}`)
  const row = { tokens, relevance }
  checkOneRow(row, 'renderTerminal')
  return { labels: [...row.tokens!], relevance: row.relevance }
}

function render(row: HeatmapRow, labels: string[], options: TerminalOptions, caption: boolean): string {
  if (labels.length !== row.relevance.length) fail('E_INPUT', `renderTerminal: ${labels.length} tokens but ${row.relevance.length} relevance values`)
  const color = options.color ?? !noColorRequested()
  const width = options.width ?? terminalWidth()
  const scale = maxAbs(row.relevance)
  const unknown = new Set(row.unknown ?? [])
  const cells = labels.map((label, t) => cellOf(showInvisible(label), row.relevance[t], unknown.has(t), scale, color, options.values === true))
  const parts = caption ? captionParts(row).map(showInvisible) : []
  const captionCells = parts.map((part, n) => {
    const text = n < parts.length - 1 ? `${part} ·` : part
    return { text, columns: columnsOf(text) }
  })
  return `${[...wrap(captionCells, width), ...wrap(cells, width), ...wrap(legend(scale, color), width)].join('\n')}\n`
}

/**
 * A heatmap for a terminal: the caption (title, target, prediction, unknown words, method), the
 * tokens coloured by their relevance, scaled to the largest |R| (under 5 % of it uncoloured), lines
 * wrapped to the width between tokens, and a legend. Without colour each token carries its value in
 * brackets. A word the model read as <unk> is followed by →<unk>. Control and format characters in a
 * token (ESC would drive the terminal, U+202E reorder the line) print as ⟨U+XXXX⟩.
 *
 * Called with a HeatmapRow, or with the tokens (or a number of steps) and their relevance.
 */
export function renderTerminal(row: HeatmapRow, options?: TerminalOptions): string
export function renderTerminal(tokens: readonly string[] | number, relevance: ArrayLike<number>, options?: TerminalOptions): string
export function renderTerminal(first: HeatmapRow | readonly string[] | number, second?: ArrayLike<number> | TerminalOptions, third?: TerminalOptions): string {
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    checkOneRow(first, 'renderTerminal')
    checkOptions(second, OPTION_KINDS, 'renderTerminal')
    return render(first, rowLabels(first), (second as TerminalOptions | undefined) ?? {}, true)
  }
  const { labels, relevance } = checkedLabels(first, second)
  checkOptions(third, OPTION_KINDS, 'renderTerminal')
  return render({ relevance }, labels, third ?? {}, false)
}
