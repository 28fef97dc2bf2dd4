// The tarball tests' Vite app: an app folder whose node_modules has the packed lstm-lrp installed.
//   node scripts/tarball/vite-app.mjs build APP   bundle it; check both .wasm modules ship and
//                                                no JS chunk references a Node built-in or the addon
//   node scripts/tarball/vite-app.mjs run APP     open the bundle in headless Chromium (Debian's,
//                                                or CHROMIUM_PATH) and compare the explanation
// Vite and playwright-core come from this repository's devDependencies.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveStatic } from '../static-server.mjs'

const [mode, appArg] = process.argv.slice(2)
const app = path.resolve(appArg)
const out = path.join(app, 'dist')
const expected = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'expected.json'), 'utf8'))
const NODE_REFERENCE = /["'`]node:|require\(["'`](fs|path|os|module|worker_threads|child_process|url)["'`]\)|node-gyp-build|prebuilds\/|\.node["'`]/

async function bundle() {
  const { build } = await import('vite')
  await build({ root: app, configFile: false, logLevel: 'warn', build: { outDir: out, emptyOutDir: true, target: 'es2022' } })
  const assets = readdirSync(path.join(out, 'assets'))
  const problems = []
  if (!assets.some((name) => /^lstm_lrp\.simd-.*\.wasm$/.test(name))) problems.push('the SIMD .wasm module was not emitted')
  if (!assets.some((name) => /^lstm_lrp-.*\.wasm$/.test(name))) problems.push('the plain .wasm module was not emitted')
  const scripts = assets.filter((name) => name.endsWith('.js'))
  if (scripts.length === 0) problems.push('no JS chunk was emitted')
  for (const name of scripts) {
    const match = NODE_REFERENCE.exec(readFileSync(path.join(out, 'assets', name), 'utf8'))
    if (match) problems.push(`${name} references Node: ${match[0]}`)
  }
  console.log(`assets: ${assets.join(', ')}`)
  return problems
}

async function runInChromium() {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(executablePath)) return [`Chromium not found at ${executablePath}`]
  const server = await serveStatic({ '/': out })
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] })
  try {
    const page = await browser.newPage()
    const errors = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${server.url}/index.html`)
    await page.waitForFunction(() => globalThis.tarballTest !== undefined, undefined, { timeout: 30000 })
    const result = await page.evaluate(() => globalThis.tarballTest)
    console.log(JSON.stringify(result))
    const problems = [...errors]
    if (result.error) return [...problems, result.error]
    if (result.info.backend !== 'wasm') problems.push(`backend ${result.info.backend}`)
    const near = (got, want) => got.length === want.length && want.every((value, k) => Math.abs(got[k] - value) <= expected.tolerance)
    if (!near(result.scores, expected.scores)) problems.push(`scores ${result.scores}`)
    if (!near(result.perStep, expected.perStep)) problems.push(`perStep ${result.perStep}`)
    return problems
  } finally {
    await browser.close()
    await server.close()
  }
}

const problems = mode === 'build' ? await bundle() : mode === 'run' ? await runInChromium() : [`unknown mode ${mode}`]
for (const problem of problems) console.error(problem)
process.exitCode = problems.length > 0 ? 1 : 0
