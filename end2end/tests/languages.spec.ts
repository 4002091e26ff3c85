import { expect, test } from '@playwright/test';
import { expectAccessibleWithoutScripts } from './support/a11y';

// The interface in German and English: the header's switch works without JavaScript and is
// remembered; with JavaScript, pages the browser renders itself (client-side navigation)
// speak the chosen language too, from the texts the server put into the page.

test('the language switch works without JavaScript and is remembered', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
  const page = await context.newPage();
  await page.goto('/petitions');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('heading', { level: 1, name: 'Bürgerbegehren' })).toBeVisible();

  await page.getByRole('button', { name: /English/ }).click();
  await expect(page).toHaveURL(/\/petitions$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: "Citizens' petitions" })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Proposals' })).toBeVisible();

  // The choice outlives the page: the next page (and the browser's German wish) stay English.
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Dorfplatz' })).toBeVisible();
  // axe-core cannot run where scripts are off: the English page as a visitor without
  // JavaScript sees it is checked the way the crawl does it.
  await expectAccessibleWithoutScripts(browser, '/', undefined, 'en-GB');

  await page.getByRole('button', { name: /Deutsch/ }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('heading', { level: 1, name: 'Willkommen auf dem Dorfplatz' })).toBeVisible();
  await context.close();
});

test('with JavaScript, pages rendered in the browser speak the chosen language', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Dorfplatz' })).toBeVisible();
  // Wait for hydration: then the router renders the next page in the browser.
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: "Citizens' petitions" }).click();
  await expect(page).toHaveURL(/\/petitions$/);
  await expect(page.getByRole('heading', { level: 1, name: "Citizens' petitions" })).toBeVisible();
  await expect(page.getByText("Start a citizens' petition")).toBeVisible();
  await context.close();
});
