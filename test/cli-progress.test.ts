// Progress of explain and predict: the bar with rate and ETA on a (fake) terminal, plain lines otherwise, stdout untouched.
import test from 'ava'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatDuration, jobProgress, progressLine, type ProgressMode, type ProgressStream } from '../lib/cli/progress.js'
import { runCli } from './helpers/run-cli.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const toy = path.join(root, 'examples', 'toy-addition.safetensors')
const CLEAR = '\r\x1b[2K'

class FakeStream implements ProgressStream {
  writes: string[] = []
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}

  write(text: string): boolean {
    this.writes.push(text)
    return true
  }

  get text(): string {
    return this.writes.join('')
  }
}

class FakeClock {
  time = 50_000
  readonly now = () => this.time
}

function fakeJob(mode: ProgressMode, isTTY: boolean, size: number | null) {
  const stream = new FakeStream(isTTY, 200)
  const clock = new FakeClock()
  return { stream, clock, progress: jobProgress({ mode, size, verb: 'explained', stream, now: clock.now }) }
}

test('progressLine draws a bar on a terminal, redraws it in place and clears it', (t) => {
  const stream = new FakeStream(true)
  const line = progressLine(stream)
  line.update(0.5, 'half')
  t.is(stream.text, '[############------------] half')
  line.update(1, 'all')
  t.is(stream.writes.slice(1).join(''), `${CLEAR}[########################] all`)
  line.log('kept')
  line.done()
  t.true(stream.text.endsWith(`${CLEAR}kept\n`), 'a kept line replaces the bar; done has nothing left to clear')
})

test('progressLine without a fraction draws only the label, cut to the terminal width', (t) => {
  const stream = new FakeStream(true, 10)
  progressLine(stream).update(null, '12345678901234')
  t.is(stream.text, '123456789')
})

test('progressLine on a pipe ignores redraws and writes kept lines', (t) => {
  const stream = new FakeStream(false)
  const line = progressLine(stream)
  line.update(0.5, 'half')
  line.log('kept')
  line.done()
  t.is(stream.text, 'kept\n')
})

test('auto progress on a terminal: nothing for the first second, then a bar with percentage, rate and ETA', (t) => {
  const { stream, clock, progress } = fakeJob('auto', true, 1000)
  clock.time += 900
  progress.advance(90, 100)
  t.is(stream.text, '', 'a job shorter than a second shows nothing')
  clock.time += 1100
  progress.advance(400, 250)
  t.is(stream.text, '[######------------------] 25% · 400 inputs · 200 inputs/s · ETA 6s')
  clock.time += 50
  progress.advance(410, 260)
  t.is(stream.writes.length, 1, 'redrawn at most every 100 ms')
  clock.time += 2950
  progress.advance(1000, 500)
  t.is(stream.writes.slice(1).join(''), `${CLEAR}[############------------] 50% · 1000 inputs · 200 inputs/s · ETA 5s`)
  clock.time += 5000
  progress.advance(2000, 1000)
  progress.finish()
  t.true(stream.text.endsWith(`${CLEAR}explained 2000 inputs in 10.0 s (200 inputs/s)\n`), stream.text)
})

test('auto progress on a pipe: a plain line after a second, then one every ten seconds, and a closing line', (t) => {
  const { stream, clock, progress } = fakeJob('auto', false, null)
  clock.time += 1000
  progress.advance(50, 0)
  t.is(stream.text, 'progress: 50 inputs · 50 inputs/s\n', 'without the input size there is no percentage or ETA')
  clock.time += 9000
  progress.advance(500, 0)
  t.is(stream.writes.length, 1)
  clock.time += 1000
  progress.advance(1100, 0)
  t.is(stream.writes[1], 'progress: 1100 inputs · 100 inputs/s\n')
  progress.finish()
  t.is(stream.writes[2], 'explained 1100 inputs in 11.0 s (100 inputs/s)\n')
  t.false(stream.text.includes('\x1b'), 'no terminal codes in a log')
})

