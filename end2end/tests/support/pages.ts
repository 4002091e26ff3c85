import { Locator, Page, expect } from '@playwright/test';
import { expectAccessible } from './a11y';
import { enterCode, isEnrolled } from './totp';

/** Page objects: what a person sees and does, by label and role. */
export class RegisterPage {
  constructor(private page: Page) {}
  /** `axe: false` where the page runs without JavaScript (axe-core needs it). */
  async open({ axe = true } = {}) {
    await this.page.goto('/register');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Konto anlegen' })).toBeVisible();
    if (axe) await expectAccessible(this.page);
  }
  async register(email: string, name: string, password: string) {
    await this.page.getByLabel('E-Mail-Adresse').fill(email);
    await this.page.getByLabel('Anzeigename').fill(name);
    await this.page.getByLabel('Passwort').fill(password);
    await this.page.getByRole('button', { name: 'Konto anlegen' }).click();
  }
}

export class LoginPage {
  constructor(private page: Page) {}
  async open() {
    await this.page.goto('/login');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Anmelden' })).toBeVisible();
  }
  /** Logs in; an account with a second factor gets its code entered on the next step
   *  (`code: false` stops at that step). */
  async login(email: string, password: string, { code = true } = {}) {
    await this.page.getByLabel('E-Mail-Adresse').fill(email);
    await this.page.getByLabel(/^Passwort/).fill(password);
    await this.page.getByRole('main').getByRole('button', { name: 'Anmelden' }).click();
    if (code && isEnrolled(email)) {
      await this.page.waitForURL(/\/login\/code/);
      await enterCode(this.page, email);
    }
  }
}

export class Header {
  constructor(private page: Page) {}
  nav() {
    return this.page.getByRole('navigation', { name: 'Hauptnavigation' });
  }
  async expectSignedIn() {
    await expect(this.nav().getByRole('link', { name: 'Konto' })).toBeVisible();
    await expect(this.nav().getByRole('button', { name: 'Abmelden' })).toBeVisible();
  }
  async expectSignedOut() {
    await expect(this.nav().getByRole('link', { name: 'Anmelden' })).toBeVisible();
  }
  async logout() {
    await this.nav().getByRole('button', { name: 'Abmelden' }).click();
    await expect(this.page.getByRole('status')).toContainText('Sie haben sich abgemeldet.');
  }
}

/** Waits until the submit button of an island is hydrated, so a click takes the JavaScript
 *  path (answer in place) rather than the plain post; a click before that reloads the page
 *  (on an error, with the form filled in again). */
export async function expectHydrated(button: Locator) {
  await expect(button).toHaveAttribute('data-hydrated', 'true');
}
