import { randomBytes } from 'node:crypto';
import { ROLE_SCOPE } from '../../src/platform/auth/roles.ts';
import { tokenHash } from '../../src/platform/auth/sessions.ts';
import { mintToken } from '../../src/platform/auth/tokens.ts';
import { newTotpSecret, totpAt } from '../../src/platform/auth/totp.ts';
import { systemContext } from '../../src/platform/context.ts';
import { newId } from '../../src/platform/ids.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { issueChallenge } from '../../src/modules/auth/mfa-challenge.ts';
import { createAssignmentService } from '../../src/modules/assessments/assignments.service.ts';
import { createCampaignService } from '../../src/modules/assessments/campaigns.service.ts';
import { loadRequirements } from '../../src/modules/assessments/requirements.ts';
import { createImportService } from '../../src/modules/registry/import/import.service.ts';
import { createReportService } from '../../src/modules/incidents/report.service.ts';
import { createWorkspaceService } from '../../src/modules/incidents/workspace.service.ts';
import type { RequestContext } from '../../src/platform/context.ts';
import { TEST_PASSWORD } from '../harness.ts';
import { makeAgent, type Agent, type Scopes, type Who } from './agents.ts';

export interface Call {
  p: Platform;
  s: Scopes;
  /** The caller, or null for anonymous. */
  agent: Agent | null;
}
export interface Req {
  url: string;
  payload?: Record<string, unknown> | Buffer;
  headers?: Record<string, string>;
}
export interface Rule {
  /** Who gets a 2xx. 'everyone' includes anonymous callers. */
  allow: 'everyone' | 'signed-in' | Who[];
  /** Who gets 404 because the record is outside their scope; everyone else allowed neither gets 403 (401 when anonymous). */
  notFound?: Who[];
  /** What "allowed" looks like when it is not a 2xx (a redirect). */
  okStatus?: number;
  request(c: Call): Promise<Req> | Req;
}

const NATIONAL_READERS: Who[] = [
  'authority_admin',
  'authority_analyst',
  'cert_analyst',
  'sector_regulator',
  'provincial_officer',
  'other_sector_regulator',
  'other_province_officer',
];
const ENTITY_ADMINS: Who[] = ['entity_admin', 'other_entity_admin'];
const ENTITY_READERS: Who[] = [
  ...NATIONAL_READERS,
  'entity_admin',
  'entity_member',
  'other_entity_admin',
  'auditor',
];
/** Who can see entity A (telecom, unit A), and who holds entities.read but is scoped elsewhere. */
const SEE_A: Who[] = [
  'authority_admin',
  'authority_analyst',
  'cert_analyst',
  'sector_regulator',
  'provincial_officer',
  'entity_admin',
  'entity_member',
];
const OUTSIDE_A: Who[] = [
  'other_sector_regulator',
  'other_province_officer',
  'other_entity_admin',
  'auditor',
];
const ASSESSMENT_READERS: Who[] = [
  ...NATIONAL_READERS,
  'entity_admin',
  'entity_member',
  'other_entity_admin',
];
const SEE_A_ASSESSMENT: Who[] = SEE_A;
const OUTSIDE_A_ASSESSMENT: Who[] = [
  'other_sector_regulator',
  'other_province_officer',
  'other_entity_admin',
];

async function versionOf(p: Platform, id: string): Promise<number> {
  return (await p.db.selectFrom('entities').select('version').where('id', '=', id).executeTakeFirstOrThrow())
    .version;
}

/** A fresh campaign over entity A's sector and unit; returns entity A's assessment in it. */
async function assessmentOfA(
  p: Platform,
  s: Scopes,
  state: 'open' | 'complete' | 'submitted' = 'open',
): Promise<{ campaignId: string; id: string }> {
  const c = await createCampaignService(p).create(systemContext('walk'), {
    name: `Walk ${newId().slice(-6)}`,
    description: null,
    frameworks: ['pk-ncsa-baseline@2026.1'],
    selection: { sectors: [s.sectorA], adminUnits: [s.unitA], tiers: [], kinds: [] },
    opensOn: '2026-01-01',
    dueOn: '2026-12-31',
    graceDays: 0,
  });
  const a = await p.db
    .selectFrom('assignments')
    .select(['id', 'frameworks_json'])
    .where('campaign_id', '=', c.id)
    .where('entity_id', '=', s.entityA)
    .executeTakeFirstOrThrow();
  if (state !== 'open') {
    const reqs = await loadRequirements(p.db, JSON.parse(a.frameworks_json) as string[]);
    const now = p.clock.now().toISOString();
    await p.db
      .insertInto('answers')
      .values(
        reqs.map((r) => ({
          id: newId(),
          assignment_id: a.id,
          framework_id: r.frameworkId,
          item_id: r.itemId,
          level: 3,
          updated_by: 'walk',
          updated_at: now,
        })),
      )
      .execute();
  }
  if (state === 'submitted') {
    await p.db
      .updateTable('assignments')
      .set({ status: 'submitted', submission_no: 1 })
      .where('id', '=', a.id)
      .execute();
    await p.db
      .insertInto('submissions')
      .values({
        id: newId(),
        assignment_id: a.id,
        number: 1,
        answers_json: '[]',
        score_json: '{}',
        submitted_by: 'walk',
        submitted_at: p.clock.now().toISOString(),
      })
      .execute();
  }
  return { campaignId: c.id, id: a.id };
}

const INCIDENT_READERS: Who[] = [...NATIONAL_READERS, 'entity_admin', 'entity_member', 'other_entity_admin'];
const HANDLERS: Who[] = ['authority_admin', 'authority_analyst', 'cert_analyst'];
/** Who can find an AMBER incident of entity A (telecom, unit A), and who is scoped elsewhere. */
const SEE_INCIDENT_A: Who[] = SEE_A;
const OUTSIDE_INCIDENT_A: Who[] = ['other_sector_regulator', 'other_province_officer', 'other_entity_admin'];

const entityACtx = (s: Scopes): RequestContext => ({
  actor: {
    kind: 'user',
    userId: null,
    label: 'walk',
    roles: [{ role: 'entity_admin', scopeKind: 'entity', scopeValue: s.entityA }],
  },
  requestId: 'walk',
  ip: null,
});
const incidentPayload = (p: Platform) => ({
  title: 'Walk incident',
  summary: 'A walk through every route.',
  severity: 'high',
  rsitClass: 'intrusions',
  rsitType: 'system-compromise',
  awareAt: new Date(p.clock.now().getTime() - 3_600_000).toISOString(),
  suspectedMalicious: true,
  crossBorder: false,
  tlp: 'AMBER',
});
const notificationUpdate = {
  affectedServices: ['Walk'],
  usersAffected: 10,
  downtimeHours: 1,
  mitigation: 'Contained.',
};

