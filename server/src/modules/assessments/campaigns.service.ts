import { hasNationalScope, requirePermission } from '../../platform/auth/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
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

  async function progress(campaignId: string, entityIds?: string[]) {
    let q = db
      .selectFrom('assignments')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', campaignId);
    if (entityIds) q = q.where('entity_id', 'in', entityIds.length ? entityIds : ['-']);
    const rows = await q.groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  const out = async (c: CampaignRow, entityIds?: string[]) => ({
    id: c.id,
    name: c.name,
    description: c.description,
    frameworks: JSON.parse(c.frameworks_json) as string[],
    selection: JSON.parse(c.selection_json) as Record<string, string[]>,
    opensOn: c.opens_on,
    dueOn: c.due_on,
    graceDays: c.grace_days,
    status: c.status,
    progress: await progress(c.id, entityIds),
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
        .orderBy('created_at', 'desc')
        .limit(200)
        .execute();
      if (hasNationalScope(actor)) return Promise.all(rows.map((c) => out(c)));
      const mine = (await db.selectFrom('entities').select('id').where(entityWhere(actor, {})).execute()).map(
        (e) => e.id,
      );
      const result = [];
      for (const c of rows) {
        const o = await out(c, mine);
        if (Object.keys(o.progress).length) result.push(o);
      }
      return result;
    },

    async get(ctx: RequestContext, id: string) {
      const actor = requirePermission(ctx, 'assessments.read');
      const c = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
      if (!c) throw new NotFoundError('campaign');
      if (hasNationalScope(actor)) return out(c);
      const mine = (await db.selectFrom('entities').select('id').where(entityWhere(actor, {})).execute()).map(
        (e) => e.id,
      );
      const o = await out(c, mine);
      if (!Object.keys(o.progress).length) throw new NotFoundError('campaign');
      return o;
    },
  };
}
