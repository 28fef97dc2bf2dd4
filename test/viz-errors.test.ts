// A wrong call to a renderer is an LstmLrpError (E_INPUT for the rows, E_OPTIONS for the options)
// whose message names the field, never a TypeError from deep inside.
import test from 'ava'
import { LstmLrpError, renderHtml, renderSvg, renderTerminal, seriesOf, type HeatmapRow } from '../lib/index.js'

type Render = (rows: unknown, options?: unknown) => string

const ROW_RENDERERS: Record<string, Render> = {
  renderHtml: renderHtml as Render,
  renderSvg: renderSvg as Render,
  renderTerminal: (rows, options) => (renderTerminal as (row: unknown, options?: unknown) => string)((rows as unknown[])[0], options),
}

/** Bad rows and what the message must say about each. */
const BAD_ROWS: [string, unknown, RegExp][] = [
  ['a row that is not an object', 'film', /must be (an object \{ relevance|a HeatmapRow)/],
  ['a row without relevance', { tokens: ['a'] }, /relevance must be an array of numbers; got undefined/],
  ['relevance that is a string', { relevance: 'abc' }, /relevance must be an array of numbers; got "abc"/],
  ['NaN relevance', { relevance: [1, NaN] }, /relevance\[1\] must be a finite number; got NaN/],
  ['infinite relevance', { relevance: [Infinity] }, /relevance\[0\] must be a finite number; got Infinity/],
  ['relevance holding a string', { relevance: ['1'] }, /relevance\[0\] must be a finite number; got "1"/],
  ['more tokens than relevance values', { tokens: ['a', 'b'], relevance: [1] }, /2 tokens but 1 relevance values/],
  ['tokens that are not an array', { tokens: 'ab', relevance: [1, 2] }, /tokens must be an array of strings/],
  ['a token that is a number', { tokens: ['a', 3], relevance: [1, 2] }, /tokens\[1\] must be a string; got 3/],
  ['a title that is a number', { title: 5, relevance: [1] }, /title must be a string; got 5/],
  ['an unknown field', { relevance: [1], colour: 'red' }, /unknown field 'colour'/],
  ['unknown positions past the end', { tokens: ['a'], relevance: [1], unknown: [1] }, /unknown holds 1, not a step position in \[0, 1\)/],
  ['unknown that is not an array', { tokens: ['a'], relevance: [1], unknown: 0 }, /unknown must be an array of step positions/],
  ['a series of another length', { relevance: [1, 2], series: [1] }, /series has 1 values; expected 2/],
  ['x of another length', { relevance: [1, 2], x: [[1]] }, /x has 1 steps but relevance has 2 values/],
  ['x with ragged steps', { relevance: [1, 2], x: [[1, 2], [3]], featureRelevance: [0, 0, 0, 0] }, /x\[1\] has 1 values; expected 2/],
  ['x with a non-finite value', { relevance: [1], x: [[NaN]] }, /x\[0\]\[0\] must be a finite number; got NaN/],
  ['x of several features without featureRelevance', { relevance: [1], x: [[1, 2]] }, /x has 2 features, so featureRelevance .* is needed/],
  ['featureRelevance of the wrong size', { relevance: [1], x: [[1, 2]], featureRelevance: [1] }, /featureRelevance has 1 values; expected 2/],
  ['featureRelevance without x', { relevance: [1], featureRelevance: [1] }, /featureRelevance needs x/],
  ['both x and series', { relevance: [1], x: [[1]], series: [1] }, /give x or series, not both/],
  ['a probability above 1', { relevance: [1], probability: 1.5 }, /probability must be a number in \[0, 1\]; got 1\.5/],
  ['options that are not an object', { relevance: [1], options: 'rule=all' }, /options must be an object/],
]

for (const [name, render] of Object.entries(ROW_RENDERERS)) {
  for (const [what, row, message] of BAD_ROWS)
    test(`${name}: ${what} is E_INPUT`, (t) => {
      const error = t.throws(() => render([row]), { instanceOf: LstmLrpError, message })
      t.is(error?.code, 'E_INPUT')
      t.true(error?.message.startsWith(`${name}: `), error?.message)
    })

  test(`${name}: options of the wrong kind are E_OPTIONS`, (t) => {
    const rows: HeatmapRow[] = [{ relevance: [1] }]
    for (const options of [null, 'wide', { width: -3 }, { width: 1.5 }, { title: 3 }, { color: 'yes' }, { colour: true }])
      t.throws(() => render(rows, options), { instanceOf: LstmLrpError, code: 'E_OPTIONS', message: new RegExp(`^${name}: `) }, JSON.stringify(options))
  })
}

for (const [name, render] of Object.entries({ renderHtml, renderSvg }))
  test(`${name}: rows that are not an array are E_INPUT`, (t) => {
    for (const rows of [undefined, null, { relevance: [1] }, 'rows']) t.throws(() => (render as Render)(rows), { instanceOf: LstmLrpError, code: 'E_INPUT', message: /rows must be an array of HeatmapRow/ })
  })

test('renderTerminal with tokens: a wrong first argument, a bad step count, or mismatched relevance is E_INPUT', (t) => {
  const call = renderTerminal as (...args: unknown[]) => string
  const cases: [unknown[], RegExp][] = [
    [[undefined, [1]], /the first argument must be a HeatmapRow, the tokens or a number of steps; got undefined/],
    [[null, [1]], /got null/],
    [[-1, []], /steps must be a whole number >= 0; got -1/],
    [[2.5, [1, 2]], /steps must be a whole number >= 0; got 2\.5/],
    [[2, [1]], /2 tokens but 1 relevance values/],
    [[['a'], undefined], /relevance must be an array of numbers; got undefined/],
    [[['a'], [NaN]], /relevance\[0\] must be a finite number; got NaN/],
    [[[1], [1]], /tokens\[0\] must be a string; got 1/],
  ]
  for (const [args, message] of cases) t.throws(() => call(...args), { instanceOf: LstmLrpError, code: 'E_INPUT', message }, String(message))
  t.throws(() => call(['a'], [1], { values: 1 }), { instanceOf: LstmLrpError, code: 'E_OPTIONS', message: /values must be a boolean; got 1/ })
})

test('seriesOf: anything but steps of finite numbers is E_INPUT', (t) => {
  const call = seriesOf as (x: unknown) => number[]
  const cases: [unknown, RegExp][] = [
    [undefined, /x must be an array of steps/],
    [[1, 2], /x\[0\] must be a non-empty array of numbers; got 1/],
    [[[]], /x\[0\] must be a non-empty array of numbers/],
    [[[1], [Infinity]], /x\[1\]\[0\] must be a finite number; got Infinity/],
    [[[1, 'a']], /x\[0\]\[1\] must be a finite number; got "a"/],
  ]
  for (const [x, message] of cases) t.throws(() => call(x), { instanceOf: LstmLrpError, code: 'E_INPUT', message }, String(message))
})
