import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEnv, type TestDatabase } from '../server/test/harness.ts';
import { startServer, type RunningServer } from '../server/test/processes.ts';
import { SCREENSHOTS, launchBrowser } from './browser.ts';
import * as session from './session.ts';

const CISO = 'ciso@telecom-entity.demo';
const CERT = 'cert@pkcert.demo';
const TITLE = 'Web shell on the billing application server';
const QUESTION = 'Which billing servers were reachable from the internet, and since when?';
const ANSWER = 'Only bill-app-02, exposed since a firewall change on the 3rd; it is now closed.';
const HOUR = 3_600_000;

/**
 * The incident journey: a telecom entity's CISO reports an incident and sees its deadlines; a
 * CERT analyst finds it in the queue, triages it, assigns it to themself and asks a question; the
 * CISO answers, then submits the notification and the final report until every duty is met; the
 * Authority's administrator finds a telecom report that never reached PTA among the late reports,
 * looks at the national view and shares the incident as an advisory.
 */
describe('incident journey', () => {
  let tdb: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let password: string;
  let admin: string;
  let entityContext: BrowserContext;
  let entityPage: Page;
  let certPage: Page;
  let adminPage: Page;
  let incidentUrl: string;
  let reference: string;
  let lateReference: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    server = await startServer(testEnv(tdb, { QILA_DEMO: '1', QILA_LOG_LEVEL: 'warn' }));
    const out = server.output();
    password = /password for all: (\S+)\)/.exec(out)?.[1] ?? '';
    admin = /^\s+(\S+@\S+)\s+Authority administrator$/m.exec(out)?.[1] ?? '';
    expect(password && admin, out).toBeTruthy();

    // A telecom incident the entity became aware of 30 hours ago: PTA's 24-hour report is overdue at once.
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: CISO, password }),
    });
    expect(signIn.status).toBe(200);
    const me = (await signIn.json()) as { csrfToken: string };
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const late = await fetch(`${server.url}/api/incidents`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({
        title: 'Fibre cut at the Karachi landing station',
        summary: 'A backhoe cut both fibre pairs at the landing station; traffic moved to the backup path.',
        severity: 'high',
        rsitClass: 'availability',
        rsitType: 'outage',
        awareAt: new Date(Date.now() - 30 * HOUR).toISOString(),
        suspectedMalicious: false,
        crossBorder: false,
        tlp: 'GREEN',
      }),
    });
    expect(late.status, await late.clone().text()).toBe(201);
    lateReference = ((await late.json()) as { reference: string }).reference;

    browser = await launchBrowser();
    entityContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    entityPage = await entityContext.newPage();
    certPage = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    adminPage = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await tdb?.drop();
  });

  const signIn = (p: Page, email: string) => session.signIn(p, server.url, email, password);

  const shot = session.cleanShot;

  const navigate = (p: Page, link: string) => session.openFromNav(p, 'Incidents', link);

  const choose = session.choose;

  const duty = (p: Page, stage: string, authority: string) =>
    p
      .getByTestId('regime')
      .filter({ hasText: authority })
      .locator(`[data-testid="duty"][data-stage="${stage}"]`);

  it('the entity reports an incident and sees its deadlines', async () => {
    const p = entityPage;
    await signIn(p, CISO);
    await navigate(p, 'Report an incident');
    await p.waitForURL(/\/incidents\/new$/);
    await p.getByRole('heading', { level: 1, name: 'Report an incident' }).waitFor();
    // Before submitting: the regimes in force and what each report asks for.
    await expect.poll(() => p.getByTestId('duties-guide').innerText()).toMatch(/Early warning[\s\S]*PTA/);

    await p.getByLabel(/^Short title/).fill(TITLE);
    await p
      .getByLabel(/^What happened/)
      .fill(
        'Our EDR found a web shell on the billing application server; outbound connections to an unknown host.',
      );
    const aware = await p.evaluate(`(() => {
      const d = new Date(Date.now() - ${HOUR});
      const pad = (n) => String(n).padStart(2, '0');
      return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
    })()`);
    await p.getByLabel(/^When you became aware of it/).fill(String(aware));
    await p.getByRole('radio', { name: 'High', exact: true }).check();
    await choose(p, p, /^Type of incident/, 'Intrusions');
    await choose(p, p, /^More precisely/, 'System compromise');
    await p.getByTestId('fact-suspectedMalicious').getByRole('radio', { name: 'Yes', exact: true }).check();
    await p.getByTestId('fact-crossBorder').getByRole('radio', { name: 'No', exact: true }).check();
    await p.getByRole('radio', { name: 'TLP:AMBER', exact: true }).check();
    await p.getByRole('button', { name: 'Add an indicator' }).click();
    await p.getByLabel('Value of indicator 1').fill('198.51.100.23');
    // The guide ticks what is filled in: the early warning has all it needs.
    await expect.poll(() => p.getByTestId('duties-guide').innerText()).toContain('(3 of 3 filled in)');
    await shot(p, 'incident-report-form');

    await p.getByRole('button', { name: 'Submit the report' }).click();
    await p.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    incidentUrl = p.url();
    await p.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    reference = /INC-\d{4}-\d{6}/.exec(await p.getByText(/^Your incident is registered as/).innerText())![0];

    // The early warning is met by this report; the notifications are due, counting down.
    await expect.poll(() => duty(p, 'early_warning', 'NCSA').getAttribute('data-status')).toBe('met');
    await expect.poll(() => duty(p, 'notification', 'NCSA').getAttribute('data-status')).toBe('due');
    await expect
      .poll(() => duty(p, 'notification', 'NCSA').getByTestId('countdown').innerText())
      .toMatch(/^in 2 d 2\d h$/);
    await expect
      .poll(() => duty(p, 'notification', 'PTA').getByTestId('countdown').innerText())
      .toMatch(/^in 2\d h$/);
    await p.getByRole('button', { name: 'Submit the notification' }).waitFor();
    await shot(p, 'incident-entity');
  });

  it('a CERT analyst finds it in the queue, triages it and asks for information', async () => {
    const p = certPage;
    await signIn(p, CERT);
    await navigate(p, 'Incidents');
    await p.waitForURL(/\/incidents$/);
    const row = p.locator(`[data-testid="incident-row"][data-reference="${reference}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain(TITLE);
    await shot(p, 'incident-queue');

    await row.getByRole('link', { name: reference }).click();
    await p.waitForURL(incidentUrl);
    const panel = p.getByTestId('handler-panel');
    await panel.waitFor();
    await choose(panel, p, 'Status', 'Triage');
    await panel.getByRole('button', { name: 'Assign to me' }).click();
    await panel.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => p.getByTestId('incident-badges').innerText()).toContain('TRIAGE');
    await expect
      .poll(() => p.getByTestId('timeline').innerText())
      .toMatch(/status new → triage; assigned to/);

    await p.getByLabel(/^Ask the entity/).fill(QUESTION);
    await p.getByRole('button', { name: 'Send the question' }).click();
    await expect.poll(() => p.getByTestId('rfi').filter({ hasText: QUESTION }).count()).toBe(1);
    // Handlers see how often an indicator was seen elsewhere.
    await expect
      .poll(() => p.getByText(/^(Seen in \d+ other incidents?|Only here)$/).count())
      .toBeGreaterThan(0);
    await shot(p, 'incident-cert');
  });

  it('the entity answers, then submits the notification and the final report', async () => {
    const p = entityPage;
    await p.goto(incidentUrl);
    const rfi = p.getByTestId('rfi').filter({ hasText: QUESTION });
    await rfi.getByLabel('Your answer').fill(ANSWER);
    await rfi.getByRole('button', { name: 'Send the answer' }).click();
    await expect.poll(() => rfi.innerText()).toMatch(/^Answered$/im);

    // The notification: the dialog asks for what it requires, and says so when something is missing.
    await p.getByRole('button', { name: 'Submit the notification' }).click();
    let dialog = p.getByRole('dialog', { name: 'Submit the notification' });
    await dialog.waitFor();
    await expect.poll(() => dialog.getByLabel(/^What happened/).inputValue()).toMatch(/web shell/);
    await dialog.getByRole('button', { name: 'Submit the notification' }).click();
    await expect.poll(() => dialog.getByText('Required for the notification.').count()).toBeGreaterThan(2);
    await dialog.getByLabel(/^Services affected/).fill('Billing');
    await dialog.getByLabel(/^Services affected/).press('Enter');
    await dialog.getByLabel(/^Users affected/).fill('1200');
    await dialog.getByLabel(/^Downtime \(hours\)/).fill('3');
    await dialog
      .getByLabel(/^What you have done so far/)
      .fill('Server isolated, web shell removed, credentials rotated.');
    await dialog.screenshot({ path: path.join(SCREENSHOTS, 'incident-notification-dialog.png') });
    await dialog.getByRole('button', { name: 'Submit the notification' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => duty(p, 'notification', 'NCSA').getAttribute('data-status')).toBe('met');
    await expect.poll(() => duty(p, 'notification', 'PTA').getAttribute('data-status')).toBe('met');

    // The final report.
    await p.getByRole('button', { name: 'Submit the final report' }).click();
    dialog = p.getByRole('dialog', { name: 'Submit the final report' });
    await dialog.waitFor();
    await dialog.getByLabel(/^Root cause/).fill('An unpatched file-upload flaw in the billing application.');
    await dialog.getByLabel(/^Financial loss/).fill('250000');
    await dialog.getByLabel(/^Lessons learned/).fill('Patch internet-facing applications within 72 hours.');
    await dialog.getByRole('button', { name: 'Submit the final report' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Every duty is met now.
    const statuses = async () =>
      new Set(
        await Promise.all((await p.getByTestId('duty').all()).map((d) => d.getAttribute('data-status'))),
      );
    await expect.poll(async () => [...(await statuses())]).toEqual(['met']);
    await p.getByRole('button', { name: 'Send an update' }).waitFor();
    await shot(p, 'incident-entity-met');
  });

  it('the incident page in Urdu reads right to left', async () => {
    const p = entityPage;
    await p.evaluate("localStorage.setItem('qila.language', 'ur')");
    await p.reload();
    await expect.poll(() => p.evaluate('document.documentElement.dir')).toBe('rtl');
    await p.getByRole('heading', { name: 'رپورٹنگ کی ذمہ داریاں' }).waitFor();
    await expect.poll(() => p.getByText('مکمل', { exact: true }).count()).toBeGreaterThan(0);
    expect(await p.evaluate('document.documentElement.scrollWidth')).toBe(1366);
    await shot(p, 'incident-entity-urdu');
    await p.evaluate("localStorage.setItem('qila.language', 'en')");
  });

  it('the Authority finds the report that never reached PTA, the national view, and shares an advisory', async () => {
    const p = adminPage;
    await signIn(p, admin);
    await navigate(p, 'Late reports');
    await p.waitForURL(/\/incidents\/late$/);
    const missing = p.locator(
      `[data-testid="late-row"][data-reference="${lateReference}"][data-status="overdue"]`,
    );
    // The report came in 30 hours after awareness, so PTA's 24-hour report was overdue the moment
    // the incident was recorded: no job needs to run first.
    await p.getByTestId('late-reports').waitFor();
    await expect.poll(() => missing.count()).toBe(1);
    await expect.poll(() => missing.innerText()).toMatch(/Report to PTA[\s\S]*Not received[\s\S]*Missing/i);
    // The journey's own incident arrived on time.
    expect(await p.locator(`[data-testid="late-row"][data-reference="${reference}"]`).count()).toBe(0);
    await shot(p, 'incident-late-reports');

    await navigate(p, 'National view');
    await p.waitForURL(/\/incidents\/national$/);
    await p.getByTestId('national-by-month').waitFor();
    await expect.poll(() => p.getByTestId('sector-timeliness').innerText()).toContain('Telecommunications');
    await shot(p, 'incident-national');

    // A handler shares the incident, anonymised, with the telecom sector.
    await p.goto(incidentUrl);
    await p.getByRole('link', { name: 'Share as advisory' }).click();
    await p.waitForURL(/\/advisories\/new\?incident=/);
    await expect.poll(() => p.getByLabel('Value of indicator 1').inputValue()).toBe('198.51.100.23');
    await p
      .getByLabel(/^Advisory/)
      .fill(
        'Web shells are being planted through file-upload flaws in billing applications. Patch and hunt for the indicator below.',
      );
    await p.getByRole('button', { name: 'Publish', exact: true }).click();
    await p.waitForURL(/\/advisories\/[0-9a-f-]{36}$/);
    await p.getByRole('link', { name: 'Download STIX' }).waitFor();
    await expect.poll(() => p.getByTestId('advisory-indicators').innerText()).toContain('198.51.100.23');
    await shot(p, 'incident-advisory');
    await navigate(p, 'Advisories');
    await p.waitForURL(/\/advisories$/);
    await expect.poll(() => p.getByTestId('advisory-card').count()).toBeGreaterThan(0);
    await shot(p, 'incident-advisories');
  });

  it('an observer sees the national view under disclosure control: a withheld count hides its share too', async () => {
    const p = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    await signIn(p, 'observer@ncsa.demo');
    await navigate(p, 'National view');
    await p.waitForURL(/\/incidents\/national$/);
    const rows = p.getByTestId('sector-timeliness').locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    await expect.poll(() => p.getByTestId('withheld-legend').count()).toBe(1);
    // A row whose on-time, late or missing count is withheld had reports due: it must not say there were none.
    for (const row of await rows.all()) {
      const counts = row.locator('td').nth(2).or(row.locator('td').nth(3)).or(row.locator('td').nth(4));
      if ((await counts.locator('[data-withheld]').count()) === 0) continue;
      expect(await row.innerText()).not.toContain('No reports due');
      expect(await row.locator('td').last().locator('[data-withheld]').count()).toBe(1);
    }
    await shot(p, 'incident-national-observer');
    await p.context().close();
  });
});
