// compare's deletion curves, AOPC, ranking and page, against a model whose scores are the sum of its inputs, and against predict on the SST model.
import test from 'ava'
import { createModel, loadModel, defaultModelPath } from '../lib/index.js'
import type { Model } from '../lib/model/model.js'
import { writeModelFile } from '../lib/model/tensors.js'
import { aopc, deletionCurve } from '../lib/compare/deletion-curve.js'
import { runComparison } from '../lib/compare/comparison.js'
import { comparedMethod, comparableMethodNames, parseMethods } from '../lib/cli/method-list.js'
import { comparisonHtml } from '../lib/compare/page.js'
import { comparisonSvg } from '../lib/compare/figure.js'
import { StepRemover } from '../lib/compare/removal.js'
import { tokenizeText } from '../lib/text/vocabulary.js'

/**
 * One gateless cell with identity activations and no recurrence: c_t = x_t + c_{t−1}, y = c_T, so
 * the scores are (Σ x, −Σ x) and gradient × input gives each step its own x_t.
 */
async function summingModel(): Promise<Model> {
  const cell = { preset: 'gateless', g: 'identity', gScale: 1, h: 'identity', hScale: 1 }
  const seeded = await createModel({ inputSize: 1, layers: [{ hiddenSize: 1, cell }], head: { outputs: 2 }, labels: ['sum', 'minus sum'] })
  const tensors = new Map([...seeded.weights].map(([name, tensor]) => [name, { ...tensor, data: new Float32Array(tensor.data.length) }]))
  // Block z comes first in W (z, i, f, o).
  tensors.get('layers.0.fwd.W')!.data[0] = 1
  tensors.get('head.weight')!.data.set([1, -1])
  const model = await loadModel(writeModelFile(seeded.config, tensors))
  seeded.dispose()
  return model
}

const X = [[3], [-1], [2], [0.5]]

test('the deletion curve removes the most relevant steps first: by hand on a summing model', async (t) => {
  const model = await summingModel()
  t.deepEqual(Array.from(model.predict(X).scores), [4.5, -4.5])
  // Relevance x_t orders the steps 0, 2, 3, 1: the remaining sums are 4.5, 1.5, -0.5, -1, 0.
  t.deepEqual(deletionCurve(model, X, [3, -1, 2, 0.5], 0, 'zero', Infinity), [4.5, 1.5, -0.5, -1, 0])
  t.deepEqual(deletionCurve(model, X, [3, -1, 2, 0.5], 0, 'zero', 2), [4.5, 1.5, -0.5])
  // Deleting keeps one step: K = T − 1.
  t.deepEqual(deletionCurve(model, X, [3, -1, 2, 0.5], 0, 'delete', Infinity), [4.5, 1.5, -0.5, -1])
  t.is(aopc([4.5, 1.5, -0.5, -1, 0]), (3 + 5 + 5.5 + 4.5) / 4)
  model.dispose()
})

test('predictBatch gives what predict gives for each input', async (t) => {
  const model = await summingModel()
  const inputs = [X, [[1]], { data: new Float32Array([2, -3]), steps: 2 }]
  t.deepEqual(
    model.predictBatch(inputs),
    inputs.map((input) => model.predict(input)),
  )
  model.dispose()
})

test('methods are ranked by mean AOPC: gradient × input before gradient on the summing model', async (t) => {
  const model = await summingModel()
  const comparison = await runComparison(model, [{ where: 'x', input: X }], parseMethods('gradient,gradient-x-input'), { removal: 'zero', maxRemovals: null })
  const [row] = comparison.inputs
  t.is(row.target, 0)
  t.is(row.targetName, 'sum')
  t.deepEqual(row.rows[1].perStep, [3, -1, 2, 0.5])
  // Gradient: every step 1, so ties go in step order: sums 4.5, 1.5, 2.5, 0.5, 0.
  t.deepEqual(row.rows[0].curve, [4.5, 1.5, 2.5, 0.5, 0])
  t.deepEqual(comparison.ranking, [
    { method: 'gradient-x-input', meanAopc: 4.5 },
    { method: 'gradient', meanAopc: (3 + 2 + 4 + 4.5) / 4 },
  ])
  model.dispose()
})

