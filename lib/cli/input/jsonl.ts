/** JSON-lines input for the CLI. */
import { excerpt } from '../../describe-value.js'
import { inChunks } from './chunks.js'
import { openInputLines } from './lines.js'
import { UsageError } from '../usage.js'

export interface NumberedLine {
  line: number
  value: unknown
}

/** Parses one line of JSON; a line that is not JSON is a usage error naming it. */
export function parseJsonLine(line: number, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(`line ${line}: not valid JSON (${excerpt((error as Error).message, 160)})`)
  }
}

async function* jsonLines(path: string | undefined): AsyncGenerator<NumberedLine> {
  for await (const { line, text } of (await openInputLines(path)).lines) if (text.trim() !== '') yield { line, value: parseJsonLine(line, text) }
}

/** Parsed non-blank lines with their 1-based line numbers, in chunks of up to `size`. */
export function jsonLineChunks(path: string | undefined, size: number): AsyncGenerator<NumberedLine[]> {
  return inChunks(jsonLines(path), size)
}
