import { assessmentPolicy } from '../../platform/access/index.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { jurisdictionToday } from '../../platform/jurisdiction/today.ts';
import type { Platform } from '../../platform/platform.ts';
import { entityWhere } from '../registry/registry.repo.ts';
import type { CampaignInput } from './assessments.schemas.ts';
import {
  campaignClosesAt,
  campaignSettingsOn,
  loadCampaignSettings,
  reminderAt,
} from './campaign-settings.ts';

type CampaignRow = {
  id: string;
  name: string;
  description: string | null;
  frameworks_json: string;
  selection_json: string;
  opens_on: string;
  due_on: string;
  grace_days: number;
  status: string;
  created_at: string;
};

export function createCampaignService(p: Platform) {
  const { db } = p;
  const settings = loadCampaignSettings(p.config.catalogDir, p.config.jurisdiction);

  /** Progress over the assessments the caller may find (the whole campaign for national reach). */
  async function progress(campaignId: string, actor?: Actor) {
    let q = db
      .selectFrom('assignments')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', campaignId);
    if (actor && !assessmentPolicy.seesWholeCampaign(actor))
      q = q.where(
        'entity_id',
        'in',
        db.selectFrom('entities').select('entities.id').where(assessmentPolicy.entityWhere(actor)),
      );
    const rows = await q.groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  const out = async (c: CampaignRow, actor?: Actor) => ({
    id: c.id,
    name: c.name,
    description: c.description,
    frameworks: JSON.parse(c.frameworks_json) as string[],
    selection: JSON.parse(c.selection_json) as Record<string, string[]>,
    opensOn: c.opens_on,
    dueOn: c.due_on,
    graceDays: c.grace_days,
    status: c.status,
    progress: await progress(c.id, actor),
    createdAt: c.created_at,
  });

  return {
    /**
     * Launches a campaign: every selected entity gets an assignment with the chosen frameworks and
     * the overlays of its sector; reminders and the overdue escalation are scheduled as jobs.
     */
    async create(ctx: RequestContext, input: CampaignInput) {
      const actor = requirePermission(ctx, 'assessments.manage');
      const today = jurisdictionToday(p.clock, p.catalog.profile);
      const rules = campaignSettingsOn(settings, today);
      if (!rules)
        throw new ValidationError(
          `No campaign settings are in force on ${today}; the Authority publishes them in catalogs/assessments/.`,
        );
      const frameworks = await db
        .selectFrom('frameworks')
        .select(['id', 'code', 'kind', 'overlay_of', 'applies_to_json'])
        .execute();
      for (const [i, f] of input.frameworks.entries()) {
        if (!frameworks.some((x) => x.id === f))
          throw new ValidationError(`There is no framework "${f}".`, { field: `frameworks.${i}` });
      }
      const chosenCodes = new Set(
        frameworks.filter((f) => input.frameworks.includes(f.id)).map((f) => f.code),
      );
      const overlays = frameworks.filter(
        (f) => f.kind === 'overlay' && f.overlay_of && chosenCodes.has(f.overlay_of),
      );
      const sel = input.selection;
      let q = db.selectFrom('entities').select(['id', 'sector']).where(entityWhere(actor, {}));
      if (sel.sectors.length) q = q.where('sector', 'in', sel.sectors);
      if (sel.adminUnits.length) q = q.where('admin_unit', 'in', sel.adminUnits);
      if (sel.kinds.length) q = q.where('kind', 'in', sel.kinds);
      if (sel.tiers.length) {
        const tiers = sel.tiers.filter((t) => t !== 'none').map(Number);
        q = q.where((eb) =>
          eb.or([
            ...(tiers.length ? [eb('cii_tier', 'in', tiers)] : []),
            ...(sel.tiers.includes('none') ? [eb('cii_tier', 'is', null)] : []),
          ]),
        );
      }
      const entities = await q.execute();
      if (entities.length === 0)
        throw new ValidationError('No entity matches the selection.', { field: 'selection' });
      const now = p.clock.now().toISOString();
      const id = newId();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('campaigns')
          .values({
            id,
            name: input.name,
            description: input.description,
            frameworks_json: JSON.stringify(input.frameworks),
            selection_json: JSON.stringify(sel),
            opens_on: input.opensOn,
            due_on: input.dueOn,
            grace_days: input.graceDays,
            status: 'open',
            created_by: actor.label,
            created_at: now,
          })
          .execute();
        const rows = entities.map((e) => {
          const fitting = overlays
            .filter((o) =>
              ((JSON.parse(o.applies_to_json ?? '{}') as { sectors?: string[] }).sectors ?? []).includes(
                e.sector,
              ),
            )
            .map((o) => o.id);
          return {
            id: newId(),
            campaign_id: id,
            entity_id: e.id,
            frameworks_json: JSON.stringify([...input.frameworks, ...fitting]),
            status: 'not_started',
            updated_at: now,
          };
        });
        for (let i = 0; i < rows.length; i += 200)
          await trx
            .insertInto('assignments')
            .values(rows.slice(i, i + 200))
            .execute();
        // Reminders and the escalation follow the jurisdiction's clock, like the closing time.
        const zone = p.catalog.profile;
        for (const days of rules.reminderDaysBeforeDue) {
          const at = reminderAt(input.dueOn, days, rules, zone);
          if (at.getTime() > p.clock.now().getTime()) {
            await p.jobs.enqueue(
              trx,
              'assessment.reminder',
              { campaignId: id, days },
              { runAt: at, uniqueKey: `campaign:${id}:reminder:${days}` },
            );
          }
        }
        await p.jobs.enqueue(
          trx,
          'assessment.overdue',
          { campaignId: id },
          {
            runAt: campaignClosesAt(input.dueOn, input.graceDays, zone),
            uniqueKey: `campaign:${id}:overdue`,
          },
        );
        await p.audit(trx, ctx, {
          action: 'campaign.create',
          objectType: 'campaign',
          objectId: id,
          after: { ...input, assignments: rows.length, settingsVersion: rules.version },
        });
      });
      return this.get(ctx, id);
    },

    /** Campaigns the caller takes part in: all for national roles; those with the caller's entities otherwise. */
    async list(ctx: RequestContext) {
      const actor = requirePermission(ctx, 'assessments.read');
      const rows = await db
        .selectFrom('campaigns')
        .selectAll()
        .where(assessmentPolicy.campaignWhere(actor))
        .orderBy('created_at', 'desc')
        .limit(200)
        .execute();
      return Promise.all(rows.map((c) => out(c, actor)));
    },

    async get(ctx: RequestContext, id: string) {
      const actor = requirePermission(ctx, 'assessments.read');
      const c = await db
        .selectFrom('campaigns')
        .selectAll()
        .where('id', '=', id)
        .where(assessmentPolicy.campaignWhere(actor))
        .executeTakeFirst();
      if (!c) throw new NotFoundError('campaign');
      return out(c, actor);
    },
  };
}
