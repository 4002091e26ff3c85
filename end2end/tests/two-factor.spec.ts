import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { linkIn, uniqueEmail, waitForMail } from './support/mail';
import { Header, LoginPage, RegisterPage } from './support/pages';
import { enterCode, freshCode, rememberSecret } from './support/totp';

test('a resident switches the second factor on and signs in with a code', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const email = uniqueEmail('zora');
  const register = new RegisterPage(page);
  await register.open({ axe: false });
  await register.register(email, 'Zora Zweifach', 'Zwei Schlüssel am Gartentor');
  await expect(page).toHaveURL(/\/login\?notice=registered/);
  const mail = await waitForMail(request, email, 'Bitte bestätigen Sie Ihre E-Mail-Adresse');
  await page.goto(linkIn(mail, '/confirm'));
  await page.getByRole('button', { name: 'E-Mail-Adresse bestätigen' }).click();
  await expect(page).toHaveURL(/notice=confirmed/);
  const login = new LoginPage(page);
  await login.login(email, 'Zwei Schlüssel am Gartentor');
  await expect(page).toHaveURL(/\/account$/);

  // The account page offers it and lists this browser among the signed-in devices.
  await expect(page.getByRole('region', { name: 'Angemeldete Geräte' })).toContainText('(dieses Gerät)');
  await page.getByRole('link', { name: 'Zwei-Faktor-Anmeldung einrichten' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Zwei-Faktor-Anmeldung' })).toBeVisible();
  await expect(page.getByRole('img', { name: /QR-Code/ })).toBeVisible();
  await expectAccessible(page);
  const secret = (await page.locator('#totp-secret').getAttribute('data-secret')) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  // A wrong code is named at its field; the page comes back with the same secret, and
  // the code is not shown again.
  await page.getByLabel('Code aus der App').fill('abc');
  await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einschalten' }).click();
  await expect(page.getByLabel('Code aus der App')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Code aus der App')).toHaveValue('');
  expect(await page.locator('#totp-secret').getAttribute('data-secret')).toBe(secret);
  rememberSecret(email, secret);
  await page.getByLabel('Code aus der App').fill(await freshCode(email));
  await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einschalten' }).click();
  const codes = page.getByRole('list', { name: 'Ihre Wiederherstellungscodes' });
  await expect(codes.getByRole('listitem')).toHaveCount(10);
  await expect(codes.getByRole('listitem').first()).toHaveText(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  await expectAccessible(page);
  await waitForMail(request, email, 'Zwei-Faktor-Anmeldung eingeschaltet');

  // Signing in now takes the code on a second step.
  const header = new Header(page);
  await header.logout();
  await login.open();
  await login.login(email, 'Zwei Schlüssel am Gartentor', { code: false });
  await expect(page).toHaveURL(/\/login\/code/);
  await expectAccessible(page);
  await page.getByLabel('Code aus der App').fill('999999');
  await page.getByRole('main').getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByLabel('Code aus der App')).toHaveAccessibleDescription(/Noch 4 Versuche/);
  await enterCode(page, email);
  await expect(page).toHaveURL(/\/account$/);
  await header.expectSignedIn();

  // "Überall abmelden" ends this browser's session too.
  await page.getByRole('button', { name: 'Überall abmelden' }).click();
  await expect(page.getByRole('status')).toContainText('auf allen Geräten abgemeldet');
  await header.expectSignedOut();
  expect(errors).toEqual([]);
});
