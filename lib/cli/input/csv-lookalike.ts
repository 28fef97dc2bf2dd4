/**
 * Whether lines read as JSON or text (no --input-format, no telling extension) are really CSV or TSV
 * numbers: a first row of numbers, or a header over a row of numbers with as many cells. A sentence
 * with commas ("a gorgeous, witty film") has words in its cells, so it is never taken for CSV.
 */
import { DECIMAL } from '../number-flags.js'

const DELIMITERS = [
  { format: 'csv', delimiter: ',' },
  { format: 'tsv', delimiter: '\t' },
] as const

export type TableFormat = (typeof DELIMITERS)[number]['format']

function cells(text: string, delimiter: string): string[] {
  return text.split(delimiter).map((cell) => cell.trim())
}

function isNumberRow(row: string[]): boolean {
  return row.length >= 2 && row.every((cell) => DECIMAL.test(cell))
}

function isJson(text: string): boolean {
  return /^\s*[{[]/.test(text)
}

/** Whether `first` could be a header row, so the second line decides. */
export function mayBeHeader(first: string): boolean {
  return !isJson(first) && DELIMITERS.some(({ delimiter }) => cells(first, delimiter).length >= 2)
}

/** The table format the first (non-blank) lines look like, or null. */
export function tableLookalike(first: string, second: string | undefined): TableFormat | null {
  if (isJson(first)) return null
  for (const { format, delimiter } of DELIMITERS) {
    const head = cells(first, delimiter)
    if (isNumberRow(head)) return format
    if (second === undefined || isJson(second)) continue
    const next = cells(second, delimiter)
    if (isNumberRow(next) && next.length === head.length && head.every((cell) => cell !== '')) return format
  }
  return null
}
