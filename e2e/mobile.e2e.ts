import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from './axe.ts';
import { launchBrowser, screenshot } from './browser.ts';
import { choose, signIn, startDemoServer, type DemoServer } from './session.ts';

const CISO = 'ciso@telecom-entity.demo';
const ADMIN = 'admin@ncsa.demo';
const TITLE = 'Phishing kit hosted on a lookalike of our self-care portal';
// A phone: the size of an iPhone 12-15, touch, double-density screen (CSP bypassed for axe).
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  bypassCSP: true,
};

/**
 * Qila on a phone: an entity's CISO looks at the home page and the incidents, reports an incident
 * through the form and lands on it; the Authority's administrator opens the registry and the
 * national view of incidents. No page scrolls sideways, none has a serious accessibility problem,
 * and the navigation opens from the burger.
 */
describe('on a phone', () => {
  let demo: DemoServer;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    demo = await startDemoServer();
    url = demo.server.url;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  async function phone(email: string): Promise<Page> {
    const p = await (await browser.newContext(PHONE)).newPage();
    await signIn(p, url, email, demo.password);
    return p;
  }

  const nav = (p: Page) => p.getByRole('navigation', { name: 'Modules' });
  // A closed navigation is slid off screen (and inert), not hidden: ask where it is.
  const navState = (p: Page) =>
    p.evaluate(`(() => {
      const n = document.querySelector('nav[aria-label="Modules"]');
      const r = n.getBoundingClientRect();
      if (r.right <= 0 || r.left >= window.innerWidth) return n.inert ? 'closed' : 'off screen, not inert';
      if (r.left >= 0 && r.right <= window.innerWidth) return n.inert ? 'on screen, inert' : 'open';
      return 'sliding';
    })()`);

  /** Opens the navigation from the burger and follows a link in it (inside its module's group). */
  async function navigate(p: Page, link: string, group?: string): Promise<void> {
    await p.getByRole('button', { name: 'Open navigation' }).click();
    await expect.poll(() => navState(p)).toBe('open');
    const item = nav(p).getByRole('link', { name: link, exact: true });
    if (group && !(await item.isVisible())) await nav(p).getByRole('button', { name: group }).click();
    await item.click();
    // Following a link closes the navigation again.
    await expect.poll(() => navState(p)).toBe('closed');
  }

  /**
   * The page fits the phone's width, passes axe there too (tables scroll sideways on a phone), the
   * burger opens the navigation, and a screenshot is saved.
   */
  async function check(p: Page, name: string): Promise<void> {
    await audit(p, `${name} on a phone`);
    expect(
      await p.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1'),
      `${name} scrolls sideways: ${String(await p.evaluate('document.documentElement.scrollWidth'))}px wide`,
    ).toBe(true);
    await p.getByRole('button', { name: 'Open navigation' }).click();
    await expect.poll(() => navState(p)).toBe('open');
    expect(await nav(p).getByRole('link', { name: 'Home', exact: true }).isVisible()).toBe(true);
    await p.getByRole('button', { name: 'Close navigation' }).click();
    await expect.poll(() => navState(p)).toBe('closed');
    // Confirmations close by themselves; they would hide the page's header.
    await expect.poll(() => p.locator('.mantine-Notification-root').count()).toBe(0);
    await p.evaluate('document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)');
    await screenshot(p, `mobile-${name}`);
  }

  it('the entity reports an incident from its phone', async () => {
    const p = await phone(CISO);
    await check(p, 'home');
    await p.getByRole('button', { name: 'Open navigation' }).click();
    await expect.poll(() => navState(p)).toBe('open');
    await screenshot(p, 'mobile-navigation');
    await p.getByRole('button', { name: 'Close navigation' }).click();

    await navigate(p, 'Incidents', 'Incidents');
    await p.waitForURL(/\/incidents$/);
    await p.locator('[data-testid="incident-row"]').first().waitFor();
    await check(p, 'incidents');

    await navigate(p, 'Report an incident', 'Incidents');
    await p.waitForURL(/\/incidents\/new$/);
    await p.getByRole('heading', { level: 1, name: 'Report an incident' }).waitFor();
    await p.getByLabel(/^Short title/).fill(TITLE);
    await p
      .getByLabel(/^What happened/)
      .fill(
        'Customers received SMS messages linking to a copy of our self-care portal asking for their PIN.',
      );
    // High: the early warning is then the first report owed, and it asks for no more than this.
    await p.getByRole('radio', { name: 'High', exact: true }).check();
    await choose(p, p, /^Type of incident/, 'Fraud');
    await choose(p, p, /^More precisely/, 'Phishing');
    await p.getByTestId('fact-suspectedMalicious').getByRole('radio', { name: 'Yes', exact: true }).check();
    await p.getByTestId('fact-crossBorder').getByRole('radio', { name: 'No', exact: true }).check();
    await p.getByRole('radio', { name: 'TLP:GREEN', exact: true }).check();
    await check(p, 'report-form');

    await p.getByRole('button', { name: 'Submit the report' }).click();
    await p.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    await p.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await p.getByTestId('duty').first().waitFor();
    await check(p, 'incident');
  });

  it("the Authority's registry and national view on a phone", async () => {
    const p = await phone(ADMIN);
    await navigate(p, 'Registry');
    await p.waitForURL(/\/registry$/);
    await p.locator('main a[href^="/registry/"]').first().waitFor();
    await check(p, 'registry');

    await navigate(p, 'National view', 'Incidents');
    await p.waitForURL(/\/incidents\/national$/);
    await p.getByTestId('national-by-month').waitFor();
    await check(p, 'national');
  });
});
