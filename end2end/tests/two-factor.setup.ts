import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test as setup } from '@playwright/test';
import { expectAccessibleWithoutScripts } from './support/a11y';
import { LoginPage } from './support/pages';
import { freshCode, rememberSecret } from './support/totp';

// The demo's staff and administrator enrol in the second factor the way the site makes them:
// at their first login, without JavaScript, reading the secret as text from the page (as a
// screen reader or a password manager would) and confirming with a code computed from it.
setup.use({ javaScriptEnabled: false });

for (const email of ['verwaltung@kalletal.example', 'admin@kalletal.example']) {
  setup(`${email} enrols in the second factor without JavaScript`, async ({ browser, page }) => {
    const login = new LoginPage(page);
    await login.open();
    await login.login(email, 'dorfplatz-demo', { code: false });
    // Every other page leads to the enrolment page until the second factor is on.
    await expect(page).toHaveURL(/\/account\/two-factor\?notice=two_factor_required/);
    await page.goto('/staff/municipality');
    await expect(page).toHaveURL(/\/account\/two-factor\?notice=two_factor_required/);
    await expect(page.getByRole('status')).toContainText('brauchen die Zwei-Faktor-Anmeldung');
    await expect(page.getByRole('img', { name: /QR-Code/ })).toBeVisible();
    const uri = await page.getByLabel('Link für Passwort-Manager (otpauth)').inputValue();
    expect(uri).toMatch(/^otpauth:\/\/totp\/.+\?secret=[A-Z2-7]+/);
    const secret = (await page.locator('#totp-secret').getAttribute('data-secret')) ?? '';
    expect(uri).toContain(`secret=${secret}`);
    // The secret as text, in groups of four, to type it in by hand.
    await expect(page.locator('#totp-secret')).toHaveText(secret.match(/.{1,4}/g)?.join(' ') ?? '');
    const state = path.join(os.tmpdir(), `dorfplatz-e2e-enrol-${process.pid}.json`);
    await page.context().storageState({ path: state });
    await expectAccessibleWithoutScripts(browser, page.url(), state);

    // A wrong code is named at the field; the right one switches the second factor on.
    await page.getByLabel('Code aus der App').fill('12345');
    await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einschalten' }).click();
    await expect(page.getByLabel('Code aus der App')).toHaveAccessibleDescription(/6-stelligen Code/);
    rememberSecret(email, secret);
    await page.getByLabel('Code aus der App').fill(await freshCode(email));
    await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einschalten' }).click();
    await expect(page).toHaveURL(/notice=two_factor_enabled/);
    await expect(page.getByRole('list', { name: 'Ihre Wiederherstellungscodes' }).getByRole('listitem')).toHaveCount(10);
    // Now the staff pages open.
    await page.goto('/staff/municipality');
    await expect(page).toHaveURL(/\/staff\/municipality$/);
  });
}
