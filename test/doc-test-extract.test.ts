// The doc-test's reading of Markdown (scripts/doc-test/): fences, info strings, annotations and
// line numbers, and what it decides to do with each block.
import test from 'ava'
import { extractBlocks } from '../scripts/doc-test/extract.js'
import { planBlock } from '../scripts/doc-test/plan.js'

const markdown = [
  '# Title', //                                       1
  '', //                                              2
  '```ts title="api.ts"', //                          3
  "import { loadModel } from 'lstm-lrp'", //          4
  '```', //                                           5
  '', //                                              6
  '<!-- doc-test: clone -->', //                      7
  '<!-- doc-test: expect: "label" -->', //            8
  '```sh', //                                         9
  'npm install', //                                  10
  '```', //                                          11
  '````md', //                                       12
  '```js', //                                        13
  'not a block of its own', //                       14
  '```', //                                          15
  '````', //                                         16
  '```inline``` code at the start of a line', //    17
  '- a list item:', //                               18
  '  ~~~ JavaScript', //                             19
  '    indented()', //                               20
  '  ~~~', //                                        21
  '```', //                                          22
  'a synopsis', //                                   23
  '```', //                                          24
  '<!-- doc-test: skip: stray -->', //               25
  '', //                                             26
  '```python', //                                    27
  'print(1)', //                                     28
].join('\n')

test('fences: info string, annotations on the lines before, nested backticks, tildes, indentation and line numbers', (t) => {
  const { blocks, stray } = extractBlocks(markdown)
  t.deepEqual(
    blocks.map(({ line, language, code, annotations }) => ({ line, language, code, annotations })),
    [
      { line: 3, language: 'ts', code: "import { loadModel } from 'lstm-lrp'\n", annotations: [] },
      { line: 9, language: 'sh', code: 'npm install\n', annotations: ['clone', 'expect: "label"'] },
      { line: 12, language: 'md', code: '```js\nnot a block of its own\n```\n', annotations: [] },
      { line: 19, language: 'javascript', code: '  indented()\n', annotations: [] },
      { line: 22, language: '', code: 'a synopsis\n', annotations: [] },
      { line: 27, language: 'python', code: 'print(1)\n', annotations: [] },
    ],
  )
  t.deepEqual(stray, [{ line: 25, text: 'skip: stray' }])
})

test('CRLF line ends and an empty block', (t) => {
  const { blocks } = extractBlocks('text\r\n```sh\r\n```\r\n')
  t.deepEqual(
    blocks.map(({ line, language, code }) => ({ line, language, code })),
    [{ line: 2, language: 'sh', code: '' }],
  )
})

const block = (language: string, ...annotations: string[]) => ({ line: 1, language, code: '', annotations })

test('plan: ts/js run with tsx, sh with bash, in the project unless cloned; annotations add files and expectations', (t) => {
  t.deepEqual(planBlock(block('ts')), { action: 'run', runner: 'tsx', place: 'project', extension: '.mts', files: [], expect: [] })
  t.deepEqual(planBlock(block('javascript', 'browser')), { action: 'run', runner: 'browser', place: 'project', extension: '.mjs', files: [], expect: [] })
  t.deepEqual(planBlock(block('sh', 'clone', 'expect: a: b', 'files: a.bin=test/x.bin, b/c.json=d.json')), {
    action: 'run',
    runner: 'bash',
    place: 'clone',
    extension: '.sh',
    files: [
      { dest: 'a.bin', source: 'test/x.bin' },
      { dest: 'b/c.json', source: 'd.json' },
    ],
    expect: ['a: b'],
  })
})

test('plan: synopses and data are not run; skips need a reason; other languages and bad annotations are errors', (t) => {
  t.like(planBlock(block('')), { action: 'none' })
  t.like(planBlock(block('json')), { action: 'none' })
  t.deepEqual(planBlock(block('python', 'skip: needs PyTorch')), { action: 'skip', reason: 'needs PyTorch' })
  t.like(planBlock(block('python')), { action: 'invalid', reason: "no runner for 'python': annotate the block <!-- doc-test: skip: REASON -->" })
  t.like(planBlock(block('sh', 'skip')), { action: 'invalid' })
  t.like(planBlock(block('sh', 'skip: slow', 'clone')), { action: 'invalid' })
  const typo = planBlock(block('sh', 'clonee'))
  t.is(typo.action, 'invalid')
  t.regex('reason' in typo ? typo.reason : '', /^unknown annotation 'clonee'/)
  t.like(planBlock(block('sh', 'browser')), { action: 'invalid' })
  t.like(planBlock(block('ts', 'files: ../x=y')), { action: 'invalid' })
  t.like(planBlock(block('ts', 'files: /etc/x=y')), { action: 'invalid' })
  t.like(planBlock(block('', 'expect: x')), { action: 'invalid' })
})
