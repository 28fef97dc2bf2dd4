/**
 * Fuzzes the JavaScript side: the model importers (PyTorch, ONNX, Keras, TF.js) and the CLI input
 * parsers (JSON lines, text, CSV, TSV), with seeded mutations of the fixtures, in a pool of child
 * processes under a per-case time limit and a heap limit. A case passes when it succeeds or fails
 * with an LstmLrpError of a documented code, or the CLI's UsageError, on one line of bounded length.
 * Anything else (another exception, a crash, a hang, running out of memory) is a finding: its
 * input is written to build-fuzz-js/ and the run exits 1.
 *
 *   FUZZ_SECONDS=60 FUZZ_SEED=1 node --import tsx fuzz/js/run.ts    (needs `npm run build:ts`)
 *   node --import tsx fuzz/js/run.ts --replay <target> <file>        (one case, e.g. a reproducer)
 */
import { fork, type ChildProcess } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import type { CaseOutcome, FuzzCase } from './child.js'
import { mutateBytes, mutateJson, mutateLines, random, type Random } from './mutate.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const importFixtures = path.join(root, 'test', 'fixtures', 'import')
const samples = path.join(root, 'fuzz', 'js', 'samples')
const findings = path.join(root, 'build-fuzz-js')

const seconds = Number(process.env.FUZZ_SECONDS ?? 60)
const seed = Number(process.env.FUZZ_SEED ?? 1)
const CHILDREN = 2
/** Per case; a Keras case starts a worker thread and h5wasm, a few seconds on a busy machine. */
const CASE_SECONDS = 30
const CHILD_HEAP_MB = 768
/** The codes README.md documents. */
const DOCUMENTED_CODES = new Set(['E_INPUT', 'E_OPTIONS', 'E_TARGET', 'E_TRAIN_DATA', 'E_CONFIG', 'E_MODEL_FILE', 'E_IMPORT', 'E_KERNEL', 'E_MEMORY', 'E_BUSY', 'E_DISPOSED', 'E_BACKEND', 'E_PLATFORM', 'E_REPRODUCE'])
const MAX_MESSAGE_LENGTH = 2000

const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-fuzz-js-'))

interface Target {
  name: string
  seeds: string[]
  /** Writes a mutation of `seedFile` into `folder` and returns the path the case runs on. */
  write(seedFile: string, folder: string, next: Random): string
}

function files(folder: string, extension: string): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith(extension))
    .map((name) => path.join(folder, name))
}

const tfjsFolders = readdirSync(importFixtures)
  .filter((name) => name.endsWith('-tfjs'))
  .map((name) => path.join(importFixtures, name))

function bytesTarget(name: string, seeds: string[], fileName: string): Target {
  return { name, seeds, write: (seedFile, folder, next) => writeCase(folder, fileName, mutateBytes(new Uint8Array(readFileSync(seedFile)), next)) }
}

function writeCase(folder: string, name: string, contents: Uint8Array | string): string {
  const file = path.join(folder, name)
  writeFileSync(file, contents)
  return file
}

/** A .keras file mutated as a zip, in its config.json (as JSON) or in its HDF5 weights. */
function mutateKeras(bytes: Uint8Array, next: Random): Uint8Array {
  const choice = next()
  if (choice < 0.3) return mutateBytes(bytes, next)
  const entries: Record<string, Uint8Array> = unzipSync(bytes)
  if (choice < 0.65) entries['config.json'] = strToU8(mutateJson(strFromU8(entries['config.json']), next))
  else entries['model.weights.h5'] = mutateBytes(entries['model.weights.h5'], next)
  return zipSync(entries)
}

