/**
 * Time series as CSV or TSV: one row per time step, numbers only. The first row is a header when
 * any of its cells is not a number. A sequence ends at a blank line, at the end of the input, or
 * where the value of a `sequence` column changes (that value becomes the output's "id"). --columns
 * picks the feature columns by header name or 1-based number (ranges like 2-5 too); by default
 * every column but `sequence` is a feature.
 */
import type { InputLine } from './lines.js'
import type { InputRecord } from './records.js'
import { excerpt } from '../../describe-value.js'
import { DECIMAL } from '../number-flags.js'
import { UsageError } from '../usage.js'

export type Delimiter = ',' | '\t'

export interface CsvSettings {
  delimiter: Delimiter
  /** The --columns flag, when given. */
  columns?: string
  /** Features per step the model takes. */
  features: number
}

interface Layout {
  width: number
  /** Header names, or null without a header row. */
  names: string[] | null
  /** 0-based indices of the feature columns, in the order the model gets them. */
  features: number[]
  /** 0-based index of the `sequence` column, or null. */
  sequence: number | null
}

const SEQUENCE_COLUMN = 'sequence'
/** Column lists in messages name this many columns, then how many more: a header can be megabytes. */
const MAX_LISTED = 8

function listed(items: string[]): string {
  return items.length > MAX_LISTED ? `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more` : items.join(', ')
}

/** Splits a CSV line; quoted cells may hold commas and doubled quotes, but not line breaks. */
function splitCsv(text: string, line: number): string[] {
  const cells: string[] = []
  let position = 0
  for (;;) {
    if (text[position] === '"') {
      let cell = ''
      position++
      for (;;) {
        const close = text.indexOf('"', position)
        if (close < 0) throw new UsageError(`line ${line}: a quoted cell is not closed (cells cannot span lines)`)
        cell += text.slice(position, close)
        position = close + 1
        if (text[position] !== '"') break
        cell += '"'
        position++
      }
      if (position < text.length && text[position] !== ',') throw new UsageError(`line ${line}: text after the closing quote of cell ${cells.length + 1}`)
      cells.push(cell)
    } else {
      const comma = text.indexOf(',', position)
      const stop = comma < 0 ? text.length : comma
      cells.push(text.slice(position, stop))
      position = stop
    }
    if (position >= text.length) return cells
    position++
  }
}

function splitRow(text: string, line: number, delimiter: Delimiter): string[] {
  return (delimiter === ',' ? splitCsv(text, line) : text.split('\t')).map((cell) => cell.trim())
}

function columnName(layout: Pick<Layout, 'names'>, index: number): string {
  const name = layout.names?.[index]
  return name === undefined || name === '' ? `column ${index + 1}` : `column '${excerpt(name, 40)}'`
}

/** One entry of --columns: a header name, a 1-based column number, or a range of numbers. */
function resolveColumn(part: string, names: string[] | null, width: number): number[] {
  const named = names?.indexOf(part) ?? -1
  if (named >= 0) return [named]
  const range = /^(\d+)(?:-(\d+))?$/.exec(part)
  if (range !== null) {
    const first = Number(range[1])
    const last = Number(range[2] ?? range[1])
    if (first < 1 || last > width || first > last) throw new UsageError(`--columns: '${excerpt(part)}' is outside the columns 1..${width} of the input`)
    return Array.from({ length: last - first + 1 }, (_, n) => first - 1 + n)
  }
  throw new UsageError(
    names === null
      ? `--columns: '${excerpt(part)}' is not a column number (the input has no header row, so its columns are 1..${width})`
      : `--columns: no column '${excerpt(part)}' (the header has ${listed(names.map((name) => `'${excerpt(name, 40)}'`))})`,
  )
}

function resolveLayout(cells: string[], header: boolean, settings: CsvSettings): Layout {
  const names = header ? cells : null
  const width = cells.length
  const sequenceAt = names?.findIndex((name) => name.toLowerCase() === SEQUENCE_COLUMN) ?? -1
  const sequence = sequenceAt >= 0 ? sequenceAt : null
  const features = settings.columns === undefined ? Array.from({ length: width }, (_, n) => n).filter((n) => n !== sequence) : settings.columns.split(',').flatMap((part) => resolveColumn(part.trim(), names, width))
  if (sequence !== null && features.includes(sequence)) throw new UsageError(`--columns: the '${excerpt(names![sequence], 40)}' column groups rows into sequences and cannot be a feature`)
  if (features.length !== settings.features) {
    const chosen = `${features.length} ${features.length === 1 ? 'column' : 'columns'} (${listed(features.map((n) => columnName({ names }, n)))})`
    throw new UsageError(
      settings.columns === undefined
        ? `the input has ${chosen} but the model takes ${settings.features} features per step: choose the feature columns with --columns`
        : `--columns selects ${chosen} but the model takes ${settings.features} features per step`,
    )
  }
  return { width, names, features, sequence }
}

function numberCell(cells: string[], index: number, line: number, layout: Layout): number {
  const cell = cells[index]
  if (cell === '') throw new UsageError(`line ${line}, ${columnName(layout, index)}: empty cell`)
  if (!DECIMAL.test(cell)) throw new UsageError(`line ${line}, ${columnName(layout, index)}: '${excerpt(cell)}' is not a number`)
  return Number(cell)
}

/** The sequences of a CSV or TSV input, one record each. */
export async function* csvRecords(lines: AsyncIterable<InputLine>, settings: CsvSettings): AsyncGenerator<InputRecord> {
  let layout: Layout | null = null
  let rows: number[][] = []
  let first = 0
  let last = 0
  let end = 0
  let key: string | undefined
  const finished = (): InputRecord => {
    const record: InputRecord = { where: first === last ? `line ${first}` : `lines ${first}-${last}`, input: rows, end, ...(key !== undefined ? { id: key } : {}) }
    rows = []
    return record
  }
  for await (const { line, text, end: lineEnd } of lines) {
    if (text.trim() === '') {
      if (rows.length > 0) yield finished()
      continue
    }
    const cells = splitRow(text, line, settings.delimiter)
    if (layout === null) {
      const header = cells.some((cell) => cell !== '' && !DECIMAL.test(cell))
      layout = resolveLayout(cells, header, settings)
      if (header) continue
    }
    if (cells.length !== layout.width) throw new UsageError(`line ${line}: ${cells.length} cells, but the ${layout.names === null ? 'first row has' : 'header has'} ${layout.width}`)
    if (layout.sequence !== null) {
      const value = cells[layout.sequence]
      if (value === '') throw new UsageError(`line ${line}, ${columnName(layout, layout.sequence)}: empty cell`)
      if (rows.length > 0 && value !== key) yield finished()
      key = value
    }
    const current: Layout = layout
    if (rows.length === 0) first = line
    rows.push(current.features.map((index) => numberCell(cells, index, line, current)))
    last = line
    end = lineEnd
  }
  if (rows.length > 0) yield finished()
}
