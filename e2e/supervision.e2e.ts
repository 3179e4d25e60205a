import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEnv, type TestDatabase } from '../server/test/harness.ts';
import { startServer, type RunningServer } from '../server/test/processes.ts';
import { SCREENSHOTS, launchBrowser } from './browser.ts';
import * as session from './session.ts';

const REGULATOR = 'telecom.regulator@pta.demo';
const CISO = 'ciso@telecom-entity.demo';
const AUDITOR = 'auditor@indus-assurance.demo';
const AUDITOR_NAME = 'Zara Hussain';
const PLAN = 'Telecom audits, first half of 2027';
const FINDING = 'Firewall rules never reviewed';
const ANSWER = 'Accepted. We will review every rule and remove the unused ones.';
const ACTION = 'Review and clean up the core firewall rule base';
const DAY = 86_400_000;

/** A calendar day as YYYY-MM-DD in this machine's time zone (the browser's too), `offset` days from today. */
function localDay(offset: number): string {
  const d = new Date(Date.now() + offset * DAY);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The supervision journey: the Authority proposes a risk-based audit plan for telecom, makes sure
 * the demo CISO's operator is in it and approves it; the telecom regulator assigns a licensed
 * auditor; the auditor records a checklist result and a finding and issues the preliminary report;
 * the CISO answers, files a corrective action due in a few days and sends the response. Time then
 * passes (the action's due date is moved into the past): the compliance sweep flags it and the
 * operator turns non-compliant. The Authority opens an enforcement case from that fact, takes it
 * through notice, the entity's response, hearing and a decision with a penalty, and downloads the
 * decision letter.
 */
describe('supervision journey', () => {
  let tdb: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let password: string;
  let admin: string;
  let entity: { id: string; name: string };
  let adminPage: Page;
  let regulatorPage: Page;
  let auditorPage: Page;
  let cisoPage: Page;
  let auditUrl: string;
  let auditReference: string;
  let caseUrl: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    server = await startServer(
      testEnv(tdb, {
        QILA_DEMO: '1',
        QILA_LOG_LEVEL: 'warn',
        // The compliance sweep (overdue actions, everyone's status) every 2 s instead of hourly.
        QILA_SUPERVISION_SWEEP_SECONDS: '2',
      }),
    );
    const out = server.output();
    password = /password for all: (\S+)\)/.exec(out)?.[1] ?? '';
    admin = /^\s+(\S+@\S+)\s+Authority administrator$/m.exec(out)?.[1] ?? '';
    expect(password && admin, out).toBeTruthy();

    // The CISO's operator, as the CISO's own session names it.
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: CISO, password }),
    });
    expect(signIn.status).toBe(200);
    const me = (await signIn.json()) as { roles: { scopeKind: string; scopeValue: string | null }[] };
    const id = me.roles.find((r) => r.scopeKind === 'entity')?.scopeValue ?? '';
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const compliance = await fetch(`${server.url}/api/supervision/entities/${id}/compliance`, {
      headers: { cookie },
    });
    expect(compliance.status).toBe(200);
    entity = { id, name: ((await compliance.json()) as { entityName: string }).entityName };

    browser = await launchBrowser();
    const page = async () => (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    adminPage = await page();
    regulatorPage = await page();
    auditorPage = await page();
    cisoPage = await page();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await tdb?.drop();
  });

  const signIn = (p: Page, email: string) => session.signIn(p, server.url, email, password);

  const shot = session.cleanShot;

  const navigate = (p: Page, link: string) => session.openFromNav(p, 'Supervision', link);

  const choose = session.choose;

  /** Runs one statement on the server's database, behind its back. */
  async function sql(statement: string, params: string[]): Promise<number> {
    if (tdb.url.startsWith('sqlite:')) {
      const db = new Database(tdb.url.slice('sqlite:'.length));
      try {
        return db.prepare(statement).run(...params).changes;
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: tdb.url });
    await client.connect();
    try {
      let i = 0;
      return (
        (
          await client.query(
            statement.replace(/\?/g, () => `$${++i}`),
            params,
          )
        ).rowCount ?? 0
      );
    } finally {
      await client.end();
    }
  }

  const planItem = (p: Page) => p.locator(`[data-testid="plan-item"][data-entity="${entity.id}"]`);

  it('the Authority proposes a telecom audit plan with the operator in it and approves it', async () => {
    const p = adminPage;
    await signIn(p, admin);
    await navigate(p, 'Audit plans');
    await p.waitForURL(/\/supervision\/plans$/);
    await p.getByTestId('plans').waitFor();
    await shot(p, 'supervision-plans');

    await p.getByRole('button', { name: 'New plan' }).click();
    const dialog = p.getByRole('dialog', { name: 'New plan' });
    await dialog.getByLabel(/^Name/).fill(PLAN);
    await dialog.getByLabel(/^From/).fill(localDay(7));
    await dialog.getByLabel(/^To/).fill(localDay(190));
    // A plan keeps three times its capacity as candidates: with 18, every telecom operator is one.
    await dialog.getByLabel(/^Capacity/).fill('18');
    await dialog.getByRole('textbox', { name: /^Sectors/ }).click();
    await p.getByRole('option', { name: 'Telecommunications', exact: true }).click();
    await dialog.getByLabel(/^Name/).click();
    await dialog.screenshot({ path: path.join(SCREENSHOTS, 'supervision-plan-new.png') });
    await dialog.getByRole('button', { name: 'Propose the plan' }).click();
    await p.waitForURL(/\/supervision\/plans\/[0-9a-f-]{36}$/);
    await p.getByRole('heading', { level: 1, name: PLAN }).waitFor();
    await expect.poll(() => p.getByTestId('plan-item').count()).toBeGreaterThan(18);
    // Every candidate says why it scored what it did.
    await expect.poll(() => planItem(p).getByTestId('reason').allInnerTexts()).toContain('Never audited +30');

    // Tick the operator if the ranking left it out, then drop the lowest-ranked other one.
    expect(await planItem(p).count(), `${entity.name} is not among the candidates`).toBe(1);
    if ((await planItem(p).getAttribute('data-included')) === null) {
      await planItem(p)
        .getByRole('checkbox', { name: `Include ${entity.name}` })
        .check();
      await expect.poll(() => planItem(p).getAttribute('data-included')).toBe('true');
      await expect
        .poll(() => p.getByTestId('plan-capacity').innerText())
        .toMatch(/19 included[\s\S]*1 over capacity/i);
      const last = p
        .locator(`[data-testid="plan-item"][data-included]:not([data-entity="${entity.id}"])`)
        .last();
      await last.getByRole('checkbox').uncheck();
    }
    await expect
      .poll(() => p.getByTestId('plan-capacity').innerText())
      .toContain('18 included of a capacity of 18');
    await shot(p, 'supervision-plan');

    await p.getByRole('button', { name: 'Approve plan' }).click();
    const confirm = p.getByRole('dialog', { name: 'Approve this audit plan?' });
    await expect.poll(() => confirm.innerText()).toContain('Approving opens 18 audits');
    await confirm.getByRole('button', { name: 'Approve and open the audits' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect.poll(() => p.getByTestId('plan-status').getAttribute('data-status')).toBe('approved');
    expect(await planItem(p).getByRole('checkbox').isDisabled()).toBe(true);
  });

  it('the telecom regulator assigns the licensed auditor to the operator’s new audit', async () => {
    const p = regulatorPage;
    await signIn(p, REGULATOR);
    await navigate(p, 'Compliance');
    await p.waitForURL(/\/supervision\/board$/);
    await p.getByTestId('attention').waitFor();
    await expect.poll(() => p.getByTestId('board-stats').innerText()).toMatch(/Non-compliant\s+\d+/);
    await shot(p, 'supervision-board-regulator');

    await navigate(p, 'Audits');
    await p.waitForURL(/\/supervision\/audits$/);
    const row = p.locator(`[data-testid="audit-row"][data-entity="${entity.id}"][data-status="planned"]`);
    await row.waitFor();
    await shot(p, 'supervision-audits-regulator');
    auditReference = await row.getByRole('link').innerText();
    await row.getByRole('link', { name: auditReference, exact: true }).click();
    await p.waitForURL(/\/supervision\/audits\/[0-9a-f-]{36}$/);
    auditUrl = p.url();
    await p.getByRole('heading', { level: 1, name: `Audit ${auditReference}` }).waitFor();

    const form = p.getByTestId('assign-form');
    await choose(form, p, /^Lead auditor/, `${AUDITOR_NAME} · Indus Assurance Services`);
    await expect
      .poll(() => p.getByTestId('auditor-details').innerText())
      .toMatch(/Valid until[\s\S]*None declared/);
    await shot(p, 'supervision-audit-assign');
    await form.getByRole('button', { name: 'Assign auditor' }).click();
    await expect.poll(() => p.getByTestId('lead-auditor').innerText()).toContain(AUDITOR_NAME);
    // Until the auditor starts fieldwork, the regulator may still change the lead.
    await p.getByRole('heading', { name: 'Change the lead auditor' }).waitFor();
  });

  it('the auditor starts fieldwork, records a result and a finding, and issues the preliminary report', async () => {
    const p = auditorPage;
    await signIn(p, AUDITOR);
    await navigate(p, 'Audits');
    await p.waitForURL(/\/supervision\/audits$/);
    // An auditor sees only the audits they lead.
    await p.getByTestId('audit-list').waitFor();
    await shot(p, 'supervision-audits-auditor');
    const row = p.locator(`[data-testid="audit-row"][data-reference="${auditReference}"]`);
    await row.waitFor();
    await row.getByRole('link', { name: auditReference, exact: true }).click();
    await p.waitForURL(auditUrl);

    await p.getByRole('button', { name: 'Start fieldwork' }).click();
    const first = p.getByTestId('check').first();
    await first.waitFor();
    const item = (await first.getAttribute('data-item'))!;
    await choose(first, p, `Result for ${item}`, 'Major gap');
    await expect.poll(() => first.getAttribute('data-result')).toBe('major_gap');
    await first.getByRole('textbox', { name: `Note for ${item}` }).fill('No rule review since 2023.');
    await first.getByRole('textbox', { name: `Note for ${item}` }).press('Enter');
    await expect.poll(() => p.getByLabel('Saved').count()).toBe(1);

    const form = p.getByTestId('finding-form');
    await choose(form, p, /^Requirement/, `${item} · Major gap`);
    await form.getByLabel(/^Finding/).fill(FINDING);
    await form
      .getByLabel(/^Details/)
      .fill('The core firewalls carry 1,400 rules; none has been reviewed since 2023 and 300 are unused.');
    await form.getByRole('radio', { name: 'High', exact: true }).check();
    await form.getByRole('button', { name: 'Record finding' }).click();
    await expect.poll(() => p.getByTestId('finding').filter({ hasText: FINDING }).count()).toBe(1);
    await shot(p, 'supervision-audit-fieldwork');

    await p.getByRole('button', { name: 'Issue preliminary report' }).click();
    const dialog = p.getByRole('dialog', { name: 'Issue the preliminary report?' });
    await expect.poll(() => dialog.innerText()).toContain('7 days');
    await dialog.getByRole('button', { name: 'Issue preliminary report' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => p.getByTestId('audit-stepper').getAttribute('data-status'))
      .toBe('preliminary_issued');
    await expect.poll(() => p.getByTestId('response-due').innerText()).toMatch(/in 6 d 2\d h|in 7 d/);
    await shot(p, 'supervision-audit-preliminary');
  });

  it('the CISO answers the finding, files a corrective action and sends the response', async () => {
    const p = cisoPage;
    await signIn(p, CISO);
    await navigate(p, 'Audits');
    await p.waitForURL(/\/supervision\/audits$/);
    await p.locator(`[data-testid="audit-row"][data-reference="${auditReference}"]`).waitFor();
    await shot(p, 'supervision-audits-entity');
    await p.getByRole('link', { name: auditReference, exact: true }).click();
    await p.waitForURL(auditUrl);

    const finding = p.getByTestId('finding').filter({ hasText: FINDING });
    await finding.getByLabel(/^Your answer/).fill(ANSWER);
    await finding.getByRole('button', { name: 'Save answer' }).click();
    await expect.poll(() => finding.getByText('Answer saved', { exact: true }).count()).toBe(1);

    await finding.getByRole('button', { name: 'Add a corrective action' }).click();
    const form = finding.getByTestId('action-form');
    await form.getByLabel(/^What will be done/).fill(ACTION);
    await form.getByLabel(/^Owner/).fill('Head of network security');
    await form.getByLabel(/^Due date/).fill(localDay(5));
    await form.getByRole('button', { name: 'Add a milestone' }).click();
    await form.getByLabel('Milestone 1', { exact: true }).fill('Unused rules identified');
    await form.getByLabel('Date of milestone 1').fill(localDay(2));
    await form.getByRole('button', { name: 'File the action' }).click();
    const action = finding.getByTestId('action').filter({ hasText: ACTION });
    await expect.poll(() => action.getAttribute('data-status')).toBe('open');
    await expect.poll(() => action.getByTestId('action-due').getAttribute('data-late')).toBeNull();
    // Evidence goes with the action, and anyone who reads the action can download it.
    const chooser = p.waitForEvent('filechooser');
    await action.getByRole('button', { name: 'Attach evidence' }).click();
    await (
      await chooser
    ).setFiles({
      name: 'firewall-rule-review.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('rule,decision\nallow-any-any,remove\n'),
    });
    const evidence = action.getByRole('link', { name: 'firewall-rule-review.csv' });
    await evidence.waitFor();
    const download = await p.request.get(`${server.url}${await evidence.getAttribute('href')}`);
    expect(await download.text()).toBe('rule,decision\nallow-any-any,remove\n');
    await shot(p, 'supervision-audit-entity');

    await p.getByRole('button', { name: 'Send our response' }).click();
    const dialog = p.getByRole('dialog', { name: 'Send your response?' });
    await dialog.getByRole('button', { name: 'Send our response' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => p.getByTestId('audit-stepper').getAttribute('data-status'))
      .toBe('entity_responded');
  });

  it('time passes: the action goes past due and the operator turns non-compliant', async () => {
    // Time travel for a deadline: the action was filed due in five days; move its due date to
    // yesterday rather than wait. The server's sweep (every 2 s here) then flags it and recomputes.
    expect(
      await sql('update corrective_actions set due_on = ? where title = ?', [localDay(-1), ACTION]),
    ).toBe(1);

    const p = cisoPage;
    await navigate(p, 'Compliance');
    await p.waitForURL(/\/supervision\/compliance$/);
    const status = p.getByTestId('compliance-status');
    await expect
      .poll(
        async () => {
          await p.reload();
          await status.waitFor();
          return `${await status.getAttribute('data-status')} ${await p.getByTestId('facts').innerText()}`;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toMatch(/^non_compliant [\s\S]*corrective action past due/);
    await expect
      .poll(() => p.locator('[data-testid="fact"][data-code="actions_overdue"]').getAttribute('data-level'))
      .toBe('non_compliant');
    // The action itself shows in red, past due.
    await expect
      .poll(() =>
        p.getByTestId('compliance-actions').getByTestId('action-due').first().getAttribute('data-late'),
      )
      .toBe('true');
    await shot(p, 'supervision-compliance-entity');

    await navigate(p, 'Corrective actions');
    await p.waitForURL(/\/supervision\/actions$/);
    await p.locator('label', { hasText: 'Overdue only' }).click();
    await p.waitForURL(/overdue=true/);
    await expect.poll(() => p.getByRole('switch', { name: 'Overdue only' }).isChecked()).toBe(true);
    await expect.poll(() => p.getByTestId('action-list').getAttribute('aria-busy')).toBe('false');
    await expect.poll(() => p.getByTestId('action').filter({ hasText: ACTION }).count()).toBe(1);
    await shot(p, 'supervision-actions-overdue');
  });

  it('the compliance page in Urdu reads right to left', async () => {
    const p = cisoPage;
    await navigate(p, 'Compliance');
    await p.evaluate("localStorage.setItem('qila.language', 'ur')");
    await p.reload();
    await expect.poll(() => p.evaluate('document.documentElement.dir')).toBe('rtl');
    await p.getByRole('heading', { name: 'عدم تعمیل' }).waitFor();
    await expect.poll(() => p.getByText('اصلاحی اقدامات کی مدت گزر چکی', { exact: true }).count()).toBe(1);
    expect(await p.evaluate('document.documentElement.scrollWidth')).toBe(1366);
    await shot(p, 'supervision-compliance-urdu');
    await p.evaluate("localStorage.setItem('qila.language', 'en')");
    await p.reload();
  });

  it('the Authority opens a case from that fact and decides a penalty', async () => {
    const p = adminPage;
    await navigate(p, 'Compliance');
    await p.waitForURL(/\/supervision\/board$/);
    await choose(p, p, 'Sector', 'Telecommunications');
    await p.waitForURL(/sector=telecom/);
    const row = p.getByTestId('attention-row').filter({ hasText: entity.name });
    await expect.poll(() => row.innerText()).toMatch(/non-compliant/i);
    await shot(p, 'supervision-board');
    await row.getByRole('link', { name: entity.name }).click();
    await p.waitForURL(`${server.url}/supervision/entities/${entity.id}`);
    await p.getByTestId('compliance-status').waitFor();
    await shot(p, 'supervision-compliance-authority');

    // The operator may be non-compliant for other reasons too: this case is about the overdue action.
    await p
      .locator('[data-testid="fact"][data-code="actions_overdue"]')
      .getByRole('link', { name: 'Open a case for: Corrective actions past due' })
      .click();
    await p.waitForURL(/\/supervision\/cases\/new\?entity=[0-9a-f-]{36}&fact=actions_overdue$/);
    const form = p.getByTestId('case-form');
    await expect
      .poll(() => form.getByRole('textbox', { name: /^Violation/ }).inputValue())
      .toBe('Corrective action not completed by its due date');
    // An action due yesterday is a violation from today.
    expect(await form.getByLabel(/^Date of the violation/).inputValue()).toBe(localDay(0));
    await expect.poll(() => form.getByLabel(/^Facts/).inputValue()).toBe('1 corrective action past due.');
    await shot(p, 'supervision-case-new');
    await form.getByRole('button', { name: 'Open the case' }).click();
    await p.waitForURL(/\/supervision\/cases\/[0-9a-f-]{36}$/);
    caseUrl = p.url();
    const stage = () => p.getByTestId('case-stage').first().getAttribute('data-stage');
    await expect.poll(stage).toBe('opened');

    // Notice.
    let step = p.getByTestId('step-form');
    await step
      .getByLabel(/^Text of the notice/)
      .fill(
        `The Authority finds that the corrective action "${ACTION}" is past its due date and invites your written response within 14 days.`,
      );
    await step.getByRole('button', { name: 'Send the notice' }).click();
    await expect.poll(stage).toBe('notice');

    // The entity answers the notice.
    await cisoPage.goto(caseUrl);
    const reply = cisoPage.getByTestId('step-form');
    await reply
      .getByLabel(/^Your response/)
      .fill(
        'The rule review is under way; a change freeze delayed it. We expect to finish within two weeks.',
      );
    await reply.getByRole('button', { name: 'Send our response' }).click();
    await expect
      .poll(() => cisoPage.getByTestId('case-stage').first().getAttribute('data-stage'))
      .toBe('responded');

    // Hearing, tomorrow at ten.
    await p.reload();
    step = p.getByTestId('step-form');
    await expect.poll(() => step.getAttribute('data-step')).toBe('hearing');
    await step.getByLabel(/^Date and time of the hearing/).fill(`${localDay(1)}T10:00`);
    await step.getByLabel(/^Place and details/).fill('Hearing at the Authority, Islamabad, room 4.');
    await step.getByRole('button', { name: 'Schedule the hearing' }).click();
    await expect.poll(stage).toBe('hearing');

    // Decision: a penalty, mitigated by the entity's cooperation.
    step = p.getByTestId('step-form');
    await expect.poll(() => step.getAttribute('data-step')).toBe('decision');
    expect(await step.getByRole('radio', { name: 'Penalty', exact: true }).isChecked()).toBe(true);
    await step.getByRole('checkbox', { name: 'Cooperation with the Authority' }).check();
    await step
      .getByLabel(/^Reasons for the decision/)
      .fill(
        'The operator did not complete an agreed corrective action by its due date; it cooperated at the hearing.',
      );
    // The shipped schedule is a placeholder: a decision under it is final only with a reason on record.
    await step
      .getByLabel(/^Why issue this decision as final/)
      .fill('The Board directs decisions on the default schedule until the Act is in force.');
    await shot(p, 'supervision-case-decision-form');
    await step.getByRole('button', { name: 'Record the decision' }).click();
    await expect.poll(stage).toBe('decided');
    await expect.poll(() => p.getByTestId('penalty-amount').innerText()).toMatch(/\d/);
    await expect
      .poll(() => p.getByTestId('penalty-explanation').innerText())
      .toMatch(/Base amount[\s\S]*Cooperation with the Authority: -20%[\s\S]*Penalty: PKR/);
    await expect.poll(() => p.getByTestId('case-timeline').getByTestId('case-event').count()).toBe(5);
    // The case file records what the decision decided, beside its reasons.
    await expect
      .poll(() => p.getByTestId('case-timeline').getByTestId('case-event-facts').last().innerText())
      .toMatch(/Outcome:\s*Penalty\nAmount to pay:[^\n]*\d\nFactors:\s*Cooperation/);
    await shot(p, 'supervision-case-decided');

    // The decision letter is a PDF.
    const link = p.getByRole('link', { name: 'Download decision letter (PDF)' });
    const href = (await link.getAttribute('href'))!;
    const res = await p.request.get(`${server.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('application/pdf');
    expect((await res.body()).subarray(0, 4).toString('latin1')).toBe('%PDF');
  });

  it('the Authority looks at the cases, the auditors and the national map', async () => {
    const p = adminPage;
    await navigate(p, 'Enforcement');
    await p.waitForURL(/\/supervision\/cases$/);
    await p.getByTestId('case-list').waitFor();
    await shot(p, 'supervision-cases');
    await expect.poll(() => p.getByTestId('case-row').filter({ hasText: entity.name }).count()).toBe(1);

    await navigate(p, 'Auditors');
    await p.waitForURL(/\/supervision\/auditors$/);
    await expect.poll(() => p.getByTestId('auditor').filter({ hasText: AUDITOR_NAME }).count()).toBe(1);
    // The Authority records a conflict the auditor declared to it in writing.
    await p.getByRole('button', { name: `Record a conflict of interest for ${AUDITOR_NAME}` }).click();
    const conflict = p.getByRole('dialog', { name: `Record a conflict of interest for ${AUDITOR_NAME}` });
    await conflict.getByRole('textbox', { name: 'Entity' }).fill(entity.name.slice(0, 12));
    const escaped = entity.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await p.getByRole('option', { name: new RegExp(`^${escaped}`) }).click();
    await conflict
      .getByLabel(/^What the auditor declared/)
      .fill('Letter of 2 June: my brother joined the operator.');
    await conflict.getByRole('button', { name: 'Record a conflict' }).click();
    await conflict.waitFor({ state: 'hidden' });
    await expect
      .poll(() => p.getByTestId('auditor').filter({ hasText: AUDITOR_NAME }).innerText())
      .toContain('my brother joined the operator');
    await shot(p, 'supervision-auditors');
    // Both demo auditors are registered: the form says who could be, and how to get there.
    await p.getByRole('button', { name: 'Register an auditor' }).click();
    const dialog = p.getByRole('dialog', { name: 'Register an auditor' });
    await dialog.getByText(/Nobody holding the auditor role for this firm/).waitFor();
    await dialog.screenshot({ path: path.join(SCREENSHOTS, 'supervision-auditor-register.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await navigate(p, 'National map');
    await p.waitForURL(/\/supervision\/national$/);
    await p.getByTestId('national-by-sector').locator('.recharts-surface').first().waitFor();
    await shot(p, 'supervision-national');
    await p.getByTestId('national-by-sector').getByRole('button', { name: 'Show table' }).click();
    await expect
      .poll(() => p.getByTestId('national-by-sector').getByRole('table').innerText())
      .toMatch(/Telecommunications/);
    await shot(p, 'supervision-national-table');
  });
});