test('a short job shows no progress and no closing line; a failed one clears its bar', (t) => {
  const short = fakeJob('auto', true, 100)
  short.clock.time += 300
  short.progress.advance(1, 100)
  short.progress.finish()
  t.is(short.stream.text, '')
  const failed = fakeJob('always', true, 100)
  failed.progress.advance(1, 10)
  failed.progress.stop()
  t.true(failed.stream.text.startsWith('[##'))
  t.true(failed.stream.text.endsWith(CLEAR), 'no closing line after a failure')
})

test('always shows progress at once; never shows nothing', (t) => {
  const always = fakeJob('always', false, 10)
  always.progress.advance(1, 5)
  t.regex(always.stream.text, /^progress: 50% · 1 input · \d+ inputs\/s · ETA 0s\n$/)
  const never = fakeJob('never', true, 10)
  never.clock.time += 60_000
  never.progress.advance(5, 5)
  never.progress.finish()
  t.is(never.stream.text, '')
})

test('formatDuration', (t) => {
  t.is(formatDuration(4.4), '4s')
  t.is(formatDuration(65), '1m 05s')
  t.is(formatDuration(7260), '2h 01m')
})

test('CLI: --progress always writes plain progress lines to stderr when it is not a terminal, and stdout stays JSON lines', async (t) => {
  const stdin = Array.from({ length: 40 }, () => '{"x": [[0.5, 0], [0, 0.3], [0, 0.4]]}').join('\n')
  for (const [command, verb] of [
    ['explain', 'explained'],
    ['predict', 'predicted'],
  ]) {
    const result = await runCli([command, '--model', toy, '--progress', 'always'], stdin)
    t.is(result.code, 0, result.stderr)
    t.regex(result.stderr, /^progress: \d+ inputs? · [\d.]+ inputs\/s\n/, command)
    t.regex(result.stderr, new RegExp(`${verb} 40 inputs in [\\d.]+ s \\([\\d.]+ inputs/s\\)\\n$`), command)
    t.false(result.stderr.includes('\x1b'), 'no terminal codes')
    const lines = result.stdout.trim().split('\n')
    t.is(lines.length, 40)
    for (const line of lines) t.true(Array.isArray((JSON.parse(line) as { scores: number[] }).scores))
  }
})

test('CLI: with an --input file the progress lines have the percentage and ETA', async (t) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-progress-')), 'series.jsonl')
  writeFileSync(file, Array.from({ length: 10 }, () => '{"x": [[0.5, 0], [0, 0.3]]}\n').join(''))
  const result = await runCli(['predict', '--model', toy, '--input', file, '--progress', 'always'])
  t.is(result.code, 0, result.stderr)
  t.regex(result.stderr, /^progress: 10% · 1 input · [\d.]+ inputs\/s · ETA \d+s\n/)
})

test('CLI: a short job writes nothing to stderr by default, nor with --progress never', async (t) => {
  for (const flags of [[], ['--progress', 'never']]) {
    const result = await runCli(['explain', '--model', toy, ...flags], '{"x": [[0.5, 0], [0, 0.3]]}\n')
    t.is(result.code, 0, result.stderr)
    t.is(result.stderr, '')
  }
})

test('CLI: a failed job with --progress always closes with the error, not a summary', async (t) => {
  const result = await runCli(['predict', '--model', toy, '--progress', 'always'], '{"x": [[0.5, 0]]}\n{"x": [[1]]}\n')
  t.is(result.code, 1)
  t.notRegex(result.stderr, /predicted/)
  t.regex(result.stderr, /line 2: /)
})

test('a job counting another unit (reproduce: trained models) names it, and its kept lines clear the bar first', (t) => {
  const stream = new FakeStream(true, 200)
  const clock = new FakeClock()
  const progress = jobProgress({ mode: 'auto', size: 100, verb: 'trained', unit: 'model', stream, now: clock.now })
  clock.time += 2000
  progress.advance(10, 10)
  t.is(stream.text, '[##----------------------] 10% · 10 models · 5.0 models/s · ETA 18s')
  progress.log('addition, seed 7: 12 epochs')
  t.true(stream.text.endsWith(`${CLEAR}addition, seed 7: 12 epochs\n`))
  clock.time += 18_000
  progress.advance(100, 100)
  progress.finish()
  t.true(stream.text.endsWith(`${CLEAR}trained 100 models in 20.0 s (5.0 models/s)\n`))
})
