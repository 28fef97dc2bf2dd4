/** What explain and predict share: the model and input flags, loading the model, reading inputs in chunks, output, progress and cleanup. */
import { Command, Option } from 'commander'
import { backendOption, dtypeOption, modelOption } from '../model-flags.js'
import { loadModel } from '../../model/load.js'
import { defaultModelPath } from '../../model/default-model.js'
import type { Model } from '../../model/model.js'
import { isStdin } from './lines.js'
import type { InputRecord } from './records.js'
import { checkInputFlags, INPUT_FORMATS, openInputSource, type InputFlags } from './source.js'
import { OutputSink } from '../output-sink.js'
import { checkDestination } from '../destination.js'
import { jobProgress, PROGRESS_MODES, type JobProgress, type ProgressMode, type ProgressStream } from '../progress.js'
import { UsageError } from '../usage.js'

export interface JobFlags extends InputFlags {
  model?: string
  output?: string
  progress: ProgressMode
  backend?: 'auto' | 'native' | 'wasm'
  dtype?: 'f32' | 'f64'
}

export interface InputJob {
  /** Handles one chunk of inputs, in order; `finished(n)` reports that its first n are done. */
  run(records: InputRecord[], finished: (count: number) => void): Promise<void>
  /** After the last chunk: what needs every input (explain's HTML and SVG). */
  finish(): Promise<void>
}

const INPUT_HELP = `
Inputs:
  JSON lines  {"x": [[...], ...]}, {"tokens": [ids or words]} or {"text": "..."} a line; optional "target", "id", "y"
  text lines  a sentence a line, tokenized with the model's tokenizer; unknown words become <unk>
              and their positions are listed in the output's "unknown" (blank lines are skipped)
  CSV, TSV    one row per time step, numbers only; a first row with a non-number is a header;
              a blank line, or a new value in a "sequence" column (the output's "id"), starts a new sequence
Errors name the line and exit with code 1.`

/**
 * With no input flag and stdin a terminal, the command would sit waiting for typed lines that a
 * newcomer does not know to type: the usage and a one-line hint say what to give instead.
 */
function refuseTerminalStdin(command: Command): void {
  const flags = command.opts<InputFlags>()
  if (flags.text !== undefined || flags.tokens !== undefined || flags.input !== undefined || process.stdin.isTTY !== true) return
  process.stderr.write(command.helpInformation())
  throw new UsageError('no input: give --text, --tokens, --input FILE or pipe lines on stdin')
}

/** Adds the flags for the model, the inputs, the output and progress; `verb` is "explain" or "predict". */
export function addInputOptions(command: Command, verb: string): Command {
  return command
    .addOption(modelOption())
    .option('--text <text>', `${verb} this text, tokenized with the model's tokenizer`)
    .option('--tokens <list>', `${verb} these token ids, or words looked up in the model's vocabulary (separated by commas or spaces)`)
    .option('--input <file>', 'input file: JSON lines, text lines, CSV or TSV (default: stdin, as does -)')
    .addOption(new Option('--input-format <format>', 'auto: by the file extension (.csv, .tsv, .txt, .jsonl), else per line (JSON if it starts with { or [, else text)').choices([...INPUT_FORMATS]).default('auto'))
    .option('--columns <list>', 'CSV/TSV: the feature columns by header name or 1-based number, ranges like 2-5 (default: all but "sequence")')
    .option('--lowercase', "lowercase text and words before the vocabulary lookup, even if the model's tokenizer keeps case")
    .option('--output <file>', 'output file, written atomically (default: stdout)')
    .addOption(new Option('--progress <when>', 'progress with rate and ETA on stderr: auto (jobs over a second, when the results do not go to the terminal), always, never').choices([...PROGRESS_MODES]).default('auto'))
    .addOption(backendOption())
    .addOption(dtypeOption())
    .addHelpText('after', INPUT_HELP)
    .hook('preAction', refuseTerminalStdin)
}

/** Results printed to the terminal would break a redrawn bar: there, progress is plain lines, and only on request. */
function progressFor(flags: JobFlags, size: number | null, pastTense: string): JobProgress {
  const resultsOnTerminal = isStdin(flags.output) && process.stdout.isTTY === true
  const mode = resultsOnTerminal && flags.progress === 'auto' ? 'never' : flags.progress
  const stream: ProgressStream = resultsOnTerminal ? { write: (text) => process.stderr.write(text) } : process.stderr
  return jobProgress({ mode, size, verb: pastTense, stream })
}

/** Loads the model, feeds `start`'s job every input in chunks, and leaves no partial output file when anything fails; `pastTense`: "explained". */
export async function runInputJob(flags: JobFlags, pastTense: string, start: (model: Model, sink: OutputSink) => InputJob): Promise<void> {
  checkInputFlags(flags)
  if (!isStdin(flags.output)) await checkDestination(flags.output as string)
  const model = await loadModel(flags.model ?? defaultModelPath(), { backend: flags.backend, dtype: flags.dtype })
  let sink: OutputSink | null = null
  let progress: JobProgress | null = null
  try {
    sink = await OutputSink.open(flags.output)
    // Notes come while the inputs are read, with the progress bar running: they go above it.
    const source = await openInputSource(flags, model.config, (line) => (progress === null ? process.stderr.write(`${line}\n`) : progress.log(line)))
    const job = start(model, sink)
    const running = progressFor(flags, source.size, pastTense)
    progress = running
    let done = 0
    for await (const records of source.chunks) {
      await job.run(records, (count) => running.advance(done + count, records[count - 1].end))
      done += records.length
    }
    await job.finish()
    await sink.commit()
    running.finish()
  } catch (error) {
    progress?.stop()
    await sink?.abandon()
    throw error
  } finally {
    model.dispose()
  }
}
