/**
 * Where explain and predict get their inputs: --text, --tokens, or lines from --input / stdin as JSON
 * lines, plain text (one sentence a line), CSV or TSV. `auto` decides by the file's extension
 * (.csv, .tsv, .txt, .jsonl) and otherwise line by line: a line starting with '{' or '[' is JSON,
 * any other is a sentence.
 */
import path from 'node:path'
import type { ModelConfig } from '../../model/types.js'
import { inChunks } from './chunks.js'
import { csvRecords } from './csv.js'
import { mayBeHeader, tableLookalike } from './csv-lookalike.js'
import { openInputLines, type InputLine } from './lines.js'
import { jsonRecord, textRecord, tokensFlagRecord, type InputRecord, type TextSettings } from './records.js'
import { parseJsonLine } from './jsonl.js'
import { UsageError } from '../usage.js'

export const INPUT_FORMATS = ['auto', 'jsonl', 'text', 'csv', 'tsv'] as const
export type InputFormat = (typeof INPUT_FORMATS)[number]

/** Records per chunk: batches large enough to share the work between threads, small enough to stream. */
const RECORDS_PER_CHUNK = 512

const EXTENSION_FORMATS: Record<string, InputFormat> = { '.csv': 'csv', '.tsv': 'tsv', '.tab': 'tsv', '.txt': 'text', '.jsonl': 'jsonl', '.ndjson': 'jsonl' }

export interface InputFlags {
  text?: string
  tokens?: string
  input?: string
  inputFormat: InputFormat
  columns?: string
  lowercase?: boolean
}

export interface InputSource {
  /** Bytes of input in all, when known (progress). */
  size: number | null
  chunks: AsyncIterable<InputRecord[]>
}

function lineFormat(flags: InputFlags): InputFormat {
  if (flags.inputFormat !== 'auto' || flags.input === undefined) return flags.inputFormat
  return EXTENSION_FORMATS[path.extname(flags.input).toLowerCase()] ?? 'auto'
}

/** Rejects flags that contradict each other, before the model is loaded. */
export function checkInputFlags(flags: InputFlags): void {
  const sources = (['text', 'tokens', 'input'] as const).filter((flag) => flags[flag] !== undefined)
  if (sources.length > 1) throw new UsageError(`give --${sources[0]} or --${sources[1]}, not both`)
  if (sources.length === 1 && sources[0] !== 'input' && flags.inputFormat !== 'auto') throw new UsageError(`--input-format applies to --input or stdin, not --${sources[0]}`)
  const format = lineFormat(flags)
  if (flags.columns !== undefined && format !== 'csv' && format !== 'tsv') throw new UsageError('--columns applies to CSV or TSV input: give --input-format csv or tsv, or an --input file ending in .csv or .tsv')
}

function lineRecord({ line, text, end }: InputLine, format: 'auto' | 'jsonl' | 'text', settings: TextSettings, tableHint = ''): InputRecord {
  const where = `line ${line}`
  const json = format === 'jsonl' || (format === 'auto' && /^\s*[{[]/.test(text))
  if (json) return jsonRecord(where, parseJsonLine(line, text), end, settings)
  if (format === 'auto' && settings.config.tokenizer === undefined)
    throw new UsageError(`${where}: not JSON, and the model has no tokenizer to read it as text (lines are {"x": [[...]]} or {"tokens": [...]})${tableHint}`)
  return textRecord(where, text, end, settings)
}

async function* nonBlank(lines: AsyncIterable<InputLine>): AsyncGenerator<InputLine> {
  for await (const line of lines) if (line.text.trim() !== '') yield line
}

async function* lineRecords(lines: AsyncIterable<InputLine>, format: 'jsonl' | 'text', settings: TextSettings): AsyncGenerator<InputRecord> {
  for await (const line of nonBlank(lines)) yield lineRecord(line, format, settings)
}

/**
 * Lines whose format is decided line by line. CSV numbers would be read as text (or refused without
 * a tokenizer): the first lines are checked, and a note or the error says to pass --input-format.
 */
async function* autoRecords(lines: AsyncIterable<InputLine>, settings: TextSettings, note: (line: string) => void): AsyncGenerator<InputRecord> {
  const rest = nonBlank(lines)
  try {
    const first = await rest.next()
    if (first.done === true) return
    const second = mayBeHeader(first.value.text) ? await rest.next() : undefined
    const head = second === undefined || second.done === true ? [first.value] : [first.value, second.value]
    const table = tableLookalike(first.value.text, head[1]?.text)
    const hint = table === null ? '' : `; it looks like ${table.toUpperCase()}: pass --input-format ${table}`
    if (table !== null && settings.config.tokenizer !== undefined) note(`note: the input looks like ${table.toUpperCase()}: pass --input-format ${table} (without it, each line is read as a sentence)`)
    for (const line of head) yield lineRecord(line, 'auto', settings, hint)
    for await (const line of rest) yield lineRecord(line, 'auto', settings, hint)
  } finally {
    // Closes the input (a file's stream) also when a line fails before the loop over the rest.
    await rest.return(undefined)
  }
}

async function* single(record: () => InputRecord): AsyncGenerator<InputRecord[]> {
  yield [record()]
}

/** `note` receives what the user should know that is no error (by default it is dropped). */
export async function openInputSource(flags: InputFlags, config: ModelConfig, note: (line: string) => void = () => undefined): Promise<InputSource> {
  const settings: TextSettings = { config, lowercase: flags.lowercase === true }
  if (flags.text !== undefined) return { size: null, chunks: single(() => textRecord('--text', flags.text as string, 0, settings)) }
  if (flags.tokens !== undefined) return { size: null, chunks: single(() => tokensFlagRecord(flags.tokens as string, settings)) }
  const { lines, size } = await openInputLines(flags.input)
  const format = lineFormat(flags)
  const records =
    format === 'csv' || format === 'tsv'
      ? csvRecords(lines, { delimiter: format === 'csv' ? ',' : '\t', columns: flags.columns, features: config.inputSize })
      : format === 'auto'
        ? autoRecords(lines, settings, note)
        : lineRecords(lines, format, settings)
  return { size, chunks: inChunks(records, RECORDS_PER_CHUNK) }
}
