import { signInApi } from './support/totp';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, expect, test } from '@playwright/test';
import { BASE_URL } from '../playwright.config';
import { expectAccessible, expectAccessibleWithoutScripts } from './support/a11y';

// Every page a guest, a resident, a board chair, staff and the administrator can reach by
// following links from the start page, in German and in English (the browser's
// Accept-Language chooses), checked with axe-core (WCAG 2.1 A and AA: no serious or critical
// violation), once with JavaScript and once as the server renders it without. Pages of the
// same route (another proposal, another session) are checked once each: they share their
// markup. The file's name makes it run first, on the fresh demo.

const ROLES: Record<string, string | null> = {
  guest: null,
  // Peter's password is changed by the login tests; Sabine keeps hers.
  resident: 'sabine.krueger@kalletal.example',
  chair: 'beirat.vorsitz@kalletal.example',
  staff: 'verwaltung@kalletal.example',
  // The admin crawl was the reproducer of the server hang (docs/testing.md): it stays in.
  admin: 'admin@kalletal.example',
};

/** The languages, as a browser asks for them; the page's <html lang> must follow. */
const LANGUAGES: Record<string, string> = { de: 'de-DE', en: 'en-GB' };

const stateFile = (role: string) => path.join(os.tmpdir(), `dorfplatz-e2e-crawl-${role}-${process.pid}.json`);

/** Links that are files, feeds or machine interfaces, not pages. */
const NOT_A_PAGE = /\.(pdf|csv|xlsx|ics|json|xml|svg|atom|vtt)$|^\/(api|media|files|pkg|oparl)\b|\/(data)\.|^\/unsubscribe/;

/** One page per route: numbers and slugs of the same kind stand for each other. */
function routeOf(pathname: string): string {
  return pathname
    .replace(/\/\d+/g, '/:id')
    .replace(/^\/petitions\/(?!new$|confirm$|receipt$)[^/]+/, '/petitions/:slug');
}

async function crawl(browser: Browser, storageState: string | undefined, locale: string): Promise<string[]> {
  const context = await browser.newContext({ storageState, locale });
  const page = await context.newPage();
  const seen = new Map<string, string>();
  const queue = ['/'];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    const route = routeOf(new URL(next, BASE_URL).pathname);
    if (seen.has(route)) continue;
    const res = await page.goto(next);
    expect(res?.status(), next).toBeLessThan(500);
    seen.set(route, next);
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const href of hrefs) {
      const url = new URL(href);
      if (url.origin !== new URL(BASE_URL).origin || NOT_A_PAGE.test(url.pathname)) continue;
      const target = url.pathname + url.search;
      if (!seen.has(routeOf(url.pathname))) queue.push(target);
    }
  }
  await context.close();
  return [...seen.values()];
}

for (const [role, email] of Object.entries(ROLES)) {
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    test(`every page a ${role} reaches in ${lang} passes axe-core with and without JavaScript`, async ({ browser, playwright }) => {
      test.setTimeout(600_000);
      let state: string | undefined;
      if (email) {
        state = stateFile(role);
        await signInApi(playwright, email, state);
      }
      const pages = await crawl(browser, state, locale);
      // The crawl reached the parts of the site this role has.
      expect(pages).toContain('/barrierefreiheit');
      expect(pages).toContain('/leichte-sprache');
      if (role === 'staff') expect(pages).toContain('/staff/feedback');
      if (role === 'admin') expect(pages).toContain('/admin/accessibility');
      const context = await browser.newContext({ storageState: state, locale });
      const page = await context.newPage();
      for (const url of pages) {
        await page.goto(url);
        await expect(page.locator('html'), url).toHaveAttribute('lang', lang);
        await expectAccessible(page);
        await expectAccessibleWithoutScripts(browser, url, state, locale);
      }
      await context.close();
    });
  }
}
