// explainEach (docs/METHODS.md § Errors and lifetime): the explanations of explainBatch, bit for bit, handed to a
// callback in input order with arrays lent until it is done; then the arrays are emptied and their
// memory serves the next call, whatever the callback left in it. Runs on the backend
// LSTM_LRP_BACKEND selects.
import test from 'ava'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { setTimeout as sleep } from 'node:timers/promises'
import { readFileSync } from 'node:fs'
import { loadModel, exampleModelPath, type Explanation, type Model, type SequenceInput } from '../lib/index.js'
import { loadBackend } from '../lib/backend/registry.js'
import { modelFromBytes } from '../lib/model/from-bytes.js'
import { modelOf } from './helpers/arbitraries.js'
import { batchCaseArb, batchItems } from './helpers/property-cases.js'
import { explanationsDifference, sameExplanations } from './helpers/explanation-diff.js'
import { checkProperty } from './helpers/property-runs.js'

/** An explanation whose arrays are its own, as a caller keeps one. */
function copied(explanation: Explanation): Explanation {
  return { ...explanation, scores: explanation.scores.slice(), relevance: explanation.relevance.slice(), perStep: explanation.perStep.slice() }
}

/** Fills the lent arrays with NaN, so a later call that read them instead of writing them would show it. */
function scribble(explanation: Explanation): void {
  explanation.scores.fill(NaN)
  explanation.relevance.fill(NaN)
  explanation.perStep.fill(NaN)
}

/**
 * Fills all of the lent memory, the call's reports and predicted classes beside its arrays included,
 * with ones (NaN as floats, -1 as classes): the kernel must write every byte of its outputs, which is
 * what lets explainBatch hand out memory nobody zeroed.
 */
function scribbleAll(explanation: Explanation): void {
  new Uint8Array(explanation.relevance.buffer).fill(0xff)
}

function randomSequences(count: number, seed: number): number[][][] {
  let state = seed
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state / 2 ** 31 - 0.5
  }
  return Array.from({ length: count }, (_, n) => Array.from({ length: 1 + ((n * 7) % 13) }, () => [next(), next()]))
}

/** Runs body on the toy model with `threads` threads and always disposes it. */
async function withToyModel(body: (model: Model) => Promise<void>, threads = 2): Promise<void> {
  const model = await loadModel(exampleModelPath('toy-addition'), { threads })
  try {
    await body(model)
  } finally {
    model.dispose()
  }
}

test('explainEach gives explainBatch’s explanations bit for bit, in order, for random batches, per-item targets, options and thread counts, over memory the last callback scribbled on', async (t) => {
  const property = fc.asyncProperty(batchCaseArb, async ({ spec, dtype, threads, items, options }) => {
    const model = await modelOf(spec, dtype, threads)
    try {
      const given = batchItems(items)
      const expected = await model.explainBatch(given, options)
      // Reversed, so each region held another sequence's values (and ones wherever the callback could write).
      await model.explainEach(given.slice().reverse(), options, scribbleAll)
      const lent: Explanation[] = []
      const indices: number[] = []
      await model.explainEach(given, options, (explanation, index) => {
        lent.push(copied(explanation))
        indices.push(index)
      })
      assert.deepEqual(
        indices,
        Array.from(items, (_, n) => n),
      )
      assert.equal(explanationsDifference(lent, expected), null)
    } finally {
      model.dispose()
    }
  })
  await checkProperty(t, property, 150)
})

test('a batch of several kernel calls: explainEach equals explainBatch on one and two threads, call after call', async (t) => {
  for (const threads of [1, 2]) {
    await withToyModel(async (model) => {
      // About 60 000 steps: several kernel calls of a few thousand sequences each.
      const inputs = randomSequences(9000, threads)
      const expected = await model.explainBatch(inputs)
      for (let round = 0; round < 3; round++) {
        const got: Explanation[] = []
        await model.explainEach(inputs, (explanation) => {
          got.push(copied(explanation))
          scribble(explanation)
        })
        sameExplanations(t, got, expected, `${threads} threads, round ${round}`)
      }
    }, threads)
  }
})

test("explainBatch's large results fill their buffers exactly: no byte of that memory, which nobody zeroed, is left unwritten", async (t) => {
  await withToyModel(async (model) => {
    const explanations = await model.explainBatch(randomSequences(9000, 3))
    const byBuffer = new Map<ArrayBufferLike, Explanation[]>()
    for (const explanation of explanations) byBuffer.set(explanation.relevance.buffer, [...(byBuffer.get(explanation.relevance.buffer) ?? []), explanation])
    // Each call's buffer: its four report fields and predicted class per sequence, and the arrays.
    const written = (call: Explanation[]) => call.reduce((sum, e) => sum + 4 * 8 + 4 + e.scores.byteLength + e.relevance.byteLength + e.perStep.byteLength, 0)
    const large = [...byBuffer].filter(([buffer]) => buffer.byteLength > 16 * 1024)
    t.true(large.length > 1, 'several calls with buffers of their own')
    for (const [buffer, call] of large) t.is(buffer.byteLength, written(call))
  })
})

