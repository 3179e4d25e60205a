import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEnv, type TestDatabase } from '../server/test/harness.ts';
import { startServer, type RunningServer } from '../server/test/processes.ts';
import { totpAt } from '../server/src/platform/auth/totp.ts';
import { launchBrowser, screenshot } from './browser.ts';

const INVITEE = 'new.ciso@entity.example';
const INVITEE_NAME = 'Nadia Rahman';
const INVITEE_PASSWORD = 'Margalla hills at dawn, 2026';
const STEP_MS = 30_000;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The identity journey: an Authority administrator invites an entity's security officer, who
 * joins through the emailed link, sets up two-factor authentication, signs in again with a code
 * from the app and sees only their own entity.
 */
describe('invitation journey', () => {
  let tdb: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let admin: { email: string; password: string };
  let entity: { id: string; nameEn: string };
  let token: string;
  let secret: string;
  /** The TOTP time step last used: the server refuses the same step twice. */
  let lastStep = 0;
  let invitee: BrowserContext;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    // At info level the server logs the mail it cannot send (no SMTP), invitation links included.
    server = await startServer(testEnv(tdb, { QILA_DEMO: '1', QILA_LOG_LEVEL: 'info' }));
    const out = server.output();
    const password = /password for all: (\S+)\)/.exec(out)?.[1];
    const email = /^\s+(\S+@\S+)\s+Authority administrator$/m.exec(out)?.[1];
    expect(password && email, out).toBeTruthy();
    admin = { email: email!, password: password! };

    // The entity to invite the newcomer to: the first in the registry, read as the administrator.
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const list = await fetch(`${server.url}/api/entities?limit=1`, { headers: { cookie } });
    const body = (await list.json()) as { items: { id: string; nameEn: string }[] };
    entity = body.items[0]!;
    expect(entity).toBeTruthy();

    browser = await launchBrowser();
  });
  afterAll(async () => {
    await invitee?.close();
    await browser?.close();
    await server?.stop();
    await tdb?.drop();
  });

  /** A code from a time step the server has not seen yet (waiting for the next one if need be). */
  async function freshCode(): Promise<string> {
    while (Math.floor(Date.now() / STEP_MS) <= lastStep) await sleep(500);
    const now = new Date();
    lastStep = Math.floor(now.getTime() / STEP_MS);
    return totpAt(secret, now);
  }

  async function signOut(page: Page, name: string): Promise<void> {
    await page.getByRole('button', { name: `Account menu for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
  }

  it('an Authority administrator invites an entity administrator', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill(admin.email);
    await page.getByLabel(/^Password/).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

    // Administration > Users
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL(/\/admin\/users/);
    await expect.poll(() => page.getByText('ciso@telecom-entity.demo').count()).toBeGreaterThan(0);
    await screenshot(page, 'admin-users');

    // Administration > Invitations > Invite someone
    await page.getByRole('link', { name: 'Invitations' }).click();
    await page.waitForURL(/\/admin\/invitations/);
    await page.getByRole('button', { name: 'Invite someone' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Invite someone to Qila' });
    await dialog.getByLabel(/^Email address/).fill(INVITEE);
    await dialog.getByRole('textbox', { name: /^Role/ }).click();
    await page.getByRole('option', { name: 'Entity administrator', exact: true }).click();
    const picker = dialog.getByRole('textbox', { name: /^Organisation/ });
    await picker.click();
    await picker.fill(entity.nameEn);
    await page.getByRole('option', { name: new RegExp(`^${escapeRegExp(entity.nameEn)} ·`) }).click();
    await screenshot(page, 'admin-invite-modal');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: new RegExp(escapeRegExp(INVITEE)) });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.getByText('Pending').count()).toBe(1);
    // The role badge names the entity, not its identifier.
    await expect.poll(() => row.getByText(new RegExp(escapeRegExp(entity.nameEn))).count()).toBe(1);
    await screenshot(page, 'admin-invitations');

    // Administration > Audit trail: the invitation is recorded; open its before/after.
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.waitForURL(/\/admin\/audit/);
    await page.getByRole('textbox', { name: 'Action' }).fill('invitation.');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/action=invitation\./);
    await page
      .getByRole('button', { name: /^Details of invitation\.create/ })
      .first()
      .click();
    await expect.poll(() => page.getByText(INVITEE).count()).toBeGreaterThan(0);
    await screenshot(page, 'admin-audit');

    await signOut(page, 'Ayesha Siddiqui');
    await page.close();
  });

  it('the invitee accepts the emailed link and sets up two-factor authentication', async () => {
    // The mail job writes the message to the log shortly after the invitation is made.
    await expect
      .poll(() => /accept-invitation\?token=([A-Za-z0-9_-]{20,})/.exec(server.output())?.[1], {
        timeout: 15_000,
      })
      .toBeTruthy();
    token = /accept-invitation\?token=([A-Za-z0-9_-]{20,})/.exec(server.output())![1]!;

    invitee = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await invitee.newPage();
    await page.goto(`${server.url}/accept-invitation?token=${token}`);
    await expect.poll(() => page.getByText(`Invitation for ${INVITEE}`).count()).toBe(1);
    await expect.poll(() => page.getByText('Entity administrator (your organisation)').count()).toBe(1);
    await screenshot(page, 'accept-invitation');

    await page.getByLabel(/^Your name/).fill(INVITEE_NAME);
    await page.getByLabel(/^Choose a password/).fill(INVITEE_PASSWORD);
    await page.getByLabel(/^Confirm the new password/).fill(INVITEE_PASSWORD);
    await page.getByRole('button', { name: 'Create my account' }).click();
    await expect.poll(() => page.getByText('Your account is ready').count()).toBe(1);
    // Signed in now, the page can name the organisation.
    await expect
      .poll(() => page.getByText(`Entity administrator (${entity.nameEn})`).count(), { timeout: 10_000 })
      .toBe(1);
    await screenshot(page, 'invitation-accepted');

    await page.getByRole('link', { name: 'Set up two-factor authentication now' }).click();
    await page.waitForURL(/\/account\/two-factor/);
    const secretText = page.getByTestId('totp-secret');
    await secretText.waitFor();
    await page.getByRole('img', { name: /^QR code for your authenticator app/ }).waitFor();
    secret = (await secretText.innerText()).replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(page, 'two-factor-setup');

    await page.getByLabel(/^Code from your app/).fill(await freshCode());
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    const codes = page.getByTestId('recovery-codes');
    await codes.waitFor();
    expect(await codes.locator('li').count()).toBe(10);
    await screenshot(page, 'recovery-codes');

    const done = page.getByRole('button', { name: 'Done' });
    expect(await done.isDisabled()).toBe(true);
    await page.getByLabel('I have saved my recovery codes somewhere safe').check();
    await done.click();
    await page.waitForURL(/\/account$/);
    await expect.poll(() => page.getByRole('heading', { name: 'Where you are signed in' }).count()).toBe(1);
    await expect.poll(() => page.getByText('This device', { exact: true }).count()).toBe(1);
    await screenshot(page, 'account');

    await signOut(page, INVITEE_NAME);
    await page.close();
  });

  it('the invitee signs in with password and code, and sees only their entity', async () => {
    const page = await invitee.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill(INVITEE);
    await page.getByLabel(/^Password/).fill(INVITEE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const code = page.getByLabel(/^6-digit code/);
    await code.waitFor();
    await screenshot(page, 'sign-in-code');
    await code.fill(await freshCode());
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

    // Home: the one entity their role covers.
    await expect.poll(() => page.getByText(`Welcome, ${INVITEE_NAME}`).count()).toBe(1);
    const total = page.locator('.mantine-Paper-root', { hasText: 'Regulated entities' }).first();
    await expect
      .poll(async () => (await total.innerText()).replace(/\s+/g, ' '))
      .toMatch(/Regulated entities 1 /);
    await screenshot(page, 'invitee-home');

    // Registry: exactly one row, the entity invited to.
    await page.getByRole('link', { name: 'Registry', exact: true }).click();
    await page.waitForURL(/\/registry/);
    await expect.poll(() => page.getByText('Showing 1 entity').count()).toBe(1);
    const rows = page.locator('table tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain(entity.nameEn);
    await screenshot(page, 'invitee-registry');

    // The account page reads right to left in Urdu.
    await page.evaluate("localStorage.setItem('qila.language', 'ur')");
    await page.goto(`${server.url}/account`);
    await expect.poll(() => page.evaluate('document.documentElement.dir')).toBe('rtl');
    await expect.poll(() => page.getByText('اکاؤنٹ اور سکیورٹی').count()).toBeGreaterThan(0);
    await page.getByText('یہ آلہ', { exact: true }).waitFor();
    await screenshot(page, 'account-urdu');
    await page.close();
  });
});
