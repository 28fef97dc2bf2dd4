/** JSON-lines input and atomic output for the CLI. */
import { AtomicFile } from '../../model/write-atomically.js'
import { excerpt } from '../../describe-value.js'
import { inChunks } from './chunks.js'
import { cannotWrite } from '../destination.js'
import { openInputLines, isStdin } from './lines.js'
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

/** Stdout, or a file that appears only once everything is written (see AtomicFile). */
export class OutputSink {
  private constructor(private readonly file: AtomicFile | null) {}

  /** Opens `path` ('-' or undefined: stdout); a file that cannot be written is a usage error. */
  static async open(path: string | undefined): Promise<OutputSink> {
    if (isStdin(path)) return new OutputSink(null)
    return new OutputSink(await cannotWrite(path as string, () => AtomicFile.create(path as string)))
  }

  async write(text: string): Promise<void> {
    const file = this.file
    if (file !== null) return cannotWrite(file.destination, () => file.write(text))
    if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once('drain', resolve))
  }

  async commit(): Promise<void> {
    const file = this.file
    if (file !== null) await cannotWrite(file.destination, () => file.commit())
  }

  async abandon(): Promise<void> {
    await this.file?.abandon()
  }
}
