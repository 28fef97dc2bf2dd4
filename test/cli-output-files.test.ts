// The files the CLI writes: never through a planted link, never left half-written or as temporary files
// (on errors and on SIGINT/SIGTERM/SIGHUP), checked before any work, and a closed stdout ends quietly.
import test from 'ava'
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createModel, LstmLrpError, saveModel } from '../lib/index.js'
import { AtomicFile } from '../lib/model/write-atomically.js'
import { cli, runCli, startCli, type RunningCli } from './helpers/run-cli.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const toy = path.join(root, 'examples', 'toy-addition.safetensors')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-output-'))
const LINE = '{"x": [[0.5, 0], [0, 0.3], [0, 0.4]]}\n'
/** A failing run must end long before it could have read this input (about 75 MB; the toy model takes half a minute). */
const HUGE = path.join(work, 'huge.jsonl')
writeFileSync(HUGE, LINE.repeat(2_000_000))
test.after.always(() => rmSync(work, { recursive: true, force: true }))
/** An error is one line that names the problem, with no stack trace. */
const ONE_LINE = /^lstm-lrp: [^\n]+\n$/

function folder(name: string): string {
  const dir = path.join(work, name)
  mkdirSync(dir)
  return dir
}

function temporaryFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.tmp'))
}

/** Waits until a temporary file appears in `dir`: the run is then under way, writing its output. */
async function untilWriting(dir: string, run: RunningCli): Promise<void> {
  for (let waited = 0; temporaryFiles(dir).length === 0; waited += 20) {
    if (waited > 60_000 || run.child.exitCode !== null) throw new Error(`no temporary file appeared: ${run.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

test('explain --output never writes through a link planted at the temporary names it could use', async (t) => {
  const dir = folder('planted')
  const victim = path.join(work, 'victim.txt')
  writeFileSync(victim, 'precious\n')
  const output = path.join(dir, 'out.jsonl')
  const run = startCli(['explain', '--model', toy, '--output', output, '--progress', 'never'])
  // Names a writer that uses its process id would pick, planted before the child has even loaded its model.
  for (const name of [`${output}.${run.child.pid}.tmp`, `${output}.tmp`, `${output}~`]) symlinkSync(victim, name)
  run.child.stdin!.end(LINE.repeat(3))
  const { code } = await run.exited
  t.is(code, 0, run.stderr())
  t.is(readFileSync(victim, 'utf8'), 'precious\n', 'the link target is untouched')
  t.is(readFileSync(output, 'utf8').trim().split('\n').length, 3)
  t.false(lstatSync(output).isSymbolicLink())
  t.is(temporaryFiles(dir).filter((name) => !lstatSync(path.join(dir, name)).isSymbolicLink()).length, 0)
})

test('temporary files get unguessable names, are created for their owner only and get a normal mode once complete', async (t) => {
  const dir = folder('modes')
  const destination = path.join(dir, 'model.bin')
  const first = await AtomicFile.create(destination)
  const second = await AtomicFile.create(destination)
  const names = temporaryFiles(dir)
  t.is(names.length, 2)
  t.notRegex(names.join(' '), new RegExp(`\\.${process.pid}\\.`), 'the process id does not make the name predictable')
  for (const name of names) t.is(statSync(path.join(dir, name)).mode & 0o777, 0o600)
  await first.write('abc')
  await first.commit()
  await second.abandon()
  t.deepEqual(readdirSync(dir), ['model.bin'])
  const umask = process.umask()
  t.is(statSync(destination).mode & 0o777, 0o666 & ~umask)
})

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test(`${signal} in the middle of explain --output leaves no temporary file and ends as the signal does`, async (t) => {
    const dir = folder(`signal-${signal}`)
    const output = path.join(dir, 'out.jsonl')
    // stdin stays open, so the run is certainly in progress when the signal comes.
    const run = startCli(['explain', '--model', toy, '--output', output, '--progress', 'never'])
    run.child.stdin!.write(LINE.repeat(1000))
    await untilWriting(dir, run)
    run.child.kill(signal)
    const { code, signal: endedBy } = await run.exited
    t.true(endedBy === signal || code === 128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal], `ended with ${code ?? endedBy}: ${run.stderr()}`)
    t.deepEqual(readdirSync(dir), [], 'neither a temporary file nor a partial output')
  })
}

test('SIGINT during predict --output from a large file leaves no temporary file', async (t) => {
  const dir = folder('signal-predict')
  const run = startCli(['predict', '--model', toy, '--input', HUGE, '--output', path.join(dir, 'out.jsonl'), '--progress', 'never'])
  await untilWriting(dir, run)
  run.child.kill('SIGINT')
  const { code, signal } = await run.exited
  t.true(signal === 'SIGINT' || code === 130, `ended with ${code ?? signal}`)
  t.deepEqual(readdirSync(dir), [])
})

test('an output folder that does not exist fails in one line with exit 1 before reading the input', async (t) => {
  for (const command of ['explain', 'predict']) {
    const started = Date.now()
    const result = await runCli([command, '--model', toy, '--input', HUGE, '--output', path.join(work, 'missing', 'out.jsonl')], '', { timeout: 60_000 })
    t.is(result.code, 1, result.stderr)
    t.regex(result.stderr, ONE_LINE)
    t.regex(result.stderr, /cannot write .*missing.*out\.jsonl: the folder .*missing does not exist/)
    t.true(Date.now() - started < 20_000, `${command} took ${Date.now() - started} ms`)
  }
})

test('an output that is a directory fails in one line with exit 1 before reading the input (stdin left open)', async (t) => {
  const dir = folder('is-a-directory')
  const run = startCli(['explain', '--model', toy, '--output', dir], { timeout: 30_000 })
  // An open stdin is an endless input: only a check before the work lets the run end.
  run.child.stdin!.write(LINE)
  const { code } = await run.exited
  t.is(code, 1, run.stderr())
  t.regex(run.stderr(), ONE_LINE)
  t.regex(run.stderr(), /it is a directory/)
})

test('an output folder that is not writable, or a special file as output, is refused before any work', async (t) => {
  const locked = folder('locked')
  chmodSync(locked, 0o500)
  // A named pipe stands for every special file: a device such as /dev/null would be replaced by the rename
  // (as root), so the test must not risk a real one.
  const pipe = path.join(folder('special'), 'pipe')
  t.is(spawnSync('mkfifo', [pipe]).status, 0)
  const special = await runCli(['predict', '--model', toy, '--input', HUGE, '--output', pipe], '', { timeout: 30_000 })
  t.is(special.code, 1, special.stderr)
  t.regex(special.stderr, /cannot write .*pipe: it is not a regular file/)
  t.true(lstatSync(pipe).isFIFO(), 'the pipe is still a pipe')
  if (process.getuid?.() === 0) return t.pass('root may write into any folder')
  const result = await runCli(['predict', '--model', toy, '--input', HUGE, '--output', path.join(locked, 'out.jsonl')])
  t.is(result.code, 1)
  t.regex(result.stderr, /the folder .*locked is not writable/)
})

test('a dangling link at the output path is replaced by the output, not followed', async (t) => {
  const dir = folder('dangling')
  const output = path.join(dir, 'out.jsonl')
  const target = path.join(work, 'dangling-target.jsonl')
  symlinkSync(target, output)
  const result = await runCli(['predict', '--model', toy, '--output', output], LINE)
  t.is(result.code, 0, result.stderr)
  t.false(lstatSync(output).isSymbolicLink())
  t.false(existsSync(target))
})

test('`explain | head -1` ends quietly: exit 0, nothing on stderr', (t) => {
  const script = `set -o pipefail; "${process.execPath}" "${cli}" explain --model "${toy}" --input "${HUGE}" --progress never | head -1`
  const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' })
  t.is(result.status, 0, result.stderr)
  t.is(result.stderr, '')
  t.is(result.stdout.split('\n').length, 2, 'one line, as head asked')
})

test('predict and explain --format csv piped into head end quietly too', (t) => {
  for (const args of [['predict'], ['explain', '--format', 'csv']]) {
    const script = `"${process.execPath}" "${cli}" ${args.join(' ')} --model "${toy}" --input "${HUGE}" --progress never | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' })
    t.is(result.stdout.trim(), '0', `${args[0]}: ${result.stderr}`)
    t.is(result.stderr, '')
  }
})

