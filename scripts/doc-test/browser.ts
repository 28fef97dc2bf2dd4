/**
 * Runs a documentation sample as a browser app would: an app folder whose page imports the sample
 * is bundled with Vite (its default settings) and opened in headless Chromium. Prints the page's
 * console output; fails on an uncaught error, a rejected top-level await or a failed request.
 *
 *   tsx scripts/doc-test/browser.ts APP SAMPLE   APP is a folder inside the project that has the package installed
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { launchChromium } from '../../test/helpers/chromium.js'
import { serveStatic } from '../static-server.mjs'

const PAGE = `<!doctype html>
<html>
  <head><meta charset="utf-8" /><link rel="icon" href="data:," /><title>lstm-lrp doc-test</title></head>
  <body><script type="module" src="./main.js"></script></body>
</html>
`
// The sample is its own module: importing it dynamically settles once its top-level awaits have.
function mainScript(sample: string): string {
  return `import('./${sample}').then(
  () => { window.docTest = { done: true } },
  (error) => { window.docTest = { error: String(error && error.stack ? error.stack : error) } },
)
`
}

async function run(app: string, sample: string): Promise<string[]> {
  mkdirSync(app, { recursive: true })
  const copy = sample.endsWith('.mts') ? 'sample.ts' : 'sample.js'
  copyFileSync(sample, path.join(app, copy))
  writeFileSync(path.join(app, 'index.html'), PAGE)
  writeFileSync(path.join(app, 'main.js'), mainScript(copy))
  const { build } = await import('vite')
  const out = path.join(app, 'dist')
  await build({ root: app, configFile: false, logLevel: 'warn', build: { outDir: out, emptyOutDir: true } })

  const server = await serveStatic({ '/': out })
  const browser = await launchChromium()
  const problems: string[] = []
  try {
    const page = await browser.newPage()
    page.on('console', (message) => console.log(message.text()))
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.stack ?? error.message}`))
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`))
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
    })
    await page.goto(`${server.url}/index.html`)
    await page.waitForFunction(() => (window as { docTest?: unknown }).docTest !== undefined, undefined, { timeout: 60_000 })
    const result = await page.evaluate(() => (window as { docTest?: { error?: string } }).docTest)
    if (result?.error !== undefined) problems.push(result.error)
  } finally {
    await browser.close()
    await server.close()
  }
  return problems
}

const [app, sample] = process.argv.slice(2)
const problems = await run(path.resolve(app), path.resolve(sample))
for (const problem of problems) console.error(problem)
process.exitCode = problems.length > 0 ? 1 : 0
