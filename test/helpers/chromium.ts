// Debian's Chromium driven by playwright-core (no browser download), headless.
import { chromium, type Browser, type Page } from 'playwright-core'
import { existsSync } from 'node:fs'

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