test('lent arrays are emptied once the callback returns, and stay whole until a promise it returns settles', async (t) => {
  await withToyModel(async (model) => {
    const inputs = randomSequences(40, 3)
    const expected = await model.explainBatch(inputs)
    const kept: Explanation[] = []
    await model.explainEach(inputs, async (explanation, index) => {
      await sleep(1)
      // After a turn of the event loop, the arrays still hold this explanation.
      sameExplanations(t, [copied(explanation)], [expected[index]], `input ${index} after an await`)
      kept.push(explanation)
    })
    t.is(kept.length, inputs.length)
    for (const explanation of kept) {
      t.is(explanation.relevance.length, 0)
      t.is(explanation.perStep.length, 0)
      t.is(explanation.scores.length, 0)
    }
    // What is not an array stays readable.
    t.deepEqual(
      kept.map((explanation) => explanation.steps),
      inputs.map((input) => input.length),
    )
  })
})

test('a callback that throws (or rejects) ends explainEach with its error, and the next call works', async (t) => {
  await withToyModel(async (model) => {
    const inputs = randomSequences(3000, 5)
    const expected = await model.explainBatch(inputs)
    let seen = 0
    await t.throwsAsync(
      model.explainEach(inputs, (_, index) => {
        seen++
        if (index === 2500) throw new Error('stop here')
      }),
      { message: 'stop here' },
    )
    t.is(seen, 2501)
    await t.throwsAsync(
      model.explainEach(inputs, async (_, index) => {
        if (index === 10) throw new Error('rejected')
      }),
      { message: 'rejected' },
    )
    const got: Explanation[] = []
    await model.explainEach(inputs, (explanation) => void got.push(copied(explanation)))
    sameExplanations(t, got, expected, 'after the failed calls')
  })
})

test('concurrent explainEach calls on one model each get their own explanations', async (t) => {
  await withToyModel(async (model) => {
    const batches = [randomSequences(2500, 11), randomSequences(1200, 12), randomSequences(3100, 13)]
    const expected = await Promise.all(batches.map((inputs) => model.explainBatch(inputs, { method: 'gradient' })))
    const got = batches.map((): Explanation[] => [])
    await Promise.all(
      batches.map((inputs, n) =>
        model.explainEach(inputs, { method: 'gradient' }, async (explanation) => {
          got[n].push(copied(explanation))
          if (got[n].length % 500 === 0) await sleep(0)
        }),
      ),
    )
    batches.forEach((_, n) => sameExplanations(t, got[n], expected[n], `batch ${n}`))
  })
})

test('explainEach rejects what explainBatch rejects, and a callback that is not a function', async (t) => {
  await withToyModel(async (model) => {
    const each = () => undefined
    await t.throwsAsync(model.explainEach('x' as unknown as SequenceInput[], each), { code: 'E_INPUT', message: 'explainEach takes an array of inputs' })
    await t.throwsAsync(model.explainEach([[[1, 2]]], { method: 'nope' } as never, each), { code: 'E_OPTIONS' })
    await t.throwsAsync(model.explainEach([[[1, 2]], [[1]]], each), { code: 'E_INPUT', message: 'input 1, step 0: expected a row of 2 numbers, got 1' })
    await t.throwsAsync(model.explainEach([[[1, 2]]], {}, 'print' as never), { code: 'E_OPTIONS', message: 'explainEach needs a function to call with each explanation; got "print"' })
    let called = 0
    await model.explainEach([], () => void called++)
    t.is(called, 0)
    // Options left out, as explainBatch allows.
    await model.explainEach([[[1, 2]]], undefined, () => void called++)
    t.is(called, 1)
    model.dispose()
    await t.throwsAsync(model.explainEach([[[1, 2]]], each), { code: 'E_DISPOSED' })
  })
})

test('explainEach holds the results of the calls in flight only: a batch whose results exceed the memory limit runs, where explainBatch, which keeps them all, refuses it', async (t) => {
  // About 1.2 MB of results in three kernel calls of at most 4 096 sequences.
  const inputs = randomSequences(9000, 7)
  const limited = { ...loadBackend(), memoryLimit: 800_000 }
  const model = modelFromBytes(readFileSync(exampleModelPath('toy-addition')), limited)
  try {
    await t.throwsAsync(model.explainBatch(inputs), { code: 'E_MEMORY', message: /^explaining this batch would need about \d+ bytes for its results; the limit is 800000 bytes/ })
    let count = 0
    await model.explainEach(inputs, () => void count++)
    t.is(count, inputs.length)
  } finally {
    model.dispose()
  }
})
