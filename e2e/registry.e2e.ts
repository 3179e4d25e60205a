import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEnv, type TestDatabase } from '../server/test/harness.ts';
import { startServer, type RunningServer } from '../server/test/processes.ts';
import { launchBrowser, screenshot } from './browser.ts';

const HEADER =
  'registration_no,name_en,name_ur,kind,sector,subsector,admin_unit,size,annual_turnover,website,cii_tier,parent_registration_no,head_name,head_email,ciso_name,ciso_email,ciso_phone,incident_name,incident_email,incident_phone';
const GOOD = [
  'PK-E2E-000001,Indus Fibre Networks,انڈس فائبر نیٹ ورکس,cii_operator,telecom,telecom.fixed,PK-SD,large,8500000000,https://www.indusfibre.example,,,Sana Mirza,sana@indusfibre.example,Bilal Ahmed,ciso@indusfibre.example,(021) 1234567,NOC,noc@indusfibre.example,(021) 7654321',
  'PK-E2E-000002,Margalla Cloud Services,مارگلہ کلاؤڈ سروسز,digital_service_provider,it,it.cloud-hosting,PK-IS,medium,900000000,https://www.margallacloud.example,,,,,,,,,,',
];
const BAD = [
  'PK-E2E-000003,Karachi Port Systems,,shipping_company,transport,transport.ports-and-shipping,PK-SD,huge,,,,,,,,,,,,',
  'PK-E2E-000004,,,private_enterprise,banking,finance.banking,PK-XX,small,,www.no-scheme.example,4,,,,,not-an-email,,,,',
];

/**
 * The registry journey: an Authority administrator filters the registry, imports entities from
 * a spreadsheet (first a file with problems, then a clean one), grades an imported entity as
 * critical infrastructure and decides an entity's change request; a sector regulator sees only
 * their sector.
 */
