import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags that work on these machines. Never a downloaded browser. */
export async function launchBrowser(options: { fakeMedia?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: run scripts/setup.sh --test (apt-get install chromium).`
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(options.fakeMedia
        ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']
        : [])
    ]
  });
}

/** Where to save screenshots for docs/, when asked (UPDATE_SCREENSHOTS=1). */
export function screenshotPath(name: string): string | undefined {
  return process.env.UPDATE_SCREENSHOTS ? `docs/screenshots/${name}.png` : undefined;
}

/** Waits until the page has hydrated, so what a test types is not reset by hydration. */
export async function hydrated(page: import('playwright-core').Page): Promise<void> {
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout: 30_000 });
}
