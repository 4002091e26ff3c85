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