describe('registry journey', () => {
  let tdb: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let password: string;
  let admin: string;
  let dir: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    server = await startServer(testEnv(tdb, { QILA_DEMO: '1', QILA_LOG_LEVEL: 'warn' }));
    const out = server.output();
    password = /password for all: (\S+)\)/.exec(out)?.[1] ?? '';
    admin = /^\s+(\S+@\S+)\s+Authority administrator$/m.exec(out)?.[1] ?? '';
    expect(password && admin, out).toBeTruthy();
    dir = mkdtempSync(path.join(tmpdir(), 'qila-e2e-'));

    // An entity administrator asks to change their entity's size: a change request for the Authority.
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ciso@telecom-entity.demo', password }),
    });
    expect(signIn.status).toBe(200);
    const me = (await signIn.json()) as { csrfToken: string; roles: { scopeValue: string | null }[] };
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const entityId = me.roles[0]!.scopeValue!;
    const detail = (await (
      await fetch(`${server.url}/api/entities/${entityId}`, { headers: { cookie } })
    ).json()) as {
      version: number;
      size: string;
    };
    const patch = await fetch(`${server.url}/api/entities/${entityId}`, {
      method: 'PATCH',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({
        version: detail.version,
        size: detail.size === 'large' ? 'medium' : 'large',
        reason: 'Merged with a regional operator in March.',
      }),
    });
    expect(patch.status).toBe(200);

    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await tdb?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(p: Page, email: string): Promise<void> {
    await p.goto(`${server.url}/sign-in`);
    await p.getByLabel('Email address').fill(email);
    await p.getByLabel(/^Password/).fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  }

  async function choose(p: Page, label: string, option: string): Promise<void> {
    await p.getByRole('textbox', { name: label, exact: true }).click();
    await p.getByRole('option', { name: option, exact: true }).click();
  }

  /** The text of every row of the registry table. */
  async function rowTexts(p: Page): Promise<string[]> {
    return p.locator('main table tbody tr').allInnerTexts();
  }

  /** A full-page screenshot from the top, with nothing focused (no stray focus rings or skip link). */
  async function shot(p: Page, name: string): Promise<void> {
    await p.evaluate('document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)');
    await screenshot(p, name);
  }

  function csv(name: string, rows: string[]): string {
    const file = path.join(dir, name);
    writeFileSync(file, `${[HEADER, ...rows].join('\n')}\n`);
    return file;
  }

  it('the administrator filters the registry by sector and tier', async () => {
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, admin);
    await page.getByRole('link', { name: 'Registry', exact: true }).click();
    await page.waitForURL(/\/registry$/);
    await expect.poll(() => page.locator('main table tbody tr').count()).toBeGreaterThan(10);

    await choose(page, 'Sector', 'Telecommunications');
    await page.waitForURL(/sector=telecom/);
    await choose(page, 'CII tier', 'CII tier 1');
    await page.waitForURL(
      (u) => u.searchParams.get('sector') === 'telecom' && u.searchParams.get('tier') === '1',
    );
    // Both filters are in the address; load it afresh so the list shows exactly what it names.
    await page.reload();
    await expect
      .poll(async () => {
        const rows = await rowTexts(page);
        return rows.length > 0 && rows.every((r) => r.includes('Telecommunications') && /tier 1/i.test(r));
      })
      .toBe(true);
    const rows = await rowTexts(page);
    // The counts strip agrees with the list.
    await expect.poll(() => page.getByTestId('registry-total').innerText()).toBe(String(rows.length));
    await shot(page, 'registry-list');

    // The filters live in the address: a reload keeps them.
    await page.reload();
    await expect.poll(async () => (await rowTexts(page)).length).toBe(rows.length);
  });

  it('imports a spreadsheet: problems row by row first, then a clean file', async () => {
    await page.goto(`${server.url}/registry`);
    await page.getByRole('link', { name: 'Import' }).click();
    await page.waitForURL(/\/registry\/import$/);

    await page.locator('#import-file').setInputFiles(csv('with-problems.csv', [GOOD[0]!, ...BAD]));
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await expect
      .poll(() => page.getByText(/^The file has \d+ problems$/).count(), { timeout: 15_000 })
      .toBe(1);
    const errors = page.getByTestId('import-errors');
    await expect.poll(() => errors.getByText('Row 3', { exact: true }).count()).toBe(1);
    await expect.poll(() => errors.getByText('Row 4', { exact: true }).count()).toBe(1);
    expect(await errors.getByText('Row 2', { exact: true }).count()).toBe(0);
    expect(await errors.innerText()).toMatch(/kind\s+must be one of/);
    expect(await errors.innerText()).toMatch(/name_en\s+is required/);
    expect(await page.getByRole('button', { name: 'Commit the import' }).isDisabled()).toBe(true);
    await shot(page, 'registry-import-errors');

    await page.getByRole('button', { name: 'Upload a corrected file' }).click();
    await page.locator('#import-file').setInputFiles(csv('clean.csv', GOOD));
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await expect.poll(() => page.getByText('No problems found').count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('button', { name: 'Commit the import' }).click();
    await expect
      .poll(() => page.getByTestId('import-created').innerText(), { timeout: 30_000 })
      .toBe('2 created');
    await expect.poll(() => page.getByRole('link', { name: 'Indus Fibre Networks' }).count()).toBe(1);
    // Every step of the wizard shows as done once its check mark has faded in.
    await expect
      .poll(() =>
        page.evaluate(
          "[...document.querySelectorAll('.mantine-Stepper-stepCompletedIcon')].filter((e) => getComputedStyle(e).opacity === '1').length",
        ),
      )
      .toBe(3);
    await shot(page, 'registry-import-done');
  });

  it('grades an imported entity as tier 1, with the explanation and its history', async () => {
    await page.getByRole('link', { name: 'Indus Fibre Networks' }).click();
    await page.waitForURL(/\/registry\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: 'Indus Fibre Networks' }).waitFor();
    await expect.poll(() => page.getByTestId('designation-timeline').locator(':scope > li').count()).toBe(1);

    await page.getByRole('link', { name: 'Grade (CII)' }).click();
    await page.waitForURL(/\/grade$/);
    // Submitting unanswered lists every question to answer.
    await page.getByRole('button', { name: 'Grade and record the designation' }).click();
    await expect.poll(() => page.getByText('There is a problem').count()).toBe(1);
    for (const answer of [
      'More than 10 million',
      'Losses across a province or sector',
      'Severe',
      'Several sectors',
      'Within days',
    ])
      await page.getByRole('radio', { name: answer, exact: true }).check();
    await page.getByRole('button', { name: 'Grade and record the designation' }).click();
    await page.getByTestId('grading-result').waitFor();
    await page.getByRole('heading', { level: 1, name: 'CII tier 1' }).waitFor();
    expect(await page.getByTestId('grading-explanation').innerText()).toMatch(/^Tier 1 \(essential\)/);
    await shot(page, 'registry-grading-result');

    await page.getByRole('link', { name: 'View the entity and its history' }).click();
    await page.waitForURL(/\/registry\/[0-9a-f-]{36}$/);
    const timeline = page.getByTestId('designation-timeline');
    await expect.poll(() => timeline.locator(':scope > li').count()).toBe(2);
    expect(await timeline.innerText()).toMatch(/Tier 1 · Essential[\s\S]*Tier 1 \(essential\)/);
    expect(await timeline.innerText()).toContain('Registered by import of clean.csv.');

    // What was in force today: the new designation.
    await page.getByLabel(/^What was in force on/).fill(new Date().toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => page.getByTestId('designation-at').innerText()).toMatch(/Tier 1 · Essential/);
    await shot(page, 'registry-entity');

    // The same page in Urdu, and on a phone, in both languages.
    const entityUrl = page.url();
    await page.evaluate("localStorage.setItem('qila.language', 'ur')");
    await page.reload();
    await expect.poll(() => page.evaluate('document.documentElement.dir')).toBe('rtl');
    await page.getByTestId('designation-timeline').waitFor();
    await shot(page, 'registry-entity-urdu');
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      storageState: await page.context().storageState(),
    });
    const mobile = await phone.newPage();
    await mobile.goto(entityUrl);
    await mobile.getByTestId('designation-timeline').waitFor();
    expect(await mobile.evaluate('document.documentElement.scrollWidth')).toBe(390);
    await shot(mobile, 'registry-entity-urdu-mobile');
    await mobile.goto(`${server.url}/registry?sector=telecom`);
    await mobile.locator('main ul li a').first().waitFor();
    await shot(mobile, 'registry-list-urdu-mobile');
    await mobile.evaluate("localStorage.setItem('qila.language', 'en')");
    await mobile.reload();
    await mobile.locator('main ul li a').first().waitFor();
    expect(await mobile.evaluate('document.documentElement.scrollWidth')).toBe(390);
    await shot(mobile, 'registry-list-mobile');
    await mobile.goto(entityUrl);
    await mobile.getByTestId('designation-timeline').waitFor();
    await shot(mobile, 'registry-entity-mobile');
    await phone.close();
    await page.evaluate("localStorage.setItem('qila.language', 'en')");
    await page.reload();
  });

  it('the administrator approves an entity’s change request', async () => {
    await page.goto(`${server.url}/registry`);
    await page.getByRole('link', { name: 'Change requests: 1 pending' }).click();
    await page.waitForURL(/\/registry\/changes$/);
    const card = page.getByRole('listitem').filter({ hasText: 'Merged with a regional operator' });
    await card.waitFor();
    // The requested size, old and new.
    await expect.poll(() => card.innerText()).toMatch(/Size:\s*(Large|Medium)\s*becomes\s*(Large|Medium)/);
    await shot(page, 'registry-change-requests');

    await card.getByRole('button', { name: /^Approve the change/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve this change?' });
    await dialog.getByLabel(/^Note to the organisation/).fill('Confirmed with the merger filing.');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByText('No change requests are waiting').count()).toBe(1);
    await page.getByRole('tab', { name: 'Approved' }).click();
    await expect.poll(() => page.getByText(/Confirmed with the merger filing\./).count()).toBe(1);
    await page.close();
  });

  it('a telecom regulator sees only telecom entities', async () => {
    const p = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(p, 'telecom.regulator@pta.demo');
    await p.getByRole('link', { name: 'Registry', exact: true }).click();
    await p.waitForURL(/\/registry$/);
    await expect.poll(() => p.locator('main table tbody tr').count()).toBeGreaterThan(5);
    const rows = await rowTexts(p);
    expect(rows.every((r) => r.includes('Telecommunications'))).toBe(true);
    // Neither registering nor importing is part of the role.
    expect(await p.getByRole('button', { name: 'Register entity' }).count()).toBe(0);
    expect(await p.getByRole('link', { name: 'Import' }).count()).toBe(0);
    await shot(p, 'registry-regulator');
    await p.close();
  });

  it('explains a failed single sign-on on the sign-in page', async () => {
    const p = await browser.newPage();
    await p.goto(`${server.url}/sign-in?error=sso_no_account`);
    await expect
      .poll(() => p.getByText(/there is no active Qila account for that email address/).count())
      .toBe(1);
    // The error is shown once: the address no longer carries it.
    await expect.poll(() => new URL(p.url()).search).toBe('');
    await p.close();
  });
});
