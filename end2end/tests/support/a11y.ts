import AxeBuilder from '@axe-core/playwright';
import { Browser, Page, expect } from '@playwright/test';

/** axe-core on the current page: no serious or critical WCAG 2.1 A/AA violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  expect(serious, `${page.url()}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

/**
 * axe-core needs scripts of its own, so a page seen without JavaScript is checked in a second
 * context that allows scripts but blocks the site's JavaScript and WebAssembly: axe sees the
 * server-rendered page exactly as a visitor without JavaScript does.
 */
export async function expectAccessibleWithoutScripts(
  browser: Browser,
  url: string,
  storageState?: string,
  locale = 'de-DE',
): Promise<void> {
  const context = await browser.newContext({ javaScriptEnabled: true, locale, storageState });
  try {
    await context.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    const page = await context.newPage();
    await page.goto(url);
    await expectAccessible(page);
  } finally {
    await context.close();
  }
}
