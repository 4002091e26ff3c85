import { execFileSync } from 'node:child_process';
import { Page, expect, test } from '@playwright/test';
import { expectAccessible, expectAccessibleWithoutScripts } from './support/a11y';
import { linkIn, uniqueEmail, waitForMail } from './support/mail';
import { LoginPage, expectHydrated } from './support/pages';

/** A family name nobody else in the test run has (letters only, as names must be). */
function uniqueName(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let suffix = '';
  for (let i = 0; i < 8; i++) suffix += letters[Math.floor(Math.random() * letters.length)];
  return `Test${suffix}`;
}

async function figure(page: Page, id: string): Promise<number> {
  const text = (await page.locator(`#${id}`).textContent()) ?? '';
  return Number(text.replace(/\./g, ''));
}

/** Fills the signing form's personal details (the consent stays as it is). */
async function fillSigner(
  page: Page,
  d: { family: string; given: string; born: string; number: string; postcode: string; email: string },
) {
  await page.getByLabel('Familienname').fill(d.family);
  await page.getByLabel('Vornamen').fill(d.given);
  await page.getByLabel('Geburtsdatum').fill(d.born);
  await page.getByLabel('Straße').fill('Lindenweg');
  await page.getByLabel('Hausnummer').fill(d.number);
  await page.getByLabel('Postleitzahl').fill(d.postcode);
  await page.getByRole('textbox', { name: 'Ort', exact: true }).fill('Kalletal');
  await page.getByLabel('E-Mail-Adresse').fill(d.email);
}

function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a resident signs, confirms by email and the count on the petition page rises', async ({ browser, page, request }) => {
    await page.goto('/petitions/mvz-kalletal');
    await expect(page.getByRole('heading', { level: 1, name: 'Medizinisches Versorgungszentrum für Kalletal' })).toBeVisible();
    const confirmedBefore = await figure(page, 'tally-confirmed');
    const onlineBefore = await figure(page, 'tally-online');
    await expectAccessibleWithoutScripts(browser, page.url());

    await page.getByRole('link', { name: 'Jetzt unterschreiben' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Bürgerbegehren unterschreiben' })).toBeVisible();
    await expectAccessibleWithoutScripts(browser, page.url());

    // A date of birth in the future and no consent: named at their fields, nothing counted.
    const email = uniqueEmail('unterschrift');
    const family = uniqueName();
    await fillSigner(page, { family, given: 'Erika Maria', born: '2090-01-01', number: '3a', postcode: '32689', email });
    await page.getByRole('button', { name: 'Unterschreiben' }).click();
    await expect(page.getByLabel('Geburtsdatum')).toHaveAccessibleDescription(/in der Zukunft/);
    await expect(page.getByRole('checkbox', { name: /Datenschutzhinweise gelesen/ })).toHaveAccessibleDescription(/Bitte bestätigen Sie/);
    await expectAccessibleWithoutScripts(browser, page.url());

    // The form comes back filled in (sealed in the address: nothing typed is readable
    // there); only the mistakes are corrected.
    await expect(page.getByLabel('Familienname')).toHaveValue(family);
    await expect(page.getByLabel('Vornamen')).toHaveValue('Erika Maria');
    await expect(page.getByLabel('Hausnummer')).toHaveValue('3a');
    await expect(page.getByLabel('E-Mail-Adresse')).toHaveValue(email);
    await expect(page.getByRole('checkbox', { name: /Datenschutzhinweise gelesen/ })).not.toBeChecked();
    expect(decodeURIComponent(page.url())).not.toContain(family);
    expect(decodeURIComponent(page.url())).not.toContain('Lindenweg');
    await page.getByLabel('Geburtsdatum').fill('1971-03-14');
    await page.getByRole('checkbox', { name: /Datenschutzhinweise gelesen/ }).check();
    await page.getByRole('button', { name: 'Unterschreiben' }).click();
    await expect(page).toHaveURL(/\/petitions\/mvz-kalletal\?notice=signature_pending/);
    await expect(page.getByRole('status')).toContainText('Bitte bestätigen Sie Ihre Unterschrift');
    // Pending signatures do not count yet.
    expect(await figure(page, 'tally-confirmed')).toBe(confirmedBefore);

    const mail = await waitForMail(request, email, 'Bitte bestätigen Sie Ihre Unterschrift');
    await page.goto(linkIn(mail, '/petitions/confirm'));
    await page.getByRole('button', { name: 'Unterschrift bestätigen' }).click();
    await expect(page).toHaveURL(/\/petitions\/mvz-kalletal\?notice=signature_confirmed/);
    await expect(page.getByRole('status')).toContainText('Ihre Unterschrift ist bestätigt');
    expect(await figure(page, 'tally-confirmed')).toBe(confirmedBefore + 1);
    expect(await figure(page, 'tally-online')).toBe(onlineBefore + 1);

    // NRW counts only handwritten signatures: the receipt brings the personal sheet.
    const receipt = await waitForMail(request, email, 'Ihre Unterschrift ist bestätigt');
    expect(receipt.attachments?.map((a) => a.contentType)).toContain('application/pdf');
    await page.goto(linkIn(receipt, '/petitions/receipt'));
    const sheetLink = page.getByRole('link', { name: 'Unterschriftenbogen herunterladen (PDF)' });
    const sheet = await request.get((await sheetLink.getAttribute('href')) as string);
    expect(sheet.headers()['content-type']).toBe('application/pdf');
    const text = pdfText(await sheet.body());
    expect(text).toContain(family);
    expect(text).toContain('14.03.1971');
    expect(text).toMatch(/Bogencode: [A-Z0-9]{4}-[A-Z0-9]{4}/);
  });
});

