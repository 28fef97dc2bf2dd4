// Contextual Decomposition (docs/METHODS.md § Contextual Decomposition): the float64 reference's own invariants
// on LSTM and GRU architectures (β + γ is the true state, γ = 0 for the whole sequence, β = 0 before the phrase), the kernel
// against that reference on every architecture and dtype (on the backend LSTM_LRP_BACKEND picks),
// per-word CD against a transcription of the published code on a PyTorch-layout model, and the
// API, batch and CLI contract.
import test from 'ava'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadModel, type ExplainOptions } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'
import { refForward, weightedSum, type DirectionCache, type LayerCache } from './reference/forward.js'
import type { GruDirectionCache } from './reference/gru.js'
import { refCd, refCdPerStep, type CdStep, type Split } from './reference/cd.js'
import { murdochCd, type PyTorchLstm } from './reference/cd-murdoch.js'
import { mulberry32, randomRefModel, randomSequence } from './reference/random.js'
import { REF_PRESETS, type RefInput, type RefModel } from './reference/model.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { GRU_ARCHITECTURES } from './helpers/gru-architectures.js'
import { TOLERANCE, apiInput, setUp, stepsOf, weightsFor } from './helpers/kernel-cases.js'
import { assertClose, maxAbs, near } from './helpers/compare.js'
import { CD_CONVENTIONS, checkPerStepCd, checkPhraseCd } from './helpers/cd-checks.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { rawKernel } from './helpers/raw-kernel.js'
import { runCli } from './helpers/run-cli.js'

const CONVENTIONS = CD_CONVENTIONS
/** The reference against itself: only rounding separates β + γ from the true state. */
const REFERENCE_TOLERANCE = 1e-12

/** Phrases [start, stop) of a T-step sequence: every single step, a middle span, the whole sequence. */
function phrases(T: number): [number, number][] {
  const list: [number, number][] = Array.from({ length: T }, (_, t): [number, number] => [t, t + 1])
  if (T > 2) list.push([1, T - 1])
  if (T > 1) list.push([0, T])
  return list
}

function refInputs(ref: RefModel, seed: number): RefInput[] {
  const next = mulberry32(seed)
  return [1, 3, 6].map((T, n) => (ref.embedding ? { tokens: Array.from({ length: T }, () => Math.floor(next() * ref.embedding!.length)) } : { x: randomSequence(seed + n, T, ref.inputSize) }))
}

/** Target weights over every score row, none of them zero, so every row's decomposition counts. */
function spreadWeights(scores: number[][]): number[][] {
  return scores.map((row, r) => row.map((_, k) => 0.6 - 0.25 * k + 0.15 * r))
}

/** The true states a decomposed step splits: c and y of an LSTM, h (both) of a GRU. */
interface TrueStates {
  cell: number[]
  output: number[]
}

/** Each direction's decomposed steps with the forward pass's true states, in processing order. */
function directionPairs(layer: { fwd: CdStep[]; bwd?: CdStep[] }, cache: LayerCache): [string, CdStep[], TrueStates[]][] {
  const states = (direction: DirectionCache | GruDirectionCache): TrueStates[] => direction.steps.map((step) => ({ cell: 'c' in step ? step.c : step.y, output: step.y }))
  const pairs: [string, CdStep[], TrueStates[]][] = [['fwd', layer.fwd, states(cache.fwd)]]
  if (layer.bwd && cache.bwd) pairs.push(['bwd', layer.bwd, states(cache.bwd)])
  return pairs
}

const sumOf = (split: Split): number[] => split.beta.map((v, u) => v + split.gamma[u])

// ---------------------------------------------------------------- the reference's invariants

/** LSTM architectures, then GRU ones (a GRU's cell and output are its state h). */
const REFERENCE_ARCHITECTURES = { ...ARCHITECTURES, ...GRU_ARCHITECTURES }

