// Every API entry point that takes arrays answers a bad array-like (a length of -1, 2^32, NaN or 1.5, a
// getter that throws) with a documented LstmLrpError, and string token ids are named as strings.
import test from 'ava'
import { createModel, LstmLrpError, type Model, type SequenceInput } from '../lib/index.js'

const vectors = await createModel({ inputSize: 2, layers: [{ hiddenSize: 2 }], head: { outputs: 2 } }, { seed: 1 })
const tokens = await createModel({ inputSize: 2, embedding: { vocabSize: 4 }, layers: [{ hiddenSize: 2 }], head: { outputs: 2 } }, { seed: 1 })
const worded = await createModel({ inputSize: 2, embedding: { vocabSize: 3 }, layers: [{ hiddenSize: 2 }], head: { outputs: 2 }, tokenizer: { lowercase: true, vocab: ['<unk>', 'good', 'film'] } }, { seed: 1 })
const x = [
  [0.5, 0],
  [0, 0.3],
]

const BAD_ARRAYS: [string, () => unknown][] = [
  ['length -1', () => ({ length: -1 })],
  ['length 2^32', () => ({ length: 2 ** 32 })],
  ['length NaN', () => ({ length: NaN })],
  ['length 1.5', () => ({ length: 1.5 })],
  [
    'a length getter that throws',
    () => ({
      get length(): number {
        throw new RangeError('length getter')
      },
    }),
  ],
  [
    'an array whose first entry is a getter that throws',
    () => {
      const values = [1, 2]
      Object.defineProperty(values, 0, {
        get: () => {
          throw new TypeError('entry getter')
        },
      })
      return values
    },
  ],
]

/** Where each entry point takes an array, and the codes its errors may carry (the library's documented ones). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each site is fed values its types forbid
const SITES: [string, string[], (value: any) => unknown][] = [
  ['explain { tokens }', ['E_INPUT'], (value) => tokens.explain({ tokens: value })],
  ['predict { tokens }', ['E_INPUT'], (value) => tokens.predict({ tokens: value })],
  ['explainBatch [{ tokens }]', ['E_INPUT'], (value) => tokens.explainBatch([{ tokens: value }])],
  ['explainBatch items', ['E_INPUT'], (value) => tokens.explainBatch(value)],
  ['explain x', ['E_INPUT'], (value) => vectors.explain(value)],
  ['explain x row', ['E_INPUT'], (value) => vectors.explain([value, [0, 0]])],
  ['predict x', ['E_INPUT'], (value) => vectors.predict(value)],
  ['target', ['E_TARGET'], (value) => vectors.explain(x, { target: value })],
  ['target.weights', ['E_TARGET'], (value) => vectors.explain(x, { target: { weights: value } })],
  ['explainBatch item target', ['E_TARGET'], (value) => vectors.explainBatch([{ input: x, target: value }])],
  ['init vector', ['E_OPTIONS'], (value) => vectors.explain(x, { init: value })],
  ['occlusion.replacement', ['E_OPTIONS'], (value) => vectors.explain(x, { method: 'occlusion', occlusion: { replacement: value } })],
  ['integratedGradients.baseline', ['E_OPTIONS'], (value) => vectors.explain(x, { method: 'integrated-gradients', integratedGradients: { baseline: value } })],
  ['cd.phrase', ['E_OPTIONS'], (value) => vectors.explain(x, { method: 'cd', cd: { phrase: value } })],
  ['train data', ['E_TRAIN_DATA'], (value) => vectors.train(value, { epochs: 1 })],
  ['train { tokens }', ['E_INPUT'], (value) => tokens.train([{ input: { tokens: value }, target: 1 }], { epochs: 1 })],
  ['evaluate data', ['E_TRAIN_DATA'], (value) => vectors.evaluate(value)],
  ['gradients data', ['E_TRAIN_DATA'], (value) => vectors.gradients(value)],
]

for (const [site, codes, run] of SITES) {
  test.serial(`${site}: bad array-likes are ${codes.join(' or ')}, never a RangeError or the getter's own error`, async (t) => {
    for (const [name, make] of BAD_ARRAYS) {
      const error = await t.throwsAsync(async () => run(make()), undefined, `${site} with ${name}`)
      t.true(error instanceof LstmLrpError, `${site} with ${name}: ${error?.name}: ${error?.message}`)
      t.true(codes.includes((error as LstmLrpError).code), `${site} with ${name}: ${(error as LstmLrpError).code}: ${error?.message}`)
      t.true((error?.message.length ?? 0) < 300, `${site} with ${name}: a bounded message`)
    }
  })
}

test('tokens with a bad length name it', (t) => {
  t.throws(() => tokens.explain({ tokens: { length: -1 } as ArrayLike<number> }), { instanceOf: LstmLrpError, message: 'input: tokens has length -1; expected an integer in [0, 2^32)' })
  t.throws(() => tokens.explain({ tokens: { length: 2 ** 32 } as ArrayLike<number> }), { message: /tokens has length 4294967296/ })
})

test('a getter that throws is reported as such, with its message', (t) => {
  const error = t.throws(
    () =>
      tokens.explain({
        tokens: {
          length: 2,
          get 0(): number {
            throw new Error('no access')
          },
          1: 1,
        },
      }),
    { instanceOf: LstmLrpError },
  )
  t.is(error?.message, 'input: reading it threw: no access')
})

test('in a batch, a getter that throws is reported with its item’s index, whichever read it throws in', async (t) => {
  const throwing = (what: string) => {
    throw new Error(what)
  }
  const good = { tokens: [1, 2] }
  const cases: [string, SequenceInput][] = [
    [
      'its tokens',
      {
        get tokens(): number[] {
          return throwing('no tokens')
        },
      } as unknown as SequenceInput,
    ],
    [
      'their length',
      {
        tokens: {
          get length(): number {
            return throwing('no length')
          },
        },
      } as unknown as SequenceInput,
    ],
    [
      'a token id',
      {
        tokens: {
          length: 2,
          0: 1,
          get 1(): number {
            return throwing('no id')
          },
        },
      },
    ],
  ]
  for (const [what, bad] of cases) {
    const error = await t.throwsAsync(tokens.explainBatch([good, good, bad, good]), { instanceOf: LstmLrpError }, what)
    t.regex(error?.message ?? '', /^input 2: reading it threw: no (tokens|length|id)$/, what)
  }
})

function stringIdError(model: Model, ids: string[]): string {
  try {
    model.explain({ tokens: ids as unknown as number[] })
  } catch (error) {
    return (error as Error).message
  }
  return 'no error'
}

test('string token ids are named as strings, not as ids missing from the vocabulary', (t) => {
  const message = stringIdError(tokens, ['3', '5'])
  t.is(message, 'input, step 0: token ids must be integers; got the string "3"')
  t.notRegex(message, /vocabulary/)
})

test('a model with a vocabulary says how to turn words into ids', (t) => {
  t.is(stringIdError(worded, ['good', 'film']), 'input, step 0: token ids must be integers; got the string "good" (to look words up in the vocabulary, encode them first with encodeTokens)')
})

test('an id outside the vocabulary is still named as one', (t) => {
  t.is(stringIdError(tokens, [7 as unknown as string]), 'input, step 0: token id 7 is not in the vocabulary [0, 4)')
})

test('a megabyte string id is echoed cut short', (t) => {
  const message = stringIdError(tokens, ['x'.repeat(1 << 20)])
  t.true(message.length < 200, `${message.length} characters`)
  t.regex(message, /\.\.\. \(1048576 characters\)$/)
})