test('with JavaScript, the signing form answers in place; pages without an island load no script', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (['script', 'fetch'].includes(r.resourceType()) || r.url().endsWith('.wasm')) scripts.push(new URL(r.url()).pathname);
  });
  await page.goto('/petitions/mvz-kalletal');
  await expect(page.getByRole('heading', { level: 1, name: 'Medizinisches Versorgungszentrum für Kalletal' })).toBeVisible();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(scripts).toEqual([]);

  await page.goto('/petitions/mvz-kalletal/sign');
  const submit = page.getByRole('button', { name: 'Unterschreiben' });
  await expectHydrated(submit);
  expect(scripts.some((s) => s.endsWith('.wasm'))).toBe(true);
  await expectAccessible(page);
  const family = uniqueName();
  await fillSigner(page, { family, given: 'Erika', born: '1980-05-02', number: '5', postcode: '3268', email: uniqueEmail('insel') });
  await submit.click();
  // The answer comes in place: the same address, the message at its field, nothing retyped.
  await expect(page.getByLabel('Postleitzahl')).toHaveAccessibleDescription(/Postleitzahl hat fünf Ziffern/);
  await expect(page.getByRole('checkbox', { name: /Datenschutzhinweise gelesen/ })).toHaveAccessibleDescription(/Bitte bestätigen Sie/);
  await expect(page).toHaveURL(/\/petitions\/mvz-kalletal\/sign$/);
  await expect(page.getByLabel('Familienname')).toHaveValue(family);
  await expectAccessible(page);
  await page.getByLabel('Postleitzahl').fill('32689');
  await page.getByRole('checkbox', { name: /Datenschutzhinweise gelesen/ }).check();
  await submit.click();
  await expect(page).toHaveURL(/\/petitions\/mvz-kalletal\?notice=signature_pending/);
  await expect(page.getByRole('status')).toContainText('Bitte bestätigen Sie Ihre Unterschrift');
});

