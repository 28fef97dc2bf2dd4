// The browser entry in real Chromium: the demo page (served over HTTP by a static server, by Vite's
// dev server and as a Vite build, and opened from file://), and the same numbers as Node's native
// backend (1e-4 in f32, 1e-9 in f64).
import test from 'ava'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { build, createServer } from 'vite'
import { defaultModelPath, loadModel, tokenizeText, type ExplainOptions, type Model, type ResolvedTarget } from '../../lib/index.js'
import { randomRefModel, randomSequence } from '../reference/random.js'
import { refModelFile } from '../helpers/ref-to-file.js'
import { ARCHITECTURES } from '../helpers/architectures.js'
import { assertClose } from '../helpers/compare.js'
import { serveStatic, type StaticServer } from '../../scripts/static-server.mjs'
import { launchChromium } from '../helpers/chromium.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const outputDir = path.join(root, 'test-output')
const demoDir = path.join(root, 'examples', 'browser')
const models = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-browser-'))
let browser: Browser
let server: StaticServer
let sentiment: Model

test.before(async () => {
  mkdirSync(outputDir, { recursive: true })
  browser = await launchChromium()
  server = await serveStatic({ '/': root, '/random-models/': models })
  sentiment = await loadModel(defaultModelPath(), { backend: 'native' })
})

test.after.always(async () => {
  await browser?.close()
  await server?.close()
  sentiment?.dispose()
  rmSync(models, { recursive: true, force: true })
})

interface DemoResult {
  renders: number
  method?: string
  target?: ResolvedTarget
  labels?: string[]
  tokens?: string[] | null
  unknown?: number[]
  probabilities?: number[] | null
  scores?: number[]
  relevance?: number[]
  perStep?: number[]
  error?: string
}

const DEFAULT_SENTENCE = 'A gorgeous, witty and deeply moving film, though not a flawless one.'
const SST_LABELS = ['very negative', 'negative', 'neutral', 'positive', 'very positive']

/** A page of the demo, failing the test on any page error or console error. */
async function openDemo(t: { teardown(fn: () => unknown): void }, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 860 } })
  t.teardown(() => page.close())
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  await page.goto(url)
  return { page, problems }
}

/** The demo's result once it has rendered more than `after` times. */
async function demoResult(page: Page, after = 0): Promise<DemoResult> {
  await page.waitForFunction((count) => ((window as unknown as { lstmLrpDemo?: DemoResult }).lstmLrpDemo?.renders ?? 0) > count, after, { timeout: 30000 })
  return (await page.evaluate(() => (window as unknown as { lstmLrpDemo: DemoResult }).lstmLrpDemo)) as DemoResult
}

/** Changes a control and waits for the page to explain again. */
async function change(page: Page, selector: string, value: string): Promise<DemoResult> {
  const before = (await demoResult(page)).renders
  await page.selectOption(selector, value)
  return demoResult(page, before)
}

function nodeExplanation(options: ExplainOptions) {
  return sentiment.explain({ tokens: tokenizeText(DEFAULT_SENTENCE, sentiment.config).ids }, options)
}

/** The page's defaults for each method, as explain() options. */
const METHOD_DEFAULTS: ExplainOptions[] = [
  { method: 'lrp', rule: 'all', eps: 0.001, biasFactor: 0 },
  { method: 'gradient' },
  { method: 'gradient-x-input' },
  { method: 'occlusion', occlusion: { score: 'logit', replacement: 'zero' } },
  { method: 'cd', cd: { convention: 'reference' } },
  { method: 'integrated-gradients', integratedGradients: { steps: 64, rule: 'midpoint' } },
  { method: 'shapley', shapley: { samples: 32 }, seed: 0 },
  { method: 'kernel-shap', kernelShap: { samples: 512 }, seed: 0 },
  { method: 'lime', lime: { samples: 1000, kernelWidth: 0.25 }, seed: 0 },
  { method: 'smoothgrad', smoothgrad: { over: 'gradient', noise: 0.1, samples: 32 }, seed: 0 },
]

