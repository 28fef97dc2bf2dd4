// The browser tests' Chromium with a static server of the repository, as ava hooks: apart from
// chromium.ts, which scripts outside ava (the browser doc-test) import too.
import test from 'ava'
import type { Browser, Page } from 'playwright-core'
import { fileURLToPath } from 'node:url'
import { launchChromium } from './chromium.js'
import { serveStatic, type StaticServer } from '../../scripts/static-server.mjs'

/**
 * Chromium and a static server of the repository for the tests of one file (started before them,
 * closed after): newPage() opens a tab on the repository's origin, where the page can import dist/.
 */
export function repositoryInChromium(): { newPage: () => Promise<Page>; url: () => string } {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  let browser: Browser | undefined
  let server: StaticServer | undefined
  test.before(async () => {
    browser = await launchChromium()
    server = await serveStatic({ '/': root })
  })
  test.after.always(async () => {
    await browser?.close()
    await server?.close()
  })
  const url = () => server!.url
  return {
    url,
    newPage: async () => {
      const page = await browser!.newPage()
      await page.goto(`${url()}/examples/browser/style.css`)
      return page
    },
  }
}
