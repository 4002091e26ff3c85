import { APIRequestContext, Page, expect } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BASE_URL } from '../../playwright.config';

/**
 * One-time passwords as an authenticator app computes them (RFC 6238: HMAC-SHA1, six
 * digits, 30-second steps), from the secret the enrolment page shows. The secrets of the
 * accounts enrolled in a run, and the last time step used for each (a code works once),
 * live in a file: the setup project writes it, every spec file reads it.
 */
const FILE = join(__dirname, '..', '..', '.e2e-data', 'totp-secrets.json');

type Secrets = Record<string, { secret: string; lastStep: number }>;

function load(): Secrets {
  return existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as Secrets) : {};
}

function save(secrets: Secrets): void {
  mkdirSync(dirname(FILE), { recursive: true });
  writeFileSync(FILE, JSON.stringify(secrets, null, 2));
}

/** Forgets the secrets of an earlier run (the server starts with a fresh database). */
export function forgetSecrets(): void {
  save({});
}

export function rememberSecret(email: string, secret: string): void {
  const secrets = load();
  secrets[email] = { secret, lastStep: 0 };
  save(secrets);
}

export function isEnrolled(email: string): boolean {
  return email in load();
}

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

export function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

/** A code of `email` for a time step not used before (waits when the next one is used too). */
export async function freshCode(email: string): Promise<string> {
  for (;;) {
    const secrets = load();
    const entry = secrets[email];
    if (!entry) throw new Error(`${email} has not enrolled`);
    const now = Math.floor(Date.now() / 1000 / 30);
    const step = Math.max(now, entry.lastStep + 1);
    if (step <= now + 1) {
      entry.lastStep = step;
      save(secrets);
      return totp(entry.secret, step);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** On the code step of the login: enters a fresh code and sends it. */
export async function enterCode(page: Page, email: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Anmelden: zweiter Schritt' })).toBeVisible();
  await page.getByLabel('Code aus der App').fill(await freshCode(email));
  await page.getByRole('main').getByRole('button', { name: 'Anmelden' }).click();
}

/** Signs `email` in over the API (both steps) and stores the cookies in `file`. */
export async function signInApi(
  playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } },
  email: string,
  file: string,
): Promise<void> {
  const api = await playwright.request.newContext({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
  const headers = { origin: BASE_URL, accept: 'application/json' };
  const res = await api.post('/api/login', { form: { email, password: 'dorfplatz-demo' }, headers });
  expect(res.status()).toBe(200);
  if ((await res.json()) === 'code_required') {
    const code = await api.post('/api/login_code', { form: { code: await freshCode(email) }, headers });
    expect(code.status(), await code.text()).toBe(200);
  }
  await api.storageState({ path: file });
  await api.dispose();
}
