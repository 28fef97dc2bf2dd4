/** Cells of explain's CSV output (RFC 4180) that are safe to open in a spreadsheet. */
import { showInvisible } from '../viz/escape.js'

/** What a spreadsheet reads as the start of a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A text cell we did not write ourselves (a token, an id): a formula start gets a leading ' (so a
 * token "-3" or "=HYPERLINK(...)" stays text), invisible characters show as ⟨U+XXXX⟩ (so line breaks
 * never reach the file), and the cell is quoted when it was neutralised or holds a comma or a quote.
 */
export function csvTextCell(text: string): string {
  const neutralised = FORMULA_START.test(text)
  const shown = showInvisible(neutralised ? `'${text}` : text)
  return neutralised || /[",]/.test(shown) ? `"${shown.replace(/"/g, '""')}"` : shown
}

/** An input's id: a number as the number it is, anything else as a text cell. */
export function csvIdCell(id: unknown): string {
  if (typeof id === 'number' && Number.isFinite(id)) return String(id)
  return csvTextCell(typeof id === 'string' ? id : JSON.stringify(id))
}
