import { createAssignmentService } from '../modules/assessments/assignments.service.ts';
import { createCampaignService } from '../modules/assessments/campaigns.service.ts';
import { loadRequirements } from '../modules/assessments/requirements.ts';
import type { RequestContext } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import type { Platform } from '../platform/platform.ts';
import type { Random } from './random.ts';

// How mature each sector tends to be in the demo country (0-5), and how each dimension shifts it.
const SECTOR_BASE: Record<string, number> = {
  finance: 3.4,
  telecom: 3.2,
  it: 3.0,
  energy: 2.6,
  government: 2.3,
  health: 2.0,
  transport: 2.2,
  water: 1.8,
};
const DIMENSION_SHIFT: Record<string, number> = { legal: 0.3, institutional: 0, human: -0.7, technical: 0.2 };

/**
 * A first national campaign over the critical-infrastructure operators, already answered and
 * mostly accepted, so the national picture means something on first start.
 */
export async function loadDemoCampaign(p: Platform, ctx: RequestContext, r: Random): Promise<void> {
  // The jurisdiction's own baseline, if its catalogs have one.
  const baseline = await p.db
    .selectFrom('frameworks')
    .select('id')
    .where('kind', '=', 'baseline')
    .orderBy('id')
    .executeTakeFirst();
  if (!baseline) return;
  const day = (offset: number) =>
    new Date(p.clock.now().getTime() + offset * 86400_000).toISOString().slice(0, 10);
  const campaign = await createCampaignService(p).create(ctx, {
    name: 'National cyber assessment 2026: first round',
    description:
      'Gap analysis of critical information infrastructure against the national baseline and sector overlays.',
    frameworks: [baseline.id],
    selection: { sectors: [], adminUnits: [], tiers: ['1', '2', '3'], kinds: [] },
    opensOn: day(-90),
    dueOn: day(-30),
    graceDays: 5,
  });
  const assignments = await p.db
    .selectFrom('assignments')
    .innerJoin('entities', 'entities.id', 'assignments.entity_id')
    .select(['assignments.id', 'assignments.frameworks_json', 'entities.sector', 'entities.size'])
    .where('campaign_id', '=', campaign.id)
    .orderBy('assignments.id')
    .execute();
  const service = createAssignmentService(p);
  const now = p.clock.now().toISOString();
  for (const a of assignments) {
    const fate = r.next();
    if (fate < 0.08) continue; // not started: shows up as late
    const reqs = await loadRequirements(p.db, JSON.parse(a.frameworks_json) as string[]);
    const base =
      (SECTOR_BASE[a.sector] ?? 2.2) +
      (a.size === 'large' ? 0.4 : a.size === 'micro' ? -0.6 : 0) +
      (r.next() - 0.5);
    const rows = reqs.map((q) => {
      const level = Math.max(
        0,
        Math.min(5, Math.round(base + (DIMENSION_SHIFT[q.dimension ?? ''] ?? 0) + (r.next() - 0.5) * 2)),
      );
      return {
        id: newId(),
        assignment_id: a.id,
        framework_id: q.frameworkId,
        item_id: q.itemId,
        level,
        updated_by: 'demo-loader',
        updated_at: now,
      };
    });
    for (let i = 0; i < rows.length; i += 200)
      await p.db
        .insertInto('answers')
        .values(rows.slice(i, i + 200))
        .execute();
    if (fate < 0.14) {
      await p.db
        .updateTable('assignments')
        .set({ status: 'in_progress', updated_at: now })
        .where('id', '=', a.id)
        .execute();
      continue;
    }
    await p.db
      .updateTable('assignments')
      .set({ status: 'submitted', submission_no: 1, updated_at: now })
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
        submitted_by: 'demo-loader',
        submitted_at: now,
      })
      .execute();
    if (fate < 0.2)
      await service.review(
        ctx,
        a.id,
        'return',
        'Please attach evidence for the incident response requirements.',
      );
    else await service.review(ctx, a.id, 'accept', null);
  }
}