for (const [index, name] of Object.keys(REFERENCE_ARCHITECTURES).entries()) {
  const seed = 500 + 10 * index

  test(`reference CD, ${name}: β + γ is the true cell state and output at every step; the parts sum to the score`, (t) => {
    const ref = randomRefModel(seed, REFERENCE_ARCHITECTURES[name])
    for (const input of refInputs(ref, seed)) {
      const forward = refForward(ref, input)
      const weights = spreadWeights(forward.scores)
      const score = weightedSum(weights, forward.scores)
      for (const phrase of phrases(forward.x.length)) {
        for (const convention of CONVENTIONS) {
          const cd = refCd(ref, input, { phrase, convention, targetWeights: weights })
          const what = `[${phrase}) ${convention}, T=${forward.x.length}`
          cd.layers.forEach((layer, l) => {
            for (const [direction, steps, states] of directionPairs(layer, forward.layers[l])) {
              steps.forEach((step, s) => {
                const where = `${what}, layer ${l} ${direction} step ${s}`
                assertClose(t, sumOf(step.cell), states[s].cell, REFERENCE_TOLERANCE, `${where}: c`, Math.max(maxAbs(states[s].cell), 1))
                assertClose(t, sumOf(step.output), states[s].output, REFERENCE_TOLERANCE, `${where}: y`, Math.max(maxAbs(states[s].output), 1))
              })
            }
          })
          near(t, cd.relevant + cd.irrelevant + cd.bias, score, REFERENCE_TOLERANCE, Math.max(Math.abs(score), 1), `${what}: relevant + irrelevant + bias`)
        }
      }
    }
  })

  test(`reference CD, ${name}: the whole sequence as phrase (inclusive) leaves γ = 0 and the relevant score = logit − head bias`, (t) => {
    const ref = randomRefModel(seed, REFERENCE_ARCHITECTURES[name])
    for (const input of refInputs(ref, seed)) {
      const forward = refForward(ref, input)
      const T = forward.x.length
      const weights = spreadWeights(forward.scores)
      const cd = refCd(ref, input, { phrase: [0, T], convention: 'inclusive', targetWeights: weights })
      const gammas = cd.layers.flatMap((layer) => [...layer.fwd, ...(layer.bwd ?? [])]).flatMap((step) => [...step.cell.gamma, ...step.output.gamma])
      t.true(
        gammas.every((v) => v === 0),
        `T=${T}: every γ is exactly 0`,
      )
      t.is(cd.irrelevant, 0)
      const logitMinusBias = weightedSum(weights, forward.scores) - cd.bias
      near(t, cd.relevant, logitMinusBias, REFERENCE_TOLERANCE, Math.max(Math.abs(logitMinusBias), 1), `T=${T}: relevant score`)
    }
  })

  test(`reference CD, ${name}: β is exactly 0 before the phrase`, (t) => {
    const ref = randomRefModel(seed, REFERENCE_ARCHITECTURES[name])
    const unidirectional = ref.layers.every((layer) => !layer.bidirectional)
    for (const input of refInputs(ref, seed)) {
      const forward = refForward(ref, input)
      for (const [start, stop] of phrases(forward.x.length)) {
        for (const convention of CONVENTIONS) {
          const cd = refCd(ref, input, { phrase: [start, stop], convention, targetWeights: spreadWeights(forward.scores) })
          // Layer 0 reads the phrase directly: its forward direction meets it at start, its backward one at stop − 1.
          // A layer above meets it no earlier than the layer below; with backward directions below, that can be anywhere.
          cd.layers.forEach((layer, l) => {
            const before = (step: CdStep, direction: 'fwd' | 'bwd') => (direction === 'fwd' ? step.t < start && (l === 0 || unidirectional) : step.t >= stop && l === 0)
            for (const direction of ['fwd', 'bwd'] as const) {
              for (const step of (direction === 'fwd' ? layer.fwd : layer.bwd) ?? []) {
                if (!before(step, direction)) continue
                const betas = [...step.cell.beta, ...step.output.beta]
                t.true(
                  betas.every((v) => v === 0),
                  `[${start}, ${stop}) ${convention}: layer ${l} ${direction} t=${step.t} has β ${betas}`,
                )
              }
            }
          })
        }
      }
    }
  })
}

// ---------------------------------------------------------------- the kernel against the reference

