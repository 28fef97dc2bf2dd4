// The browser entry in real Chromium: the demo page, the same numbers as Node's native backend
// (1e-4 in f32, 1e-9 in f64), and a Vite build of the demo that runs without Node built-ins.
import test from 'ava'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { build } from 'vite'
import { loadModel } from '../../lib/index.js'
import { randomRefModel, randomSequence } from '../reference/random.js'
import { refModelFile } from '../helpers/ref-to-file.js'
import { ARCHITECTURES } from '../helpers/architectures.js'
import { assertClose } from '../helpers/compare.js'
import { serveStatic, type StaticServer } from '../helpers/static-server.js'
import { launchChromium } from '../helpers/chromium.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const outputDir = path.join(root, 'test-output')
const models = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-browser-'))
let browser: Browser
let server: StaticServer

test.before(async () => {
  mkdirSync(outputDir, { recursive: true })
  browser = await launchChromium()
  server = await serveStatic({ '/': root, '/models/': models })
})

test.after.always(async () => {
  await browser?.close()
  await server?.close()
  rmSync(models, { recursive: true, force: true })
})

interface DemoResult {
  relevance?: number[]
  scores?: number[]
  error?: string
}

async function demoResult(url: string, screenshot: string): Promise<DemoResult> {
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(url)
  await page.waitForFunction(() => (window as unknown as { lstmLrpDemo?: unknown }).lstmLrpDemo !== undefined, undefined, { timeout: 20000 })
  const result = (await page.evaluate(() => (window as unknown as { lstmLrpDemo: DemoResult }).lstmLrpDemo)) as DemoResult
  await page.screenshot({ path: path.join(outputDir, screenshot), fullPage: true })
  await page.close()
  if (errors.length > 0) throw new Error(errors.join('\n'))
  return result
}

const DEMO_INPUT = [[-0.757, 0], [0, -0.578], [0.642, 0], [0.504, 0], [0, -0.569], [0.64, 0]]

async function nodeDemoExplanation() {
  const model = await loadModel(path.join(root, 'examples', 'toy-addition.safetensors'), { backend: 'native' })
  const explanation = model.explain(DEMO_INPUT, { method: 'lrp', rule: 'all' })
  model.dispose()
  return explanation
}

test('the demo page explains the example in Chromium as Node does (static files, no build step)', async (t) => {
  const result = await demoResult(`${server.url}/examples/browser/index.html`, 'browser-demo.png')
  t.is(result.error, undefined)
  const expected = await nodeDemoExplanation()
  assertClose(t, result.scores!, expected.scores, 1e-4, 'scores')
  assertClose(t, result.relevance!, expected.relevance, 1e-4, 'relevance')
})

test('the Vite build of the demo has no Node built-ins and runs in Chromium', async (t) => {
  await build({ configFile: path.join(root, 'examples', 'browser', 'vite.config.js'), root: path.join(root, 'examples', 'browser'), logLevel: 'silent' })
  const outDir = path.join(root, 'build', 'browser-demo')
  const assets = readdirSync(path.join(outDir, 'assets'))
  t.true(assets.some((name) => /^lstm_lrp\.simd-.*\.wasm$/.test(name)), 'SIMD module emitted')
  t.true(assets.some((name) => /^lstm_lrp-.*\.wasm$/.test(name)), 'plain module emitted')
  for (const name of assets.filter((asset) => asset.endsWith('.js'))) {
    const code = readFileSync(path.join(outDir, 'assets', name), 'utf8')
    t.notRegex(code, /["'`]node:|require\(["'`](fs|path|worker_threads|module|os)["'`]\)|\.node["'`]/, `${name} references Node`)
  }
  const bundled = await serveStatic({ '/': outDir })
  t.teardown(() => bundled.close())
  const result = await demoResult(`${bundled.url}/index.html`, 'browser-demo-vite.png')
  t.is(result.error, undefined)
  assertClose(t, result.relevance!, (await nodeDemoExplanation()).relevance, 1e-4, 'relevance')
})

const PAGE_CASES = ['bidirectional, embedding (SST-like)', 'stacked bidirectional, head bias', 'markov, readout each']

for (const [index, name] of PAGE_CASES.entries()) {
  for (const [dtype, tolerance] of [['f64', 1e-9], ['f32', 1e-4]] as const) {
    test(`${name} [${dtype}]: explanations in Chromium equal Node's native backend`, async (t) => {
      const ref = randomRefModel(900 + index, ARCHITECTURES[name])
      const file = `${index}-${dtype}.safetensors`
      writeFileSync(path.join(models, file), refModelFile(ref, dtype))
      const input = ref.embedding ? { tokens: [3, 1, 4, 1, 5, 9, 2, 6] } : randomSequence(index, 8, ref.inputSize)
      const options = [{ method: 'lrp', rules: { input: 'prop', forget: 'half', output: 'abs' }, eps: 0.01, productEps: 0.2 }, { method: 'gradient-x-input' }, { method: 'occlusion' }] as const
      const page = await browser.newPage()
      await page.goto(`${server.url}/examples/browser/style.css`)
      const inPage = (await page.evaluate(
        async ({ url, input, options }) => {
          const api = await import(`${location.origin}/dist/browser.js`)
          const model = await api.loadModel(`${location.origin}${url}`)
          const results = options.map((option: object) => Array.from(model.explain(input, option).relevance as ArrayLike<number>))
          return { results, info: api.backendInfo(), backend: model.backend }
        },
        { url: `/models/${file}`, input, options: options as unknown as object[] },
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
