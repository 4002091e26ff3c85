import { expect, test } from '@playwright/test';
import { expectAccessibleWithoutScripts } from './support/a11y';
import { linkIn, uniqueEmail, waitForMail } from './support/mail';
import { Header, LoginPage, RegisterPage } from './support/pages';

test.use({ javaScriptEnabled: false });

test('registering and logging in work without JavaScript', async ({ browser, page, request }) => {
  const email = uniqueEmail('nojs');
  const register = new RegisterPage(page);
  await register.open({ axe: false });
  await register.register(email, 'Otto Ohne-Skript', 'kurz');
  // The server redirects back with the error; the page shows it at the field.
  await expect(page).toHaveURL(/\/register\?/);
  await expect(page.getByLabel('Passwort')).toHaveAccessibleDescription(/Das Passwort muss mindestens 10 Zeichen lang sein./);
  await expectAccessibleWithoutScripts(browser, page.url());

  await register.register(email, 'Otto Ohne-Skript', 'ohne-javascript-geht-es');
  await expect(page).toHaveURL(/\/login\?notice=registered/);
  const mail = await waitForMail(request, email, 'Bitte bestätigen Sie Ihre E-Mail-Adresse');
  await page.goto(linkIn(mail, '/confirm'));
  await page.getByRole('button', { name: 'E-Mail-Adresse bestätigen' }).click();
  await expect(page.getByRole('status')).toContainText('Ihre E-Mail-Adresse ist bestätigt');

  const login = new LoginPage(page);
  await login.login(email, 'ohne-javascript-geht-es');
  await expect(page).toHaveURL(/\/account$/);
  const header = new Header(page);
  await header.expectSignedIn();
  await header.logout();
  await header.expectSignedOut();
});

test('staff save the municipality figures without JavaScript', async ({ browser, page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.login('verwaltung@kalletal.example', 'dorfplatz-demo');
  await page.goto('/staff/municipality');
  await page.getByLabel('Zahl der Bürgerinnen und Bürger (Unterschriftsberechtigte)').fill('20000');
  await page.getByRole('button', { name: 'Speichern' }).click();
  // The server sends the form back with the message at the field, and saves nothing.
  await expect(page.getByLabel('Zahl der Bürgerinnen und Bürger (Unterschriftsberechtigte)')).toHaveAccessibleDescription(
    /Es kann nicht mehr Bürgerinnen und Bürger als Einwohner geben./,
  );
  await expectAccessibleWithoutScripts(browser, page.url());
  const quorum = page.getByRole('region', { name: 'Erforderliche Unterschriften' });
  await expect(quorum).toContainText('1.025');

  await page.getByLabel('Zahl der Bürgerinnen und Bürger (Unterschriftsberechtigte)').fill('11.387');
  await page.getByLabel('Stichtag dieser Zahl').fill('2025-09-14');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Die Einstellungen wurden gespeichert.');
  await expect(quorum).toContainText('1.025');
});
