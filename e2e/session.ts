import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { createTestDatabase, testEnv, type TestDatabase } from '../server/test/harness.ts';
import { startServer, type RunningServer } from '../server/test/processes.ts';
import { screenshot } from './browser.ts';

/** A server with the demo dataset, and the password every demo login shares. */
export interface DemoServer {
  tdb: TestDatabase;
  server: RunningServer;
  password: string;
  stop(): Promise<void>;
}

export async function startDemoServer(): Promise<DemoServer> {
  const tdb = await createTestDatabase();
  const server = await startServer(testEnv(tdb, { QILA_DEMO: '1', QILA_LOG_LEVEL: 'warn' }));
  const out = server.output();
  const password = /password for all: (\S+)\)/.exec(out)?.[1] ?? '';
  expect(password, out).toBeTruthy();
  return {
    tdb,
    server,
    password,
    stop: async () => {
      await server.stop();
      await tdb.drop();
    },
  };
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(p: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await p.goto(`${baseUrl}/sign-in`);
  await p.getByLabel('Email address').fill(email);
  await p.getByLabel(/^Password/).fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

/** Chooses an option of a Mantine select by its label. */
export async function choose(
  scope: Page | Locator,
  p: Page,
  label: RegExp | string,
  option: string,
): Promise<void> {
  await scope.getByRole('textbox', { name: label }).click();
  await p.getByRole('option', { name: option, exact: true }).click();
}

/** Waits until the page shows its heading and nothing is loading any more. */
export async function settle(p: Page): Promise<void> {
  await p.getByRole('heading', { level: 1 }).first().waitFor();
  await expect.poll(() => p.locator('.mantine-Loader-root, .mantine-Skeleton-root').count()).toBe(0);
  // Menus and dialogs fade in: axe would measure the contrast of half-transparent text.
  await expect
    .poll(() =>
      p.evaluate(
        'document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).length',
      ),
    )
    .toBe(0);
}

/** A full-page screenshot from the top, with nothing focused and no confirmation covering the header. */
export async function cleanShot(p: Page, name: string): Promise<void> {
  await expect.poll(() => p.locator('.mantine-Notification-root').count()).toBe(0);
  await p.evaluate('document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)');
  await screenshot(p, name);
}

/** Opens a page of a module from the navigation, unfolding the module's group when it is closed. */
export async function openFromNav(p: Page, module: string, link: string): Promise<void> {
  const nav = p.getByRole('navigation', { name: 'Modules' });
  const item = nav.getByRole('link', { name: link, exact: true });
  if (!(await item.isVisible())) await nav.getByRole('button', { name: module }).click();
  await item.click();
}
