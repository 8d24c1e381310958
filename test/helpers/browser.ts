// Real Chromium (Debian's package) driven by playwright-core; never a downloaded browser.
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { ROOT } from './ferry'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SHOTS = join(ROOT, 'test-results', 'e2e')

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}
