import { signInApi } from './support/totp';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from '@playwright/test';
import { expectAccessible, expectAccessibleWithoutScripts } from './support/a11y';
import { uniqueEmail, waitForMail } from './support/mail';
import { expectHydrated } from './support/pages';

// The duties of a public body's website: the accessibility statement from every page's footer,
// a barrier reported without JavaScript and answered by staff by mail, the page in Leichte
// Sprache from every page's header, and "Meine Daten" from the account page.

const STATES = {
  staff: path.join(os.tmpdir(), `dorfplatz-e2e-a11y-staff-${process.pid}.json`),
  peter: path.join(os.tmpdir(), `dorfplatz-e2e-a11y-peter-${process.pid}.json`),
};

test.beforeAll(async ({ playwright }) => {
  await signInApi(playwright, 'verwaltung@kalletal.example', STATES.staff);
  await signInApi(playwright, 'peter.mueller@kalletal.example', STATES.peter);
});

test('a barrier reported without JavaScript is answered by staff and the answer arrives by mail', async ({ browser, request }) => {
  const email = uniqueEmail('barriere');
  const description = `Die Tabelle der Auszählung liest mein Bildschirmleser durcheinander vor (${Date.now()}).`;

  // A visitor without JavaScript finds the statement in the footer and reports a barrier.
  const plain = await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
  const v = await plain.newPage();
  await v.goto('/');
  await v.getByRole('contentinfo').getByRole('link', { name: 'Barrierefreiheit', exact: true }).click();
  await expect(v.getByRole('heading', { level: 1, name: 'Erklärung zur Barrierefreiheit' })).toBeVisible();
  await expect(v.getByRole('heading', { level: 2, name: 'Schlichtungsverfahren' })).toBeVisible();
  await expect(v.getByText('Gemeinde Kalletal, Fachbereich Zentrale Dienste')).toBeVisible();
  const form = v.locator('#feedback');
  await form.getByRole('button', { name: 'Rückmeldung senden' }).click();
  await expect(v.locator('#feedback-description-error')).toContainText('mindestens 10 Zeichen');
  await v.getByLabel('Was ist Ihnen aufgefallen?').fill(description);
  await v.getByLabel('Auf welcher Seite? (freiwillig)').fill('Auszählung des Bürgerbegehrens');
  await v.getByLabel(/Ihre E-Mail-Adresse/).fill(email);
  await v.getByRole('button', { name: 'Rückmeldung senden' }).click();
  await expect(v.getByRole('status')).toContainText('Vielen Dank, Ihre Rückmeldung ist angekommen.');
  await plain.close();
  await expectAccessibleWithoutScripts(browser, '/barrierefreiheit');

  // Staff see it in their queue, with the demo's overdue report marked, and answer it.
  const staff = await browser.newContext({ storageState: STATES.staff, locale: 'de-DE' });
  const s = await staff.newPage();
  await s.goto('/');
  await s.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Rückmeldungen' }).click();
  await expect(s.getByRole('heading', { level: 1, name: 'Rückmeldungen zur Barrierefreiheit' })).toBeVisible();
  await expect(s.locator('article.feedback-item.overdue').first()).toContainText('überfällig');
  await expectAccessible(s);
  const report = s.locator('article.feedback-item', { hasText: description });
  await expect(report).toContainText(email);
  await expectHydrated(report.getByRole('button', { name: 'Antwort senden' }));
  await report.getByLabel('Antwort (geht per E-Mail hinaus)').fill('Danke! Die Tabelle hat jetzt Spaltenüberschriften, die vorgelesen werden.');
  await report.getByRole('button', { name: 'Antwort senden' }).click();
  await expect(s.getByRole('status')).toContainText('Die Antwort ist gespeichert');
  const answered = s.locator('article.feedback-item', { hasText: description });
  await expect(answered).toContainText('beantwortet');
  await expect(answered).toContainText('Die Tabelle hat jetzt Spaltenüberschriften');
  await staff.close();

  const mail = await waitForMail(request, email, 'Antwort auf Ihre Rückmeldung zur Barrierefreiheit');
  expect(mail.text).toContain('Die Tabelle hat jetzt Spaltenüberschriften');
  expect(mail.text).toContain('Die Tabelle der Auszählung liest mein Bildschirmleser');
});

test('Leichte Sprache is one link away on every page, with and without JavaScript', async ({ browser, page }) => {
  await page.goto('/proposals');
  await page.getByRole('navigation', { name: 'Zugänglichkeit' }).getByRole('link', { name: 'Leichte Sprache' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Informationen in Leichter Sprache' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Wie finden Sie sich zurecht?' })).toBeVisible();
  await expectAccessible(page);
  await expectAccessibleWithoutScripts(browser, '/leichte-sprache');
});

test('Meine Daten: the account page offers everything stored, readable and as JSON', async ({ browser }) => {
  const context = await browser.newContext({ storageState: STATES.peter, locale: 'de-DE' });
  const p = await context.newPage();
  await p.goto('/account');
  const section = p.locator('section', { has: p.getByRole('heading', { level: 2, name: 'Meine Daten' }) });
  const [download] = await Promise.all([
    p.waitForEvent('download'),
    section.getByRole('link', { name: 'Als lesbare Seite herunterladen (HTML)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('meine-daten.html');
  const json = await context.request.get('/account/data.json');
  expect(json.status()).toBe(200);
  const data = await json.json();
  expect(data.account.email).toBe('peter.mueller@kalletal.example');
  expect(Array.isArray(data.comments)).toBe(true);
  await expectAccessible(p);
  await context.close();
});
