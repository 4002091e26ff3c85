import { signInApi } from './support/totp';
import * as os from 'node:os';
import * as path from 'node:path';
import { PlaywrightWorkerArgs, expect, test } from '@playwright/test';
import { BASE_URL } from '../playwright.config';
import { expectAccessible, expectAccessibleWithoutScripts } from './support/a11y';
import { waitForMail } from './support/mail';

type PlaywrightApi = PlaywrightWorkerArgs['playwright'];

// A resident submits a proposal without JavaScript, another supports and comments on it with
// JavaScript, the author replies without, the reply reaches the commenter in the hourly
// digest (with a one-click unsubscribe that works), staff answer publicly, the history shows
// it and the author hears of it by email.

const STATES = {
  anna: path.join(os.tmpdir(), `dorfplatz-e2e-proposal-anna-${process.pid}.json`),
  peter: path.join(os.tmpdir(), `dorfplatz-e2e-proposal-peter-${process.pid}.json`),
  staff: path.join(os.tmpdir(), `dorfplatz-e2e-proposal-staff-${process.pid}.json`),
  sabine: path.join(os.tmpdir(), `dorfplatz-e2e-proposal-sabine-${process.pid}.json`),
};

const signIn = (playwright: PlaywrightApi, email: string, file: string) => signInApi(playwright, email, file);

test.beforeAll(async ({ playwright }) => {
  await signIn(playwright, 'anna.schmidt@kalletal.example', STATES.anna);
  await signIn(playwright, 'peter.mueller@kalletal.example', STATES.peter);
  // The administration's second account: logging in is limited to five per account and
  // minute, and the other spec files sign the staff account in already.
  await signIn(playwright, 'admin@kalletal.example', STATES.staff);
  await signIn(playwright, 'sabine.krueger@kalletal.example', STATES.sabine);
});

