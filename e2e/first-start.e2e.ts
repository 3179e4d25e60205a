import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEnv, type TestDatabase } from '../server/test/harness.ts';
import { startServer, type RunningServer } from '../server/test/processes.ts';
import { launchBrowser, screenshot } from './browser.ts';

/** What a newcomer does: npm start, read the printed login, sign in, see the national picture. */
describe('first start', () => {
  let tdb: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let login: { email: string; password: string };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    server = await startServer(testEnv(tdb, { QILA_DEMO: '1', QILA_LOG_LEVEL: 'warn' }), {
      viaNpmStart: true,
    });
    const out = server.output();
    const password = /password for all: (\S+)\)/.exec(out)?.[1];
    const email = /^\s+(\S+@\S+)\s+Authority administrator$/m.exec(out)?.[1];
    expect(password && email, out).toBeTruthy();
    login = { email: email!, password: password! };
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await tdb?.drop();
  });

  it('signs in with the printed demo login and sees the home page', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const messages: string[] = [];
    page.on('console', (m) => messages.push(m.text()));
    await page.goto(server.url);
    await page.waitForURL(/\/sign-in/);
    // The journeys drive what ships: React's development build (which announces its DevTools) is
    // several times slower and would time the journeys out on a loaded machine.
    expect(messages.filter((t) => t.includes('React DevTools'))).toEqual([]);
    await screenshot(page, 'sign-in');
    await page.getByLabel('Email address').fill(login.email);
    await page.getByLabel(/^Password/).fill(login.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await expect.poll(() => page.getByText('Welcome, Ayesha Siddiqui').count()).toBeGreaterThan(0);
    // The national picture is drawn from the demo registry.
    await expect.poll(() => page.getByText('600').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await screenshot(page, 'home');
    await page.close();
  });

  it('refuses a wrong password with a clear message', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill(login.email);
    await page.getByLabel(/^Password/).fill('not-the-password');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('The email or password is not right.').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('works on a narrow (mobile) screen and in Urdu, right to left', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill(login.email);
    await page.getByLabel(/^Password/).fill(login.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    // Evaluated in the page, where the browser's globals exist.
    await page.evaluate("localStorage.setItem('qila.language', 'ur')");
    await page.reload();
    await expect.poll(() => page.evaluate('document.documentElement.dir')).toBe('rtl');
    await screenshot(page, 'home-urdu-mobile');
    await context.close();
  });
});