test('the demo page explains the default sentence with the shipped model as Node does, shows every label with its probability, and a screenshot of it is not blank', async (t) => {
  const { page, problems } = await openDemo(t, `${server.url}/examples/browser/`)
  const result = await demoResult(page)
  t.is(result.error, undefined)
  t.deepEqual(result.labels, SST_LABELS)
  t.is(result.tokens!.join(' '), 'A gorgeous , witty and deeply moving film , though not a flawless one .')
  t.true(Math.abs(result.probabilities!.reduce((sum, p) => sum + p, 0) - 1) < 1e-6, 'probabilities sum to 1')
  const expected = nodeExplanation(METHOD_DEFAULTS[0])
  t.is(result.target, expected.target)
  assertClose(t, result.scores!, expected.scores, 1e-4, 'scores')
  assertClose(t, result.relevance!, expected.relevance, 1e-4, 'relevance')
  const bars = await page.locator('.bars li').allTextContents()
  t.deepEqual(
    bars.map((bar) => bar.replace(/[\d.]+%$/, '')),
    SST_LABELS,
  )
  t.regex((await page.locator('.bars li.predicted').textContent()) ?? '', /^very positive5\d\.\d%$/)
  t.is(await page.locator('#heatmap .t').count(), 15)
  t.regex((await page.locator('#legend').textContent()) ?? '', /−3\.1\d.*\+3\.1\d/)
  const screenshot = path.join(outputDir, 'browser-demo.png')
  await page.screenshot({ path: screenshot, fullPage: true })
  t.true(statSync(screenshot).size > 40_000, `the screenshot has content (${statSync(screenshot).size} bytes)`)
  t.deepEqual(problems, [])
})

test('every method re-renders the explanation with its default options as Node computes it, without errors', async (t) => {
  const { page, problems } = await openDemo(t, `${server.url}/examples/browser/index.html`)
  await demoResult(page)
  for (const options of [...METHOD_DEFAULTS.slice(1), METHOD_DEFAULTS[0]]) {
    const result = await change(page, '#method', options.method!)
    t.is(result.error, undefined, options.method)
    t.is(result.method, options.method)
    const shown = await page.locator('fieldset[data-method]:visible').evaluateAll((fieldsets) => fieldsets.map((fieldset) => (fieldset as HTMLElement).dataset.method))
    t.deepEqual(shown, ['gradient', 'gradient-x-input'].includes(options.method!) ? [] : [options.method], `${options.method}: only its options are shown`)
    t.regex((await page.locator('#heatmap .caption').textContent()) ?? '', new RegExp(`^${await page.locator('#method option:checked').textContent()}`))
    assertClose(t, result.relevance!, nodeExplanation(options).relevance, 1e-4, options.method!)
  }
  t.deepEqual(problems, [])
})

test("the method's options and the target selector change the explanation", async (t) => {
  const { page, problems } = await openDemo(t, `${server.url}/examples/browser/index.html`)
  const predicted = await demoResult(page)
  const veryNegative = await change(page, '#target', '0')
  t.is(veryNegative.target, 0)
  assertClose(t, veryNegative.relevance!, nodeExplanation({ target: 0 }).relevance, 1e-4, 'target 0')
  t.notDeepEqual(veryNegative.perStep, predicted.perStep)
  t.is(await page.locator('.bars li.explained .bar-label').textContent(), 'very negative')
  t.regex((await page.locator('#heatmap .caption').textContent()) ?? '', /explaining “very negative”/)
  const half = await change(page, '#lrp-rule', 'half')
  assertClose(t, half.relevance!, nodeExplanation({ target: 0, rule: 'half' }).relevance, 1e-4, 'rule half')
  await change(page, '#method', 'occlusion')
  const deleted = await change(page, '#occlusion-replacement', 'delete')
  assertClose(t, deleted.relevance!, nodeExplanation({ target: 0, method: 'occlusion', occlusion: { replacement: 'delete' } }).relevance, 1e-4, 'occlusion delete')
  await change(page, '#method', 'integrated-gradients')
  const before = (await demoResult(page)).renders
  await page.fill('#ig-steps', '8')
  await page.dispatchEvent('#ig-steps', 'change')
  const eight = await demoResult(page, before)
  assertClose(t, eight.relevance!, nodeExplanation({ target: 0, method: 'integrated-gradients', integratedGradients: { steps: 8 } }).relevance, 1e-4, 'ig 8 steps')
  t.deepEqual(problems, [])
})

