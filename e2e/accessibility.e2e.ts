import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from './axe.ts';
import { launchBrowser } from './browser.ts';
import { startDemoServer, type DemoServer } from './session.ts';

const ADMIN = 'admin@ncsa.demo';
const CERT = 'cert@pkcert.demo';
const REGULATOR = 'telecom.regulator@pta.demo';
const CISO = 'ciso@telecom-entity.demo';
const OBSERVER = 'observer@ncsa.demo';
const AUDITOR = 'auditor@indus-assurance.demo';

/**
 * Every main page, as each kind of person sees it, checked with axe-core against WCAG 2.1 A and
 * AA: no serious or critical violation. Also a few open states (menus, dialogs, form errors) and
 * the right-to-left Urdu interface.
 */
describe('accessibility', () => {
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

  /** A fresh page; the CSP (script-src 'self') would refuse the inline axe script otherwise. */
  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, bypassCSP: true });
    return context.newPage();
  }

  /** Signed in through the API (the sign-in page has its own test): the session cookie is shared. */
  async function as(email: string): Promise<Page> {
    const p = await newPage();
    const res = await p.context().request.post(`${url}/api/auth/sign-in`, {
      data: { email, password: demo.password },
    });
    expect(res.status(), await res.text()).toBe(200);
    await p.goto(url);
    return p;
  }

  /** The page's main heading now, to tell when the next page has replaced it. */
  const heading = (p: Page) => p.getByRole('heading', { level: 1 }).first().innerText();

  /** Waits for the new page: the router keeps the old one on screen while the next one loads. */
  async function arrived(p: Page, path: string, before: string): Promise<void> {
    await p.waitForURL(`${url}${path}`);
    await expect.poll(() => heading(p)).not.toBe(before);
  }

  /**
   * Opens a page of the app without reloading it, as its links do (much quicker than loading
   * every address afresh), and checks it.
   */
  async function visit(p: Page, path: string, label = path): Promise<void> {
    const before = await heading(p);
    await p.evaluate(
      `history.pushState(null, '', ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent('popstate'))`,
    );
    await arrived(p, path, before);
    await audit(p, label);
  }

  /** Follows the first link in the page's main region whose address matches, then checks that page. */
  async function follow(p: Page, href: RegExp, label: string): Promise<void> {
    const target = await p.evaluate<string | undefined>(
      `[...document.querySelectorAll('main a[href]')].map((a) => a.getAttribute('href')).find((h) => ${href.toString()}.test(h))`,
    );
    expect(target, `a link to ${href.toString()} on ${p.url()}`).toBeTruthy();
    const before = await heading(p);
    await p.locator(`main a[href="${target}"]`).first().click();
    await arrived(p, target!, before);
    await audit(p, label);
  }

  const UUID = '[0-9a-f-]{36}';

  it('the sign-in page, empty and with errors', async () => {
    const p = await newPage();
    await p.goto(`${url}/sign-in`);
    await audit(p, 'sign-in');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => p.locator('.mantine-InputWrapper-error').count()).toBeGreaterThan(0);
    await audit(p, 'sign-in with errors');
  });

  it("the Authority administrator's pages", async () => {
    const p = await as(ADMIN);
    await audit(p, 'home');
    await p.getByRole('button', { name: /^Account menu/ }).click();
    await p.getByRole('menu').waitFor();
    await audit(p, 'account menu open');
    await p.keyboard.press('Escape');

    await visit(p, '/registry');
    await follow(p, new RegExp(`^/registry/${UUID}$`), 'an entity');
    await visit(p, '/assessments');
    await follow(p, new RegExp(`^/assessments/campaigns/${UUID}$`), 'a campaign');
    await visit(p, '/incidents/late');
    await visit(p, '/incidents/national');
    await visit(p, '/advisories');
    await visit(p, '/account');
    await visit(p, '/admin/users');
    await visit(p, '/admin/invitations');
    await p.getByRole('button', { name: 'Invite someone' }).first().click();
    await p.getByRole('dialog').waitFor();
    await audit(p, 'invitation dialog');
    await p.keyboard.press('Escape');
    await visit(p, '/admin/audit');
  });

  it("a CERT analyst's queue and an incident", async () => {
    const p = await as(CERT);
    await visit(p, '/incidents', 'incident queue');
    await follow(p, new RegExp(`^/incidents/${UUID}$`), 'an incident, as its handler');
  });

  it("the entity's pages: incidents, the report form, its assessment", async () => {
    const p = await as(CISO);
    await audit(p, 'home');
    await p.getByRole('button', { name: /notification/i }).click();
    await p.getByRole('dialog').waitFor();
    await audit(p, 'notifications open');
    await p.keyboard.press('Escape');

    await visit(p, '/incidents');
    await follow(p, new RegExp(`^/incidents/${UUID}$`), 'an incident, as the entity');
    await visit(p, '/incidents/new', 'report an incident');
    await p.getByRole('button', { name: 'Submit the report' }).click();
    await expect.poll(() => p.locator('.mantine-InputWrapper-error').count()).toBeGreaterThan(0);
    await audit(p, 'report form with errors');
    await visit(p, '/assessments');
    await follow(p, new RegExp(`^/assessments/${UUID}$`), 'its assessment');
    await visit(p, '/account/tokens');
  });

  it('a sector regulator, an observer and an auditor', async () => {
    const regulator = await as(REGULATOR);
    await visit(regulator, '/registry', 'registry, one sector');
    const observer = await as(OBSERVER);
    await audit(observer, 'home, aggregates only');
    const auditor = await as(AUDITOR);
    await audit(auditor, 'home, as an auditor');
  });

  it('in Urdu, right to left', async () => {
    const p = await as(CISO);
    await p.evaluate("localStorage.setItem('qila.language', 'ur')");
    await p.reload();
    await expect.poll(() => p.evaluate('document.documentElement.dir')).toBe('rtl');
    expect(await p.evaluate('document.documentElement.lang')).toBe('ur');
    await audit(p, 'home in Urdu');
    await visit(p, '/incidents/new', 'report form in Urdu');
  });
});