let archSeed = 100
for (const name of Object.keys(ARCHITECTURES)) {
  archSeed += 10
  const seed = archSeed
  for (const dtype of ['f64', 'f32'] as DType[]) {
    const tolerance = TOLERANCE[dtype]

    test(`${name} [${dtype}]: per-step CD matches the reference, both conventions`, async (t) => {
      const { ref, model, inputs } = await setUp(name, seed, dtype)
      checkPerStepCd(t, ref, model, inputs, seed, tolerance)
      model.dispose()
    })

    test(`${name} [${dtype}]: phrase CD matches the reference: relevant, irrelevant, bias, score`, async (t) => {
      const { ref, model, inputs } = await setUp(name, seed, dtype)
      checkPhraseCd(t, ref, model, inputs, seed, tolerance, phrases)
      model.dispose()
    })

    test(`${name} [${dtype}]: with the whole sequence as phrase (inclusive) the relevant score is the logit minus the head bias`, async (t) => {
      const { ref, model, inputs } = await setUp(name, seed, dtype)
      for (const input of inputs) {
        const T = stepsOf(input)
        const got = model.explain(apiInput(input), { method: 'cd', cd: { convention: 'inclusive', phrase: [0, T] } })
        const weights = weightsFor(got, ref)
        const forward = refForward(ref, input)
        const bias = weightedSum(
          weights,
          forward.scores.map(() => ref.head.bias ?? new Array<number>(ref.head.weight.length).fill(0)),
        )
        const logitMinusBias = weightedSum(weights, forward.scores) - bias
        const scale = Math.max(maxAbs(forward.scores.flat()), 1e-12)
        near(t, got.decomposition!.relevant, logitMinusBias, tolerance, scale, `T=${T}: relevant score`)
        near(t, got.decomposition!.irrelevant, 0, tolerance, scale, `T=${T}: irrelevant score`)
      }
      model.dispose()
    })
  }
}

for (const name of ['stacked uni, readout each', 'markov, readout each']) {
  for (const dtype of ['f64', 'f32'] as DType[]) {
    test(`${name} [${dtype}]: a phrase after the target step contributes exactly 0 (β = 0 before the phrase)`, async (t) => {
      const ref = randomRefModel(77, ARCHITECTURES[name])
      const model = await loadModel(refModelFile(ref, dtype))
      const x = randomSequence(78, 7, ref.inputSize)
      const target: [number, number] = [2, ref.head.weight.length - 1]
      const perStep = model.explain(x, { method: 'cd', target }).perStep
      t.deepEqual(Array.from(perStep.subarray(3)), [0, 0, 0, 0])
      t.true(
        Array.from(perStep.subarray(0, 3)).some((v) => v !== 0),
        'steps up to the target contribute',
      )
      t.is(model.explain(x, { method: 'cd', target, cd: { phrase: [3, 7] } }).decomposition!.relevant, 0)
      model.dispose()
    })
  }
}

// ---------------------------------------------------------------- against the published algorithm

const HIDDEN = 4
const EMBEDDING = 5
const VOCABULARY = 12
const CLASSES = 3

function uniform(next: () => number, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => next() - 0.5))
}

/** A one-layer PyTorch nn.LSTM (gate blocks i, f, g, o; b_ih and b_hh) with an embedding and a linear head. */
function pyTorchModel(seed: number): { lstm: PyTorchLstm; embedding: number[][] } {
  const next = mulberry32(seed)
  const lstm: PyTorchLstm = {
    weightIh: uniform(next, 4 * HIDDEN, EMBEDDING),
    weightHh: uniform(next, 4 * HIDDEN, HIDDEN),
    biasIh: uniform(next, 1, 4 * HIDDEN)[0],
    biasHh: uniform(next, 1, 4 * HIDDEN)[0],
    hiddenToLabel: { weight: uniform(next, CLASSES, HIDDEN), bias: uniform(next, 1, CLASSES)[0] },
  }
  return { lstm, embedding: uniform(next, VOCABULARY, EMBEDDING) }
}

/** Our layout: blocks z, i, f, o (PyTorch's g, i, f, o) and one bias b_ih + b_hh. */
function fromPyTorch({ lstm, embedding }: { lstm: PyTorchLstm; embedding: number[][] }): RefModel {
  const PYTORCH_BLOCK_OF = [2, 0, 1, 3]
  const reorder = <T>(rows: T[]): T[] => PYTORCH_BLOCK_OF.flatMap((block) => rows.slice(block * HIDDEN, (block + 1) * HIDDEN))
  return {
    inputSize: EMBEDDING,
    embedding,
    layers: [
      {
        hiddenSize: HIDDEN,
        bidirectional: false,
        cell: REF_PRESETS.standard,
        fwd: { W: reorder(lstm.weightIh), U: reorder(lstm.weightHh), b: reorder(lstm.biasIh.map((v, k) => v + lstm.biasHh[k])) },
      },
    ],
    head: { weight: lstm.hiddenToLabel.weight, bias: lstm.hiddenToLabel.bias, readout: 'last' },
  }
}