test('typed words outside the vocabulary are marked, and bad options say what is wrong', async (t) => {
  const { page, problems } = await openDemo(t, `${server.url}/examples/browser/index.html`)
  let before = (await demoResult(page)).renders
  await page.fill('#input', 'The zxqvbn plot is blorfish but fun.')
  const typed = await demoResult(page, before)
  t.deepEqual(typed.unknown, [1, 4])
  t.deepEqual(await page.locator('#heatmap .t.unknown').allTextContents(), ['zxqvbn', 'blorfish'])
  t.regex((await page.locator('#legend').textContent()) ?? '', /not in the model’s vocabulary/)
  before = typed.renders
  await page.fill('#lrp-eps', '-1')
  await page.dispatchEvent('#lrp-eps', 'change')
  const refused = await demoResult(page, before)
  t.regex(refused.error ?? '', /eps/)
  t.regex((await page.locator('#status.error').textContent()) ?? '', /^Error: .*eps/)
  t.deepEqual(problems, [])
})

const TOY_INPUT = [
  [-0.757, 0],
  [0, -0.578],
  [0.642, 0],
  [0.504, 0],
  [0, -0.569],
  [0.64, 0],
]

async function nodeToyExplanation() {
  const model = await loadModel(path.join(root, 'examples', 'toy-addition.safetensors'), { backend: 'native' })
  const explanation = model.explain(TOY_INPUT, { method: 'lrp', rule: 'all' })
  model.dispose()
  return explanation
}

test('the toy addition tab explains the numeric example as Node does', async (t) => {
  const { page, problems } = await openDemo(t, `${server.url}/examples/browser/index.html`)
  const before = (await demoResult(page)).renders
  await page.click('#tab-numbers')
  const result = await demoResult(page, before)
  t.is(await page.getAttribute('#tab-numbers', 'aria-selected'), 'true')
  t.deepEqual(result.labels, ['output'])
  t.is(result.probabilities, null)
  const expected = await nodeToyExplanation()
  assertClose(t, result.scores!, expected.scores, 1e-4, 'scores')
  assertClose(t, result.relevance!, expected.relevance, 1e-4, 'relevance')
  t.is(await page.locator('#heatmap .t').count(), TOY_INPUT.length)
  t.deepEqual(problems, [])
})

