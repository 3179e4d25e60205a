import { ManualClock } from '../platform/clock.ts';
import type { Actor, RequestContext } from '../platform/context.ts';
import type { Platform } from '../platform/platform.ts';
import { createIncidentService } from '../modules/incidents/incidents.service.ts';
import type { ReportIncidentInput } from '../modules/incidents/incidents.schemas.ts';
import { createReportService } from '../modules/incidents/report.service.ts';
import { STAGE_KINDS, type StageKind } from '../modules/incidents/rules/rule-set.ts';
import { createWorkspaceService } from '../modules/incidents/workspace.service.ts';
import type { Random } from './random.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What kinds of incident the demo country sees, by how often (demo only). */
const SCENARIOS = [
  {
    w: 18,
    cls: 'fraud',
    type: 'phishing',
    title: 'Phishing campaign against staff mailboxes',
    services: ['E-mail'],
  },
  {
    w: 12,
    cls: 'availability',
    type: 'ddos',
    title: 'DDoS against public web services',
    services: ['Website', 'Customer portal'],
  },
  {
    w: 10,
    cls: 'malicious-code',
    type: 'infected-system',
    title: 'Ransomware on file servers',
    services: ['File shares', 'ERP'],
  },
  {
    w: 10,
    cls: 'intrusion-attempts',
    type: 'brute-force',
    title: 'Password spraying against VPN',
    services: ['Remote access'],
  },
  {
    w: 8,
    cls: 'intrusions',
    type: 'privileged-account-compromise',
    title: 'Administrator account misused',
    services: ['Active Directory'],
  },
  {
    w: 8,
    cls: 'information-content-security',
    type: 'data-leak',
    title: 'Customer records exposed',
    services: ['CRM'],
  },
  {
    w: 7,
    cls: 'intrusions',
    type: 'application-compromise',
    title: 'Web application compromised through an unpatched plugin',
    services: ['Website'],
  },
  {
    w: 6,
    cls: 'availability',
    type: 'outage',
    title: 'Service outage after a failed change',
    services: ['Core network'],
  },
  {
    w: 6,
    cls: 'information-gathering',
    type: 'scanner',
    title: 'Sustained scanning of internet-facing hosts',
    services: ['Perimeter'],
  },
  {
    w: 5,
    cls: 'vulnerable',
    type: 'vulnerable-system',
    title: 'Exposed management interface found',
    services: ['Network devices'],
  },
  {
    w: 4,
    cls: 'fraud',
    type: 'masquerade',
    title: 'Look-alike domain used to defraud customers',
    services: ['Brand', 'Website'],
  },
  {
    w: 3,
    cls: 'malicious-code',
    type: 'c2-server',
    title: 'Beaconing to a command-and-control server',
    services: ['Workstations'],
  },
] as const;
const SEVERITY = [
  { v: 'critical', w: 5 },
  { v: 'high', w: 25 },
  { v: 'medium', w: 40 },
  { v: 'low', w: 30 },
] as const;
/** A small pool so that some indicators recur across incidents, as real campaigns do. */
const IPS = ['203.0.113.14', '203.0.113.77', '198.51.100.23', '198.51.100.200', '192.0.2.45', '192.0.2.91'];
const DOMAINS = [
  'secure-login-update.example',
  'pk-bank-verify.example',
  'cdn-sync.example',
  'mail-quota.example',
];

type EntityRow = { id: string; name_en: string; sector: string; cii_tier: number | null };

const entityCtx = (e: EntityRow): RequestContext => ({
  actor: {
    kind: 'user',
    userId: null,
    label: `CISO, ${e.name_en}`,
    roles: [{ role: 'entity_admin', scopeKind: 'entity', scopeValue: e.id }],
  },
  requestId: 'demo',
  ip: null,
});

/**
 * A year of incident reporting, replayed through the real services on a clock that walks
 * through the year: most reports on time, some late, a few final reports never sent, older
 * incidents closed, and one major incident still under way at the demo CISO's entity.
 */