test('staff print the signature list and type in returned paper lines with the keyboard', async ({ page, request }) => {
  await page.goto('/petitions/mvz-kalletal');
  const listLink = page.getByRole('link', { name: 'Unterschriftenliste zum Ausdrucken (PDF)' });
  const list = await request.get((await listLink.getAttribute('href')) as string);
  expect(list.status()).toBe(200);
  expect(list.headers()['content-type']).toBe('application/pdf');
  const text = pdfText(await list.body());
  expect(text).toContain('Soll die Gemeinde Kalletal ein kommunales Medizinisches Versorgungszentrum');
  expect(text).toContain('Kostenschätzung der Verwaltung');
  expect(text).toContain('Anna Schmidt, Lindenweg 3, 32689 Kalletal');
  expect(text).toContain('Unterschrift');
  const paperBefore = await figure(page, 'tally-paper');

  const login = new LoginPage(page);
  await login.open();
  await login.login('verwaltung@kalletal.example', 'dorfplatz-demo');
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/petitions/mvz-kalletal/manage');
  await expect(page.getByRole('heading', { level: 1, name: 'Verfahren verwalten' })).toBeVisible();
  await expectAccessible(page);

  const form = page.getByRole('region', { name: 'Papierlisten erfassen' });
  await form.getByLabel('Blatt').fill('40');
  await form.getByLabel('Zeile').fill('1');
  await form.getByLabel('Familienname').fill(uniqueName());
  await form.getByLabel('Vornamen').fill('Karl');
  await form.getByLabel('Geburtsdatum').fill('03.02.1961');
  await form.getByLabel('Straße').fill('Bergstraße');
  await form.getByLabel('Hausnummer').fill('12 A');
  await form.getByLabel('PLZ').fill('32689');
  await form.getByRole('textbox', { name: 'Ort', exact: true }).fill('Kalletal');
  await form.getByRole('textbox', { name: 'Ort', exact: true }).press('Enter');
  await expect(page.getByRole('status')).toContainText('Die Zeile ist erfasst');
  // Ready for the next line of the same sheet.
  await expect(form.getByLabel('Blatt')).toHaveValue('40');
  await expect(form.getByLabel('Zeile')).toHaveValue('2');

  await page.goto('/petitions/mvz-kalletal');
  expect(await figure(page, 'tally-paper')).toBe(paperBefore + 1);
  await expectAccessible(page);
});

test('an initiator drafts a petition and asks for the cost estimate', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.login('sabine.krueger@kalletal.example', 'dorfplatz-demo');
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/petitions/new');
  await expect(page.getByRole('heading', { level: 1, name: 'Bürgerbegehren starten' })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('Kurzer Titel').fill('Radweg nach Varenholz');
  await page.getByLabel('Frage zur Abstimmung').fill('Die Gemeinde soll einen Radweg bauen.');
  await page.getByLabel('Begründung').fill('Der Schulweg an der Landstraße ist gefährlich.');
  await page.getByRole('button', { name: 'Entwurf speichern' }).click();
  await expect(page.getByLabel('Frage zur Abstimmung')).toHaveAccessibleDescription(/Fragezeichen/);
  await expect(page.getByRole('group', { name: 'Vertretungsberechtigte Person 1' }).getByLabel('Vor- und Familienname')).toHaveAccessibleDescription(/mindestens eine vertretungsberechtigte Person/);

  await page.getByLabel('Frage zur Abstimmung').fill('Soll die Gemeinde einen Radweg nach Varenholz bauen?');
  const first = page.getByRole('group', { name: 'Vertretungsberechtigte Person 1' });
  await first.getByLabel('Vor- und Familienname').fill('Sabine Krüger');
  await first.getByLabel('Anschrift').fill('Talstraße 12, 32689 Kalletal');
  await page.getByRole('button', { name: 'Entwurf speichern' }).click();
  await expect(page).toHaveURL(/\/petitions\/radweg-nach-varenholz\/manage/);
  await expect(page.getByRole('status')).toContainText('Ihr Entwurf ist gespeichert');
  await page.getByRole('button', { name: 'Kostenschätzung bei der Verwaltung anfragen' }).click();
  await expect(page.getByText('Stand: Kostenschätzung angefragt')).toBeVisible();
  await expectAccessible(page);

  // The draft is not public.
  const res = await page.request.get('/petitions/radweg-nach-varenholz/tally.json');
  expect(res.status()).toBe(404);
});