/** A fresh AMBER incident reported by entity A. */
async function incidentOfA(p: Platform, s: Scopes): Promise<string> {
  const { id } = await createReportService(p).report(entityACtx(s), incidentPayload(p) as never, null);
  return id;
}

async function advisoryForA(p: Platform, s: Scopes): Promise<string> {
  const id = newId();
  await p.db
    .insertInto('advisories')
    .values({
      id,
      title: 'Walk advisory',
      body: 'Patch.',
      tlp: 'GREEN',
      sectors_json: JSON.stringify([s.sectorA]),
      indicators_json: '[]',
      published_by: 'walk',
      published_at: p.clock.now().toISOString(),
    })
    .execute();
  return id;
}

const SUP_READERS: Who[] = [
  'authority_admin',
  'authority_analyst',
  'sector_regulator',
  'provincial_officer',
  'other_sector_regulator',
  'other_province_officer',
  'entity_admin',
  'entity_member',
  'other_entity_admin',
  'auditor',
];
/** Who sees entity A's supervision records, and who reads supervision but is scoped elsewhere. */
const SUP_SEE_A: Who[] = [
  'authority_admin',
  'authority_analyst',
  'sector_regulator',
  'provincial_officer',
  'entity_admin',
  'entity_member',
];
const SUP_OUTSIDE_A: Who[] = [
  'other_sector_regulator',
  'other_province_officer',
  'other_entity_admin',
  'auditor',
];

/** A licensed firm with a valid licence. */
async function firm(p: Platform): Promise<string> {
  const id = newId();
  await p.db
    .insertInto('audit_firms')
    .values({
      id,
      name: 'Walk Assurance',
      licence_no: `AF-${id.slice(-12)}`,
      licence_valid_until: '2099-12-31',
      created_at: p.clock.now().toISOString(),
    })
    .execute();
  return id;
}

/** The caller registered as a licensed auditor (when they are the walk's auditor), or a fresh auditor. */
async function auditorFor(p: Platform, agent: Agent | null): Promise<string> {
  const userId =
    agent?.who === 'auditor' ? agent.userId : (await makeAgent(p, 'auditor', {} as Scopes)).userId;
  const found = await p.db
    .selectFrom('auditors')
    .select('id')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (found) return found.id;
  const id = newId();
  await p.db
    .insertInto('auditors')
    .values({
      id,
      user_id: userId,
      firm_id: await firm(p),
      licence_no: `AU-${id.slice(-12)}`,
      licence_valid_until: '2099-12-31',
      created_at: p.clock.now().toISOString(),
    })
    .execute();
  return id;
}

