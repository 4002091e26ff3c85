import { signInApi } from './support/totp';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { APIRequestContext, Page, PlaywrightWorkerArgs, expect, test } from '@playwright/test';
import { BASE_URL, MAILDEV_API } from '../playwright.config';
import { expectAccessible, expectAccessibleWithoutScripts } from './support/a11y';
import { Mail, waitForMail } from './support/mail';

type PlaywrightApi = PlaywrightWorkerArgs['playwright'];

// The advisory board: the chair creates a session, invites the members (the invitation with
// its calendar entry arrives by email), a member accepts, the chair records attendance and a
// vote, approves and publishes the minutes; a resident who follows the board hears of both
// and reads the minutes. And the public view of the board, with and without an account.

const BOARD = 'Kommunaler Entwicklungsbeirat';

const STATES = {
  chair: path.join(os.tmpdir(), `dorfplatz-e2e-board-chair-${process.pid}.json`),
  mehmet: path.join(os.tmpdir(), `dorfplatz-e2e-board-mehmet-${process.pid}.json`),
  sabine: path.join(os.tmpdir(), `dorfplatz-e2e-board-sabine-${process.pid}.json`),
};

const MEMBERS = {
  chair: 'beirat.vorsitz@kalletal.example',
  mehmet: 'beirat.mitglied@kalletal.example',
  lea: 'beirat.jugend@kalletal.example',
  thomas: 'verwaltung@kalletal.example',
};
const SABINE = 'sabine.krueger@kalletal.example';

const signIn = (playwright: PlaywrightApi, email: string, file: string) => signInApi(playwright, email, file);

test.beforeAll(async ({ playwright }) => {
  // Logging in is limited to five per account and minute: each account signs in once here.
  await signIn(playwright, MEMBERS.chair, STATES.chair);
  await signIn(playwright, MEMBERS.mehmet, STATES.mehmet);
  await signIn(playwright, SABINE, STATES.sabine);
});

/** Local time in Kalletal, `minutes` from now, as a datetime-local value ("2026-12-03T19:00"). */
function berlinLocal(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000)
    .toLocaleString('sv-SE', { timeZone: 'Europe/Berlin', hour12: false })
    .replace(' ', 'T')
    .slice(0, 16);
}

/** The content lines of an iCalendar text, folding undone (RFC 5545, 3.1). */
function unfold(ics: string): string {
  return ics.replace(/\r?\n[ \t]/g, '');
}

function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
}

/** The text of an attachment of a message in maildev (stored under its generated name). */
async function attachmentText(request: APIRequestContext, mail: Mail, fileName: string): Promise<string> {
  const stored = mail as Mail & { id: string; attachments?: { fileName: string; generatedFileName: string }[] };
  const attachment = stored.attachments?.find((a) => a.fileName === fileName);
  expect(attachment, JSON.stringify(stored.attachments)).toBeDefined();
  const res = await request.get(
    `${MAILDEV_API}/email/${stored.id}/attachment/${encodeURIComponent(attachment?.generatedFileName ?? '')}`,
  );
  expect(res.status()).toBe(200);
  return res.text();
}

/** The link to the session page in a message's text part. */
function sessionLinkIn(mail: Mail, id: string): string {
  const match = mail.text.match(new RegExp(`https?://\\S+/sessions/${id}(?![\\d/.])`));
  expect(match, `link to session ${id} in: ${mail.text}`).not.toBeNull();
  return (match as RegExpMatchArray)[0];
}

/** The agenda item with this title on the manage page, and its id (`item-<id>`). */
async function agendaItem(page: Page, title: string) {
  const item = page.locator('#agenda li.agenda-item', { has: page.getByRole('heading', { name: title }) });
  await expect(item).toHaveCount(1);
  const id = ((await item.getAttribute('id')) ?? '').replace(/^item-/, '');
  expect(id).toMatch(/^\d+$/);
  return { item, id };
}

