import { APIRequestContext, expect } from '@playwright/test';
import { MAILDEV_API } from '../../playwright.config';

export interface Mail {
  subject: string;
  text: string;
  html: string;
  to: { address: string }[];
  attachments?: { fileName: string; contentType: string }[];
  headers?: Record<string, string>;
}

/** Waits until maildev has received a message to `to` whose subject contains `subject`. */
export async function waitForMail(request: APIRequestContext, to: string, subject: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const res = await request.get(`${MAILDEV_API}/email`);
        const mails = (await res.json()) as Mail[];
        found = mails
          .filter((m) => m.to.some((t) => t.address === to) && m.subject.includes(subject))
          .pop();
        return found !== undefined;
      },
      { timeout: 20_000, message: `mail "${subject}" to ${to}` },
    )
    .toBe(true);
  return found as Mail;
}

/** The link to `path` (e.g. "/confirm") in a message's text part. */
export function linkIn(mail: Mail, path: string): string {
  const match = mail.text.match(new RegExp(`https?://\\S+${path.replace('/', '\\/')}\\?token=[A-Za-z0-9_-]+`));
  expect(match, `link to ${path} in: ${mail.text}`).not.toBeNull();
  return (match as RegExpMatchArray)[0];
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@kalletal.example`;
}