/** A TF.js folder: model.json and its shard copied, one of them mutated. */
function tfjsTarget(name: string, mutateShard: boolean): Target {
  return {
    name,
    seeds: tfjsFolders,
    write(seedFolder, folder, next) {
      const json = readFileSync(path.join(seedFolder, 'model.json'), 'utf8')
      const shard = new Uint8Array(readFileSync(path.join(seedFolder, 'group1-shard1of1.bin')))
      writeCase(folder, 'group1-shard1of1.bin', mutateShard ? mutateBytes(shard, next) : shard)
      return writeCase(folder, 'model.json', mutateShard ? json : mutateJson(json, next))
    },
  }
}

function linesTarget(name: string, sample: string, asJson: boolean): Target {
  const extension = path.extname(sample)
  return { name, seeds: [sample], write: (seedFile, folder, next) => writeCase(folder, `input${extension}`, mutateLines(readFileSync(seedFile, 'utf8'), next, asJson)) }
}

const targets: Target[] = [
  bytesTarget('pytorch', files(importFixtures, '.safetensors'), 'model.safetensors'),
  bytesTarget('onnx', files(importFixtures, '.onnx'), 'model.onnx'),
  // Without the HDF5 hang fixture: every mutation of it would only wait out the time limit.
  {
    name: 'keras',
    seeds: files(importFixtures, '.keras').filter((file) => !file.endsWith('-hang.keras')),
    write: (seedFile, folder, next) => writeCase(folder, 'model.keras', mutateKeras(new Uint8Array(readFileSync(seedFile)), next)),
  },
  tfjsTarget('tfjs-json', false),
  tfjsTarget('tfjs-shard', true),
  linesTarget('jsonl', path.join(samples, 'input.jsonl'), true),
  linesTarget('text', path.join(samples, 'input.txt'), false),
  linesTarget('csv', path.join(samples, 'input.csv'), false),
  linesTarget('tsv', path.join(samples, 'input.tsv'), false),
]

/** Why an outcome is a finding, or null when it is an accepted end. */
function findingIn(outcome: CaseOutcome): string | null {
  if (outcome.ended === 'ok') return null
  const oneLine = !outcome.message.includes('\n') && outcome.message.length <= MAX_MESSAGE_LENGTH
  if (outcome.name === 'LstmLrpError' && outcome.code !== undefined && DOCUMENTED_CODES.has(outcome.code) && oneLine) return null
  if (outcome.name === 'UsageError' && oneLine) return null
  const shown = outcome.message.length > 300 ? `${outcome.message.slice(0, 300)}... (${outcome.message.length} characters)` : outcome.message
  return `${outcome.name}${outcome.code ? ` ${outcome.code}` : ''}: ${JSON.stringify(shown)}${oneLine ? '' : ' (not one bounded line)'}\n${outcome.stack ?? ''}`
}

/** A child of the pool: one case at a time; replaced when it dies or stalls. */
class Runner {
  private child: ChildProcess | null = null

