// A model resolves an options object passed again unchanged only once (lib/explain/options-cache.ts),
// but every change made between calls is seen: a changed, added or removed value, a change inside a
// nested object, a getter, a new prototype. Each call's explanation equals the one a fresh copy of the
// options gives, and a value made invalid fails as it would the first time.
import test, { type ExecutionContext } from 'ava'
import { createModel, LstmLrpError, type ExplainOptions, type Explanation } from '../lib/index.js'

const CONFIG = { inputSize: 3, layers: [{ hiddenSize: 4, bidirectional: true }], head: { outputs: 3 } }
const model = await createModel(CONFIG, { seed: 5 })
// The same weights with a cache of its own: what the options give when checked afresh.
const twin = await createModel(CONFIG, { seed: 5 })
const input = [
  [0.5, -0.2, 0.1],
  [0.3, 0.8, -0.4],
  [-0.6, 0.2, 0.9],
]

/** The model's explanation with `options` (kept from its last call when unchanged), next to the twin's with a fresh deep copy of them. */
function bothWays(options: ExplainOptions): [Explanation, Explanation] {
  return [model.explain(input, options), twin.explain(input, structuredClone(options))]
}

function sameExplanation(t: ExecutionContext, [kept, fresh]: [Explanation, Explanation], what: string) {
  t.deepEqual(Array.from(kept.relevance), Array.from(fresh.relevance), `${what}: relevance`)
  t.deepEqual(kept.conservation, fresh.conservation, `${what}: report`)
  t.is(kept.method, fresh.method)
}

test('the same object, changed between calls, gives what a fresh copy of it gives', (t) => {
  const options: ExplainOptions = { method: 'lrp', rule: 'all' }
  model.explain(input, options)
  const first = bothWays(options)
  sameExplanation(t, first, 'as given')
  options.rule = 'prop'
  const changed = bothWays(options)
  sameExplanation(t, changed, 'rule changed')
  t.notDeepEqual(Array.from(changed[0].relevance), Array.from(first[0].relevance), 'the new rule took effect')
  options.eps = 0.5
  sameExplanation(t, bothWays(options), 'a key added')
  delete options.eps
  sameExplanation(t, bothWays(options), 'a key removed')
  options.method = 'gradient'
  const gradient = bothWays(options)
  t.is(gradient[0].method, 'gradient')
  t.is(gradient[0].conservation, null)
})

test('a change inside a nested option is seen', (t) => {
  const options = { rules: { input: 'all', forget: 'all', output: 'all' } } as ExplainOptions & { rules: Record<string, string> }
  model.explain(input, options)
  const all = bothWays(options)
  options.rules.input = 'half'
  const half = bothWays(options)
  sameExplanation(t, half, 'nested rule changed')
  t.notDeepEqual(Array.from(half[0].relevance), Array.from(all[0].relevance))
})

test('a getter is read at every call', (t) => {
  let reads = 0
  const options = {
    get eps(): number {
      reads += 1
      return reads < 3 ? 0.001 : 0.5
    },
  } as ExplainOptions
  const small = model.explain(input, options)
  model.explain(input, options)
  const large = model.explain(input, options)
  t.true(reads >= 3)
  t.deepEqual(Array.from(large.relevance), Array.from(twin.explain(input, { eps: 0.5 }).relevance))
  t.notDeepEqual(Array.from(large.relevance), Array.from(small.relevance))
})

test('a value made invalid fails with the error a first call would give', (t) => {
  const options: Record<string, unknown> = { method: 'lrp' }
  model.explain(input, options as ExplainOptions)
  options.method = 'lpr'
  const error = t.throws(() => model.explain(input, options as ExplainOptions), { instanceOf: LstmLrpError })
  t.is(error?.code, 'E_OPTIONS')
  t.regex(error?.message ?? '', /method must be one of/)
})

test('options that inherit from another prototype, or a proxy that throws, are not taken from the cache', (t) => {
  const options: ExplainOptions = { rule: 'prop' }
  model.explain(input, options)
  Object.setPrototypeOf(options, { rule: 'half', method: 'gradient' })
  t.is(model.explain(input, options).method, 'gradient', 'an inherited method is read, as on a first call')
  let throwing = false
  const proxy = new Proxy(
    { rule: 'all' },
    {
      get(target, key, receiver) {
        if (throwing) throw new Error('trap')
        return Reflect.get(target, key, receiver) as unknown
      },
    },
  ) as ExplainOptions
  model.explain(input, proxy)
  throwing = true
  const error = t.throws(() => model.explain(input, proxy), { instanceOf: LstmLrpError })
  t.is(error?.message, 'explain options: reading it threw: trap')
})

test('explainBatch uses the same cache and sees the same changes', async (t) => {
  const options: ExplainOptions = { rule: 'all' }
  const [all] = await model.explainBatch([input], options)
  options.rule = 'abs'
  const [abs] = await model.explainBatch([input], options)
  t.deepEqual(Array.from(abs.relevance), Array.from(twin.explain(input, { rule: 'abs' }).relevance))
  t.notDeepEqual(Array.from(abs.relevance), Array.from(all.relevance))
})
