import * as os from 'node:os';
import * as path from 'node:path';
import { Page, expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { signInApi } from './support/totp';

// The demo imports a synthetic register of Kalletal and checks every paper line against it;
// two lines of the medical care centre's petition wait for a person.

// One sign-in for the whole file (logging in is rate-limited per account, and the login
// page has its own tests): the session cookie is shared by every test's browser context.
const STAFF_STATE = path.join(os.tmpdir(), `dorfplatz-e2e-staff-${process.pid}.json`);
test.beforeAll(async ({ playwright }) => {
  await signInApi(playwright, 'verwaltung@kalletal.example', STAFF_STATE);
});
test.use({ storageState: STAFF_STATE });

function waiting(page: Page) {
  return page.getByRole('heading', { level: 2, name: /^Zur Prüfung: \d+$/ });
}

test('staff decide a doubtful signature beside its register entry', async ({ page }) => {
  await page.goto('/petitions/mvz-kalletal/manage');
  await page.getByRole('link', { name: /Unterschriften prüfen/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Unterschriften prüfen: / })).toBeVisible();
  await expect(waiting(page)).toHaveText('Zur Prüfung: 2');
  await expectAccessible(page);

  // The signature beside the register entry, the differing part marked in words too.
  const table = page.getByRole('table', { name: /Die Unterschrift neben den passenden Einträgen/ });
  await expect(table.getByRole('columnheader', { name: /^Person 1/ })).toBeVisible();
  await expect(table.getByText('(ähnlich)').first()).toBeVisible();
  // Keyboard first: nothing is chosen ahead; Space chooses, Enter decides.
  const person = page.getByRole('radio', { name: /^Es ist Person 1:/ });
  await expect(person).not.toBeChecked();
  await person.focus();
  await page.keyboard.press('Space');
  await expect(person).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Die Entscheidung ist gespeichert');
  await expect(waiting(page)).toHaveText('Zur Prüfung: 1');

  // The export has every signature with its status code.
  const csv = await page.request.get('/petitions/mvz-kalletal/signatures.csv');
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(text).toContain('kanal;blatt;zeile;bogencode;familienname');
  expect(text).toMatch(/\npaper;1;1;;[^\n]*;(valid|underage|not_citizen|not_main_residence|residence_too_short);/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('staff give the reason a signature does not count', async ({ page }) => {
      await page.goto('/petitions/mvz-kalletal/review');
    await expect(waiting(page)).toHaveText('Zur Prüfung: 1');
    await expect(page.getByRole('cell', { name: /unleserlich/ })).toBeVisible();
    await page.getByRole('radio', { name: 'Zählt nicht: unvollständig (Person nicht bestimmbar)' }).check();
    await page.getByRole('button', { name: 'Entscheiden' }).click();
    await expect(page.getByRole('status')).toContainText('Die Entscheidung ist gespeichert');
    await expect(waiting(page)).toHaveText('Zur Prüfung: 0');
    await expect(page.getByText('Keine Unterschrift wartet auf eine Entscheidung.')).toBeVisible();
    await expect(page.getByRole('row', { name: /unvollständig \(Person nicht bestimmbar\) incomplete 1/ })).toBeVisible();
  });

  test('a register file with a wrong header is refused with its reason', async ({ page }) => {
      await page.goto('/staff/residents');
    await expect(page.getByRole('heading', { level: 1, name: 'Melderegister' })).toBeVisible();
    await expect(page.getByText(/13\.904 Einwohnerinnen und Einwohner/)).toBeVisible();
    await page.getByLabel('Datei (höchstens 1 GiB)').setInputFiles({
      name: 'falsch.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Name;Vorname\nMüller;Anna\n'),
    });
    await page.getByRole('button', { name: 'Hochladen und einlesen' }).click();
    await expect(page).toHaveURL(/\/staff\/residents\?notice=register_upload_started/);
    await expect(page.getByRole('status')).toContainText('wird eingelesen');
    // The page reloads itself while the import runs; this one is refused at once.
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole('row', { name: /falsch\.csv/ })).toContainText('abgelehnt', { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await page.getByRole('row', { name: /falsch\.csv/ }).getByText('Bericht').click();
    await expect(page.getByText(/Die Kopfzeile muss lauten: Familienname;Vornamen;Geburtsdatum/)).toBeVisible();
    // The demo register is still the one in use.
    await expect(page.getByText(/aus „melderegister-demo\.csv“/)).toBeVisible();
  });
});

test('the register page is accessible', async ({ page }) => {
  await page.goto('/staff/residents');
  await expect(page.getByRole('heading', { level: 2, name: 'Register in Gebrauch' })).toBeVisible();
  await expectAccessible(page);
});
