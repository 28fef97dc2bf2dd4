// Debian's Chromium driven by playwright-core (no browser download), headless.
import test from 'ava'
import { chromium, type Browser, type Page } from 'playwright-core'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { serveStatic, type StaticServer } from './static-server.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`)
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

/** A new tab of the given size showing `content` (an HTML document). */
export async function pageWith(browser: Browser, content: string, viewport: { width: number; height: number }): Promise<Page> {
  const tab = await browser.newPage({ viewport })
  await tab.setContent(content)
  return tab
}

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
