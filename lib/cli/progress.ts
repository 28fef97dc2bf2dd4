/** Progress on stderr: a redrawn bar on a terminal, plain periodic lines otherwise; stdout stays for results. */
const BAR_WIDTH = 24
/** In `auto` mode a job shorter than this shows no progress at all. */
const QUIET_MS = 1000
/** A terminal's bar is redrawn at most this often. */
const REDRAW_MS = 100
/** Without a terminal (a log file, CI), one line this often: enough to see the job is alive. */
const LINE_MS = 10_000

/** What progress needs of a stream: stderr, or a fake terminal in tests. */
export interface ProgressStream {
  isTTY?: boolean
  /** The terminal's width: a longer line would wrap, and the bar could not be redrawn in place. */
  columns?: number
  write(text: string): unknown
}

export interface ProgressLine {
  /** Redraws the line (terminal) with fraction done in [0, 1] (null: unknown, no bar) and a label. */
  update(fraction: number | null, label: string): void
  /** Writes a line that stays (both modes). */
  log(text: string): void
  done(): void
}

export function progressLine(stream: ProgressStream = process.stderr): ProgressLine {
  if (!stream.isTTY) {
    return { update: () => undefined, log: (text) => stream.write(`${text}\n`), done: () => undefined }
  }
  let drawn = false
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K')
    drawn = false
  }
  return {
    update(fraction, label) {
      let text = label
      if (fraction !== null) {
        const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * BAR_WIDTH)
        text = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${label}`
      }
      clear()
      stream.write(stream.columns !== undefined && stream.columns > 1 ? text.slice(0, stream.columns - 1) : text)
      drawn = true
    },
    log(text) {
      clear()
      stream.write(`${text}\n`)
    },
    done: clear,
  }
}

export const PROGRESS_MODES = ['auto', 'always', 'never'] as const
export type ProgressMode = (typeof PROGRESS_MODES)[number]

export interface JobProgress {
  /** `items` inputs are finished, and the job has read `position` bytes of its input. */
  advance(items: number, position: number): void
  /** The job succeeded: clears the bar and, when progress was shown, says how long it took. */
  finish(): void
  /** The job failed: clears the bar. */
  stop(): void
  /** A line that stays above the bar. */
  log(text: string): void
}

export interface JobProgressOptions {
  /** auto: only for jobs that run over a second; always; never. */
  mode: ProgressMode
  /** The input's size in bytes when known: it gives the bar, the percentage and the ETA. */
  size: number | null
  /** What the job does to each input, in the past tense, for the closing line: "explained". */
  verb: string
  /** What the job counts, singular (default "input"). */
  unit?: string
  stream?: ProgressStream
  /** Milliseconds; a fake clock in tests. */
  now?: () => number
}

/** 12s, 3m 05s, 2h 07m. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds))
  if (whole < 60) return `${whole}s`
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`
  return `${Math.floor(whole / 3600)}h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`
}

function counted(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`
}

function formatRate(perSecond: number): string {
  return perSecond >= 100 ? String(Math.round(perSecond)) : perSecond.toPrecision(2)
}

/** "43% · 1234 inputs · 850 inputs/s · ETA 1m 05s", without the parts an unknown size leaves out. */
function describe(items: number, unit: string, elapsedMs: number, fraction: number | null): string {
  const parts = [counted(items, unit), `${formatRate((items * 1000) / Math.max(elapsedMs, 1))} ${unit}s/s`]
  if (fraction !== null) {
    parts.unshift(`${Math.floor(fraction * 100)}%`)
    if (fraction > 0) parts.push(`ETA ${formatDuration(((elapsedMs / fraction) * (1 - fraction)) / 1000)}`)
  }
  return parts.join(' · ')
}

/** Progress of a job over many inputs, with rate and ETA. */
export function jobProgress({ mode, size, verb, unit = 'input', stream = process.stderr, now = Date.now }: JobProgressOptions): JobProgress {
  if (mode === 'never') return { advance: () => undefined, finish: () => undefined, stop: () => undefined, log: (text) => stream.write(`${text}\n`) }
  const line = progressLine(stream)
  const interval = stream.isTTY ? REDRAW_MS : LINE_MS
  const start = now()
  let shown = false
  let lastShown = -Infinity
  let items = 0
  return {
    advance(done, position) {
      items = done
      const time = now()
      if ((mode === 'auto' && time - start < QUIET_MS) || time - lastShown < interval) return
      lastShown = time
      shown = true
      const fraction = size !== null && size > 0 ? Math.min(position / size, 1) : null
      const label = describe(items, unit, time - start, fraction)
      if (stream.isTTY) line.update(fraction, label)
      else line.log(`progress: ${label}`)
    },
    finish() {
      line.done()
      if (!shown) return
      const elapsed = now() - start
      line.log(`${verb} ${counted(items, unit)} in ${(elapsed / 1000).toFixed(1)} s (${formatRate((items * 1000) / Math.max(elapsed, 1))} ${unit}s/s)`)
    },
    stop: () => line.done(),
    log: (text) => line.log(text),
  }
}