export async function loadDemoIncidents(
  p: Platform,
  r: Random,
  opts: { count: number; ongoingAt: string | null; certUserId: string | null },
): Promise<void> {
  if (await p.db.selectFrom('incidents').select('id').limit(1).executeTakeFirst()) return;
  const realNow = p.clock.now();
  const clock = new ManualClock(realNow);
  const demo: Platform = { ...p, clock };
  const reports = createReportService(demo);
  const incidents = createIncidentService(demo, reports);
  const workspace = createWorkspaceService(demo);
  const cert: RequestContext = {
    actor: {
      kind: 'user',
      userId: opts.certUserId,
      label: 'PKCERT duty desk',
      roles: [{ role: 'cert_analyst', scopeKind: 'national', scopeValue: null }],
    } satisfies Actor,
    requestId: 'demo',
    ip: null,
  };
  const entities = await p.db
    .selectFrom('entities')
    .select(['id', 'name_en', 'sector', 'cii_tier'])
    .orderBy('id')
    .execute();
  if (!entities.length) return;

  const plan = Array.from({ length: opts.count }, () => ({
    awareAt: new Date(realNow.getTime() - (3 + r.next() * 362) * DAY),
    entity: r.weighted(
      entities,
      (e) => (e.cii_tier !== null ? 4 : 1) * (['telecom', 'finance'].includes(e.sector) ? 2 : 1),
    ),
  })).sort((a, b) => a.awareAt.getTime() - b.awareAt.getTime());

  for (const item of plan) await replay(item.entity, item.awareAt, false);
  // History is read; only what happens from here on is news to the demo users.
  await p.db
    .updateTable('notifications')
    .set({ read_at: realNow.toISOString() })
    .where('read_at', 'is', null)
    .execute();

  if (opts.ongoingAt) {
    const e = entities.find((x) => x.id === opts.ongoingAt)!;
    await replay(e, new Date(realNow.getTime() - 30 * HOUR), true);
  }

  async function replay(e: EntityRow, awareAt: Date, major: boolean) {
    const s = major ? SCENARIOS[1] : r.weighted(SCENARIOS, (x) => x.w);
    const severity = major ? 'critical' : r.weighted(SEVERITY, (x) => x.w).v;
    const onTime = () => r.next() < 0.87;
    const firstDelay = major ? 2 * HOUR : onTime() ? (1 + r.next() * 18) * HOUR : (26 + r.next() * 30) * HOUR;
    let at = new Date(awareAt.getTime() + firstDelay);
    if (at > realNow) at = new Date(realNow.getTime() - HOUR);
    clock.set(at);
    const indicators = [
      ...(r.next() < 0.6 ? [{ type: 'ipv4' as const, value: r.pick(IPS) }] : []),
      ...(r.next() < 0.4 ? [{ type: 'domain' as const, value: r.pick(DOMAINS) }] : []),
    ];
    const input: ReportIncidentInput = {
      title: major ? 'DDoS against the mobile core and DNS resolvers' : s.title,
      summary: major
        ? 'Volumetric and DNS water-torture attack degrading mobile data and voice across two provinces; upstream scrubbing engaged.'
        : `${s.title}. Detected by the security operations team; containment under way.`,
      severity,
      rsitClass: s.cls,
      rsitType: s.type,
      awareAt: awareAt.toISOString(),
      detectedAt: new Date(awareAt.getTime() - r.int(0, 180) * 60_000).toISOString(),
      affectedServices: [...s.services],
      usersAffected: major ? 2_400_000 : r.int(0, 40) * 500,
      downtimeHours: major ? 9 : r.int(0, 12),
      personalData: s.cls === 'information-content-security',
      crossBorder: r.next() < 0.1,
      suspectedMalicious: s.cls !== 'availability' || s.type === 'ddos',
      healthImpact: false,
      mitigation: 'Affected systems isolated; credentials rotated; monitoring increased.',
      indicators: major
        ? [
            { type: 'ipv4', value: IPS[0]! },
            { type: 'domain', value: DOMAINS[2]! },
          ]
        : indicators,
      tlp: major
        ? 'AMBER'
        : r.weighted(
            ['GREEN', 'AMBER', 'AMBER+STRICT', 'CLEAR'] as const,
            (t) => ({ GREEN: 30, AMBER: 55, 'AMBER+STRICT': 10, CLEAR: 5 })[t],
          ),
    };
    const { id } = await reports.report(entityCtx(e), input, null);
    const handle = async (status: string) => {
      clock.set(new Date(clock.now().getTime() + r.int(1, 6) * HOUR));
      if (clock.now() > realNow) return;
      const { version } = await p.db
        .selectFrom('incidents')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      await incidents.update(cert, id, {
        version,
        status: status as 'triage',
        assigneeId: opts.certUserId ?? undefined,
      });
    };
    await handle('triage');

    if (major) {
      // The notification went in on time; the final reports are still to come.
      clock.set(new Date(awareAt.getTime() + 20 * HOUR));
      await reports.submit(entityCtx(e), id, { stage: 'notification', update: { downtimeHours: 14 } });
      await handle('investigating');
      await workspace.addTask(cert, id, { title: 'Coordinate upstream scrubbing with the IXP' });
      await workspace.addTask(cert, id, { title: 'Collect NetFlow samples from the affected PoPs' });
      await workspace.askRfi(cert, id, {
        question: 'Please share the list of affected resolver IP ranges and the time traffic peaked.',
      });
      await workspace.addNote(cert, id, {
        text: 'Same C2 infrastructure as the spring banking campaign.',
        internal: true,
      });
      return;
    }

    // Later stages, each on time or late, until the work runs into the present.
    for (let guard = 0; guard < 6; guard++) {
      const open = await p.db
        .selectFrom('incident_duties')
        .select(['kind', 'due_at'])
        .where('incident_id', '=', id)
        .where('status', 'in', ['due', 'overdue'])
        .orderBy('due_at')
        .execute();
      const next = open[0];
      if (!next?.due_at) break;
      const due = new Date(next.due_at).getTime();
      // A few final reports never come: they stay missing for supervision to find.
      if (next.kind === 'final' && r.next() < 0.07) break;
      const when = onTime()
        ? due - r.next() * Math.min(20 * HOUR, due - clock.now().getTime())
        : due + (2 + r.next() * 60) * HOUR;
      const t = Math.max(when, clock.now().getTime() + 10 * 60_000);
      if (t > realNow.getTime()) break;
      clock.set(new Date(t));
      const kind = next.kind as StageKind;
      await reports.submit(entityCtx(e), id, {
        stage: kind,
        update:
          STAGE_KINDS.indexOf(kind) >= STAGE_KINDS.indexOf('final')
            ? {
                rootCause: 'Unpatched internet-facing system and weak credential hygiene.',
                financialLoss: r.int(0, 200) * 100_000,
                lessonsLearned: 'Patch exposed systems within 14 days; enforce phishing-resistant MFA.',
                ongoing: false,
              }
            : {},
      });
    }
    const left = await p.db
      .selectFrom('incident_duties')
      .select('id')
      .where('incident_id', '=', id)
      .where('status', 'in', ['due', 'overdue', 'waiting'])
      .executeTakeFirst();
    const age = realNow.getTime() - awareAt.getTime();
    if (age > 20 * DAY) {
      await handle('investigating');
      await handle('resolved');
      if (!left) await handle('closed');
    } else if (age > 5 * DAY) await handle(r.pick(['investigating', 'contained']));
  }
}
