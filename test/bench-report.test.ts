// bench/results-markdown.ts: the targets it judges and the part of RESULTS.md it may rewrite.
import test from 'ava'
import { readFileSync } from 'node:fs'
import { BEGIN, END, renderResults, replaceMeasuredPart, type BenchReport, type ThroughputRow } from '../bench/results-markdown.js'

function row(overrides: Partial<ThroughputRow>): ThroughputRow {
  return {
    model: 'sst',
    backend: 'native',
    simd: 'avx512',
    threads: 2,
    batchSize: 2048,
    meanLength: 19.2,
    forwardMicroseconds: 30,
    explainMicroseconds: 44,
    explainP50Microseconds: 40,
    explainP99Microseconds: 90,
    explainPerForward: 44 / 30,
    batchExplanationsPerSecond: 61000,
    batchCpuMicroseconds: 31,
    batchCoresBusy: 1.9,
    batchOneThreadPerSecond: 31000,
    eachExplanationsPerSecond: 44000,
    ...overrides,
  }
}

const REPORT: BenchReport = {
  machine: { cpu: 'test cpu', cores: 2, node: 'v20' },
  throughput: [row({}), row({ backend: 'wasm-simd', batchExplanationsPerSecond: 10000, batchOneThreadPerSecond: 6000 })],
  onnxruntime: [
    { model: 'sst', version: '1.30.0', forwardMicroseconds: 50, batchThreads: 2, batchSize: 128, batchPerSecond: 45000, explainPerOrtForward: 0.88, batchPerOrtBatch: 61000 / 45000, eachPerOrtBatch: 44000 / 45000 },
  ],
  multiPass: [
    { backend: 'native', threads: 1, steps: 21, microseconds: { lrp: 40, 'integrated-gradients (64 points)': 1500, 'cd (one decomposition per step)': 1300, occlusion: 350 } },
    { backend: 'native', threads: 2, steps: 21, microseconds: { lrp: 40, 'integrated-gradients (64 points)': 900, 'cd (one decomposition per step)': 1200, occlusion: 250 } },
  ],
  sampling: [
    { backend: 'native', sentences: 100, meanLength: 19.4, microseconds: { lrp: 50, 'shapley (32 permutations)': 4000 } },
    { backend: 'wasm-simd', sentences: 100, meanLength: 19.4, microseconds: { lrp: 100, 'shapley (32 permutations)': 12000 } },
  ],
}

const verdict = (markdown: string, target: string) =>
  markdown
    .split('\n')
    .find((line) => line.startsWith(`| ${target}`))
    ?.split('|')
    .at(-2)
    ?.trim()

test('each target is judged against its threshold', (t) => {
  const markdown = renderResults(REPORT)
  t.is(verdict(markdown, '`explainBatch` ≥ 60 000 explanations/s on 2 threads'), 'met')
  t.is(verdict(markdown, '`explainBatch` ≥ 32 000 explanations/s on 1 thread'), 'missed')
  t.is(verdict(markdown, 'one explanation ≤ 45 µs'), 'met')
  t.is(verdict(markdown, 'explain / forward ≤ 1.5'), 'met')
  t.is(verdict(markdown, 'integrated-gradients (64 points) ≤ 1000 µs'), 'met')
  t.is(verdict(markdown, 'cd (one decomposition per step) ≤ 1000 µs'), 'missed')
  t.is(verdict(markdown, 'occlusion ≤ 300 µs'), 'met')
  t.is(verdict(markdown, 'WASM `explainBatch` on 2 threads ≥ 1.7 × one thread'), 'missed')
  t.is(verdict(markdown, 'one explanation costs less than ORT'), 'met')
  t.is(verdict(markdown, '`explainBatch` is faster than ORT'), 'met')
  t.is(verdict(markdown, '`explainEach` (results in lent memory) is faster than ORT'), 'missed')
})

test('only the text between the markers is replaced; a file without them is refused', (t) => {
  const text = `intro\n${BEGIN}\nold numbers\n${END}\noutro\n`
  t.is(replaceMeasuredPart(text, 'new numbers'), `intro\n${BEGIN}\nnew numbers\n${END}\noutro\n`)
  t.throws(() => replaceMeasuredPart('no markers', 'x'), { message: /lost its markers/ })
})

test('bench/RESULTS.md has the markers the bench rewrites between', (t) => {
  const text = readFileSync(new URL('../bench/RESULTS.md', import.meta.url), 'utf8')
  t.notThrows(() => replaceMeasuredPart(text, 'x'))
})

test('a batch row shows its CPU time per explanation next to the cores it kept busy', (t) => {
  const sstNative = renderResults(REPORT)
    .split('\n')
    .find((line) => line.startsWith('| sst | native |'))
  t.true(sstNative?.includes('| 61 000 (batch 2048) | 31.0 (1.90) | 31 000 | 1.97 | 44 000 |'), sstNative)
})

test('the sampling methods get a row each, with the time on each backend and its ratio to LRP there', (t) => {
  const lines = renderResults(REPORT).split('\n')
  t.true(lines.includes('| method | native µs | native / lrp | wasm-simd µs | wasm-simd / lrp |'), lines.join('\n'))
  t.true(lines.includes('| shapley (32 permutations) | 4000.0 | 80.0 | 12000.0 | 120.0 |'), lines.join('\n'))
  t.true(lines.some((line) => line.startsWith('The sampling methods with their default samples, mean over 100 SST test sentences of 19.4 tokens')))
})