test('the method names are the API methods and the presets; an unknown one is refused naming the valid ones', (t) => {
  const names = comparableMethodNames()
  for (const name of ['lrp', 'gradient', 'gradient-x-input', 'occlusion', 'cd', 'integrated-gradients', 'lrp-all', 'lrp-prop', 'lrp-abs', 'lrp-half', 'occlusion-f-diff', 'occlusion-p-diff'])
    t.true(names.includes(name), name)
  t.deepEqual(comparedMethod('lrp-prop').options, { preset: 'lrp-prop' })
  t.deepEqual(comparedMethod('occlusion').options, { method: 'occlusion' })
  t.throws(() => parseMethods('lrp,shap-ish'), { message: /^--methods: unknown method 'shap-ish'; valid: lrp, gradient, .*lrp-prop/ })
  t.throws(() => parseMethods('lrp,,occlusion'), { message: /^--methods takes names separated by commas/ })
  t.throws(() => parseMethods('lrp,lrp'), { message: "--methods names 'lrp' twice" })
})

test('on the SST model each point of the curve is predict of the copy with its top steps zeroed, and k = 1 is occlusion', async (t) => {
  const model = await loadModel(defaultModelPath())
  const { ids } = tokenizeText('Not a bad film, though the ending drags.', model.config)
  const occlusion = model.explain({ tokens: ids }, { method: 'occlusion' })
  const target = occlusion.target as number
  const curve = deletionCurve(model, { tokens: ids }, occlusion.perStep, target, 'zero', 3)
  const embedding = model.weights.get('embedding.weight')!.data
  const width = model.config.inputSize
  const order = Array.from(occlusion.perStep, (value, step) => ({ value, step })).sort((a, b) => b.value - a.value || a.step - b.step)
  for (let k = 0; k <= 3; k++) {
    const gone = new Set(order.slice(0, k).map(({ step }) => step))
    const rows = ids.map((id, step) => (gone.has(step) ? new Array<number>(width).fill(0) : Array.from(embedding.subarray(id * width, (id + 1) * width))))
    t.is(curve[k], model.predict(rows).scores[target], `k = ${k}`)
  }
  t.true(Math.abs(curve[0] - curve[1] - order[0].value) < 1e-5, `${curve[0] - curve[1]} vs occlusion ${order[0].value}`)
  const deleted = new StepRemover(model, { tokens: ids }, 'delete').without([2, 0], 2)
  t.deepEqual(deleted, { tokens: ids.filter((_, step) => step !== 0 && step !== 2) })
  model.dispose()
})

test('the page is self-contained and escapes the inputs; the SVG is well-formed XML', async (t) => {
  const model = await loadModel(defaultModelPath())
  const text = 'a <script>alert("x")</script> & "quoted" film'
  const { ids, tokens } = tokenizeText(text, model.config)
  const comparison = await runComparison(model, [{ where: '--text <1>', input: { tokens: ids }, tokens }], parseMethods('lrp,occlusion'), { removal: 'zero', maxRemovals: 4 })
  model.dispose()
  const html = comparisonHtml(comparison, 'compare <title>')
  t.false(/<script/i.test(html), 'no script element, and the input text escaped')
  t.true(html.includes('&lt;script&gt;'))
  t.true(html.includes('--text &lt;1&gt;'))
  t.true(html.includes('compare &lt;title&gt;'))
  t.false(/\b(src|href)\s*=|url\(|@import|<link|<iframe/i.test(html), 'nothing fetched')
  t.regex(html, /<table>.*<td>lrp<\/td>/s)
  const svg = comparisonSvg(comparison)
  t.true(svg.includes('&lt;script&gt;'))
  t.false(/<script/i.test(svg))
  t.notThrows(() => checkWellFormed(svg))
  for (const broken of ['<svg><g></svg>', '<svg><text>a < b</text></svg>', '<svg><text>a & b</text></svg>', '<svg x=1></svg>']) t.throws(() => checkWellFormed(broken), undefined, broken)
})

/** A minimal XML well-formedness check: every tag closes in order, attributes are quoted, entities are known. */
function checkWellFormed(xml: string): void {
  const open: string[] = []
  const body = xml.replace(/^<\?xml[^>]*\?>/, '')
  for (const match of body.matchAll(/<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|#39|#\d+);)/g)) {
    if (match[2] === undefined) throw new Error(`stray ${match[0]} at ${match.index}`)
    const [, closing, name, , selfClosing] = match
    if (closing === '/') {
      if (open.pop() !== name) throw new Error(`</${name}> closes the wrong element at ${match.index}`)
    } else if (selfClosing !== '/') open.push(name)
  }
  if (open.length > 0) throw new Error(`unclosed ${open.join(', ')}`)
}
