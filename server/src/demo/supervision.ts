import { ManualClock } from '../platform/clock.ts';
import type { RequestContext } from '../platform/context.ts';
import type { Platform } from '../platform/platform.ts';
import { createActionService } from '../modules/supervision/actions.service.ts';
import { createAuditorService } from '../modules/supervision/auditors.service.ts';
import { createAuditService } from '../modules/supervision/audits.service.ts';
import { createComplianceEngine } from '../modules/supervision/compliance.ts';
import { createEnforcementService } from '../modules/supervision/enforcement.service.ts';
import { createPlanService } from '../modules/supervision/plans.service.ts';
import { createUserService } from '../modules/users/users.service.ts';
import type { Random } from './random.ts';

const DAY = 86_400_000;
const FINDINGS = [
  { title: 'No complete inventory of critical assets', severity: 'high' },
  { title: 'Privileged accounts without multi-factor authentication', severity: 'critical' },
  { title: 'Backups never restored in a test', severity: 'medium' },
  { title: 'Incident response plan not exercised in two years', severity: 'medium' },
  { title: 'Internet-facing systems missing security patches', severity: 'high' },
  { title: 'Third-party access not reviewed', severity: 'low' },
] as const;

const ctxOf = (
  label: string,
  userId: string | null,
  role: string,
  scopeKind: string,
  scopeValue: string | null,
): RequestContext => ({
  actor: { kind: 'user', userId, label, roles: [{ role, scopeKind, scopeValue } as never] },
  requestId: 'demo',
  ip: null,
});

/**
 * Supervision as the Authority would have run it for half a year, replayed through the services on
 * a walking clock: a licensed firm and two auditors, an approved risk-based plan, closed audits
 * with verified and overdue corrective actions, audits in fieldwork, a preliminary report waiting
 * for the demo CISO, and one enforcement case decided with a computed penalty.
 */
