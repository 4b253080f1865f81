/**
 * Chromium for the console's browser tests: Debian's /usr/bin/chromium driven by playwright-core. Without it
 * the tests skip with a message saying so (.ci/run installs it). Screenshots go to test-artifacts/ (ignored by git).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
export const ARTIFACTS = path.join(__dirname, '../../test-artifacts');

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `console-${name}.png`), fullPage: true });
}

/** A screenshot of one part of the page (easier to read than the whole). */
export async function shotOf(page: Page, selector: string, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.locator(selector).screenshot({ path: path.join(ARTIFACTS, `console-${name}.png`) });
}

/** The cells of a table's body rows, as text (header cells of a row included). */
export async function rowsOf(page: Page, selector: string): Promise<string[][]> {
  const out: string[][] = [];
  for (const row of await page.locator(`${selector} tbody tr`).all())
    out.push((await row.locator('th, td').allTextContents()).map((c) => c.trim()));
  return out;
}

/** Waits until the element's text matches. */
export async function textMatches(page: Page, selector: string, re: RegExp): Promise<void> {
  await page.waitForFunction(
    ([sel, source, flags]) =>
      new RegExp(source!, flags).test(
        (
          globalThis as unknown as {
            document: { querySelector(s: string): { textContent: string | null } | null };
          }
        ).document.querySelector(sel!)?.textContent ?? '',
      ),
    [selector, re.source, re.flags],
  );
}

/** Reads until `ok` holds (the page updates after a fetch), then answers the last read. */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}