const pyTorch = pyTorchModel(31)
const converted = fromPyTorch(pyTorch)
const sentences = [[3], [1, 7, 7, 0], [11, 2, 5, 9, 4, 4, 8, 6, 10]]
const wordVectors = (tokens: number[]): number[][] => tokens.map((id) => pyTorch.embedding[id])

test('the published algorithm as transcribed: its relevant and irrelevant scores sum to the logits minus the head bias', (t) => {
  for (const tokens of sentences) {
    const logits = refForward(converted, { tokens }).scores[0]
    for (let word = 0; word < tokens.length; word++) {
      const { scores, irrelScores } = murdochCd(pyTorch.lstm, wordVectors(tokens), word, word)
      assertClose(
        t,
        scores.map((v, k) => v + irrelScores[k] + pyTorch.lstm.hiddenToLabel.bias[k]),
        logits,
        REFERENCE_TOLERANCE,
        `word ${word}`,
      )
    }
  }
})

test('the general float64 reference reproduces the published algorithm (reference convention)', (t) => {
  for (const tokens of sentences) {
    for (let cls = 0; cls < CLASSES; cls++) {
      const weights = [Array.from({ length: CLASSES }, (_, k) => (k === cls ? 1 : 0))]
      const perStep = refCdPerStep(converted, { tokens }, weights, 'reference')
      const published = tokens.map((_, word) => murdochCd(pyTorch.lstm, wordVectors(tokens), word, word).scores[cls])
      assertClose(t, perStep, published, REFERENCE_TOLERANCE, `class ${cls}, ${tokens.length} words`)
    }
  }
})

for (const dtype of ['f64', 'f32'] as DType[]) {
  test(`PyTorch-layout model [${dtype}]: per-word and phrase CD match the published algorithm`, async (t) => {
    const model = await loadModel(refModelFile(converted, dtype))
    const tolerance = TOLERANCE[dtype]
    for (const tokens of sentences) {
      for (let cls = 0; cls < CLASSES; cls++) {
        const perWord = model.explain({ tokens }, { method: 'cd', target: cls })
        const published = tokens.map((_, word) => murdochCd(pyTorch.lstm, wordVectors(tokens), word, word).scores[cls])
        const scale = Math.max(maxAbs(published), maxAbs(perWord.scores))
        assertClose(t, perWord.perStep, published, tolerance, `per word, class ${cls}, ${tokens.length} words`, scale)
        for (const [start, stop] of phrases(tokens.length)) {
          const phrase = model.explain({ tokens }, { method: 'cd', target: cls, cd: { phrase: [start, stop] } }).decomposition!
          // The published code's phrase end is inclusive.
          const expected = murdochCd(pyTorch.lstm, wordVectors(tokens), start, stop - 1)
          near(t, phrase.relevant, expected.scores[cls], tolerance, scale, `[${start}, ${stop}) class ${cls}: relevant`)
          near(t, phrase.irrelevant, expected.irrelScores[cls], tolerance, scale, `[${start}, ${stop}) class ${cls}: irrelevant`)
        }
      }
    }
    model.dispose()
  })
}

// ---------------------------------------------------------------- API, batch and CLI

const apiRef = randomRefModel(41, ARCHITECTURES['stacked bidirectional, head bias'])
const apiSequences = [randomSequence(42, 5, 3), randomSequence(43, 2, 3), randomSequence(44, 6, 3)]

test('explainBatch gives what explain gives one at a time (per step and phrase, items with their own targets)', async (t) => {
  const model = await loadModel(refModelFile(apiRef, 'f64'))
  const items = apiSequences.map((input, n) => (n === 1 ? { input, target: 1 } : { input }))
  for (const cd of [{ convention: 'inclusive' }, { phrase: [0, 2] }] as ExplainOptions['cd'][]) {
    const batch = await model.explainBatch(items, { method: 'cd', cd })
    items.forEach((item, n) => {
      const alone = model.explain(item.input, { method: 'cd', cd, target: item.target })
      t.deepEqual(Array.from(batch[n].perStep), Array.from(alone.perStep), `item ${n}: perStep`)
      t.deepEqual(Array.from(batch[n].relevance), Array.from(alone.relevance), `item ${n}: relevance`)
      t.deepEqual(batch[n].decomposition, alone.decomposition, `item ${n}: decomposition`)
      t.deepEqual(batch[n].target, alone.target, `item ${n}: target`)
    })
  }
  model.dispose()
})

