import { signInApi } from './support/totp';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from '@playwright/test';
import { expectAccessible, expectAccessibleWithoutScripts } from './support/a11y';
import { uniqueEmail, waitForMail } from './support/mail';

// The duties of a public body's website: the accessibility statement from every page's footer,
// a barrier reported without JavaScript and answered by staff by mail, the page in Leichte
// Sprache from every page's header, and "Meine Daten" from the account page.

const STATES = {
  staff: path.join(os.tmpdir(), `dorfplatz-e2e-a11y-staff-${process.pid}.json`),
  peter: path.join(os.tmpdir(), `dorfplatz-e2e-a11y-peter-${process.pid}.json`),
  admin: path.join(os.tmpdir(), `dorfplatz-e2e-a11y-admin-${process.pid}.json`),
};

test.beforeAll(async ({ playwright }) => {
  await signInApi(playwright, 'verwaltung@kalletal.example', STATES.staff);
  await signInApi(playwright, 'peter.mueller@kalletal.example', STATES.peter);
  await signInApi(playwright, 'admin@kalletal.example', STATES.admin);
});

test('a barrier reported without JavaScript is answered by staff and the answer arrives by mail', async ({ browser, request }) => {
  const email = uniqueEmail('barriere');
  const description = `Die Tabelle der Auszählung liest mein Bildschirmleser durcheinander vor (${Date.now()}).`;

  // A visitor without JavaScript finds the statement in the footer and reports a barrier.
  const plain = await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
  const v = await plain.newPage();
  await v.goto('/');
  await v.getByRole('contentinfo').getByRole('link', { name: 'Barrierefreiheit', exact: true }).click();
  await expect(v.getByRole('heading', { level: 1, name: 'Erklärung zur Barrierefreiheit' })).toBeVisible();
  await expect(v.getByRole('heading', { level: 2, name: 'Schlichtungsverfahren' })).toBeVisible();
  await expect(v.getByText('Gemeinde Kalletal, Fachbereich Zentrale Dienste')).toBeVisible();
  const form = v.locator('#feedback');
  await form.getByRole('button', { name: 'Rückmeldung senden' }).click();
  await expect(v.locator('#feedback-description-error')).toContainText('mindestens 10 Zeichen');
  await v.getByLabel('Was ist Ihnen aufgefallen?').fill(description);
  await v.getByLabel('Auf welcher Seite? (freiwillig)').fill('Auszählung des Bürgerbegehrens');
  await v.getByLabel(/Ihre E-Mail-Adresse/).fill(email);
  await v.getByRole('button', { name: 'Rückmeldung senden' }).click();
  await expect(v.getByRole('status')).toContainText('Vielen Dank, Ihre Rückmeldung ist angekommen.');
  await plain.close();
  await expectAccessibleWithoutScripts(browser, '/barrierefreiheit');

  // Staff see it in their queue, with the demo's overdue report marked, and answer it.
  const staff = await browser.newContext({ storageState: STATES.staff, locale: 'de-DE' });
  const s = await staff.newPage();
  await s.goto('/');
  await s.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Rückmeldungen' }).click();
  await expect(s.getByRole('heading', { level: 1, name: 'Rückmeldungen zur Barrierefreiheit' })).toBeVisible();
  await expect(s.locator('article.feedback-item.overdue').first()).toContainText('überfällig');
  await expectAccessible(s);
  const report = s.locator('article.feedback-item', { hasText: description });
  await expect(report).toContainText(email);
  await report.getByLabel('Antwort (geht per E-Mail hinaus)').fill('Danke! Die Tabelle hat jetzt Spaltenüberschriften, die vorgelesen werden.');
  await report.getByRole('button', { name: 'Antwort senden' }).click();
  await expect(s.getByRole('status')).toContainText('Die Antwort ist gespeichert');
  const answered = s.locator('article.feedback-item', { hasText: description });
  await expect(answered).toContainText('beantwortet');
  await expect(answered).toContainText('Die Tabelle hat jetzt Spaltenüberschriften');
  await staff.close();

  const mail = await waitForMail(request, email, 'Antwort auf Ihre Rückmeldung zur Barrierefreiheit');
  expect(mail.text).toContain('Die Tabelle hat jetzt Spaltenüberschriften');
  expect(mail.text).toContain('Die Tabelle der Auszählung liest mein Bildschirmleser');
});

test('Leichte Sprache is one link away on every page, with and without JavaScript', async ({ browser, page }) => {
  await page.goto('/proposals');
  await page.getByRole('navigation', { name: 'Zugänglichkeit' }).getByRole('link', { name: 'Leichte Sprache' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Informationen in Leichter Sprache' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Wie finden Sie sich zurecht?' })).toBeVisible();
  await expectAccessible(page);
  await expectAccessibleWithoutScripts(browser, '/leichte-sprache');
});