test('the chair runs a session from invitation to published minutes; a follower reads them', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  const title = `Sondersitzung Dorfentwicklung ${stamp}`;
  const openItem = `Spielplatz am Dorfgemeinschaftshaus Talle ${stamp}`;
  const closedItem = `Grundstücksangelegenheit Flurstück 12 ${stamp}`;
  const recommendation = `Der Entwicklungsbeirat empfiehlt dem Rat, den Spielplatz in Talle ${stamp} im Haushalt vorzusehen.`;
  const starts = berlinLocal(60);
  const ends = berlinLocal(180);

  // Sabine, a resident, follows the board to hear of new sessions and minutes.
  const sabineJs = await browser.newContext({ storageState: STATES.sabine, locale: 'de-DE' });
  const sj = await sabineJs.newPage();
  await sj.goto('/boards');
  await sj.getByRole('link', { name: BOARD }).click();
  await expect(sj.getByRole('heading', { level: 1, name: BOARD })).toBeVisible();
  const follow = sj.locator('#follow');
  await follow.getByRole('button', { name: 'Gremium folgen' }).click();
  await expect(sj.getByRole('status')).toContainText('Sie folgen jetzt diesem Gremium');
  await expect(follow).toContainText('Sie folgen diesem Gremium.');
  await expect(follow.getByRole('button', { name: 'Nicht mehr folgen' })).toBeVisible();
  await sabineJs.close();

  // The chair creates the session: an end before the start is named at its field, and the
  // form comes back open and filled in.
  const chair = await browser.newContext({ storageState: STATES.chair, locale: 'de-DE' });
  const c = await chair.newPage();
  await c.goto('/boards');
  await c.getByRole('link', { name: BOARD }).click();
  await expect(c.getByRole('heading', { level: 1, name: BOARD })).toBeVisible();
  const manageBoard = c.locator('#manage');
  await expect(manageBoard.getByRole('heading', { level: 2, name: 'Gremium verwalten' })).toBeVisible();
  const newSession = manageBoard.locator('details', { has: c.getByText('Neue Sitzung anlegen', { exact: true }) });
  await newSession.getByText('Neue Sitzung anlegen', { exact: true }).click();
  await newSession.getByLabel('Titel').fill(title);
  await newSession.getByLabel('Beginn').fill(starts);
  await newSession.getByLabel('Ende').fill(berlinLocal(0));
  await newSession.getByLabel('Adresse').fill('Dorfgemeinschaftshaus Talle, Am Sportplatz 2, 32689 Kalletal');
  await newSession.getByLabel('Raum').fill('Saal');
  await expect(newSession.getByLabel('Öffentliche Sitzung')).toBeChecked();
  await newSession.getByRole('button', { name: 'Sitzung anlegen' }).click();
  await expect(c.locator('#session-ends_at-error')).toHaveText('Das Ende muss nach dem Beginn liegen.');
  await expect(newSession.getByLabel('Ende')).toHaveAccessibleDescription(/Das Ende muss nach dem Beginn liegen/);
  await newSession.getByLabel('Ende').fill(ends);
  await newSession.getByRole('button', { name: 'Sitzung anlegen' }).click();

  await expect(c).toHaveURL(/\/sessions\/\d+\/manage/);
  const sessionId = (c.url().match(/\/sessions\/(\d+)\/manage/) as RegExpMatchArray)[1];
  const manageUrl = `/sessions/${sessionId}/manage`;
  await expect(c.getByRole('heading', { level: 1, name: `Sitzung leiten: ${title}` })).toBeVisible();
  await expect(c.getByRole('status')).toContainText('Die Sitzung ist angelegt.');
  await expect(c.locator('h1 + p.meta .badge')).toHaveText('In Vorbereitung');

  // No invitation without an agenda.
  const status = c.locator('#status');
  await status.getByRole('button', { name: 'Einladung verschicken' }).click();
  await expect(c.locator('#invite-invite')).toContainText('Die Tagesordnung ist leer.');

  // Two agenda items: a public one and a closed one.
  const newItem = c.getByRole('region', { name: 'Tagesordnungspunkt hinzufügen' });
  await newItem.getByRole('textbox', { name: 'Titel' }).fill(openItem);
  await newItem.getByLabel('Beschreibung (Markdown)').fill('Die Eltern aus Talle wünschen sich **neue Spielgeräte**.');
  await expect(newItem.getByLabel('Bezieht sich auf den Vorschlag')).toHaveValue('');
  await expect(newItem.getByLabel('Bezieht sich auf das Bürgerbegehren')).toHaveValue('');
  await expect(newItem.getByLabel(/^Öffentlich \(sonst/)).toBeChecked();
  await newItem.getByRole('button', { name: 'Hinzufügen' }).click();
  await expect(c.locator('#agenda ol.agenda > li')).toHaveCount(1);
  const { item: open, id: openId } = await agendaItem(c, `TOP 1 ${openItem}`);

  await newItem.getByRole('textbox', { name: 'Titel' }).fill(closedItem);
  await newItem.getByLabel('Beschreibung (Markdown)').fill('Kaufpreisverhandlung mit dem Eigentümer, vertraulich.');
  await newItem.getByLabel(/^Öffentlich \(sonst/).uncheck();
  await newItem.getByRole('button', { name: 'Hinzufügen' }).click();
  await expect(c.locator('#agenda ol.agenda > li')).toHaveCount(2);
  const { item: closed } = await agendaItem(c, `TOP 2 ${closedItem}`);
  await expect(closed.locator('h3 .badge')).toHaveText('nichtöffentlich');
  await expect(open.locator('h3 .badge')).toHaveCount(0);

  // An attachment for the public item: only PDFs and images are taken.
  await open.getByLabel('Anlage hochladen (PDF oder Bild, höchstens 10 MB)').setInputFiles({
    name: 'lageplan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Dies ist kein PDF.'),
  });
  await open.getByRole('button', { name: 'Hochladen', exact: true }).click();
  await expect(c.locator(`#file-${openId}-error`)).toContainText('Nur PDF-Dateien und Bilder');
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  await c.locator(`#item-${openId}`).getByLabel('Anlage hochladen (PDF oder Bild, höchstens 10 MB)').setInputFiles({
    name: 'lageplan.pdf', mimeType: 'application/pdf', buffer: pdf,
  });
  await c.locator(`#item-${openId}`).getByRole('button', { name: 'Hochladen', exact: true }).click();
  await expect(c.getByRole('status')).toContainText('Die Anlage ist hochgeladen.');
  await expect(c.locator(`#item-${openId} .files`).getByRole('link', { name: 'lageplan.pdf' })).toBeVisible();
  await expectAccessible(c);

  // The invitation goes out.
  await c.locator('#status').getByRole('button', { name: 'Einladung verschicken' }).click();
  await expect(c.getByRole('status')).toContainText('Die Einladung ist an alle Mitglieder verschickt');
  await expect(c.locator('h1 + p.meta .badge')).toHaveText('Eingeladen');
  await expect(c.locator('#status').getByRole('button', { name: 'Einladung erneut verschicken' })).toBeVisible();

  // Every member gets the invitation with the calendar entry; Mehmet's is read closely.
  const invitationSubject = `Einladung: ${title} (${BOARD})`;
  for (const email of [MEMBERS.chair, MEMBERS.lea, MEMBERS.thomas]) {
    const mail = await waitForMail(request, email, invitationSubject);
    expect(mail.attachments?.map((a) => a.fileName)).toEqual(['sitzung.ics']);
  }
  const invitation = await waitForMail(request, MEMBERS.mehmet, invitationSubject);
  expect(invitation.subject).toBe(invitationSubject);
  expect(invitation.text).toContain('Hallo Mehmet Yılmaz');
  expect(invitation.text).toContain(openItem);
  const attachment = invitation.attachments?.find((a) => a.fileName === 'sitzung.ics');
  expect(attachment, JSON.stringify(invitation.attachments)).toBeDefined();
  expect(attachment?.contentType).toMatch(/^text\/calendar/);
  const invitationIcs = unfold(await attachmentText(request, invitation, 'sitzung.ics'));
  expect(invitationIcs).toContain('METHOD:PUBLISH');
  expect(invitationIcs).toContain('BEGIN:VEVENT');
  expect(invitationIcs).toContain(`UID:session-${sessionId}@`);
  expect(invitationIcs).toContain(title);
  expect(invitationIcs).toContain(`DTSTART;TZID=Europe/Berlin:${starts.replace(/[-:]/g, '')}00`);

  // The follower hears of the new session, with a one-click unsubscribe.
  const news = await waitForMail(request, SABINE, `${BOARD}: Neue Sitzung: ${title}`);
  expect(news.headers?.['list-unsubscribe']).toContain('/unsubscribe/one-click?');
  expect(news.text).toContain(openItem);

  // The calendars: the session's own entry and the subscription with every public session.
  const ics = await request.get(`/sessions/${sessionId}.ics`);
  expect(ics.status()).toBe(200);
  expect(ics.headers()['content-type']).toContain('text/calendar');
  const one = unfold(await ics.text());
  expect(one).toContain('BEGIN:VEVENT');
  expect(one).toContain(`UID:session-${sessionId}@`);
  expect(one).toContain(`DTSTART;TZID=Europe/Berlin:${starts.replace(/[-:]/g, '')}00`);
  expect(one).toContain(title);
  const all = await request.get('/sessions.ics');
  expect(all.status()).toBe(200);
  expect(all.headers()['content-type']).toContain('text/calendar');
  const allText = unfold(await all.text());
  expect(allText).toContain(`UID:session-${sessionId}@`);
  expect(allText).toContain('1. Sitzung des Entwicklungsbeirats');

  // Mehmet, without JavaScript, follows the link in his invitation and accepts.
  const mehmet = await browser.newContext({ storageState: STATES.mehmet, javaScriptEnabled: false, locale: 'de-DE' });
  const m = await mehmet.newPage();
  await m.goto(sessionLinkIn(invitation, sessionId));
  await expect(m.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
  const answer = m.locator('#invitation');
  await expect(answer.getByRole('heading', { level: 2, name: 'Ihre Teilnahme' })).toBeVisible();
  await expect(answer).toContainText('Sie haben noch nicht geantwortet.');
  await answer.getByRole('button', { name: 'Ich komme', exact: true }).click();
  await expect(m.getByRole('status')).toContainText('Ihre Antwort auf die Einladung ist gespeichert.');
  await expect(m.locator('#invitation')).toContainText('Sie haben zugesagt.');
  // Members see the calendar entry and the attachment, but do not run the session.
  await expect(m.getByRole('link', { name: 'Termin in den Kalender (iCalendar)' })).toHaveAttribute('href', `/sessions/${sessionId}.ics`);
  await expect(m.getByRole('link', { name: 'Sitzung leiten und bearbeiten' })).toHaveCount(0);
  await expectAccessibleWithoutScripts(browser, m.url(), STATES.mehmet);
  await mehmet.close();

  // At the session: the chair sees the acceptance and records everyone as present.
  await c.goto(manageUrl);
  const attendance = c.locator('#attendance');
  await expect(attendance.getByRole('heading', { level: 2, name: 'Anwesenheit und Beschlussfähigkeit' })).toBeVisible();
  await expect(attendance.getByRole('checkbox', { name: /^Mehmet Yılmaz \(Mitglied\)/ })).toBeChecked();
  await expect(attendance.locator('label', { hasText: 'Mehmet Yılmaz' })).toContainText('hat zugesagt');
  const present = attendance.getByRole('checkbox');
  await expect(present).toHaveCount(4);
  for (const name of [/^Renate Vogt \(Vorsitz\)/, /^Lea Hoffmann \(Mitglied\)/, /^Thomas Brandt \(Verwaltung\)/]) {
    await attendance.getByRole('checkbox', { name }).check();
  }
  await attendance.getByRole('button', { name: 'Anwesenheit speichern' }).click();
  await expect(c.getByRole('status')).toContainText('Die Anwesenheit ist erfasst; die Sitzung gilt als durchgeführt.');
  await expect(c.locator('h1 + p.meta .badge')).toHaveText('Durchgeführt');
  await expect(c.locator('#attendance')).toContainText('Erfasst: 3 von 3 stimmberechtigten Mitgliedern anwesend, beschlussfähig.');

  // The outcome of the public item: more votes than voting members present are refused.
  const outcome = c.locator(`#item-${openId} details`, { has: c.getByText('Ergebnis zu TOP 1 erfassen') });
  await outcome.getByText('Ergebnis zu TOP 1 erfassen').click();
  await outcome.getByLabel('Notizen zur Beratung').fill('Die Verwaltung stellt drei Angebote für Spielgeräte vor.');
  await outcome.getByLabel('Text der Empfehlung').fill(recommendation);
  await outcome.getByLabel('Ja', { exact: true }).fill('3');
  await outcome.getByLabel('Nein', { exact: true }).fill('1');
  await outcome.getByLabel('Enthaltungen').fill('0');
  await outcome.getByLabel('Erforderliche Mehrheit').selectOption({ label: 'Einfache Mehrheit (mehr Ja- als Nein-Stimmen; Enthaltungen zählen nicht)' });
  await outcome.getByRole('button', { name: 'Ergebnis speichern' }).click();
  await expect(c.locator(`#outcome-${openId}-votes_yes-error`)).toHaveText(
    'Es wurden 4 Stimmen eingetragen, aber nur 3 stimmberechtigte Mitglieder sind anwesend.',
  );
  await expect(outcome.getByLabel('Ja', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(c.locator(`#item-${openId} .result`)).toHaveCount(0);

  await outcome.getByLabel('Ja', { exact: true }).fill('2');
  await outcome.getByLabel('Nein', { exact: true }).fill('0');
  await outcome.getByLabel('Enthaltungen').fill('1');
  await outcome.getByRole('button', { name: 'Ergebnis speichern' }).click();
  await expect(c.getByRole('status')).toContainText('Das Ergebnis ist gespeichert.');
  await expect(c.locator(`#item-${openId} .result`)).toHaveText('Ergebnis: Empfehlung beschlossen (2 Ja, 0 Nein, 1 Enthaltung)');
  await expectAccessible(c);

  // The minutes: a draft from attendance and outcomes, saved, approved, published.
  const minutes = c.locator('#minutes');
  const text = minutes.getByLabel('Text des Protokolls (Markdown)');
  await expect(text).toHaveValue(/Anwesend: .*Mehmet Yılmaz/);
  await expect(text).toHaveValue(/Ergebnis: \*\*Empfehlung beschlossen\*\*/);
  await expect(text).toHaveValue(/Nichtöffentlich beraten\./);
  const draft = await text.inputValue();
  expect(draft).not.toContain('Kaufpreisverhandlung');
  await text.fill(`${draft.trimEnd()}\n\n## Verschiedenes\n\nDie nächste Sitzung findet im Frühjahr in Talle statt.\n`);
  await minutes.getByRole('button', { name: 'Protokoll speichern' }).click();
  await expect(c.getByRole('status')).toContainText('Das Protokoll ist gespeichert. Es muss noch genehmigt werden.');
  await c.locator('#minutes').getByRole('button', { name: 'Protokoll genehmigen' }).click();
  await expect(c.getByRole('status')).toContainText('Das Protokoll ist genehmigt');
  await c.locator('#minutes').getByRole('button', { name: 'Protokoll veröffentlichen' }).click();
  await expect(c).toHaveURL(new RegExp(`/sessions/${sessionId}\\?notice=minutes_published`));
  await expect(c.getByRole('status')).toContainText('Das Protokoll ist veröffentlicht.');
  await expect(c.locator('#minutes').getByRole('heading', { level: 2, name: 'Protokoll' })).toBeVisible();
  await chair.close();
  await expectAccessibleWithoutScripts(browser, manageUrl, STATES.chair);

  // Sabine hears of the minutes and reads them without JavaScript.
  const published = await waitForMail(request, SABINE, `${BOARD}: Protokoll veröffentlicht: ${title}`);
  expect(published.headers?.['list-unsubscribe']).toContain('/unsubscribe/one-click?');
  const sabine = await browser.newContext({ storageState: STATES.sabine, javaScriptEnabled: false, locale: 'de-DE' });
  const s = await sabine.newPage();
  await s.goto(sessionLinkIn(published, sessionId));
  await expect(s.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
  await expect(s.locator('h1 + p.meta .badge')).toHaveText('Protokoll veröffentlicht');
  await expect(s.locator('#invitation')).toHaveCount(0);
  await expect(s.getByRole('link', { name: 'Sitzung leiten und bearbeiten' })).toHaveCount(0);
  const publicOpen = s.locator(`#item-${openId}`);
  await expect(publicOpen).toContainText('neue Spielgeräte');
  await expect(publicOpen.locator('.recommendation')).toContainText(recommendation);
  await expect(publicOpen.locator('.votes')).toHaveText('Abstimmung: 2 Ja, 0 Nein, 1 Enthaltung (Einfache Mehrheit)');
  await expect(publicOpen.locator('.result')).toHaveText('Ergebnis: Empfehlung beschlossen');
  await expect(publicOpen.getByRole('link', { name: 'lageplan.pdf' })).toBeVisible();
  // The closed item: its title, marked, and nothing else.
  const publicClosed = s.locator('#agenda li.agenda-item', { hasText: closedItem });
  await expect(publicClosed.getByRole('heading', { level: 3 })).toHaveText(`TOP 2 ${closedItem} nichtöffentlich`);
  await expect(s.locator('#agenda')).not.toContainText('Kaufpreisverhandlung');
  const publicMinutes = s.locator('#minutes');
  await expect(publicMinutes.getByRole('heading', { level: 2, name: 'Protokoll' })).toBeVisible();
  await expect(publicMinutes).toContainText(recommendation);
  await expect(publicMinutes).toContainText('Ergebnis: Empfehlung beschlossen');
  await expect(publicMinutes).toContainText('Die nächste Sitzung findet im Frühjahr in Talle statt.');
  await expect(publicMinutes).not.toContainText('Kaufpreisverhandlung');
  // Everyone was present; Lea Hoffmann has not agreed to be named, so she is counted.
  await expect(publicMinutes).toContainText('ein weiteres Mitglied');
  await expect(s.locator('main')).not.toContainText('Lea Hoffmann');
  await expectAccessibleWithoutScripts(browser, s.url(), STATES.sabine);

  const pdfLink = s.getByRole('link', { name: 'Protokoll als PDF' });
  await expect(pdfLink).toHaveAttribute('href', `/sessions/${sessionId}/minutes.pdf`);
  const pdfRes = await sabine.request.get(`/sessions/${sessionId}/minutes.pdf`);
  expect(pdfRes.status()).toBe(200);
  expect(pdfRes.headers()['content-type']).toContain('application/pdf');
  const minutesPdf = pdfText(await pdfRes.body());
  expect(minutesPdf).toContain('Empfehlung beschlossen');
  expect(minutesPdf).not.toContain('Kaufpreisverhandlung');
  await sabine.close();
  // The names of those present, as printed: a name must not come out garbled ("Y?lmaz").
  expect(minutesPdf).toContain('Renate Vogt');
  expect(minutesPdf).not.toContain('Y?lmaz');
  expect(minutesPdf).toContain('Mehmet Yilmaz');
  expect(minutesPdf).not.toContain('Lea Hoffmann');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a guest sees the board, its members as far as they agreed, past sessions and their minutes', async ({ browser, page, request }) => {
    await page.goto('/boards');
    await expect(page.getByRole('heading', { level: 1, name: 'Beiräte' })).toBeVisible();
    await expectAccessibleWithoutScripts(browser, '/boards');
    await page.getByRole('link', { name: BOARD }).click();
    await expect(page).toHaveURL(/\/boards\/1$/);
    await expect(page.getByRole('heading', { level: 1, name: BOARD })).toBeVisible();
    await expectAccessibleWithoutScripts(browser, '/boards/1');

    // Members: named if they agreed; Lea Hoffmann did not, so she is only counted.
    const members = page.locator('#members');
    await expect(members).toContainText('3 stimmberechtigte Mitglieder.');
    await expect(members).toContainText('Renate Vogt – Vorsitz');
    await expect(members).toContainText('Mehmet Yılmaz – Mitglied');
    await expect(members).toContainText('Thomas Brandt (Verwaltung) – Beratendes Mitglied (ohne Stimmrecht)');
    await expect(members).toContainText('Ein weiteres Mitglied möchte nicht öffentlich genannt werden.');
    await expect(page.locator('main')).not.toContainText('Lea Hoffmann');
    await expect(page.locator('main')).not.toContainText('beirat.jugend@');

    // A guest neither follows nor manages; the sign-in link comes back here.
    await expect(page.locator('#follow').getByRole('button')).toHaveCount(0);
    await expect(page.locator('#follow').getByRole('link', { name: 'Melden Sie sich an' })).toHaveAttribute('href', '/login?next=/boards/1');
    await expect(page.locator('#manage')).toHaveCount(0);

    // Sessions: the next one and the past two.
    const sessions = page.locator('#sessions');
    const upcoming = sessions.locator('ul.session-list').first();
    const next = upcoming.getByRole('link', { name: '3. Sitzung des Entwicklungsbeirats' });
    await expect(next).toBeVisible();
    const upcomingHref = (await next.getAttribute('href')) ?? '';
    expect(upcomingHref).toMatch(/^\/sessions\/\d+$/);
    const past = sessions.locator('h2:has-text("Vergangene Sitzungen") + ul.session-list');
    await expect(past.getByRole('link', { name: '2. Sitzung des Entwicklungsbeirats' })).toBeVisible();
    await expect(past.getByRole('link', { name: '1. Sitzung des Entwicklungsbeirats' })).toBeVisible();
    await expect(past.locator('li', { hasText: '1. Sitzung' }).locator('.badge')).toHaveText('Protokoll veröffentlicht');

    // A past session: outcomes, the closed item as title only, the minutes.
    await past.getByRole('link', { name: '1. Sitzung des Entwicklungsbeirats' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '1. Sitzung des Entwicklungsbeirats', exact: true })).toBeVisible();
    const sessionUrl = page.url();
    const sessionId = (sessionUrl.match(/\/sessions\/(\d+)/) as RegExpMatchArray)[1];
    await expect(page.locator('#invitation')).toHaveCount(0);
    const mvz = page.locator('#agenda li.agenda-item', { hasText: 'Medizinische Versorgung' });
    await expect(mvz.locator('.recommendation')).toContainText('ein kommunales Medizinisches Versorgungszentrum');
    await expect(mvz.locator('.votes')).toHaveText('Abstimmung: 3 Ja, 0 Nein, 0 Enthaltungen (Einfache Mehrheit)');
    await expect(mvz.locator('.result')).toHaveText('Ergebnis: Empfehlung beschlossen');
    await expect(page.locator('#agenda li.agenda-item', { hasText: 'Kinderarzt im MVZ' }).locator('.result')).toHaveText('Ergebnis: Vertagt');
    const closed = page.locator('#agenda li.agenda-item', { hasText: 'Personalangelegenheiten der Geschäftsstelle' });
    await expect(closed.locator('.badge')).toHaveText('nichtöffentlich');
    await expect(closed.locator('.prose')).toHaveCount(0);
    await expect(page.locator('#agenda')).not.toContainText('Vertraulich.');
    const minutes = page.locator('#minutes');
    await expect(minutes.getByRole('heading', { level: 2, name: 'Protokoll' })).toBeVisible();
    await expect(minutes).toContainText('Der Beirat war beschlussfähig.');
    await expect(minutes).toContainText('Ergebnis: Empfehlung beschlossen');
    await expect(minutes).not.toContainText('Vertraulich.');
    // Lea Hoffmann has not agreed to be named, and the consent form says what being named
    // covers: "Seite des Gremiums, Sitzungen, OParl-Schnittstelle". The minutes are part of
    // the session page (and its PDF), so they do not name her either.
    await expect(page.locator('main')).not.toContainText('Lea Hoffmann');
    await expectAccessibleWithoutScripts(browser, sessionUrl);

    const pdf = await request.get(`/sessions/${sessionId}/minutes.pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    const pdfContent = pdfText(await pdf.body());
    expect(pdfContent).toContain('Empfehlung beschlossen');
    expect(pdfContent).not.toContain('Lea Hoffmann');
    await expect(page.getByRole('link', { name: 'Protokoll als PDF' })).toHaveAttribute('href', `/sessions/${sessionId}/minutes.pdf`);

    // The manage page is for the chair; the chair's view passes the accessibility check.
    await page.goto(`/sessions/${sessionId}/manage`);
    await expect(page).toHaveURL(/\/login\?notice=login_required/);
    await expectAccessibleWithoutScripts(browser, `/sessions/${sessionId}/manage`, STATES.chair);
    await expectAccessibleWithoutScripts(browser, `${upcomingHref}/manage`, STATES.chair);
  });
});