test('bad CD options are E_OPTIONS errors that name the problem', async (t) => {
  const model = await loadModel(refModelFile(apiRef, 'f64'))
  const x = apiSequences[0]
  const bad: [unknown, RegExp][] = [
    [{ phrase: [2, 2] }, /cd\.phrase must be \[start, stop\)/],
    [{ phrase: [-1, 2] }, /cd\.phrase must be \[start, stop\)/],
    [{ phrase: [0.5, 2] }, /cd\.phrase must be \[start, stop\)/],
    [{ phrase: [0, 6] }, /cd\.phrase \[0, 6\) ends after the sequence's 5 steps/],
    [{ convention: 'symmetric' }, /cd\.convention must be one of reference, inclusive/],
    [{ span: [0, 1] }, /cd: unknown option 'span'/],
    ['reference', /cd must be an object/],
  ]
  for (const [cd, message] of bad) t.throws(() => model.explain(x, { method: 'cd', cd } as ExplainOptions), { code: 'E_OPTIONS', message }, JSON.stringify(cd))
  await t.throwsAsync(model.explainBatch(apiSequences, { method: 'cd', cd: { phrase: [3, 5] } }), {
    code: 'E_OPTIONS',
    message: /^input 1: cd\.phrase \[3, 5\) ends after the sequence's 2 steps/,
  })
  model.dispose()
})

test('the kernel itself rejects a bad CD convention or phrase, naming the sequence', async (t) => {
  const kernel = await rawKernel(apiRef)
  const cd = (overrides: Parameters<typeof kernel.explain>[2]) => () => kernel.explain(apiSequences, { method: 'cd' }, overrides)
  t.throws(cd({ cdConvention: 2 }), { code: 'E_KERNEL', message: /unknown CD convention 2/ })
  t.throws(cd({ cdPhraseStart: 3, cdPhraseStop: 3 }), { code: 'E_KERNEL', message: /CD phrase \[3, 3\) needs 0 <= start < stop/ })
  t.throws(cd({ cdPhraseStart: -1, cdPhraseStop: 1 }), { code: 'E_KERNEL', message: /CD phrase \[-1, 1\) needs 0 <= start < stop/ })
  t.throws(cd({ cdPhraseStart: 0, cdPhraseStop: 3 }), { code: 'E_KERNEL', message: /CD phrase \[0, 3\) ends after sequence 1 \(2 steps\)/ })
  t.notThrows(cd({ cdPhraseStart: 0, cdPhraseStop: 2 }))
  kernel.dispose()
})

test('CLI: --method cd with --cd-convention and --cd-phrase', async (t) => {
  const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cd-'))
  const file = path.join(work, 'model.safetensors')
  writeFileSync(file, refModelFile(apiRef, 'f64'))
  const model = await loadModel(file)
  const input = apiSequences.map((x) => JSON.stringify({ x })).join('\n') + '\n'

  const perStep = await runCli(['explain', '--model', file, '--method', 'cd', '--cd-convention', 'inclusive'], input)
  t.is(perStep.code, 0, perStep.stderr)
  perStep.stdout
    .trim()
    .split('\n')
    .forEach((line, n) => {
      const parsed = JSON.parse(line) as { perStep: number[]; decomposition?: unknown }
      t.deepEqual(parsed.perStep, Array.from(model.explain(apiSequences[n], { method: 'cd', cd: { convention: 'inclusive' } }).perStep))
      t.false('decomposition' in parsed)
    })

  const phrase = await runCli(['explain', '--model', file, '--method', 'cd', '--cd-phrase', '1,2'], input)
  t.is(phrase.code, 0, phrase.stderr)
  phrase.stdout
    .trim()
    .split('\n')
    .forEach((line, n) => {
      const { decomposition } = JSON.parse(line) as { decomposition: unknown }
      t.deepEqual(decomposition, model.explain(apiSequences[n], { method: 'cd', cd: { phrase: [1, 2] } }).decomposition)
    })

  const bad = await runCli(['explain', '--model', file, '--method', 'cd', '--cd-phrase', '3'], input)
  t.is(bad.code, 1)
  t.regex(bad.stderr, /--cd-phrase takes START,STOP/)
  model.dispose()
})