test('opened from file://, the demo says how to serve it', async (t) => {
  const { page } = await openDemo(t, pathToFileURL(path.join(demoDir, 'index.html')).href)
  await page.locator('#file-help').waitFor({ state: 'visible' })
  const help = (await page.locator('#file-help').textContent()) ?? ''
  t.regex(help, /npx vite examples\/browser/)
  t.regex(help, /http:\/\/localhost:\d+\/examples\/browser\//)
  t.is(await page.getAttribute('#file-help', 'role'), 'alert')
  t.regex((await page.locator('#status').textContent()) ?? '', /cannot be loaded from a file/)
})

test("Vite's dev server serves the demo with the shipped model", async (t) => {
  const vite = await createServer({ configFile: path.join(demoDir, 'vite.config.js'), root: demoDir, logLevel: 'silent', server: { host: '127.0.0.1', port: 0 } })
  await vite.listen()
  t.teardown(() => vite.close())
  const { page, problems } = await openDemo(t, vite.resolvedUrls!.local[0])
  const result = await demoResult(page)
  t.is(result.error, undefined)
  assertClose(t, result.relevance!, nodeExplanation(METHOD_DEFAULTS[0]).relevance, 1e-4, 'relevance')
  t.deepEqual(problems, [])
})

test('the Vite build of the demo ships the model and both .wasm modules, has no Node built-ins and runs in Chromium', async (t) => {
  await build({ configFile: path.join(demoDir, 'vite.config.js'), root: demoDir, logLevel: 'silent' })
  const outDir = path.join(root, 'build', 'browser-demo')
  const assets = readdirSync(path.join(outDir, 'assets'))
  t.true(
    assets.some((name) => /^lstm_lrp\.simd-.*\.wasm$/.test(name)),
    'SIMD module emitted',
  )
  t.true(
    assets.some((name) => /^lstm_lrp-.*\.wasm$/.test(name)),
    'plain module emitted',
  )
  t.true(
    assets.some((name) => /^sst-bilstm-.*\.safetensors$/.test(name)),
    'shipped model emitted',
  )
  for (const name of assets.filter((asset) => asset.endsWith('.js'))) {
    const code = readFileSync(path.join(outDir, 'assets', name), 'utf8')
    t.notRegex(code, /["'`]node:|require\(["'`](fs|path|worker_threads|module|os)["'`]\)|\.node["'`]/, `${name} references Node`)
  }
  const bundled = await serveStatic({ '/': outDir })
  t.teardown(() => bundled.close())
  const { page, problems } = await openDemo(t, `${bundled.url}/`)
  const result = await demoResult(page)
  t.is(result.error, undefined)
  assertClose(t, result.relevance!, nodeExplanation(METHOD_DEFAULTS[0]).relevance, 1e-4, 'relevance')
  const before = result.renders
  await page.click('#tab-numbers')
  assertClose(t, (await demoResult(page, before)).relevance!, (await nodeToyExplanation()).relevance, 1e-4, 'toy relevance')
  t.deepEqual(problems, [])
})

const PAGE_CASES = ['bidirectional, embedding (SST-like)', 'stacked bidirectional, head bias', 'markov, readout each']

for (const [index, name] of PAGE_CASES.entries()) {
  for (const [dtype, tolerance] of [
    ['f64', 1e-9],
    ['f32', 1e-4],
  ] as const) {
    test(`${name} [${dtype}]: explanations in Chromium equal Node's native backend`, async (t) => {
      const ref = randomRefModel(900 + index, ARCHITECTURES[name])
      const file = `${index}-${dtype}.safetensors`
      writeFileSync(path.join(models, file), refModelFile(ref, dtype))
      const input = ref.embedding ? { tokens: [3, 1, 4, 1, 5, 9, 2, 6] } : randomSequence(index, 8, ref.inputSize)
      const options = [
        { method: 'lrp', rules: { input: 'prop', forget: 'half', output: 'abs' }, eps: 0.01, productEps: 0.2 },
        { method: 'gradient-x-input' },
        { method: 'occlusion' },
        { method: 'shapley', shapley: { samples: 'exact' } },
        { method: 'kernel-shap', kernelShap: { samples: 64 }, seed: 3 },
        { method: 'lime', lime: { samples: 64 }, seed: 4 },
        { method: 'smoothgrad', smoothgrad: { over: 'gradient-x-input', samples: 4 }, seed: 5 },
      ] as const
      const page = await browser.newPage()
      await page.goto(`${server.url}/examples/browser/style.css`)
      const inPage = (await page.evaluate(
        async ({ url, input, options }) => {
          const api = await import(`${location.origin}/dist/browser.js`)
          const model = await api.loadModel(`${location.origin}${url}`)
          const results = options.map((option: object) => Array.from(model.explain(input, option).relevance as ArrayLike<number>))
          return { results, info: api.backendInfo(), backend: model.backend }
        },
        { url: `/random-models/${file}`, input, options: options as unknown as object[] },
      )) as { results: number[][]; info: { backend: string; simd: string }; backend: { backend: string } }
      await page.close()
      t.is(inPage.info.backend, 'wasm')
      t.is(inPage.info.simd, 'simd128')
      t.is(inPage.backend.backend, 'wasm')
      const native = await loadModel(refModelFile(ref, dtype), { backend: 'native' })
      options.forEach((option, k) => {
        const expected = native.explain(input, option as Parameters<typeof native.explain>[1])
        assertClose(t, inPage.results[k], expected.relevance, tolerance, `${option.method}`)
      })
      native.dispose()
    })
  }
}