  private start(): Promise<ChildProcess> {
    const child = fork(path.join(root, 'fuzz', 'js', 'child.ts'), [], {
      execArgv: ['--import=tsx', `--max-old-space-size=${CHILD_HEAP_MB}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    child.stderr?.resume()
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(child))
      child.once('exit', (code, signal) => reject(new Error(`the fuzzing child failed to start (exit ${code}, ${signal})`)))
    })
  }

  async run(fuzzCase: FuzzCase): Promise<string | null> {
    this.child ??= await this.start()
    const child = this.child
    const stderr: Buffer[] = []
    const collect = (chunk: Buffer): void => {
      stderr.push(chunk)
    }
    child.stderr?.on('data', collect)
    const ended = await new Promise<CaseOutcome | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        resolve(`hang: no answer within ${CASE_SECONDS} s`)
      }, CASE_SECONDS * 1000)
      child.once('message', (outcome: CaseOutcome) => {
        clearTimeout(timer)
        resolve(outcome)
      })
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        resolve(`crash: the process died (exit ${code}, signal ${signal}) ${Buffer.concat(stderr).toString().slice(-600)}`)
      })
      child.send(fuzzCase)
    })
    child.stderr?.off('data', collect)
    child.removeAllListeners('message')
    child.removeAllListeners('exit')
    if (typeof ended === 'string') {
      this.child = null
      return ended
    }
    const printed = Buffer.concat(stderr).toString()
    // Import errors must reach the user only as the error: nothing printed on the way (HDF5 diagnostics).
    if (printed.trim() !== '') return `printed to stderr: ${JSON.stringify(printed.slice(0, 300))}`
    return findingIn(ended)
  }

  stop(): void {
    this.child?.kill('SIGKILL')
  }
}

interface Finding {
  target: string
  caseNumber: number
  reason: string
  reproducer: string
}

function saveReproducer(target: Target, file: string, caseNumber: number): string {
  mkdirSync(findings, { recursive: true })
  const name = `${target.name}-seed${seed}-case${caseNumber}`
  if (target.name.startsWith('tfjs')) {
    const folder = path.join(findings, name)
    mkdirSync(folder, { recursive: true })
    for (const entry of readdirSync(path.dirname(file))) copyFileSync(path.join(path.dirname(file), entry), path.join(folder, entry))
    return path.join(folder, 'model.json')
  }
  const saved = path.join(findings, `${name}${path.extname(file)}`)
  copyFileSync(file, saved)
  return saved
}

async function replay(targetName: string, file: string): Promise<void> {
  const runner = new Runner()
  const reason = await runner.run({ target: targetName, file: path.resolve(file) })
  runner.stop()
  console.log(reason === null ? `ok - replay ${targetName} ${file}` : `not ok - replay ${targetName} ${file}: ${reason}`)
  process.exitCode = reason === null ? 0 : 1
}

async function fuzz(): Promise<void> {
  const deadline = Date.now() + seconds * 1000
  const executions = new Map(targets.map((target) => [target.name, 0]))
  const found: Finding[] = []
  let nextCase = 0
  const worker = async (runner: Runner): Promise<void> => {
    while (Date.now() < deadline && found.length === 0) {
      const caseNumber = nextCase++
      // Each case depends only on the seed and its number: FUZZ_SEED and the case number reproduce it.
      const next = random(seed * 1_000_003 + caseNumber)
      const target = targets[caseNumber % targets.length]
      const seedFile = target.seeds[Math.floor(next() * target.seeds.length)]
      const folder = mkdtempSync(path.join(work, `${target.name}-`))
      const file = target.write(seedFile, folder, next)
      const reason = await runner.run({ target: target.name, file })
      executions.set(target.name, (executions.get(target.name) ?? 0) + 1)
      if (reason !== null) found.push({ target: target.name, caseNumber, reason, reproducer: saveReproducer(target, file, caseNumber) })
      rmSync(folder, { recursive: true, force: true })
    }
    runner.stop()
  }
  await Promise.all(Array.from({ length: CHILDREN }, () => worker(new Runner())))
  const total = [...executions.values()].reduce((sum, count) => sum + count, 0)
  console.log(`fuzz-js: ${total} executions in ${seconds} s (seed ${seed}) over ${targets.length} targets`)
  for (const target of targets) {
    const finding = found.find((entry) => entry.target === target.name)
    const count = executions.get(target.name)
    if (finding === undefined) console.log(`ok - fuzz-js ${target.name}: ${count} executions, no finding`)
    else
      console.log(
        `not ok - fuzz-js ${target.name}: case ${finding.caseNumber}: ${finding.reason.split('\n')[0]}\n# reproducer: ${finding.reproducer} (replay: node --import tsx fuzz/js/run.ts --replay ${target.name} ${finding.reproducer})\n# ${finding.reason.split('\n').slice(1, 8).join('\n# ')}`,
      )
  }
  process.exitCode = found.length === 0 ? 0 : 1
}

try {
  const [mode, targetName, file] = process.argv.slice(2)
  if (mode === '--replay') await replay(targetName, file)
  else await fuzz()
} finally {
  rmSync(work, { recursive: true, force: true })
}
