import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEnv, type TestDatabase } from '../server/test/harness.ts';
import { runCli, startServer, type RunningServer } from '../server/test/processes.ts';
import { launchBrowser, screenshot } from './browser.ts';

const CAMPAIGN = 'Energy sector assessment 2027';
const ENTITY_USER = 'ciso@energy-entity.example';
const ENTITY_USER_NAME = 'Farah Qureshi';
const ENTITY_PASSWORD = 'Tarbela spillway at noon, 2026';
const RETURN_COMMENT =
  'Attach the incident response plan and raise PK.LEG-02 only with evidence of the yearly check.';
const NA_REASON = 'We operate no cloud services; every system runs in our own data centre.';

/**
 * The assessment journey: the Authority launches a campaign for the energy sector; an energy
 * entity's administrator answers every requirement (one not applicable, one with evidence) and
 * submits; the Authority returns it with a comment; the entity changes an answer and submits
 * again; the Authority accepts it, and the campaign's national picture shows the energy sector.
 */
describe('assessment journey', () => {
  let tdb: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let password: string;
  let admin: string;
  let entity: { id: string; nameEn: string };
  let dir: string;
  let pdf: string;
  let adminPage: Page;
  let entityContext: BrowserContext;
  let entityPage: Page;
  let campaignUrl: string;
  let assessmentUrl: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const env = testEnv(tdb, { QILA_DEMO: '1', QILA_LOG_LEVEL: 'warn' });
    server = await startServer(env);
    const out = server.output();
    password = /password for all: (\S+)\)/.exec(out)?.[1] ?? '';
    admin = /^\s+(\S+@\S+)\s+Authority administrator$/m.exec(out)?.[1] ?? '';
    expect(password && admin, out).toBeTruthy();

    // One energy entity, read as the administrator, gets an entity administrator of its own.
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin, password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const list = await fetch(`${server.url}/api/entities?sector=energy&limit=1`, { headers: { cookie } });
    entity = ((await list.json()) as { items: { id: string; nameEn: string }[] }).items[0]!;
    expect(entity).toBeTruthy();
    const created = await runCli(
      [
        'user',
        'create',
        '--email',
        ENTITY_USER,
        '--name',
        ENTITY_USER_NAME,
        '--role',
        'entity_admin',
        '--scope',
        entity.id,
        '--password',
        ENTITY_PASSWORD,
      ],
      env,
    );
    expect(created.code, created.stdout + created.stderr).toBe(0);

    dir = mkdtempSync(path.join(tmpdir(), 'qila-e2e-'));
    pdf = path.join(dir, 'incident-response-plan.pdf');
    writeFileSync(
      pdf,
      '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );

    browser = await launchBrowser();
    adminPage = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    entityContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    entityPage = await entityContext.newPage();
  });
  afterAll(async () => {
    await entityContext?.close();
    await browser?.close();
    await server?.stop();
    await tdb?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(p: Page, email: string, pw: string): Promise<void> {
    await p.goto(`${server.url}/sign-in`);
    await p.getByLabel('Email address').fill(email);
    await p.getByLabel(/^Password/).fill(pw);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  }

  /** A full-page screenshot from the top, with nothing focused. */
  async function shot(p: Page, name: string): Promise<void> {
    await p.evaluate('document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)');
    await screenshot(p, name);
  }

  const rows = (p: Page) => p.getByTestId('requirement');
  /** The label of a level in a requirement's segmented control (the radio itself is visually hidden). */
  const level = (row: Locator, n: number) => row.locator('.mantine-SegmentedControl-label').nth(n);
  const saveStatus = (row: Locator) => row.getByTestId('save-status');

  async function allSaved(p: Page, answered: number, applicable: number): Promise<void> {
    await expect
      .poll(() => p.getByTestId('autosave-status').innerText(), { timeout: 20_000 })
      .toBe('Every change is saved as you go');
    await expect
      .poll(() => p.getByTestId('completeness').innerText(), { timeout: 20_000 })
      .toBe(`${answered} of ${applicable} applicable requirements answered`);
  }

  async function submit(p: Page): Promise<void> {
    await p.getByRole('button', { name: 'Submit for review' }).click();
    const dialog = p.getByRole('dialog', { name: 'Submit this assessment?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => p.getByText('Submitted for review').count()).toBe(1);
  }

  it('the Authority launches a campaign for the energy sector', async () => {
    const p = adminPage;
    await signIn(p, admin, password);
    await p.getByRole('link', { name: 'Assessments', exact: true }).click();
    await p.waitForURL(/\/assessments$/);
    await p.getByRole('heading', { name: 'National cyber assessment 2026: first round' }).waitFor();
    await shot(p, 'assessments-campaigns');

    await p.getByRole('button', { name: 'Launch campaign' }).first().click();
    const dialog = p.getByRole('dialog', { name: 'Launch an assessment campaign' });
    await dialog.getByLabel(/^Campaign name/).fill(CAMPAIGN);
    await dialog
      .getByLabel(/^Description/)
      .fill('Gap analysis of the energy sector against the national baseline and the energy overlay.');
    // The national baseline is chosen already; overlays are explained, not chosen.
    await expect
      .poll(() => dialog.getByText('National cyber-security baseline (Pakistan) (2026.1)').count())
      .toBe(1);
    await expect.poll(() => dialog.getByText(/Sector overlays are added automatically/).count()).toBe(1);
    await dialog.getByRole('textbox', { name: 'Sectors' }).click();
    await p.getByRole('option', { name: 'Energy', exact: true }).click();
    await p.keyboard.press('Escape');
    await dialog.getByLabel(/^Grace days/).fill('5');
    await shot(p, 'assessments-launch-form');
    await dialog.getByRole('button', { name: 'Launch the campaign' }).click();
    await p.waitForURL(/\/assessments\/campaigns\/[0-9a-f-]{36}$/);
    campaignUrl = p.url();
    await p.getByRole('heading', { level: 1, name: CAMPAIGN }).waitFor();
    await expect.poll(async () => p.getByText(/^Not started: \d+$/).count()).toBe(1);
    await p.getByRole('link', { name: entity.nameEn }).waitFor();
  });

  it('the entity administrator answers every requirement and submits', async () => {
    const p = entityPage;
    await signIn(p, ENTITY_USER, ENTITY_PASSWORD);
    await p.getByRole('link', { name: 'Assessments', exact: true }).click();
    await p.waitForURL(/\/assessments$/);
    await p.getByRole('link', { name: CAMPAIGN }).click();
    await p.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
    assessmentUrl = p.url();
    await p.getByRole('heading', { level: 1, name: entity.nameEn }).waitFor();
    await expect.poll(() => rows(p).count()).toBeGreaterThan(60);
    const total = await rows(p).count();
    // The baseline's groups are titled from the framework.
    await p.getByRole('heading', { name: 'Legal frameworks' }).waitFor();

    // The first answer by keyboard: level 2 chosen, then the right arrow moves to 3.
    const first = rows(p).first();
    await level(first, 2).click();
    await p.keyboard.press('ArrowRight');
    await expect.poll(() => first.getByRole('radio', { checked: true }).getAttribute('value')).toBe('3');
    await expect.poll(() => saveStatus(first).getAttribute('data-status')).toBe('saved');

    // A comment on it, and evidence.
    await first.getByRole('button', { name: /^Add a comment/ }).click();
    await first
      .getByLabel('Comment (optional)')
      .fill('The register is reviewed by the legal team each quarter.');

    const chooser = p.waitForEvent('filechooser');
    await first.getByRole('button', { name: /^Attach evidence/ }).click();
    await (await chooser).setFiles(pdf);
    await expect
      .poll(() => first.getByText('incident-response-plan.pdf').count(), { timeout: 15_000 })
      .toBe(1);
    // The file downloads as it was uploaded.
    const link = first.getByRole('link', { name: 'incident-response-plan.pdf' });
    const download = await p.request.get(`${server.url}${await link.getAttribute('href')}`);
    expect(download.status()).toBe(200);
    expect(Buffer.compare(await download.body(), readFileSync(pdf))).toBe(0);

    // Every other requirement at level 3 ...
    for (let i = 1; i < total; i++) await level(rows(p).nth(i), 3).click();
    // ... except the last, which does not apply.
    const last = rows(p).nth(total - 1);
    await last.getByRole('switch', { name: 'Not applicable' }).check();
    await expect.poll(() => saveStatus(last).getAttribute('data-status')).toBe('needsJustification');
    await last.getByLabel(/^Why it does not apply/).fill(NA_REASON);
    await last.getByLabel(/^Why it does not apply/).blur();
    await allSaved(p, total - 1, total - 1);
    await expect.poll(() => p.getByTestId('overall-score').innerText()).toBe('60');
    await shot(p, 'assessment-answering');

    await submit(p);
    await expect.poll(() => p.getByTestId('history').innerText()).toMatch(/Submission 1\s*Awaiting review/i);
    // Locked now: no level controls.
    expect(await p.getByRole('radiogroup').count()).toBe(0);
  }, 180_000);

  it('the Authority returns it with a comment', async () => {
    const p = adminPage;
    await p.goto(campaignUrl);
    await p.getByRole('link', { name: entity.nameEn }).click();
    await p.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
    const panel = p.getByTestId('review-panel');
    await panel.waitFor();
    // Returning needs a comment.
    await panel.getByRole('button', { name: 'Return to the entity' }).click();
    await expect.poll(() => panel.getByText('Say what the entity should change.').count()).toBe(1);
    await panel.getByLabel(/^Comment to the entity/).fill(RETURN_COMMENT);
    await shot(p, 'assessment-review-panel');
    await panel.getByRole('button', { name: 'Return to the entity' }).click();
    await p.getByTestId('returned-banner').waitFor();
    expect(await p.getByTestId('review-panel').count()).toBe(0);
  });

  it('the entity administrator sees the comment (also in Urdu, on a phone), changes an answer and submits again', async () => {
    const p = entityPage;
    await p.goto(assessmentUrl);
    const banner = p.getByTestId('returned-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toContain(RETURN_COMMENT);
    await rows(p).first().waitFor();
    await shot(p, 'assessment-returned');

    // The answering page in Urdu, on a wide screen and on a phone (nothing wider than the screen).
    await p.evaluate("localStorage.setItem('qila.language', 'ur')");
    await p.reload();
    await expect.poll(() => p.evaluate('document.documentElement.dir')).toBe('rtl');
    await rows(p).first().waitFor();
    await expect.poll(() => p.getByText('تبدیلیوں کے لیے واپس کیا گیا').count()).toBe(1);
    await shot(p, 'assessment-urdu');
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      storageState: await entityContext.storageState(),
    });
    const mobile = await phone.newPage();
    await mobile.goto(assessmentUrl);
    await rows(mobile).first().waitFor();
    expect(await mobile.evaluate('document.documentElement.scrollWidth')).toBe(390);
    await shot(mobile, 'assessment-urdu-mobile');
    await mobile.evaluate("localStorage.setItem('qila.language', 'en')");
    await mobile.reload();
    await rows(mobile).first().waitFor();
    expect(await mobile.evaluate('document.documentElement.scrollWidth')).toBe(390);
    await shot(mobile, 'assessment-returned-mobile');
    await phone.close();
    await p.evaluate("localStorage.setItem('qila.language', 'en')");
    await p.reload();
    await rows(p).first().waitFor();

    const second = rows(p).nth(1);
    await level(second, 4).click();
    await expect.poll(() => saveStatus(second).getAttribute('data-status')).toBe('saved');
    const total = await rows(p).count();
    await allSaved(p, total - 1, total - 1);
    await submit(p);
    await expect
      .poll(() => p.getByTestId('history').innerText())
      .toMatch(/Submission 2\s*Awaiting review[\s\S]*Submission 1\s*Returned/i);
  });

  it('the Authority accepts it, and the national picture shows the energy sector', async () => {
    const p = adminPage;
    await p.reload();
    const panel = p.getByTestId('review-panel');
    await panel.waitFor();
    await panel.getByRole('button', { name: 'Accept' }).click();
    const dialog = p.getByRole('dialog', { name: 'Accept this assessment?' });
    await dialog.getByRole('button', { name: 'Accept' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => p.getByText(/^The reviewer accepted this assessment/).count()).toBe(1);

    await p.goto(campaignUrl);
    const heatmap = p.getByTestId('heatmap-sector-dimension');
    await heatmap.waitFor();
    const energy = heatmap.locator('tr[data-row="energy"]');
    await expect.poll(() => energy.innerText()).toMatch(/^Energy\s+\d+(\.\d)?\s/);
    await expect.poll(() => p.getByText(/^Accepted: 1$/).count()).toBe(1);
    await shot(p, 'assessment-national');
    // The same figures as a table.
    await heatmap.getByRole('button', { name: 'Show table' }).click();
    await expect
      .poll(() => heatmap.getByRole('table', { name: 'Scores by sector and dimension' }).innerText())
      .toMatch(/Energy\s+Overall\s+1\s+\d+/);
  });

  it('the entity sees its benchmark; the accepted page in Urdu, the lists on a phone', async () => {
    const p = entityPage;
    await p.goto(assessmentUrl);
    const benchmark = p.getByTestId('benchmark');
    await benchmark.waitFor();
    // The only accepted energy assessment in this campaign: no peers to compare with yet.
    await expect.poll(() => benchmark.innerText()).toMatch(/Not enough peers yet/);
    await expect.poll(() => p.getByText(/^The reviewer accepted this assessment/).count()).toBe(1);

    // Accepted and read only, in Urdu.
    await p.evaluate("localStorage.setItem('qila.language', 'ur')");
    await p.reload();
    await expect.poll(() => p.evaluate('document.documentElement.dir')).toBe('rtl');
    await rows(p).first().waitFor();
    await expect.poll(() => p.getByText('منظور شدہ').count()).toBeGreaterThan(0);
    await shot(p, 'assessment-accepted-urdu');
    await p.evaluate("localStorage.setItem('qila.language', 'en')");

    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      storageState: await entityContext.storageState(),
    });
    const mobile = await phone.newPage();
    await mobile.goto(`${server.url}/assessments`);
    await mobile.getByRole('link', { name: CAMPAIGN }).waitFor();
    expect(await mobile.evaluate('document.documentElement.scrollWidth')).toBe(390);
    await shot(mobile, 'assessments-mine-mobile');
    await phone.close();

    // The Authority's campaign page on a phone.
    const adminPhone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      storageState: await adminPage.context().storageState(),
    });
    const m2 = await adminPhone.newPage();
    await m2.goto(campaignUrl);
    await m2.getByTestId('heatmap-sector-dimension').waitFor();
    expect(await m2.evaluate('document.documentElement.scrollWidth')).toBe(390);
    await shot(m2, 'assessment-national-mobile');
    await adminPhone.close();
  });
});
