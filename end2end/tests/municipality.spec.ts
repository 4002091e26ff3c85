import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { LoginPage } from './support/pages';

test('staff enter the municipality figures and see the required signatures', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.login('verwaltung@kalletal.example', 'dorfplatz-demo');
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Verwaltung' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Gemeindedaten für Bürgerbegehren' })).toBeVisible();
  // The demo: 9 % of 11,387 citizens (§ 26 Abs. 4 GO NRW).
  const quorum = page.getByRole('region', { name: 'Erforderliche Unterschriften' });
  await expect(quorum).toContainText('1.025');
  await expect(quorum).toContainText('§ 26 Abs. 4 GO NRW: 9 % von 11.387');
  await expectAccessible(page);

  // A wrong figure is named at its field and nothing changes.
  await page.getByLabel('Amtliche Einwohnerzahl').fill('zehntausend');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByLabel('Amtliche Einwohnerzahl')).toHaveAccessibleDescription(/Bitte geben Sie die Einwohnerzahl als ganze Zahl ein/);
  await expect(page.getByLabel('Amtliche Einwohnerzahl')).toHaveAttribute('aria-invalid', 'true');
  await expect(quorum).toContainText('1.025');

  // Baden-Württemberg: 7 % of the citizens.
  await page.getByLabel('Amtliche Einwohnerzahl').fill('13904');
  await page.getByLabel('Bundesland').selectOption('BW');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Die Einstellungen wurden gespeichert.');
  await expect(quorum).toContainText('§ 21 Abs. 3 GemO BW: 7 % von 11.387');
  await expect(quorum).toContainText('798');

  // Back to NRW for the other tests.
  await page.getByLabel('Bundesland').selectOption('NW');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(quorum).toContainText('1.025');
});

test('residents cannot open the staff page', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.login('anna.schmidt@kalletal.example', 'dorfplatz-demo');
  await expect(page).toHaveURL(/\/account$/);
  const res = await page.goto('/staff/municipality');
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'Keine Berechtigung' })).toBeVisible();
});

test('everyone can read how many signatures a petition needs and why', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Bürgerbegehren' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bürgerbegehren' })).toBeVisible();
  const quorum = page.getByRole('region', { name: 'Erforderliche Unterschriften' });
  await expect(quorum).toContainText('1.025');
  await expect(quorum).toContainText('Grundlage: 11.387 Bürgerinnen und Bürger');
  await expect(page.getByRole('heading', { level: 2, name: 'Die Regeln in Nordrhein-Westfalen (§ 26 GO NRW)' })).toBeVisible();
  await expect(page.getByText('Online geleistete Unterschriften zählen nicht für das Quorum', { exact: false })).toBeVisible();
  await expectAccessible(page);
});
