import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { linkIn, uniqueEmail, waitForMail } from './support/mail';
import { Header, LoginPage, RegisterPage } from './support/pages';

test('a resident registers, confirms by email, logs in and out', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Chromium logs every 4xx answer as a console error; a form's validation answer (422)
  // and the signed-out account page's 401 are expected, script, CSP and 404 errors are not.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: .* status of (401|422)/.test(m.text())) {
      errors.push(m.text());
    }
  });
  const email = uniqueEmail('eva');
  await page.goto('/');
  await expect(page.getByRole('banner')).toContainText('Gemeinde Kalletal');
  await expectAccessible(page);

  const register = new RegisterPage(page);
  await register.open();
  // Bad input first: the German messages stand at the fields, nothing is sent.
  await register.register('eva-at-kalletal', 'Eva Becker', 'kurz');
  await expect(page.getByRole('alert')).toContainText('Bitte prüfen Sie die markierten Angaben.');
  // The message is at the field: screen readers announce it with the input.
  await expect(page.getByLabel('E-Mail-Adresse')).toHaveAccessibleDescription(/Bitte geben Sie eine gültige E-Mail-Adresse ein/);
  await expect(page.getByLabel('Passwort')).toHaveAttribute('aria-invalid', 'true');
  // The form posts and comes back filled in, except the password.
  await expect(page.getByLabel('E-Mail-Adresse')).toHaveValue('eva-at-kalletal');
  await expect(page.getByLabel('Anzeigename')).toHaveValue('Eva Becker');
  await expect(page.getByLabel('Passwort')).toHaveValue('');
  await expectAccessible(page);

  await register.register(email, 'Eva Becker', 'mein-sicheres-passwort');
  await expect(page).toHaveURL(/\/login\?notice=registered/);
  await expect(page.getByRole('status')).toContainText('Wir haben Ihnen eine E-Mail');

  const mail = await waitForMail(request, email, 'Bitte bestätigen Sie Ihre E-Mail-Adresse');
  expect(mail.html).toContain('Hallo Eva Becker');
  await page.goto(linkIn(mail, '/confirm'));
  await expectAccessible(page);
  await page.getByRole('button', { name: 'E-Mail-Adresse bestätigen' }).click();
  await expect(page).toHaveURL(/notice=confirmed/);

  const login = new LoginPage(page);
  await login.login(email, 'falsches-passwort');
  await expect(page.getByRole('alert')).toContainText('E-Mail-Adresse oder Passwort ist falsch.');
  await login.login(email, 'mein-sicheres-passwort');
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Ihr Konto' })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  const header = new Header(page);
  await header.expectSignedIn();
  await expectAccessible(page);

  await header.logout();
  await header.expectSignedOut();
  expect(errors, 'no script errors, no CSP violations').toEqual([]);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?notice=login_required/);
});

test('a forgotten password is reset through the emailed link', async ({ page, request }) => {
  const email = 'peter.mueller@kalletal.example';
  await page.goto('/login');
  await page.getByRole('link', { name: 'Passwort vergessen?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Passwort zurücksetzen' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByRole('button', { name: 'Link anfordern' }).click();
  await expect(page.getByRole('status')).toContainText('Wenn zu dieser Adresse ein Konto besteht');

  const mail = await waitForMail(request, email, 'Passwort zurücksetzen');
  const link = linkIn(mail, '/password-reset/new');
  await page.goto(link);
  await expectAccessible(page);
  await page.getByLabel('Neues Passwort').fill('peters-neues-passwort');
  await page.getByRole('button', { name: 'Passwort speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Ihr neues Passwort ist gespeichert');

  const login = new LoginPage(page);
  await login.login(email, 'peters-neues-passwort');
  await new Header(page).expectSignedIn();

  // The link works only once.
  await page.goto(link);
  await page.getByLabel('Neues Passwort').fill('noch-ein-passwort');
  await page.getByRole('button', { name: 'Passwort speichern' }).click();
  await expect(page.getByRole('alert')).toContainText('Dieser Link ist ungültig');
});

test('an administrator grants a role on the admin page', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.login('admin@kalletal.example', 'dorfplatz-demo');
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Administration' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Administration: Konten und Rollen' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Suche nach Name oder E-Mail-Adresse').fill('sabine');
  await page.getByRole('button', { name: 'Suchen' }).click();
  await expect(page.getByText('1 Konto gefunden.')).toBeVisible();
  await page.getByRole('button', { name: 'Verwaltung gewähren: Sabine Krüger' }).click();
  await expect(page.getByRole('status')).toContainText('Die Rolle wurde geändert.');
  await expect(page.getByRole('button', { name: 'Verwaltung entziehen: Sabine Krüger' })).toBeVisible();
});
