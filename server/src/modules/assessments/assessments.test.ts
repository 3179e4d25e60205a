import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import ExcelJS from 'exceljs';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, standardsDir, type Agent, type TestApp } from '../../../test/harness.ts';
import { expectAudited } from '../../../test/audited.ts';
import { loadDemo } from '../../demo/demo.ts';

const OSCAL_AR_SCHEMA = path.join(standardsDir(), 'oscal-1.0.6/oscal_assessment-results_schema.json');
const BASELINE = 'pk-ncsa-baseline@2026.1';

interface Assessment {
  id: string;
  status: string;
  frameworks: { id: string }[];
  requirements: { frameworkId: string; itemId: string; answer: { version: number } | null }[];
  score: { overall: number | null; answered: number; applicable: number; confidence: { label: string } };
  submissions: { number: number; decision: string | null }[];
  allowedActions: string[];
}

function multipart(fileName: string, content: Buffer) {
  const boundary = '----qilaEvidence';
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

describe('assessment campaigns end to end', () => {
  let t: TestApp;
  let admin: Agent;
  let ciso: Agent;
  let other: Agent;
  let regulator: Agent;
  let campaignId: string;
  let assessmentId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.p, { entities: 150 });
    admin = await t.signInAs({
      email: 'a@ncsa.gov',
      displayName: 'A',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
    const energy = await t.p.db
      .selectFrom('entities')
      .select('id')
      .where('sector', '=', 'energy')
      .orderBy('id')
      .limit(2)
      .execute();
    ciso = await t.signInAs({
      email: 'ciso@power.example',
      displayName: 'CISO',
      roles: [{ role: 'entity_admin', scopeKind: 'entity', scopeValue: energy[0]!.id }],
    });
    other = await t.signInAs({
      email: 'ciso@other.example',
      displayName: 'Other',
      roles: [{ role: 'entity_admin', scopeKind: 'entity', scopeValue: energy[1]!.id }],
    });
    regulator = await t.signInAs({
      email: 'reg@nepra.example',
      displayName: 'Reg',
      roles: [{ role: 'sector_regulator', scopeKind: 'sector', scopeValue: 'energy' }],
    });
  });
  afterAll(() => t.close());

  const get = async (a: Agent, id: string) =>
    (await t.app.inject({ url: `/api/assessments/${id}`, headers: a.headers() })).json<Assessment>();
  const answer = (a: Agent, id: string, fw: string, item: string, body: Record<string, unknown>) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/assessments/${id}/answers/${fw}/${item}`,
      headers: a.headers(true),
      payload: body,
    });

  it('launches a campaign for the energy sector: one assessment per entity, with the energy overlay', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/campaigns',
      headers: admin.headers(true),
      payload: {
        name: 'National assessment 2026: energy',
        frameworks: [BASELINE],
        selection: { sectors: ['energy'] },
        opensOn: '2026-01-05',
        dueOn: '2026-02-27',
        graceDays: 3,
      },
    });
    expect(res.statusCode).toBe(201);
    const c = res.json<{ id: string; progress: Record<string, number> }>();
    campaignId = c.id;
    const energyCount = (
      await t.p.db
        .selectFrom('entities')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('sector', '=', 'energy')
        .executeTakeFirstOrThrow()
    ).n;
    expect(c.progress).toEqual({ not_started: Number(energyCount) });
    const mine = (
      await t.app.inject({ url: `/api/assessments?campaignId=${campaignId}`, headers: ciso.headers() })
    ).json<{
      items: { id: string }[];
    }>();
    expect(mine.items).toHaveLength(1);
    assessmentId = mine.items[0]!.id;
    const a = await get(ciso, assessmentId);
    expect(a.frameworks.map((f) => f.id)).toEqual([BASELINE, 'overlay-energy@2026.1']);
    expect(a.allowedActions).toEqual(['answer', 'submit']);
    const jobs = await t.p.db
      .selectFrom('jobs')
      .select('unique_key')
      .where('unique_key', 'like', `campaign:${campaignId}%`)
      .execute();
    expect(jobs.map((j) => j.unique_key).sort()).toEqual([
      `campaign:${campaignId}:overdue`,
      `campaign:${campaignId}:reminder:1`,
      `campaign:${campaignId}:reminder:7`,
    ]);
  });

  it('refuses bad answers clearly and writes nothing', async () => {
    const before = await t.p.db.selectFrom('answers').select('id').execute();
    expect((await answer(ciso, assessmentId, BASELINE, 'PK.LEG-01', { level: 6 })).statusCode).toBe(400);
    expect(
      (await answer(ciso, assessmentId, BASELINE, 'PK.LEG-01', { notApplicable: true })).json(),
    ).toMatchObject({ code: 'validation_failed' });
    expect((await answer(ciso, assessmentId, BASELINE, 'NOPE-1', { level: 2 })).statusCode).toBe(404);
    expect((await answer(other, assessmentId, BASELINE, 'PK.LEG-01', { level: 2 })).statusCode).toBe(404);
    expect((await answer(regulator, assessmentId, BASELINE, 'PK.LEG-01', { level: 2 })).statusCode).toBe(403);
    expect(await t.p.db.selectFrom('answers').select('id').execute()).toEqual(before);
  });

  it('lets two people answer in parallel, and catches a stale edit of the same answer', async () => {
    const colleague = await t.signInAs({
      email: 'member@power.example',
      displayName: 'Member',
      roles: [
        {
          role: 'entity_member',
          scopeKind: 'entity',
          scopeValue:
            (await get(ciso, assessmentId)) &&
            (
              await t.p.db
                .selectFrom('assignments')
                .select('entity_id')
                .where('id', '=', assessmentId)
                .executeTakeFirstOrThrow()
            ).entity_id,
        },
      ],
    });
    const [x, y] = await Promise.all([
      answer(ciso, assessmentId, BASELINE, 'PK.LEG-01', { level: 3 }),
      answer(colleague, assessmentId, BASELINE, 'PK.LEG-02', { level: 4 }),
    ]);
    expect([x.statusCode, y.statusCode]).toEqual([200, 200]);
    expect(
      (await answer(colleague, assessmentId, BASELINE, 'PK.LEG-01', { level: 1, version: 1 })).statusCode,
    ).toBe(200);
    const stale = await answer(ciso, assessmentId, BASELINE, 'PK.LEG-01', { level: 5, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<{ detail: string }>().detail).toMatch(/member@power\.example changed this answer/);
  });

  it('answers everything, attaches evidence, submits; a stale or incomplete submit is refused', async () => {
    const a = await get(ciso, assessmentId);
    const first = a.requirements[0]!;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/assessments/${assessmentId}/submit`,
          headers: ciso.headers(true),
        })
      ).json<unknown>(),
    ).toMatchObject({
      code: 'assessment_incomplete',
      missing: expect.any(Array) as unknown,
    });
    for (const [i, r] of a.requirements.entries()) {
      const body =
        i === 5
          ? { notApplicable: true, justification: 'We operate no industrial control systems.' }
          : { level: (i % 5) + 1, version: r.answer?.version };
      expect((await answer(ciso, assessmentId, r.frameworkId, r.itemId, body)).statusCode).toBe(200);
    }
    const pdf = multipart('policy.pdf', Buffer.from('%PDF-1.7\n%evidence\n%%EOF\n'));
    const ev = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/answers/${first.frameworkId}/${first.itemId}/evidence`,
      headers: { ...ciso.headers(true), ...pdf.headers },
      payload: pdf.payload,
    });
    expect(ev.statusCode).toBe(201);
    expect(ev.json<{ sha256: string }>().sha256).toMatch(/^[0-9a-f]{64}$/);
    const exe = multipart('policy.pdf', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]));
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/assessments/${assessmentId}/answers/${first.frameworkId}/${first.itemId}/evidence`,
          headers: { ...ciso.headers(true), ...exe.headers },
          payload: exe.payload,
        })
      ).statusCode,
    ).toBe(415);

    const submitted = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/submit`,
      headers: ciso.headers(true),
    });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json<Assessment>()).toMatchObject({ status: 'submitted', allowedActions: [] });
    expect((await answer(ciso, assessmentId, BASELINE, 'PK.LEG-01', { level: 5 })).json()).toMatchObject({
      code: 'assessment_locked',
    });
    expect((await get(regulator, assessmentId)).allowedActions).toEqual(['review']);
    // The reviewer opens the evidence as it was uploaded: bytes, name, and never rendered inline.
    const download = await t.app.inject({
      url: `/api/assessments/${assessmentId}/evidence/${ev.json<{ id: string }>().id}`,
      headers: regulator.headers(),
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="policy.pdf"; filename*=UTF-8''policy.pdf`,
    );
    expect(download.rawPayload.toString()).toBe('%PDF-1.7\n%evidence\n%%EOF\n');
    await expectAudited(t, download, {
      action: 'file.downloaded',
      objectType: 'assessment',
      objectId: assessmentId,
    });
  });

  it('is returned with a comment, resubmitted, then accepted into the national picture', async () => {
    const ret = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/review`,
      headers: regulator.headers(true),
      payload: { decision: 'return' },
    });
    expect(ret.statusCode).toBe(400); // returning needs a comment
    await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/review`,
      headers: regulator.headers(true),
      payload: { decision: 'return', comment: 'Attach the incident response plan for PK.INS-01.' },
    });
    const returned = await get(ciso, assessmentId);
    expect(returned.status).toBe('returned');
    expect(returned.allowedActions).toEqual(['answer', 'submit']);
    const notes = (await t.app.inject({ url: '/api/notifications', headers: ciso.headers() })).json<{
      items: { title: string }[];
    }>();
    expect(notes.items[0]!.title).toMatch(/returned/);
    const before = (
      await t.app.inject({ url: `/api/campaigns/${campaignId}/national`, headers: admin.headers() })
    ).json<{ accepted: number }>();
    expect(before.accepted).toBe(0);

    await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/submit`,
      headers: ciso.headers(true),
    });
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/review`,
      headers: admin.headers(true),
      payload: { decision: 'accept', comment: 'Thank you.' },
    });
    const done = accepted.json<Assessment>();
    expect(done.status).toBe('accepted');
    expect(done.submissions.map((s) => [s.number, s.decision])).toEqual([
      [2, 'accept'],
      [1, 'return'],
    ]);
    const picture = (
      await t.app.inject({ url: `/api/campaigns/${campaignId}/national`, headers: admin.headers() })
    ).json<{
      accepted: number;
      overall: number;
      bySectorDimension: { sector: string; dimension: string; score: number | null }[];
      weakest: { itemId: string }[];
    }>();
    expect(picture.accepted).toBe(1);
    expect(picture.overall).toBe(done.score.overall);
    expect(
      picture.bySectorDimension
        .filter((c) => c.sector === 'energy')
        .map((c) => c.dimension)
        .sort(),
    ).toEqual(['human', 'institutional', 'legal', 'overall', 'technical']);
    expect(picture.weakest.length).toBeGreaterThan(0);
    // The demo's first national campaign came before this one: the trend compares energy with it.
    const trend = (
      picture as unknown as {
        trend: {
          previousCampaign: { name: string } | null;
          bySector: { sector: string; current: number | null }[];
        };
      }
    ).trend;
    expect(trend.previousCampaign?.name).toMatch(/first round/);
    expect(trend.bySector.find((b) => b.sector === 'energy')?.current).toBe(done.score.overall);
    // A sector regulator outside the Authority sees no cohort smaller than five.
    const regView = (
      await t.app.inject({ url: `/api/campaigns/${campaignId}/national`, headers: regulator.headers() })
    ).json<{ bySectorDimension: { score: number | null; suppressed: boolean }[]; weakest: unknown[] }>();
    expect(regView.bySectorDimension.every((c) => c.suppressed && c.score === null)).toBe(true);
    expect(regView.weakest).toEqual([]);
    const bench = (
      await t.app.inject({ url: `/api/assessments/${assessmentId}/benchmark`, headers: ciso.headers() })
    ).json<unknown>();
    expect(bench).toMatchObject({ peers: 0, percentile: null, minCohort: 5 });
  });

  it('exports the campaign results as XLSX for the Authority', async () => {
    const res = await t.app.inject({
      url: `/api/campaigns/${campaignId}/results.xlsx`,
      headers: admin.headers(),
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(8).value).toBe('overall');
    await expectAudited(t, res, {
      action: 'export.campaign_results',
      objectType: 'campaign',
      objectId: campaignId,
    });
    const accepted: unknown[] = [];
    ws.eachRow((row, n) => {
      if (n > 1 && row.getCell(6).value === 'accepted') accepted.push(row.getCell(8).value);
    });
    expect(accepted).toHaveLength(1);
    expect(
      (await t.app.inject({ url: `/api/campaigns/${campaignId}/results.xlsx`, headers: ciso.headers() }))
        .statusCode,
    ).toBe(403);
    // A reviewer of another sector takes no part in this energy campaign: not found, as its page.
    const telecom = await t.signInAs({
      email: 'reg@pta.example',
      displayName: 'PTA',
      roles: [{ role: 'sector_regulator', scopeKind: 'sector', scopeValue: 'telecom' }],
    });
    for (const url of [`/api/campaigns/${campaignId}`, `/api/campaigns/${campaignId}/results.xlsx`])
      expect((await t.app.inject({ url, headers: telecom.headers() })).statusCode, url).toBe(404);
  });

  it('renders a PDF scorecard', async () => {
    const res = await t.app.inject({
      url: `/api/assessments/${assessmentId}/scorecard.pdf`,
      headers: ciso.headers(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(2000);
    await expectAudited(t, res, {
      action: 'export.scorecard_pdf',
      objectType: 'assessment',
      objectId: assessmentId,
    });
  });

  it('lists gaps against the target for the entity’s sector and tier, most urgent first', async () => {
    const gaps = (
      await t.app.inject({ url: `/api/assessments/${assessmentId}/gaps`, headers: ciso.headers() })
    ).json<{
      targetProfile: string;
      targetLegalStatus: { status: string; binding: boolean };
      items: { level: number; target: number; gap: number; priority: number }[];
    }>();
    expect(gaps.targetProfile).toBe('2026.1');
    // Target levels are the Authority's policy, not law: the answer says so.
    expect(gaps.targetLegalStatus).toMatchObject({ status: 'placeholder', binding: false });
    expect(gaps.items.length).toBeGreaterThan(0);
    expect(gaps.items.every((g) => g.level < g.target && g.gap === g.target - g.level)).toBe(true);
    expect(gaps.items.map((g) => g.priority)).toEqual(
      [...gaps.items.map((g) => g.priority)].sort((a, b) => b - a),
    );
  });

  it('exports OSCAL assessment results that validate against the official 1.0.6 schema', async () => {
    const res = await t.app.inject({
      url: `/api/assessments/${assessmentId}/oscal`,
      headers: ciso.headers(),
    });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ 'assessment-results': { results: { findings: unknown[] }[] } }>();
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(OSCAL_AR_SCHEMA, 'utf8')) as object);
    const ok = validate(doc);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    expect(ok).toBe(true);
    expect(doc['assessment-results'].results[0]!.findings.length).toBeGreaterThan(50);
    await expectAudited(t, res, { action: 'export.oscal', objectType: 'assessment', objectId: assessmentId });
  });

  it('reminds entity people before the due date, and refuses submissions after the grace period', async () => {
    t.clock.set('2026-02-20T13:00:00Z');
    await t.p.jobs.runDue();
    const member = await t.p.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'ciso@other.example')
      .executeTakeFirstOrThrow();
    const notes = await t.p.db
      .selectFrom('notifications')
      .select('title')
      .where('user_id', '=', member.id)
      .execute();
    expect(notes.map((n) => n.title)).toEqual([expect.stringMatching(/due in 7 days/)]);
    t.clock.set('2026-03-03T20:00:00Z'); // after 27 Feb + 3 days of grace, Pakistan time
    const late = await t.signInAs({
      email: 'late@other.example',
      displayName: 'L',
      roles: [
        {
          role: 'entity_admin',
          scopeKind: 'entity',
          scopeValue: (
            await t.p.db
              .selectFrom('assignments')
              .select('entity_id')
              .where('campaign_id', '=', campaignId)
              .where('status', '=', 'not_started')
              .executeTakeFirstOrThrow()
          ).entity_id,
        },
      ],
    });
    const theirs = (
      await t.app.inject({ url: `/api/assessments?campaignId=${campaignId}`, headers: late.headers() })
    ).json<{
      items: { id: string }[];
    }>().items[0]!.id;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${theirs}/submit`,
      headers: late.headers(true),
    });
    expect(res.json()).toMatchObject({ code: 'campaign_closed' });
    await t.p.jobs.runDue();
    const admins = await t.p.db
      .selectFrom('notifications')
      .select('title')
      .where('kind', '=', 'assessment.overdue')
      .execute();
    expect(admins.length).toBeGreaterThan(0);
  });
});