test('Meine Daten: the account page offers everything stored, readable and as JSON', async ({ browser }) => {
  const context = await browser.newContext({ storageState: STATES.peter, locale: 'de-DE' });
  const p = await context.newPage();
  await p.goto('/account');
  const section = p.locator('section', { has: p.getByRole('heading', { level: 2, name: 'Meine Daten' }) });
  const [download] = await Promise.all([
    p.waitForEvent('download'),
    section.getByRole('link', { name: 'Als lesbare Seite herunterladen (HTML)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('meine-daten.html');
  const json = await context.request.get('/account/data.json');
  expect(json.status()).toBe(200);
  const data = await json.json();
  expect(data.account.email).toBe('peter.mueller@kalletal.example');
  expect(Array.isArray(data.comments)).toBe(true);
  await expectAccessible(p);
  await context.close();
});

test('a video in Gebärdensprache uploaded without JavaScript plays on the public page', async ({ browser }) => {
  // A real WebM, recorded by the browser itself from a canvas (no tool or file needed).
  const recorder = await browser.newPage();
  await recorder.goto('/');
  const bytes: number[] = await recorder.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    const stream = canvas.captureStream(10);
    const rec = new MediaRecorder(stream, { mimeType: 'video/webm' });
    const chunks: Blob[] = [];
    rec.ondataavailable = (e) => chunks.push(e.data);
    const done = new Promise((resolve) => (rec.onstop = resolve));
    rec.start();
    for (let i = 0; i < 10; i++) {
      ctx.fillStyle = `hsl(${i * 36}, 70%, 50%)`;
      ctx.fillRect(0, 0, 160, 120);
      await new Promise((r) => setTimeout(r, 100));
    }
    rec.stop();
    await done;
    return Array.from(new Uint8Array(await new Blob(chunks).arrayBuffer()));
  });
  await recorder.close();
  expect(bytes.length).toBeGreaterThan(100);

  const admin = await browser.newContext({ storageState: STATES.admin, javaScriptEnabled: false, locale: 'de-DE' });
  const a = await admin.newPage();
  await a.goto('/admin/accessibility');
  const videos = a.locator('#videos');
  const title = `Willkommen auf dem Dorfplatz ${Date.now()}`;
  // A file that is no video is named at its field.
  await videos.getByLabel('Punkt').selectOption({ label: 'Was diese Website bietet' });
  await videos.getByLabel(/^Titel/).fill(title);
  await videos.getByLabel('Inhalt als Text (Abschrift)').fill('Hallo. Hier reden Sie bei der Gemeinde Kalletal mit: Vorschläge, Beirat, Bürgerbegehren.');
  await videos.getByLabel('Videodatei (MP4 oder WebM)').setInputFiles({ name: 'kein-video.webm', mimeType: 'video/webm', buffer: Buffer.from('<html>kein Video</html>') });
  await videos.getByRole('button', { name: 'Video hochladen' }).click();
  await expect(a.locator('#video-video-error')).toContainText('kein MP4- oder WebM-Video');
  await videos.getByLabel('Punkt').selectOption({ label: 'Was diese Website bietet' });
  await videos.getByLabel(/^Titel/).fill(title);
  await videos.getByLabel('Inhalt als Text (Abschrift)').fill('Hallo. Hier reden Sie bei der Gemeinde Kalletal mit: Vorschläge, Beirat, Bürgerbegehren.');
  await videos.getByLabel('Videodatei (MP4 oder WebM)').setInputFiles({ name: 'willkommen.webm', mimeType: 'video/webm', buffer: Buffer.from(bytes) });
  await videos.getByLabel('Untertitel (WebVTT, freiwillig)').setInputFiles({ name: 'willkommen.vtt', mimeType: 'text/vtt', buffer: Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nHallo.\n') });
  await videos.getByRole('button', { name: 'Video hochladen' }).click();
  await expect(a.getByRole('status')).toContainText('Das Video ist hochgeladen');
  await expect(videos).toContainText(`${title} (`);
  await admin.close();

  // Anyone finds it from the header; the browser loads and can play it.
  const visitor = await browser.newContext({ locale: 'de-DE' });
  const v = await visitor.newPage();
  await v.goto('/');
  await v.getByRole('navigation', { name: 'Zugänglichkeit' }).getByRole('link', { name: 'Gebärdensprache' }).click();
  await expect(v.getByRole('heading', { level: 1, name: 'Informationen in Deutscher Gebärdensprache' })).toBeVisible();
  const figure = v.locator('figure.sign-video', { hasText: title });
  await expect(figure.getByText('Hier reden Sie bei der Gemeinde Kalletal mit')).toBeVisible();
  const video = figure.locator('video');
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.readyState)).toBeGreaterThanOrEqual(1);
  expect(await video.evaluate((el: HTMLVideoElement) => el.textTracks.length)).toBe(1);
  await expectAccessible(v);
  await visitor.close();
});