export async function loadDemoSupervision(
  p: Platform,
  r: Random,
  opts: { password: string; cisoEntityId: string | null },
): Promise<{ email: string; role: string }[]> {
  const logins = [
    { email: 'auditor@indus-assurance.demo', name: 'Zara Hussain', licence: 'AU-PK-0107' },
    { email: 'auditor2@indus-assurance.demo', name: 'Faisal Rehman', licence: 'AU-PK-0219' },
  ];
  const out = logins.map((l) => ({ email: l.email, role: 'Auditor (Indus Assurance)' }));
  if (await p.db.selectFrom('audit_firms').select('id').limit(1).executeTakeFirst()) return out;
  // A jurisdiction without a national baseline or supervision rules has nothing to replay here.
  const baseline = await p.db
    .selectFrom('frameworks')
    .select('id')
    .where('kind', '=', 'baseline')
    .orderBy('id')
    .executeTakeFirst();
  if (!baseline || !createComplianceEngine(p).sets.length) return [];

  const realNow = p.clock.now();
  const clock = new ManualClock(new Date(realNow.getTime() - 200 * DAY));
  const demo: Platform = { ...p, clock };
  const admin = ctxOf('Ayesha Siddiqui (NCSA)', null, 'authority_admin', 'national', null);
  const engine = createComplianceEngine(demo);
  const auditors = createAuditorService(demo);
  const plans = createPlanService(demo, engine);
  const audits = createAuditService(demo, engine, auditors);
  const actions = createActionService(demo, engine, audits);
  const cases = createEnforcementService(demo, engine);

  const { id: firmId } = await auditors.createFirm(admin, {
    name: 'Indus Assurance Services',
    licenceNo: 'AF-PK-2024-031',
    licenceValidUntil: '2028-06-30',
  });
  const users = createUserService(p);
  const leads: { auditorId: string; ctx: RequestContext }[] = [];
  for (const l of logins) {
    const existing = await p.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', l.email)
      .executeTakeFirst();
    const userId =
      existing?.id ??
      (
        await users.create(admin, {
          email: l.email,
          displayName: l.name,
          password: opts.password,
          roles: [{ role: 'auditor', scopeValue: firmId }],
        })
      ).id;
    const { id } = await auditors.createAuditor(admin, {
      userId,
      firmId,
      licenceNo: l.licence,
      licenceValidUntil: '2028-06-30',
    });
    leads.push({ auditorId: id, ctx: ctxOf(l.email, userId, 'auditor', 'audit', firmId) });
  }

  const plan = await plans.create(admin, {
    name: 'Critical infrastructure audits 2026',
    periodStart: new Date(clock.now()).toISOString().slice(0, 10),
    periodEnd: new Date(realNow.getTime() + 160 * DAY).toISOString().slice(0, 10),
    capacity: 10,
    sectors: [],
    frameworkId: baseline.id,
  });
  let version = plan.version;
  if (opts.cisoEntityId && !plan.items.some((i) => i.entityId === opts.cisoEntityId && i.included)) {
    const swapOut = plan.items.filter((i) => i.included).at(-1)!;
    version = (await plans.setIncluded(admin, plan.id, swapOut.entityId, false)).version;
    const added = await p.db
      .selectFrom('audit_plan_items')
      .select('entity_id')
      .where('plan_id', '=', plan.id)
      .where('entity_id', '=', opts.cisoEntityId)
      .executeTakeFirst();
    if (!added)
      await p.db
        .insertInto('audit_plan_items')
        .values({
          plan_id: plan.id,
          entity_id: opts.cisoEntityId,
          risk_score: 55,
          reasons_json: JSON.stringify([{ label: 'Added by the Authority', points: 55 }]),
          proposed: 0,
          included: 1,
        })
        .execute();
    else version = (await plans.setIncluded(admin, plan.id, opts.cisoEntityId, true)).version;
  }
  await plans.approve(admin, plan.id, version);
  const list = await p.db
    .selectFrom('audits')
    .select(['id', 'entity_id', 'sector', 'reference'])
    .where('plan_id', '=', plan.id)
    .orderBy('reference')
    .execute();
  const ordered = [
    ...list.filter((a) => a.entity_id !== opts.cisoEntityId),
    ...list.filter((a) => a.entity_id === opts.cisoEntityId),
  ];

  const entityCtx = (entityId: string) => ctxOf('CISO', null, 'entity_admin', 'entity', entityId);
  let overdueEntity: string | null = null;
  let overdueDue: string | null = null;
  for (const [i, a] of ordered.entries()) {
    const lead = leads[i % leads.length]!;
    const mine = a.entity_id === opts.cisoEntityId;
    const stage = mine ? 'preliminary' : i < 6 ? 'closed' : i < 8 ? 'fieldwork' : 'planned';
    if (stage === 'planned') continue;
    const startAt = mine ? realNow.getTime() - 12 * DAY : realNow.getTime() - (190 - i * 12) * DAY;
    clock.set(new Date(startAt));
    const v = (await audits.get(admin, a.id)).version;
    await audits.assign(admin, a.id, { version: v, leadAuditorId: lead.auditorId });
    const started = await audits.start(lead.ctx, a.id);
    for (const item of started.checklist.slice(0, 12))
      await audits.check(lead.ctx, a.id, item.itemId, {
        result: r.pick(['conforms', 'conforms', 'minor_gap', 'major_gap'] as const),
        note: null,
      });
    const count = 1 + Math.floor(r.next() * 3);
    for (const f of Array.from({ length: count }, () => r.pick(FINDINGS)))
      await audits.addFinding(lead.ctx, a.id, {
        itemId: started.checklist[0]?.itemId ?? null,
        title: f.title,
        description: `${f.title}; observed during fieldwork.`,
        severity: f.severity,
      });
    if (stage === 'fieldwork') continue;
    clock.set(new Date(startAt + 10 * DAY));
    await audits.issuePreliminary(lead.ctx, a.id);
    if (mine) continue;

    clock.set(new Date(startAt + 15 * DAY));
    const e = entityCtx(a.entity_id);
    const detail = await audits.get(e, a.id);
    for (const f of detail.findings) {
      await audits.respondFinding(e, f.id, { response: 'Accepted; remediation is planned.' });
      const due = new Date(startAt + (40 + Math.floor(r.next() * 60)) * DAY).toISOString().slice(0, 10);
      await actions.add(e, f.id, {
        title: `Fix: ${f.title.toLowerCase()}`,
        owner: 'Head of information security',
        dueOn: due,
        milestones: [],
      });
    }
    await audits.submitResponse(e, a.id);
    clock.set(new Date(startAt + 20 * DAY));
    await audits.issueFinal(lead.ctx, a.id, {
      summary: `${detail.findings.length} finding(s); corrective actions agreed with the entity.`,
    });
    clock.set(new Date(startAt + 22 * DAY));
    await audits.close(admin, a.id);

    // Most actions are done and verified; on the first two closed audits some are left past due.
    const open = await p.db
      .selectFrom('corrective_actions')
      .select(['id', 'due_on', 'version'])
      .where('audit_id', '=', a.id)
      .execute();
    for (const [j, act] of open.entries()) {
      const leaveOverdue = i < 2 && j === 0;
      const doneAt = new Date(act.due_on).getTime() - 3 * DAY;
      if (leaveOverdue || doneAt > realNow.getTime()) {
        if (leaveOverdue && new Date(act.due_on).getTime() < realNow.getTime() - 45 * DAY) {
          overdueEntity ??= a.entity_id;
          overdueDue ??= act.due_on;
        }
        continue;
      }
      clock.set(new Date(doneAt));
      await actions.update(e, act.id, {
        version: act.version,
        status: 'submitted',
        progressNote: 'Completed; evidence attached to the ticket.',
      });
      clock.set(new Date(doneAt + DAY));
      await actions.verify(lead.ctx, act.id, { decision: 'verified', comment: 'Checked on site.' });
    }
  }

  clock.set(realNow);
  await p.db.transaction().execute(async (trx) => {
    await engine.flagOverdueActions(trx, realNow);
    await engine.recompute(trx, null, realNow);
  });

  const violationDay = overdueDue
    ? new Date(new Date(overdueDue).getTime() + DAY).toISOString().slice(0, 10)
    : null;
  if (overdueEntity && violationDay && cases.violations(violationDay)) {
    clock.set(new Date(realNow.getTime() - 30 * DAY));
    const c = await cases.create(admin, {
      entityId: overdueEntity,
      violation: 'overdue_corrective_action',
      violationDate: violationDay,
      facts: [`A corrective action agreed after audit was due on ${overdueDue} and has not been completed.`],
    });
    const entity = entityCtx(overdueEntity);
    const ok = await p.db
      .selectFrom('entities')
      .select('annual_turnover')
      .where('id', '=', overdueEntity)
      .executeTakeFirstOrThrow();
    if (ok.annual_turnover === null)
      await p.db
        .updateTable('entities')
        .set({ annual_turnover: 4_800_000_000 })
        .where('id', '=', overdueEntity)
        .execute();
    await cases.step(admin, c.id, {
      step: 'notice',
      text: 'The Authority finds that a corrective action is past due and invites your written response within 14 days.',
    });
    clock.set(new Date(realNow.getTime() - 24 * DAY));
    await cases.step(entity, c.id, {
      step: 'response',
      text: 'A vendor delay held the work back; it is now scheduled to finish next month.',
    });
    clock.set(new Date(realNow.getTime() - 20 * DAY));
    await cases.step(admin, c.id, {
      step: 'hearing',
      at: new Date(realNow.getTime() - 12 * DAY).toISOString(),
      text: 'Hearing at the Authority, Islamabad.',
    });
    clock.set(new Date(realNow.getTime() - 10 * DAY));
    await cases.step(admin, c.id, {
      step: 'decision',
      outcome: 'penalty',
      factors: [{ code: 'duration', months: 2 }, { code: 'cooperation' }],
      // The shipped schedule is a placeholder: the demonstration decision says so in its own record.
      overrideLegalStatus: {
        reason: 'Demonstration case: shows the enforcement workflow on the placeholder schedule.',
      },
      text: 'The entity did not complete an agreed corrective action by its due date. Its cooperation during the hearing is taken into account.',
    });
  }
  return out;
}