test('a proposal goes from submission through support to an official answer', async ({ browser, request }) => {
  const title = `Mitfahrbank in Talle ${Date.now()}`;

  // Anna, without JavaScript: a mistake is named at its field, then the proposal is in.
  const anna = await browser.newContext({ storageState: STATES.anna, javaScriptEnabled: false, locale: 'de-DE' });
  const a = await anna.newPage();
  await a.goto('/proposals');
  await a.getByRole('link', { name: 'Vorschlag einreichen' }).click();
  await expect(a.getByRole('heading', { level: 1, name: 'Vorschlag einreichen' })).toBeVisible();
  await a.getByLabel('Titel').fill('Bank');
  await a.getByRole('button', { name: 'Vorschlag einreichen' }).click();
  await expect(a.locator('#f-title-error')).toContainText('mindestens 8 Zeichen');
  await expect(a.locator('#f-topic-error')).toContainText('Bitte wählen Sie ein Thema.');
  await a.getByLabel('Titel').fill(title);
  await a.getByLabel('Beschreibung').fill('Eine Bank am Ortsausgang, auf der man signalisiert, dass man mitgenommen werden möchte.');
  await a.getByLabel('Thema').selectOption({ label: 'Mobilität' });
  await a.getByLabel('Ortsteil (freiwillig)').selectOption({ label: 'Talle' });
  await a.getByRole('button', { name: 'Vorschlag einreichen' }).click();
  await expect(a.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(a.getByRole('status')).toContainText('Ihr Vorschlag ist eingereicht');
  const url = a.url();
  await expectAccessibleWithoutScripts(browser, url, STATES.anna);
  await anna.close();

  // Peter, with JavaScript, finds it by searching and supports it.
  const peter = await browser.newContext({ storageState: STATES.peter, locale: 'de-DE' });
  const p = await peter.newPage();
  await p.goto('/proposals');
  await p.getByLabel('Suche in Titel und Text').fill('Mitfahrbank');
  await p.getByRole('button', { name: 'Anzeigen' }).click();
  await p.getByRole('link', { name: title }).click();
  await expect(p.locator('#support-count')).toHaveText('0');
  await p.getByLabel('Per E-Mail über Antworten informieren').check();
  await p.getByRole('button', { name: 'Vorschlag unterstützen' }).click();
  await expect(p.locator('#support-count')).toHaveText('1');
  await expect(p.getByText('Sie unterstützen diesen Vorschlag.', { exact: true })).toBeVisible();
  await expectAccessible(p);

  // Peter comments (with JavaScript): an empty comment is named at its field first.
  const thread = p.locator('#comments');
  await thread.getByRole('button', { name: 'Kommentar veröffentlichen' }).click();
  await expect(p.locator('#comment-body-error')).toHaveText('Bitte schreiben Sie einen Kommentar.');
  await thread.getByLabel('Ihr Kommentar').fill('Gute Idee! Wo genau soll die Bank *stehen*?');
  await thread.getByRole('button', { name: 'Kommentar veröffentlichen' }).click();
  await expect(thread.getByRole('heading', { level: 2 })).toHaveText('Diskussion (1 Kommentar)');
  await expect(thread.locator('article.comment em')).toHaveText('stehen');
  await peter.close();

  // Anna replies without JavaScript: the reply form opens natively (<details>).
  const anna2 = await browser.newContext({ storageState: STATES.anna, javaScriptEnabled: false, locale: 'de-DE' });
  const a2 = await anna2.newPage();
  await a2.goto(url);
  const comment = a2.locator('#comments article.comment').first();
  await comment.getByText('Antworten', { exact: true }).click();
  await comment.getByLabel('Antwort an Peter Müller').fill('Am Ortsausgang Richtung Lemgo, beim Wartehäuschen.');
  await comment.getByRole('button', { name: 'Antwort veröffentlichen' }).click();
  await expect(a2.getByRole('status')).toContainText('Ihr Kommentar ist veröffentlicht.');
  const reply = a2.locator('#comments article.comment.depth-1');
  await expect(reply).toContainText('Am Ortsausgang Richtung Lemgo');
  await expectAccessibleWithoutScripts(browser, url, STATES.anna);
  await anna2.close();

  // The reply reaches Peter in his digest, with a one-click unsubscribe.
  const digest = await waitForMail(request, 'peter.mueller@kalletal.example', `Neues zu Vorschlag „${title}“`);
  expect(digest.text).toContain('Anna Schmidt hat auf Ihren Kommentar geantwortet');
  expect(digest.headers?.['list-unsubscribe']).toContain('/unsubscribe/one-click?');
  const unsubscribe = digest.text.match(/https?:\/\/\S+\/unsubscribe\?u=\S+&s=proposal:\S+/);
  expect(unsubscribe, digest.text).not.toBeNull();
  const guest = await browser.newContext({ locale: 'de-DE' });
  const g = await guest.newPage();
  await g.goto((unsubscribe as RegExpMatchArray)[0]);
  // Opening the link changes nothing; one click does.
  await expect(g.getByText(`Sie erhalten E-Mails zu Vorschlag „${title}“`)).toBeVisible();
  await g.getByRole('button', { name: 'E-Mails abbestellen' }).click();
  await expect(g.getByRole('status')).toContainText(`keine E-Mails mehr zu Vorschlag „${title}“`);
  await expectAccessible(g);
  await guest.close();

  // Staff answer; the history shows it, author and supporter get the answer.
  const staff = await browser.newContext({ storageState: STATES.staff, locale: 'de-DE' });
  const s = await staff.newPage();
  await s.goto(url);
  await s.getByLabel('Neuer Stand').selectOption({ label: 'in Prüfung' });
  await s.getByLabel('Öffentliche Antwort').fill('Die Verwaltung prüft einen Standort am Dorfgemeinschaftshaus.');
  await s.getByRole('button', { name: 'Speichern' }).click();
  const history = s.locator('#history');
  await expect(history).toContainText('in Prüfung');
  await expect(history).toContainText('Die Verwaltung prüft einen Standort am Dorfgemeinschaftshaus.');
  await expectAccessible(s);
  await staff.close();

  const mail = await waitForMail(request, 'anna.schmidt@kalletal.example', `„${title}“: in Prüfung`);
  expect(mail.text).toContain('in Prüfung');
  expect(mail.text).toContain('Die Verwaltung prüft einen Standort');
});

test('submitting works with JavaScript; supporting and commenting without', async ({ browser }) => {
  // With JavaScript (the form is no island): it comes back with the error and what was
  // typed, then the new proposal opens.
  const title = `Bücherschrank in Varenholz ${Date.now()}`;
  const js = await browser.newContext({ storageState: STATES.sabine, locale: 'de-DE' });
  const j = await js.newPage();
  await j.goto('/proposals/new');
  await j.getByLabel('Titel').fill(title);
  await j.getByRole('button', { name: 'Vorschlag einreichen' }).click();
  await expect(j.locator('#f-body-error')).toHaveText('Bitte beschreiben Sie Ihren Vorschlag.');
  await j.getByLabel('Beschreibung').fill('Ein offener Bücherschrank an der Bushaltestelle, zum Tauschen und Mitnehmen.');
  await j.getByLabel('Thema').selectOption({ label: 'Ortsentwicklung' });
  await j.getByRole('button', { name: 'Vorschlag einreichen' }).click();
  await expect(j.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await js.close();

  // Without JavaScript: support someone else's proposal, then discuss it.
  const plain = await browser.newContext({ storageState: STATES.sabine, javaScriptEnabled: false, locale: 'de-DE' });
  const p = await plain.newPage();
  await p.goto('/proposals?q=Dorfladen');
  await p.getByRole('link', { name: 'Dorfladen mit Café in Varenholz' }).click();
  const before = Number(await p.locator('#support-count').textContent());
  await p.getByRole('button', { name: 'Vorschlag unterstützen' }).click();
  await expect(p.getByText('Sie unterstützen diesen Vorschlag.', { exact: true })).toBeVisible();
  await expect(p.locator('#support-count')).toHaveText(String(before + 1));
  const thread = p.locator('#comments');
  await thread.getByRole('button', { name: 'Kommentar veröffentlichen' }).click();
  await expect(p.locator('#comment-body-error')).toHaveText('Bitte schreiben Sie einen Kommentar.');
  await thread.getByLabel('Ihr Kommentar').fill('Ich würde dort auch ehrenamtlich an der Kasse helfen.');
  await thread.getByRole('button', { name: 'Kommentar veröffentlichen' }).click();
  await expect(p.getByRole('status')).toContainText('Ihr Kommentar ist veröffentlicht.');
  await expect(p.locator('#comments')).toContainText('Ich würde dort auch ehrenamtlich an der Kasse helfen.');
  await plain.close();
});

test('moderators hide a reported comment from the queue; the thread shows the reason', async ({ browser }) => {
  const staff = await browser.newContext({ storageState: STATES.staff, locale: 'de-DE' });
  const s = await staff.newPage();
  await s.goto('/moderation');
  await expect(s.getByRole('heading', { level: 1, name: 'Moderation' })).toBeVisible();
  await expectAccessible(s);
  // The demo's open report: the queue shows the comment, the report and its reason.
  const item = s.locator('article.moderation-item', { hasText: 'Arbeitsgruppe Gesundheit' });
  await expect(item).toContainText('Werbung für eine Arbeitsgruppe gehört nicht hierher.');
  await item.getByRole('button', { name: 'Ausblenden', exact: true }).click();
  await expect(item.locator('.field-error')).toContainText('Bitte geben Sie den Grund an');
  await item.getByLabel('Öffentlicher Grund für das Ausblenden').fill('Aufrufe gehören in die Ankündigungen, nicht in die Diskussion');
  await item.getByRole('button', { name: 'Ausblenden', exact: true }).click();
  await expect(s.getByRole('status')).toContainText('Der Beitrag ist ausgeblendet');
  const hidden = s.locator('article.moderation-item', { hasText: 'Arbeitsgruppe Gesundheit' });
  await expect(hidden).toContainText('ausgeblendet: Aufrufe gehören in die Ankündigungen');
  await hidden.getByRole('link', { name: 'Kommentar zu Vorschlag „Kinderarzt im MVZ“' }).click();
  await expect(s.locator('#comments')).toContainText('ausgeblendet: Aufrufe gehören in die Ankündigungen, nicht in die Diskussion');
  await expect(s.locator('#comments')).not.toContainText('Der Beirat sucht Leute');
  await staff.close();
  await expectAccessibleWithoutScripts(browser, '/moderation', STATES.staff);
});