test('train checks --out before reading the data or training', async (t) => {
  const config = path.join(work, 'train-config.json')
  writeFileSync(config, JSON.stringify({ inputSize: 1, layers: [{ hiddenSize: 1 }], head: { outputs: 1 }, task: 'regression' }))
  const result = await runCli(['train', '--config', config, '--data', path.join(work, 'no-data.jsonl'), '--out', path.join(work, 'missing', 'm.safetensors')])
  t.is(result.code, 1)
  t.regex(result.stderr, ONE_LINE)
  t.regex(result.stderr, /cannot write .*m\.safetensors: the folder .*missing does not exist/)
  const directory = await runCli(['train', '--config', config, '--data', path.join(work, 'no-data.jsonl'), '--out', work])
  t.regex(directory.stderr, /it is a directory/)
})

test('convert checks --out before reading the model', async (t) => {
  const result = await runCli(['convert', '--from', 'pytorch', path.join(work, 'absent.safetensors'), '--out', folder('convert-out')])
  t.is(result.code, 1)
  t.regex(result.stderr, ONE_LINE)
  t.regex(result.stderr, /convert-out: it is a directory/)
})

test('reproduce checks its output folder before the experiment runs', async (t) => {
  const file = path.join(work, 'a-file')
  writeFileSync(file, '')
  const started = Date.now()
  const result = await runCli(['reproduce', 'fidelity', '--models', '50', '--out', path.join(file, 'results')])
  t.is(result.code, 1, result.stderr)
  t.regex(result.stderr, ONE_LINE)
  t.regex(result.stderr, /cannot write into .*a-file.*results: .*a-file is not a folder/)
  t.true(Date.now() - started < 20_000)
})

test('saveModel: a directory or a missing folder is E_MODEL_FILE, a planted link is replaced and its target untouched', async (t) => {
  const model = await createModel({ inputSize: 1, layers: [{ hiddenSize: 1 }], head: { outputs: 1 }, task: 'regression' }, { seed: 1 })
  const dir = folder('save-model')
  const directory = await t.throwsAsync(saveModel(model, dir), { instanceOf: LstmLrpError })
  t.is(directory?.code, 'E_MODEL_FILE')
  t.regex(directory?.message ?? '', /it is a directory/)
  const missing = await t.throwsAsync(saveModel(model, path.join(dir, 'missing', 'm.safetensors')), { instanceOf: LstmLrpError })
  t.regex(missing?.message ?? '', /does not exist/)
  const victim = path.join(work, 'save-victim.txt')
  writeFileSync(victim, 'precious\n')
  const destination = path.join(dir, 'm.safetensors')
  symlinkSync(victim, destination)
  await saveModel(model, destination)
  t.is(readFileSync(victim, 'utf8'), 'precious\n')
  t.false(lstatSync(destination).isSymbolicLink())
  t.deepEqual(temporaryFiles(dir), [])
  model.dispose()
})
