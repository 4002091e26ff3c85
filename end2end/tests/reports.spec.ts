import { signInApi } from './support/totp';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Page, PlaywrightWorkerArgs, expect, test } from '@playwright/test';
import { BASE_URL } from '../playwright.config';
import { expectAccessible, expectAccessibleWithoutScripts } from './support/a11y';

type PlaywrightApi = PlaywrightWorkerArgs['playwright'];

// Staff read the tally of the medical care centre's petition (the demo checks its paper
// lines against a synthetic register), download the check report, and admins find that
// download in the audit trail.

const signIn = (playwright: PlaywrightApi, email: string, file: string) => signInApi(playwright, email, file);

const STAFF_STATE = path.join(os.tmpdir(), `dorfplatz-e2e-report-staff-${process.pid}.json`);
const ADMIN_STATE = path.join(os.tmpdir(), `dorfplatz-e2e-report-admin-${process.pid}.json`);
test.beforeAll(async ({ playwright }) => {
  await signIn(playwright, 'verwaltung@kalletal.example', STAFF_STATE);
  await signIn(playwright, 'admin@kalletal.example', ADMIN_STATE);
});

/** A figure of the summary table, by its key. */
async function figure(page: Page, key: string): Promise<number> {
  const text = (await page.locator(`#report-figures tr[data-key="${key}"] td`).textContent()) ?? '';
  return Number(text.replace(/\./g, ''));
}

function pdfFigure(text: string, label: string): number | undefined {
  for (const line of text.split('\n')) {
    const m = line.trim().match(new RegExp(`^${label}\\s{2,}([\\d.]+)$`));
    if (m) return Number(m[1].replace(/\./g, ''));
  }
  return undefined;
}

test.describe('staff', () => {
  test.use({ storageState: STAFF_STATE });

  test('the dashboard, the public figures and the check report agree', async ({ page, request }) => {
    await page.goto('/petitions/mvz-kalletal');
    await page.getByRole('link', { name: 'Auswertung und Prüfbericht' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Auswertung der Unterschriften' })).toBeVisible();
    await expect(page.locator('#report-verdict')).toContainText('Quorum');
    // Every chart is an image with a name, and has its table beside it.
    await expect(page.getByRole('img', { name: /Unterschriften nach Ortsteil/ })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Unterschriften nach Ortsteil' })).toBeVisible();
    await expect(page.getByRole('img', { name: /Ungültige Unterschriften nach Grund/ })).toBeVisible();
    await expectAccessible(page);

    const valid = await figure(page, 'valid');
    const invalid = await figure(page, 'invalid');
    const pending = await figure(page, 'pending');
    expect(valid + invalid).toBeGreaterThan(0);
    expect(await figure(page, 'total')).toBe(valid + invalid + pending);

    // The open data endpoint publishes the same figures.
    const tally = await (await request.get('/petitions/mvz-kalletal/tally.json')).json();
    expect([tally.valid, tally.invalid, tally.pending]).toEqual([valid, invalid, pending]);

    // The PDF report, downloaded as a user does, reads back with the same figures.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Prüfbericht (PDF)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^pruefbericht-mvz-kalletal-\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = await download.path();
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
    expect(text).toContain('Prüfbericht über die Unterschriften');
    expect(text).toContain('Gemeinde Kalletal');
    expect(pdfFigure(text, 'gültig')).toBe(valid);
    expect(pdfFigure(text, 'ungültig')).toBe(invalid);
    expect(pdfFigure(text, 'noch nicht entschieden')).toBe(pending);

    // The spreadsheet is a real workbook (a ZIP container).
    const xlsx = await request.get('/petitions/mvz-kalletal/report.xlsx');
    expect(xlsx.status()).toBe(200);
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
    fs.rmSync(file, { force: true });
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('the dashboard is complete as served', async ({ page, browser }) => {
      await page.goto('/petitions/mvz-kalletal/report');
      await expect(page.getByRole('heading', { level: 1, name: 'Auswertung der Unterschriften' })).toBeVisible();
      await expect(page.locator('svg[role="img"]')).toHaveCount(4);
      await expect(page.getByRole('table', { name: 'Unterschriften nach Tag' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'CSV (Tabellenkalkulation, Semikolon)' })).toHaveAttribute('href', '/petitions/mvz-kalletal/report.csv');
      // The page as served, without scripts, passes axe as well.
      await expectAccessibleWithoutScripts(browser, `${BASE_URL}/petitions/mvz-kalletal/report`, STAFF_STATE);
    });
  });
});

test.describe('admins', () => {
  test.use({ storageState: ADMIN_STATE });

  test('find the report download in the audit trail and check the chain', async ({ page }) => {
    await page.goto('/admin/audit');
    await expect(page.getByRole('heading', { level: 1, name: 'Administration: Protokoll' })).toBeVisible();
    await page.getByLabel('Handlung').selectOption('tally.exported');
    await page.getByRole('button', { name: 'Filtern' }).click();
    await expect(page).toHaveURL(/action=tally\.exported/);
    // The PDF downloaded in the staff test above, by the staff member who did it.
    const table = page.getByRole('table', { name: 'Protokolleinträge, neueste zuerst' });
    const pdf = table.getByRole('row').filter({ hasText: '"format":"pdf"' }).first();
    await expect(pdf).toContainText('Prüfbericht exportiert');
    await expect(pdf).toContainText('verwaltung@kalletal.example');
    await expect(table.getByRole('row').filter({ hasText: 'Rolle vergeben' })).toHaveCount(0);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Kette jetzt prüfen' }).click();
    await expect(page.locator('#chain-result')).toContainText('Die Kette ist vollständig');

    // A bad date is named at its field.
    await page.goto('/admin/audit?from=gestern');
    await expect(page.locator('#f-from-error')).toContainText('„gestern“ ist kein Datum');
  });
});
