/** A relevance heatmap for a terminal: tokens on a red (positive) / blue (negative) background. */
import { fail } from '../errors.js'
import { showInvisible } from './escape.js'
import { formatRelevance, maxAbs, relevanceRgb, stepLabels, textRgb, type Rgb } from './scale.js'

export interface TerminalOptions {
  /** ANSI colours (default: on, unless the NO_COLOR environment variable is set and not empty). */
  color?: boolean
  /** Columns to wrap at (default 80). */
  width?: number
}

const RESET = '\x1b[0m'
const LEGEND_CELLS = 11

/** NO_COLOR (no-color.org) read without assuming Node, so the renderer also runs in browsers. */
function noColorRequested(): boolean {
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
  return (environment?.NO_COLOR ?? '') !== ''
}

function paint(text: string, background: Rgb, foreground: Rgb): string {
  return `\x1b[48;2;${background.r};${background.g};${background.b}m\x1b[38;2;${foreground.r};${foreground.g};${foreground.b}m${text}${RESET}`
}

/** Joins cells with spaces into lines of at most `width` visible columns (a longer cell gets its own line). */
function wrap(cells: { text: string; columns: number }[], width: number): string[] {
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

function legend(scale: number, color: boolean): string {
  if (!color) return `relevance in brackets (max |R| ${formatRelevance(scale).replace('+', '')})`
  const cells = Array.from({ length: LEGEND_CELLS }, (_, n) => {
    const value = ((2 * n) / (LEGEND_CELLS - 1) - 1) * scale
    return paint('  ', relevanceRgb(value, scale), textRgb(value, scale))
  })
  return `${formatRelevance(-scale)} ${cells.join('')} ${formatRelevance(scale)}  blue negative, red positive, scaled to max |R|`
}

/**
 * The tokens (or `steps` numbered steps) coloured by their relevance, scaled to the largest |R|,
 * with a legend line. Without colour each token carries its value in brackets instead. Control and
 * format characters in a token (ESC would drive the terminal, U+202E reorder the line) print as ⟨U+XXXX⟩.
 */
export function renderTerminal(tokens: readonly string[] | number, relevance: ArrayLike<number>, options: TerminalOptions = {}): string {
  const labels = (typeof tokens === 'number' ? stepLabels(undefined, tokens) : stepLabels(tokens, tokens.length)).map(showInvisible)
  if (labels.length !== relevance.length) fail('E_INPUT', `renderTerminal: ${labels.length} tokens but ${relevance.length} relevance values`)
  const color = options.color ?? !noColorRequested()
  const scale = maxAbs(relevance)
  const cells = labels.map((label, t) => {
    const value = relevance[t]
    if (!color) {
      const text = `${label}[${formatRelevance(value)}]`
      return { text, columns: [...text].length }
    }
    return { text: paint(label, relevanceRgb(value, scale), textRgb(value, scale)), columns: [...label].length }
  })
  return `${[...wrap(cells, options.width ?? 80), legend(scale, color)].join('\n')}\n`
}
