import { expect, test } from '@playwright/test';
import { expectAccessibleWithoutScripts } from './support/a11y';
import { expectHydrated } from './support/pages';

// The interface in German and English: the header's switch works without JavaScript and is
// remembered; with JavaScript, what an island draws in the browser speaks the chosen
// language too, from the texts the server put into the page.

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

test('with JavaScript, an island renders in the chosen language in the browser', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto('/petitions/mvz-kalletal/sign');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: "Sign the citizens' petition" })).toBeVisible();
  // The signing form is an island: once it is awake, its answer is drawn in the browser,
  // from the texts the server put into the page, without loading another page.
  const submit = page.getByRole('button', { name: 'Sign' });
  await expectHydrated(submit);
  await submit.click();
  await expect(page.getByRole('alert')).toContainText('Please check the marked fields.');
  await expect(page.getByLabel('Surname')).toHaveAccessibleDescription(/Please enter your surname./);
  await expect(page).toHaveURL(/\/petitions\/mvz-kalletal\/sign$/);
  await context.close();
});