/** An audit of entity A in the given state, led by the caller when the caller is the walk's auditor. */
async function auditOfA(
  p: Platform,
  s: Scopes,
  c: { agent: Agent | null; status: string; finding?: boolean; action?: 'open' | 'submitted' },
): Promise<{ id: string; findingId: string; actionId: string }> {
  const now = p.clock.now().toISOString();
  const id = newId();
  const lead = c.agent?.who === 'auditor' ? await auditorFor(p, c.agent) : null;
  await p.db
    .insertInto('audits')
    .values({
      id,
      reference: `AUD-W-${id.slice(-10)}`,
      entity_id: s.entityA,
      sector: s.sectorA,
      admin_unit: s.unitA,
      framework_id: 'pk-ncsa-baseline@2026.1',
      scope_json: JSON.stringify({ requirements: [], sites: [], systems: [] }),
      status: c.status,
      lead_auditor_id: lead,
      response_days: 7,
      response_due_at: c.status === 'preliminary_issued' ? '2099-01-01T00:00:00.000Z' : null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (c.status === 'fieldwork')
    await p.db
      .insertInto('audit_checklist')
      .values({ audit_id: id, item_id: 'W-1', position: 0, statement: 'Walk', result: 'not_tested' })
      .execute();
  const findingId = newId();
  const actionId = newId();
  if (c.finding || c.action) {
    await p.db
      .insertInto('findings')
      .values({
        id: findingId,
        audit_id: id,
        entity_id: s.entityA,
        title: 'Walk finding',
        description: 'Walk.',
        severity: 'low',
        status: 'open',
        created_by: 'walk',
        created_at: now,
      })
      .execute();
  }
  if (c.action)
    await p.db
      .insertInto('corrective_actions')
      .values({
        id: actionId,
        finding_id: findingId,
        audit_id: id,
        entity_id: s.entityA,
        title: 'Walk action',
        owner: 'Walk',
        due_on: '2099-01-01',
        milestones_json: '[]',
        status: c.action,
        created_by: 'walk',
        created_at: now,
        updated_at: now,
      })
      .execute();
  return { id, findingId, actionId };
}

/** A draft audit plan over entity A. */
async function planForA(p: Platform, s: Scopes): Promise<string> {
  const id = newId();
  await p.db
    .insertInto('audit_plans')
    .values({
      id,
      name: 'Walk plan',
      period_start: '2026-01-01',
      period_end: '2026-12-31',
      capacity: 1,
      selection_json: JSON.stringify({ sectors: [], frameworkId: 'pk-ncsa-baseline@2026.1' }),
      status: 'draft',
      rules_version: '2026.1',
      created_by: 'walk',
      created_at: p.clock.now().toISOString(),
    })
    .execute();
  await p.db
    .insertInto('audit_plan_items')
    .values({
      plan_id: id,
      entity_id: s.entityA,
      risk_score: 50,
      reasons_json: '[]',
      proposed: 1,
      included: 1,
    })
    .execute();
  return id;
}

/** An enforcement case against entity A, optionally decided. */
async function caseOfA(p: Platform, s: Scopes, decided = false): Promise<string> {
  const id = newId();
  const now = p.clock.now().toISOString();
  await p.db
    .insertInto('enforcement_cases')
    .values({
      id,
      reference: `ENF-W-${id.slice(-10)}`,
      entity_id: s.entityA,
      sector: s.sectorA,
      admin_unit: s.unitA,
      violation: 'late_incident_report',
      violation_date: '2026-01-02',
      facts_json: '["Walk fact."]',
      stage: decided ? 'decided' : 'opened',
      outcome: decided ? 'warning' : null,
      created_by: 'walk',
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (decided)
    await p.db
      .insertInto('case_events')
      .values({
        id: newId(),
        case_id: id,
        at: now,
        actor: 'walk',
        step: 'decision',
        text: 'A warning.',
        detail_json: '{}',
      })
      .execute();
  return id;
}

function importCsv(s: Scopes): string {
  const reg = `IMP-${newId().slice(-10)}`;
  return `registration_no,name_en,kind,sector,subsector,admin_unit,size\n${reg},Walk Import Ltd,private_enterprise,${s.sectorA},${s.sectorA}.mobile,${s.unitA},small\n`;
}

function multipart(url: string, fileName: string, content: string): Req {
  const boundary = `----qila${newId().slice(-12)}`;
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  );
  return { url, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const strongPassword = () => `walk ${randomBytes(6).toString('hex')} river lantern`;

async function someUser(p: Platform, s: Scopes, who: Exclude<Who, 'anonymous'> = 'entity_member') {
  return makeAgent(p, who, s);
}

async function invitationFor(p: Platform, s: Scopes): Promise<{ id: string; token: string }> {
  const token = randomBytes(32).toString('base64url');
  const id = newId();
  const now = p.clock.now();
  await p.db
    .insertInto('invitations')
    .values({
      id,
      email: `invitee.${id.slice(-8)}@walk.test`,
      display_name: null,
      token_hash: tokenHash(token),
      roles_json: JSON.stringify([
        { role: 'entity_member', scopeKind: ROLE_SCOPE.entity_member, scopeValue: s.entityA },
      ]),
      invited_by: 'walk',
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 86400_000).toISOString(),
    })
    .execute();
  return { id, token };
}

/**
 * One rule per route of the OpenAPI document, keyed "METHOD /path". The walk fails for a
 * route without a rule, so a new route cannot ship without deciding who may call it.
 */
export const RULES: Record<string, Rule> = {
  'GET /healthz': { allow: 'everyone', request: () => ({ url: '/healthz' }) },
  'GET /readyz': { allow: 'everyone', request: () => ({ url: '/readyz' }) },

  'POST /api/auth/sign-in': {
    allow: 'everyone',
    request: async ({ p, s }) => ({
      url: '/api/auth/sign-in',
      payload: { email: (await someUser(p, s)).email, password: TEST_PASSWORD },
    }),
  },
  'POST /api/auth/sign-in/mfa': {
    allow: 'everyone',
    request: async ({ p, s }) => {
      const u = await someUser(p, s);
      const secret = newTotpSecret();
      await p.db
        .updateTable('users')
        .set({ totp_secret_enc: p.secrets.seal(secret), totp_enabled_at: p.clock.now().toISOString() })
        .where('id', '=', u.userId)
        .execute();
      return {
        url: '/api/auth/sign-in/mfa',
        payload: {
          challenge: issueChallenge(p.config.secretKey, u.userId, p.clock.now()),
          code: totpAt(secret, p.clock.now()),
        },
      };
    },
  },
  'GET /api/auth/oidc': { allow: 'everyone', request: () => ({ url: '/api/auth/oidc' }) },
  'GET /api/auth/oidc/start': {
    allow: 'everyone',
    okStatus: 302,
    request: () => ({ url: '/api/auth/oidc/start' }),
  },
  // Without the flow cookie the callback sends everyone back to sign-in; the full flow is in oidc.test.ts.
  'GET /api/auth/oidc/callback': {
    allow: 'everyone',
    okStatus: 302,
    request: () => ({ url: '/api/auth/oidc/callback?code=x&state=y' }),
  },
  'POST /api/auth/sign-out': { allow: 'signed-in', request: () => ({ url: '/api/auth/sign-out' }) },
  'POST /api/auth/sign-out-everywhere': {
    allow: 'signed-in',
    request: () => ({ url: '/api/auth/sign-out-everywhere' }),
  },
  'GET /api/auth/me': { allow: 'signed-in', request: () => ({ url: '/api/auth/me' }) },
  'GET /api/auth/sessions': { allow: 'signed-in', request: () => ({ url: '/api/auth/sessions' }) },
  'DELETE /api/auth/sessions/:id': {
    allow: 'signed-in',
    request: ({ agent }) => ({ url: `/api/auth/sessions/${agent?.sessionPrefix ?? '0123456789abcdef'}` }),
  },
  'POST /api/auth/password': {
    allow: 'signed-in',
    request: () => ({
      url: '/api/auth/password',
      payload: { currentPassword: TEST_PASSWORD, newPassword: strongPassword() },
    }),
  },
  'POST /api/auth/password-reset': {
    allow: 'everyone',
    request: () => ({ url: '/api/auth/password-reset', payload: { email: 'someone@walk.test' } }),
  },
  'POST /api/auth/password-reset/complete': {
    allow: 'everyone',
    request: async ({ p, s }) => {
      const u = await someUser(p, s);
      const token = randomBytes(32).toString('base64url');
      const now = p.clock.now();
      await p.db
        .insertInto('password_resets')
        .values({
          id: tokenHash(token),
          user_id: u.userId,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + 3600_000).toISOString(),
        })
        .execute();
      return { url: '/api/auth/password-reset/complete', payload: { token, password: strongPassword() } };
    },
  },
  'POST /api/auth/mfa/enroll': { allow: 'signed-in', request: () => ({ url: '/api/auth/mfa/enroll' }) },
  'POST /api/auth/mfa/confirm': {
    allow: 'signed-in',
    request: async ({ p, agent }) => {
      const secret = newTotpSecret();
      if (agent)
        await p.db
          .updateTable('users')
          .set({ totp_secret_enc: p.secrets.seal(secret) })
          .where('id', '=', agent.userId)
          .execute();
      return { url: '/api/auth/mfa/confirm', payload: { code: totpAt(secret, p.clock.now()) } };
    },
  },
  'POST /api/auth/mfa/disable': {
    allow: 'signed-in',
    request: () => ({ url: '/api/auth/mfa/disable', payload: { password: TEST_PASSWORD } }),
  },

  'GET /api/jurisdiction': { allow: 'everyone', request: () => ({ url: '/api/jurisdiction' }) },
  'GET /api/jurisdiction/holidays': {
    allow: 'signed-in',
    request: () => ({ url: '/api/jurisdiction/holidays?year=2026' }),
  },
  'PUT /api/jurisdiction/holidays/:date': {
    allow: ['authority_admin'],
    request: () => ({
      url: '/api/jurisdiction/holidays/2026-12-31',
      payload: { nameEn: 'Walk holiday', provisional: true },
    }),
  },
  'DELETE /api/jurisdiction/holidays/:date': {
    allow: ['authority_admin'],
    request: async ({ p }) => {
      await p.calendar.upsertHoliday(systemContext(), {
        date: '2026-12-30',
        nameEn: 'To remove',
        provisional: false,
      });
      return { url: '/api/jurisdiction/holidays/2026-12-30' };
    },
  },
  'GET /api/jurisdiction/business-days': {
    allow: 'signed-in',
    request: () => ({
      url: `/api/jurisdiction/business-days?from=${encodeURIComponent('2026-03-19T10:00:00Z')}&days=2`,
    }),
  },

  'GET /api/notifications': { allow: 'signed-in', request: () => ({ url: '/api/notifications' }) },
  'POST /api/notifications/:id/read': {
    allow: 'signed-in',
    request: async ({ p, agent }) => {
      if (!agent) return { url: `/api/notifications/${newId()}/read` };
      await p.notifications.notify(p.db, [agent.userId], { kind: 'walk', title: 'Walk', body: 'x' });
      const n = await p.db
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', agent.userId)
        .executeTakeFirstOrThrow();
      return { url: `/api/notifications/${n.id}/read` };
    },
  },

  'GET /api/registry/overview': {
    allow: [...NATIONAL_READERS, 'observer'],
    request: () => ({ url: '/api/registry/overview?tier=1' }),
  },
  'GET /api/entities': { allow: ENTITY_READERS, request: () => ({ url: '/api/entities?sector=telecom' }) },
  'GET /api/entities/export': {
    allow: ENTITY_READERS,
    request: () => ({ url: '/api/entities/export?format=csv' }),
  },
  'POST /api/entities': {
    allow: ['authority_admin'],
    request: ({ s }) => ({
      url: '/api/entities',
      payload: {
        registrationNo: `W-${newId().slice(-10)}`,
        nameEn: 'Walk Ltd',
        kind: 'private_enterprise',
        sector: s.sectorA,
        subsector: `${s.sectorA}.mobile`,
        adminUnit: s.unitA,
        size: 'small',
      },
    }),
  },
  'GET /api/entities/:id': {
    allow: SEE_A,
    notFound: OUTSIDE_A,
    request: ({ s }) => ({ url: `/api/entities/${s.entityA}` }),
  },
  'GET /api/entities/:id/designation': {
    allow: SEE_A,
    notFound: OUTSIDE_A,
    request: ({ s }) => ({ url: `/api/entities/${s.entityA}/designation?at=2026-06-01` }),
  },
  'PATCH /api/entities/:id': {
    allow: ['authority_admin', 'entity_admin'],
    notFound: OUTSIDE_A,
    request: async ({ p, s }) => ({
      url: `/api/entities/${s.entityA}`,
      payload: { version: await versionOf(p, s.entityA), website: 'https://walk.example.pk' },
    }),
  },
  'PUT /api/entities/:id/contacts': {
    allow: ['authority_admin', 'entity_admin'],
    notFound: OUTSIDE_A,
    request: ({ s }) => ({
      url: `/api/entities/${s.entityA}/contacts`,
      payload: { contacts: [{ kind: 'ciso', name: 'Walk CISO', email: 'ciso@walk.example' }] },
    }),
  },
  'POST /api/entities/:id/assets': {
    allow: ['authority_admin', 'entity_admin'],
    notFound: OUTSIDE_A,
    request: ({ s }) => ({
      url: `/api/entities/${s.entityA}/assets`,
      payload: { kind: 'domain', value: `w${newId().slice(-8)}.example.pk` },
    }),
  },
  'DELETE /api/entities/:id/assets/:assetId': {
    allow: ['authority_admin', 'entity_admin'],
    notFound: OUTSIDE_A,
    request: async ({ p, s }) => {
      const id = newId();
      await p.db
        .insertInto('entity_assets')
        .values({
          id,
          entity_id: s.entityA,
          kind: 'domain',
          value: `d${id.slice(-8)}.example.pk`,
          created_at: p.clock.now().toISOString(),
        })
        .execute();
      return { url: `/api/entities/${s.entityA}/assets/${id}` };
    },
  },
  'GET /api/registry/grading': { allow: ENTITY_READERS, request: () => ({ url: '/api/registry/grading' }) },
  'POST /api/entities/:id/grading': {
    allow: ['authority_admin'],
    request: ({ s }) => ({
      url: `/api/entities/${s.entityA}/grading`,
      payload: {
        answers: {
          population: 'over_10m',
          economy: 'national',
          security: 'significant',
          dependence: 'several',
          substitutability: 'weeks',
        },
      },
    }),
  },
  'GET /api/registry/change-requests': {
    allow: ENTITY_READERS,
    request: () => ({ url: '/api/registry/change-requests' }),
  },
  'POST /api/registry/change-requests/:id/decision': {
    allow: ['authority_admin'],
    request: async ({ p, s }) => {
      const id = newId();
      await p.db
        .insertInto('change_requests')
        .values({
          id,
          entity_id: s.entityA,
          requested_by: 'walk',
          changes_json: JSON.stringify({ size: 'large' }),
          created_at: p.clock.now().toISOString(),
        })
        .execute();
      return {
        url: `/api/registry/change-requests/${id}/decision`,
        payload: { decision: 'reject', note: 'walk' },
      };
    },
  },
  'POST /api/registry/imports': {
    allow: ['authority_admin'],
    request: ({ s }) => multipart('/api/registry/imports', 'walk.csv', importCsv(s)),
  },
  'POST /api/registry/imports/:id/commit': {
    allow: ['authority_admin'],
    request: async ({ p, s }) => {
      const report = await createImportService(p).dryRun(systemContext('walk'), {
        content: Buffer.from(importCsv(s)),
        fileName: 'walk.csv',
      });
      return { url: `/api/registry/imports/${report.id}/commit` };
    },
  },

  'GET /api/users': { allow: ['authority_admin', ...ENTITY_ADMINS], request: () => ({ url: '/api/users' }) },
  'GET /api/users/:id': {
    allow: ['authority_admin', 'entity_admin'],
    notFound: ['other_entity_admin'],
    request: async ({ p, s }) => ({ url: `/api/users/${(await someUser(p, s, 'entity_member')).userId}` }),
  },
  'PUT /api/users/:id/roles': {
    allow: ['authority_admin'],
    request: async ({ p, s }) => ({
      url: `/api/users/${(await someUser(p, s)).userId}/roles`,
      payload: { roles: [{ role: 'entity_member', scopeValue: s.entityA }] },
    }),
  },
  'PUT /api/users/:id/status': {
    allow: ['authority_admin'],
    request: async ({ p, s }) => ({
      url: `/api/users/${(await someUser(p, s)).userId}/status`,
      payload: { status: 'disabled' },
    }),
  },
  'DELETE /api/users/:id/sessions': {
    allow: ['authority_admin'],
    request: async ({ p, s }) => ({ url: `/api/users/${(await someUser(p, s)).userId}/sessions` }),
  },
  'GET /api/invitations': {
    allow: ['authority_admin', ...ENTITY_ADMINS],
    request: () => ({ url: '/api/invitations' }),
  },
  'POST /api/invitations': {
    allow: ['authority_admin', 'entity_admin'],
    request: ({ s }) => ({
      url: '/api/invitations',
      payload: {
        email: `new.${newId().slice(-8)}@walk.test`,
        roles: [{ role: 'entity_member', scopeValue: s.entityA }],
      },
    }),
  },
  'DELETE /api/invitations/:id': {
    allow: ['authority_admin', 'entity_admin'],
    notFound: ['other_entity_admin'],
    request: async ({ p, s }) => ({ url: `/api/invitations/${(await invitationFor(p, s)).id}` }),
  },
  'GET /api/invitations/preview': {
    allow: 'everyone',
    request: async ({ p, s }) => ({
      url: `/api/invitations/preview?token=${(await invitationFor(p, s)).token}`,
    }),
  },
  'POST /api/invitations/accept': {
    allow: 'everyone',
    request: async ({ p, s }) => ({
      url: '/api/invitations/accept',
      payload: {
        token: (await invitationFor(p, s)).token,
        displayName: 'New Member',
        password: strongPassword(),
      },
    }),
  },

  'GET /api/tokens': { allow: ENTITY_ADMINS, request: () => ({ url: '/api/tokens' }) },
  'POST /api/tokens': {
    allow: ENTITY_ADMINS,
    request: () => ({ url: '/api/tokens', payload: { name: 'SIEM', permissions: ['entities.read'] } }),
  },
  'DELETE /api/tokens/:id': {
    allow: ENTITY_ADMINS,
    request: async ({ p, s, agent }) => {
      // The caller's own token when it may hold one; otherwise someone else's.
      const owner =
        agent && (agent.who === 'entity_admin' || agent.who === 'other_entity_admin')
          ? agent
          : await someUser(p, s, 'entity_admin');
      const id = newId();
      const m = mintToken();
      const now = p.clock.now();
      await p.db
        .insertInto('api_tokens')
        .values({
          id,
          user_id: owner.userId,
          name: 'walk',
          token_hash: m.hash,
          prefix: m.prefix,
          entity_id: s.entityA,
          permissions_json: '["entities.read"]',
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + 86400_000).toISOString(),
        })
        .execute();
      return { url: `/api/tokens/${id}` };
    },
  },

  'GET /api/frameworks': { allow: 'signed-in', request: () => ({ url: '/api/frameworks' }) },
  'GET /api/frameworks/:id': {
    allow: 'signed-in',
    request: () => ({ url: '/api/frameworks/iso-27001-2022@2022' }),
  },
  'GET /api/frameworks/:id/requirements/:itemId/mappings': {
    allow: 'signed-in',
    request: () => ({ url: '/api/frameworks/nist-csf-2.0@2.0/requirements/GV.OC-01/mappings' }),
  },
  'POST /api/frameworks/import': {
    allow: ['authority_admin'],
    request: () =>
      multipart(
        '/api/frameworks/import',
        'walk.json',
        JSON.stringify({
          catalog: {
            uuid: newId(),
            metadata: { title: `Walk catalog ${newId().slice(-8)}`, version: '1' },
            controls: [{ id: 'w-1', title: 'W', parts: [{ name: 'statement', prose: 'Do it.' }] }],
          },
        }),
      ),
  },
  'GET /api/campaigns': { allow: ASSESSMENT_READERS, request: () => ({ url: '/api/campaigns' }) },
  'POST /api/campaigns': {
    allow: ['authority_admin'],
    request: ({ s }) => ({
      url: '/api/campaigns',
      payload: {
        name: 'Walk campaign',
        frameworks: ['pk-ncsa-baseline@2026.1'],
        selection: { sectors: [s.sectorA] },
        opensOn: '2026-01-01',
        dueOn: '2026-12-31',
      },
    }),
  },
  'GET /api/campaigns/:id': {
    allow: SEE_A_ASSESSMENT,
    notFound: OUTSIDE_A_ASSESSMENT,
    request: async ({ p, s }) => ({ url: `/api/campaigns/${(await assessmentOfA(p, s)).campaignId}` }),
  },
  'GET /api/campaigns/:id/national': {
    allow: [...NATIONAL_READERS, 'observer'],
    request: async ({ p, s }) => ({
      url: `/api/campaigns/${(await assessmentOfA(p, s)).campaignId}/national`,
    }),
  },
  'GET /api/campaigns/:id/results.xlsx': {
    allow: ['authority_admin', 'authority_analyst', 'sector_regulator'],
    // A reviewer of another sector takes no part in A's campaign: not found, as its page.
    notFound: ['other_sector_regulator'],
    request: async ({ p, s }) => ({
      url: `/api/campaigns/${(await assessmentOfA(p, s)).campaignId}/results.xlsx`,
    }),
  },
  'GET /api/assessments': { allow: ASSESSMENT_READERS, request: () => ({ url: '/api/assessments' }) },
  'GET /api/assessments/:id': {
    allow: SEE_A_ASSESSMENT,
    notFound: OUTSIDE_A_ASSESSMENT,
    request: async ({ p, s }) => ({ url: `/api/assessments/${(await assessmentOfA(p, s)).id}` }),
  },
  'GET /api/assessments/:id/benchmark': {
    allow: SEE_A_ASSESSMENT,
    notFound: OUTSIDE_A_ASSESSMENT,
    request: async ({ p, s }) => ({ url: `/api/assessments/${(await assessmentOfA(p, s)).id}/benchmark` }),
  },
  'GET /api/assessments/:id/gaps': {
    allow: SEE_A_ASSESSMENT,
    notFound: OUTSIDE_A_ASSESSMENT,
    request: async ({ p, s }) => ({
      url: `/api/assessments/${(await assessmentOfA(p, s, 'complete')).id}/gaps`,
    }),
  },
  'GET /api/assessments/:id/scorecard.pdf': {
    allow: SEE_A_ASSESSMENT,
    notFound: OUTSIDE_A_ASSESSMENT,
    request: async ({ p, s }) => ({
      url: `/api/assessments/${(await assessmentOfA(p, s, 'complete')).id}/scorecard.pdf`,
    }),
  },
  'GET /api/assessments/:id/oscal': {
    allow: SEE_A_ASSESSMENT,
    notFound: OUTSIDE_A_ASSESSMENT,
    request: async ({ p, s }) => ({ url: `/api/assessments/${(await assessmentOfA(p, s)).id}/oscal` }),
  },
  'PUT /api/assessments/:id/answers/:frameworkId/:itemId': {
    allow: ['entity_admin', 'entity_member'],
    notFound: ['other_entity_admin'],
    request: async ({ p, s }) => ({
      url: `/api/assessments/${(await assessmentOfA(p, s)).id}/answers/pk-ncsa-baseline@2026.1/PK.LEG-01`,
      payload: { level: 3 },
    }),
  },
  'GET /api/assessments/:id/evidence/:evidenceId': {
    allow: SEE_A_ASSESSMENT,
    notFound: OUTSIDE_A_ASSESSMENT,
    request: async ({ p, s }) => {
      const a = await assessmentOfA(p, s, 'complete');
      const e = await createAssignmentService(p).addEvidence(
        entityACtx(s),
        a.id,
        'pk-ncsa-baseline@2026.1',
        'PK.LEG-01',
        { content: Buffer.from('Our register of laws.'), fileName: 'register.txt' },
      );
      return { url: `/api/assessments/${a.id}/evidence/${e.id}` };
    },
  },
  'POST /api/assessments/:id/answers/:frameworkId/:itemId/evidence': {
    allow: ['entity_admin', 'entity_member'],
    notFound: ['other_entity_admin'],
    request: async ({ p, s }) => {
      const a = await assessmentOfA(p, s, 'complete');
      const m = multipart(
        `/api/assessments/${a.id}/answers/pk-ncsa-baseline@2026.1/PK.LEG-01/evidence`,
        'plan.txt',
        'Our incident response plan.',
      );
      return m;
    },
  },
  'POST /api/assessments/:id/submit': {
    allow: ['entity_admin', 'entity_member'],
    notFound: ['other_entity_admin'],
    request: async ({ p, s }) => ({
      url: `/api/assessments/${(await assessmentOfA(p, s, 'complete')).id}/submit`,
    }),
  },
  'POST /api/assessments/:id/review': {
    allow: ['authority_admin', 'authority_analyst', 'sector_regulator'],
    notFound: ['other_sector_regulator'],
    request: async ({ p, s }) => ({
      url: `/api/assessments/${(await assessmentOfA(p, s, 'submitted')).id}/review`,
      payload: { decision: 'accept' },
    }),
  },
  'GET /api/audit': {
    allow: ['authority_admin', 'authority_analyst'],
    request: () => ({ url: '/api/audit' }),
  },
  'GET /api/audit/export': {
    allow: ['authority_admin', 'authority_analyst'],
    request: () => ({ url: '/api/audit/export?format=json' }),
  },

  'GET /api/incidents/reference-data': {
    allow: INCIDENT_READERS,
    request: () => ({ url: '/api/incidents/reference-data' }),
  },
  'GET /api/incidents': { allow: INCIDENT_READERS, request: () => ({ url: '/api/incidents?view=queue' }) },
  'POST /api/incidents': {
    allow: ['entity_admin', 'entity_member', 'other_entity_admin'],
    request: ({ p }) => ({ url: '/api/incidents', payload: incidentPayload(p) }),
  },
  'GET /api/incidents/national': {
    allow: [...NATIONAL_READERS, 'observer'],
    request: () => ({ url: '/api/incidents/national?months=6' }),
  },
  'GET /api/incidents/duties': {
    allow: INCIDENT_READERS,
    request: () => ({ url: '/api/incidents/duties?late=true' }),
  },
  'GET /api/incidents/handlers': { allow: HANDLERS, request: () => ({ url: '/api/incidents/handlers' }) },
  'GET /api/incidents/red-recipients': {
    allow: ['entity_admin', 'entity_member', 'other_entity_admin'],
    request: () => ({ url: '/api/incidents/red-recipients' }),
  },
  'GET /api/incidents/:id': {
    allow: SEE_INCIDENT_A,
    notFound: OUTSIDE_INCIDENT_A,
    request: async ({ p, s }) => ({ url: `/api/incidents/${await incidentOfA(p, s)}` }),
  },
  'PATCH /api/incidents/:id': {
    allow: HANDLERS,
    request: async ({ p, s }) => ({
      url: `/api/incidents/${await incidentOfA(p, s)}`,
      payload: { version: 1, status: 'triage' },
    }),
  },
  'POST /api/incidents/:id/reports': {
    allow: ['entity_admin', 'entity_member'],
    notFound: ['other_entity_admin'],
    request: async ({ p, s }) => ({
      url: `/api/incidents/${await incidentOfA(p, s)}/reports`,
      payload: { stage: 'notification', update: notificationUpdate },
    }),
  },
  'POST /api/incidents/:id/tasks': {
    allow: HANDLERS,
    request: async ({ p, s }) => ({
      url: `/api/incidents/${await incidentOfA(p, s)}/tasks`,
      payload: { title: 'Walk task' },
    }),
  },
  'PATCH /api/incidents/:id/tasks/:taskId': {
    allow: HANDLERS,
    request: async ({ p, s }) => {
      const id = await incidentOfA(p, s);
      const taskId = newId();
      await p.db
        .insertInto('incident_tasks')
        .values({
          id: taskId,
          incident_id: id,
          title: 'Walk',
          status: 'open',
          created_by: 'walk',
          created_at: p.clock.now().toISOString(),
        })
        .execute();
      return { url: `/api/incidents/${id}/tasks/${taskId}`, payload: { version: 1, status: 'done' } };
    },
  },
  'POST /api/incidents/:id/notes': {
    allow: HANDLERS,
    request: async ({ p, s }) => ({
      url: `/api/incidents/${await incidentOfA(p, s)}/notes`,
      payload: { text: 'Walk note' },
    }),
  },
  'POST /api/incidents/:id/rfis': {
    allow: HANDLERS,
    request: async ({ p, s }) => ({
      url: `/api/incidents/${await incidentOfA(p, s)}/rfis`,
      payload: { question: 'Walk?' },
    }),
  },
  'POST /api/incidents/:id/rfis/:rfiId/reply': {
    allow: ['entity_admin', 'entity_member'],
    notFound: ['other_entity_admin'],
    request: async ({ p, s }) => {
      const id = await incidentOfA(p, s);
      const rfiId = newId();
      await p.db
        .insertInto('incident_rfis')
        .values({
          id: rfiId,
          incident_id: id,
          question: 'Walk?',
          asked_by: 'walk',
          asked_at: p.clock.now().toISOString(),
        })
        .execute();
      return { url: `/api/incidents/${id}/rfis/${rfiId}/reply`, payload: { answer: 'Walk.' } };
    },
  },
  'POST /api/incidents/:id/observables': {
    allow: HANDLERS,
    request: async ({ p, s }) => ({
      url: `/api/incidents/${await incidentOfA(p, s)}/observables`,
      payload: { items: [{ type: 'domain', value: 'walk.example' }] },
    }),
  },
  'POST /api/incidents/:id/files': {
    allow: [...HANDLERS, 'entity_admin', 'entity_member'],
    notFound: OUTSIDE_INCIDENT_A,
    request: async ({ p, s }) =>
      multipart(`/api/incidents/${await incidentOfA(p, s)}/files`, 'walk.txt', 'Walk log.'),
  },
  'GET /api/incidents/:id/files/:fileId': {
    allow: SEE_INCIDENT_A,
    notFound: OUTSIDE_INCIDENT_A,
    request: async ({ p, s }) => {
      const id = await incidentOfA(p, s);
      const f = await createWorkspaceService(p).attach(entityACtx(s), id, {
        content: Buffer.from('Walk log.'),
        fileName: 'walk.txt',
      });
      return { url: `/api/incidents/${id}/files/${f.id}` };
    },
  },
  'GET /api/incidents/:id/stix': {
    allow: SEE_INCIDENT_A,
    notFound: OUTSIDE_INCIDENT_A,
    request: async ({ p, s }) => ({ url: `/api/incidents/${await incidentOfA(p, s)}/stix` }),
  },
  'GET /api/advisories': { allow: INCIDENT_READERS, request: () => ({ url: '/api/advisories' }) },
  'POST /api/advisories': {
    allow: ['authority_admin', 'cert_analyst'],
    request: ({ s }) => ({
      url: '/api/advisories',
      payload: { title: 'Walk advisory', body: 'Patch your VPN.', tlp: 'GREEN', sectors: [s.sectorA] },
    }),
  },
  'GET /api/advisories/:id': {
    allow: [
      ...NATIONAL_READERS.filter((w) => w !== 'other_sector_regulator'),
      'entity_admin',
      'entity_member',
    ],
    notFound: ['other_sector_regulator', 'other_entity_admin'],
    request: async ({ p, s }) => ({ url: `/api/advisories/${await advisoryForA(p, s)}` }),
  },
  'GET /api/advisories/:id/stix': {
    allow: [
      ...NATIONAL_READERS.filter((w) => w !== 'other_sector_regulator'),
      'entity_admin',
      'entity_member',
    ],
    notFound: ['other_sector_regulator', 'other_entity_admin'],
    request: async ({ p, s }) => ({ url: `/api/advisories/${await advisoryForA(p, s)}/stix` }),
  },

  'GET /api/supervision/entities/:id/compliance': {
    allow: SUP_SEE_A,
    notFound: SUP_OUTSIDE_A,
    request: ({ s }) => ({ url: `/api/supervision/entities/${s.entityA}/compliance` }),
  },
  'GET /api/supervision/board': {
    allow: ['authority_admin', 'sector_regulator', 'other_sector_regulator'],
    request: () => ({ url: '/api/supervision/board' }),
  },
  'GET /api/supervision/national': {
    allow: [...NATIONAL_READERS, 'observer'],
    request: () => ({ url: '/api/supervision/national' }),
  },
  'GET /api/supervision/auditors': {
    allow: ['authority_admin', 'sector_regulator', 'other_sector_regulator'],
    request: () => ({ url: '/api/supervision/auditors' }),
  },
  'POST /api/supervision/firms': {
    allow: ['authority_admin'],
    request: () => ({
      url: '/api/supervision/firms',
      payload: {
        name: 'Walk Assurance',
        licenceNo: `AF-${newId().slice(-12)}`,
        licenceValidUntil: '2099-12-31',
      },
    }),
  },
  'POST /api/supervision/auditors': {
    allow: ['authority_admin'],
    request: async ({ p }) => {
      const firmId = await firm(p);
      const userId = newId();
      const now = p.clock.now().toISOString();
      await p.db
        .insertInto('users')
        .values({
          id: userId,
          email: `aud.${userId.slice(-10)}@walk.test`,
          display_name: 'Walk auditor',
          password_hash: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await p.db
        .insertInto('role_assignments')
        .values({
          id: newId(),
          user_id: userId,
          role: 'auditor',
          scope_kind: 'audit',
          scope_value: firmId,
          created_at: now,
        })
        .execute();
      return {
        url: '/api/supervision/auditors',
        payload: { userId, firmId, licenceNo: `AU-${userId.slice(-12)}`, licenceValidUntil: '2099-12-31' },
      };
    },
  },
  'POST /api/supervision/auditors/:id/conflicts': {
    allow: ['auditor', 'authority_admin'],
    request: async ({ p, s, agent }) => ({
      url: `/api/supervision/auditors/${await auditorFor(p, agent)}/conflicts`,
      payload: { entityId: s.entityB, statement: 'Walk conflict.' },
    }),
  },
  'GET /api/supervision/plans': {
    allow: ['authority_admin'],
    request: () => ({ url: '/api/supervision/plans' }),
  },
  'POST /api/supervision/plans': {
    allow: ['authority_admin'],
    request: ({ s }) => ({
      url: '/api/supervision/plans',
      payload: {
        name: 'Walk plan',
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        capacity: 2,
        sectors: [s.sectorA],
      },
    }),
  },
  'GET /api/supervision/plans/:id': {
    allow: ['authority_admin'],
    request: async ({ p, s }) => ({ url: `/api/supervision/plans/${await planForA(p, s)}` }),
  },
  'PUT /api/supervision/plans/:id/items/:entityId': {
    allow: ['authority_admin'],
    request: async ({ p, s }) => ({
      url: `/api/supervision/plans/${await planForA(p, s)}/items/${s.entityA}`,
      payload: { included: false },
    }),
  },
  'POST /api/supervision/plans/:id/approve': {
    allow: ['authority_admin'],
    request: async ({ p, s }) => ({
      url: `/api/supervision/plans/${await planForA(p, s)}/approve`,
      payload: { version: 1 },
    }),
  },
  'GET /api/supervision/audits': { allow: SUP_READERS, request: () => ({ url: '/api/supervision/audits' }) },
  'GET /api/supervision/audits/:id': {
    allow: SUP_SEE_A,
    notFound: SUP_OUTSIDE_A,
    request: async ({ p, s }) => ({
      url: `/api/supervision/audits/${(await auditOfA(p, s, { agent: null, status: 'planned' })).id}`,
    }),
  },
  'POST /api/supervision/audits/:id/assign': {
    allow: ['authority_admin', 'sector_regulator'],
    notFound: ['other_sector_regulator'],
    request: async ({ p, s }) => ({
      url: `/api/supervision/audits/${(await auditOfA(p, s, { agent: null, status: 'planned' })).id}/assign`,
      payload: { version: 1, leadAuditorId: await auditorFor(p, null) },
    }),
  },
  'POST /api/supervision/audits/:id/start': {
    allow: ['auditor'],
    request: async ({ p, s, agent }) => ({
      url: `/api/supervision/audits/${(await auditOfA(p, s, { agent, status: 'planned' })).id}/start`,
    }),
  },
  'PUT /api/supervision/audits/:id/checklist/:itemId': {
    allow: ['auditor'],
    request: async ({ p, s, agent }) => ({
      url: `/api/supervision/audits/${(await auditOfA(p, s, { agent, status: 'fieldwork' })).id}/checklist/W-1`,
      payload: { result: 'conforms' },
    }),
  },
  'POST /api/supervision/audits/:id/findings': {
    allow: ['auditor'],
    request: async ({ p, s, agent }) => ({
      url: `/api/supervision/audits/${(await auditOfA(p, s, { agent, status: 'fieldwork' })).id}/findings`,
      payload: { title: 'Walk finding', description: 'Walk.', severity: 'low' },
    }),
  },
  'POST /api/supervision/audits/:id/preliminary': {
    allow: ['auditor'],
    request: async ({ p, s, agent }) => ({
      url: `/api/supervision/audits/${(await auditOfA(p, s, { agent, status: 'fieldwork' })).id}/preliminary`,
    }),
  },
  'POST /api/supervision/audits/:id/respond': {
    allow: ['entity_admin'],
    notFound: ['other_entity_admin'],
    request: async ({ p, s }) => ({
      url: `/api/supervision/audits/${(await auditOfA(p, s, { agent: null, status: 'preliminary_issued' })).id}/respond`,
    }),
  },
  'POST /api/supervision/audits/:id/final': {
    allow: ['auditor'],
    request: async ({ p, s, agent }) => ({
      url: `/api/supervision/audits/${(await auditOfA(p, s, { agent, status: 'entity_responded' })).id}/final`,
      payload: { summary: 'Walk summary.' },
    }),
  },
  'POST /api/supervision/audits/:id/close': {
    allow: ['authority_admin', 'sector_regulator'],
    notFound: ['other_sector_regulator'],
    request: async ({ p, s }) => ({
      url: `/api/supervision/audits/${(await auditOfA(p, s, { agent: null, status: 'final_issued' })).id}/close`,
    }),
  },
  'POST /api/supervision/findings/:id/response': {
    allow: ['entity_admin'],
    notFound: ['other_entity_admin'],
    request: async ({ p, s }) => ({
      url: `/api/supervision/findings/${(await auditOfA(p, s, { agent: null, status: 'preliminary_issued', finding: true })).findingId}/response`,
      payload: { response: 'Agreed.' },
    }),
  },
  'POST /api/supervision/findings/:id/actions': {
    allow: ['entity_admin'],
    notFound: ['other_entity_admin'],
    request: async ({ p, s }) => ({
      url: `/api/supervision/findings/${(await auditOfA(p, s, { agent: null, status: 'preliminary_issued', finding: true })).findingId}/actions`,
      payload: { title: 'Walk action', owner: 'Walk owner', dueOn: '2099-01-01' },
    }),
  },
  'GET /api/supervision/actions': {
    allow: SUP_READERS,
    request: () => ({ url: '/api/supervision/actions?overdue=true' }),
  },
  'PATCH /api/supervision/actions/:id': {
    allow: ['entity_admin'],
    notFound: ['other_entity_admin'],
    request: async ({ p, s }) => ({
      url: `/api/supervision/actions/${(await auditOfA(p, s, { agent: null, status: 'final_issued', action: 'open' })).actionId}`,
      payload: { version: 1, status: 'in_progress' },
    }),
  },
  'POST /api/supervision/actions/:id/evidence': {
    allow: ['entity_admin'],
    notFound: ['other_entity_admin'],
    request: async ({ p, s }) =>
      multipart(
        `/api/supervision/actions/${(await auditOfA(p, s, { agent: null, status: 'final_issued', action: 'open' })).actionId}/evidence`,
        'progress.txt',
        'Walk progress.',
      ),
  },
  'GET /api/supervision/actions/:id/evidence/:fileId': {
    allow: SUP_SEE_A,
    notFound: SUP_OUTSIDE_A,
    request: async ({ p, s }) => {
      const { actionId } = await auditOfA(p, s, { agent: null, status: 'final_issued', action: 'open' });
      const stored = await p.files.store(p.db, {
        content: Buffer.from('Walk evidence.'),
        originalName: 'evidence.txt',
        allowed: ['text/plain'],
        createdBy: null,
      });
      const fileId = newId();
      await p.db
        .insertInto('supervision_files')
        .values({
          id: fileId,
          owner_kind: 'action',
          owner_id: actionId,
          file_id: stored.id,
          file_name: stored.originalName,
          size_bytes: stored.sizeBytes,
          sha256: stored.sha256,
          media_type: stored.mediaType,
          created_by: 'walk',
          created_at: p.clock.now().toISOString(),
        })
        .execute();
      return { url: `/api/supervision/actions/${actionId}/evidence/${fileId}` };
    },
  },
  'POST /api/supervision/actions/:id/verify': {
    allow: ['authority_admin', 'sector_regulator', 'auditor'],
    notFound: ['other_sector_regulator', 'other_province_officer', 'other_entity_admin'],
    request: async ({ p, s, agent }) => ({
      url: `/api/supervision/actions/${(await auditOfA(p, s, { agent, status: 'final_issued', action: 'submitted' })).actionId}/verify`,
      payload: { decision: 'verified' },
    }),
  },
  'GET /api/supervision/penalty-schedule': {
    allow: SUP_READERS,
    request: () => ({ url: '/api/supervision/penalty-schedule?on=2026-06-01' }),
  },
  'GET /api/supervision/cases': { allow: SUP_READERS, request: () => ({ url: '/api/supervision/cases' }) },
  'POST /api/supervision/cases': {
    allow: ['authority_admin'],
    request: ({ s }) => ({
      url: '/api/supervision/cases',
      payload: {
        entityId: s.entityA,
        violation: 'late_incident_report',
        violationDate: '2026-01-02',
        facts: ['Walk fact.'],
      },
    }),
  },
  'GET /api/supervision/cases/:id': {
    allow: SUP_SEE_A,
    notFound: SUP_OUTSIDE_A,
    request: async ({ p, s }) => ({ url: `/api/supervision/cases/${await caseOfA(p, s)}` }),
  },
  'POST /api/supervision/cases/:id/steps': {
    allow: ['authority_admin'],
    request: async ({ p, s }) => ({
      url: `/api/supervision/cases/${await caseOfA(p, s)}/steps`,
      payload: { step: 'notice', text: 'Walk notice.' },
    }),
  },
  'GET /api/supervision/cases/:id/decision.pdf': {
    allow: SUP_SEE_A,
    notFound: SUP_OUTSIDE_A,
    request: async ({ p, s }) => ({
      url: `/api/supervision/cases/${await caseOfA(p, s, true)}/decision.pdf`,
    }),
  },
};
