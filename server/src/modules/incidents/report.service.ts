import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { incidentPolicy, namedPeopleReaching, reachOf } from '../../platform/access/index.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/duplicates.ts';
import { AppError, ConflictError, ForbiddenError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { toIsoDate } from '../../platform/jurisdiction/time.ts';
import type { Platform } from '../../platform/platform.ts';
import { createDutyEngine, detailsOf, lockIncident, monthOf, type IncidentRow } from './duties.ts';
import { loadForChange } from './incident-access.ts';
import type { IncidentDetails, ReportIncidentInput, StageReportInput, Tlp } from './incidents.schemas.ts';
import { attachObservables } from './observables.store.ts';
import { loadRouting, route } from './routing.ts';
import { loadTaxonomy } from './taxonomy.ts';
import { addEvent, usersToAlert } from './timeline.ts';

/** Columns kept outside `facts_json` because lists filter and sort on them. */
const COLUMN_FIELDS = [
  'title',
  'severity',
  'rsitClass',
  'rsitType',
  'tlp',
  'awareAt',
  'detectedAt',
  'classifiedAt',
];
const SKEW_MS = 5 * 60_000;

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

export function createReportService(p: Platform) {
  const engine = createDutyEngine(p);
  const taxonomy = loadTaxonomy(p.config.catalogDir);
  const routing = loadRouting(p.config.catalogDir, p.config.jurisdiction);
  const sectors = new Set(p.catalog.profile.sectors.map((s) => s.code));

  /** Checks what zod cannot: codes against the taxonomy and the profile, and times against the clock. */
  function checkDetails(d: Partial<IncidentDetails>, now: Date, prefix = '') {
    const bad = (field: string, message: string) => new ValidationError(message, { field: prefix + field });
    if (d.rsitClass !== undefined) {
      const cls = taxonomy.classes.find((c) => c.code === d.rsitClass);
      if (!cls)
        throw bad(
          'rsitClass',
          `"${d.rsitClass}" is not an incident class of the ${taxonomy.code.toUpperCase()} taxonomy.`,
        );
      if (d.rsitType !== undefined && !cls.types.includes(d.rsitType))
        throw bad(
          'rsitType',
          `"${d.rsitType}" is not a type of the class ${cls.name}; use one of ${cls.types.join(', ')}.`,
        );
    }
    for (const [i, s] of (d.affectedSectors ?? []).entries())
      if (!sectors.has(s)) throw bad(`affectedSectors.${i}`, `"${s}" is not a sector.`);
    for (const f of ['awareAt', 'detectedAt', 'classifiedAt'] as const) {
      const v = d[f];
      if (v && new Date(v).getTime() > now.getTime() + SKEW_MS) throw bad(f, `${f} is in the future.`);
    }
    if (d.awareAt && d.detectedAt && new Date(d.detectedAt) > new Date(d.awareAt))
      throw bad(
        'detectedAt',
        'detectedAt is after awareAt: an incident is detected before or when the entity becomes aware of it.',
      );
    if (d.awareAt && d.classifiedAt && new Date(d.classifiedAt) < new Date(d.awareAt))
      throw bad('classifiedAt', 'classifiedAt is before awareAt.');
  }

  function entityOf(actor: Actor, requested: string | undefined): string {
    const mine = reachOf(actor, 'incidents.report').entities;
    if (requested) {
      if (!mine.includes(requested)) throw new ForbiddenError('You can report only for your own entity.');
      return requested;
    }
    if (mine.length === 1) return mine[0]!;
    if (mine.length === 0) throw new ForbiddenError('Only a regulated entity reports incidents.');
    throw new ValidationError('You belong to several entities: say which one in entityId.', {
      field: 'entityId',
    });
  }

  /**
   * The people a TLP:RED report may name: those whose incident reading reaches the sector
   * (national handlers and the sector's regulators). The same rule keeps them readers later.
   */
  async function eligibleRedRecipients(sector: string) {
    return namedPeopleReaching(p.db, 'incidents.read', { sector }, ['national', 'sector']);
  }

  /**
   * A new TLP re-derives who the report is routed to (the people it names stay named): raised to
   * AMBER+STRICT it leaves the sectoral and provincial CERTs, lowered it reaches them again.
   */
  async function reroute(trx: Transaction<DB>, row: IncidentRow, tlp: Tlp, now: Date, by: string) {
    // On the transaction's connection: a cold cache read on the pool would wait for this one.
    const cal = await p.calendar.businessCalendar(trx);
    const named = (
      await trx
        .selectFrom('incident_recipients')
        .select(['code', 'name'])
        .where('incident_id', '=', row.id)
        .where('kind', '=', 'user')
        .execute()
    ).map((r) => ({ id: r.code, name: r.name }));
    const routed = route(
      routing,
      toIsoDate(cal.localDate(now)),
      { sector: row.sector, adminUnit: row.admin_unit, tlp },
      named,
    ).filter((r) => r.kind !== 'user');
    await trx
      .deleteFrom('incident_recipients')
      .where('incident_id', '=', row.id)
      .where('kind', '!=', 'user')
      .execute();
    if (routed.length)
      await trx
        .insertInto('incident_recipients')
        .values(routed.map((r) => ({ incident_id: row.id, kind: r.kind, code: r.code, name: r.name })))
        .execute();
    await addEvent(
      trx,
      row.id,
      now,
      by,
      'routed',
      `Now TLP:${tlp}; shared with ${routed.map((r) => r.name).join(', ') || 'the named recipients only'}.`,
    );
  }

  async function replay(entityId: string, key: string, hash: string): Promise<string | null> {
    const prior = await p.db
      .selectFrom('incidents')
      .select(['id', 'request_hash'])
      .where('entity_id', '=', entityId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    if (!prior) return null;
    if (prior.request_hash !== hash)
      throw new AppError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different report; use a new key for a new report.',
      );
    return prior.id;
  }

  async function notifyRecipients(
    trx: Transaction<DB>,
    users: string[],
    row: IncidentRow,
    title: string,
    body: string,
  ) {
    await p.notifications.notify(trx, users, {
      kind: 'incident.reported',
      title,
      body,
      link: `/incidents/${row.id}`,
      subject: { type: 'incident', id: row.id },
    });
  }

  return {
    engine,
    eligibleRedRecipients,

    /**
     * Records a new incident and its first report, works out which regimes apply and what is due
     * when, routes it, and schedules the clocks. With an idempotency key, a retry of the same
     * report returns the first one (`replayed`) instead of creating another.
     */
    async report(
      ctx: RequestContext,
      input: ReportIncidentInput,
      idempotencyKey: string | null,
    ): Promise<{ id: string; replayed: boolean }> {
      const actor = requirePermission(ctx, 'incidents.report');
      const entityId = entityOf(actor, input.entityId);
      const now = p.clock.now();
      checkDetails(input, now);
      const hash = createHash('sha256').update(canonical(input)).digest('hex');
      if (idempotencyKey) {
        const prior = await replay(entityId, idempotencyKey, hash);
        if (prior) return { id: prior, replayed: true };
      }
      const entity = await p.db
        .selectFrom('entities')
        .select(['id', 'name_en', 'sector', 'admin_unit', 'status'])
        .where('id', '=', entityId)
        .executeTakeFirst();
      if (!entity || entity.status !== 'active')
        throw new ForbiddenError('Your entity is not active in the registry.');
      const named: { id: string; name: string }[] = [];
      if (input.tlp === 'RED') {
        if (!input.redRecipients?.length)
          throw new ValidationError('A TLP:RED report must name at least one recipient.', {
            field: 'redRecipients',
          });
        const eligible = await eligibleRedRecipients(entity.sector);
        for (const [i, uid] of input.redRecipients.entries()) {
          const u = eligible.find((e) => e.id === uid);
          if (!u)
            throw new ValidationError(
              'A named recipient must be a national handler or your sector regulator.',
              {
                field: `redRecipients.${i}`,
              },
            );
          if (!named.some((n) => n.id === u.id)) named.push({ id: u.id, name: u.name });
        }
      }
      const cal = await p.calendar.businessCalendar();
      const id = newId(now.getTime());
      const reportId = newId(now.getTime());
      const nowIso = now.toISOString();
      const facts: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(input))
        if (!COLUMN_FIELDS.includes(k) && !['stage', 'entityId', 'redRecipients', 'indicators'].includes(k))
          facts[k] = v;
      const recipients = route(
        routing,
        toIsoDate(cal.localDate(now)),
        { sector: entity.sector, adminUnit: entity.admin_unit, tlp: input.tlp },
        named,
      );

      try {
        await p.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('incidents')
            .values({
              id,
              // Numbered at the end of the transaction: the counter row is a lock every report shares.
              reference: id,
              entity_id: entity.id,
              sector: entity.sector,
              admin_unit: entity.admin_unit,
              title: input.title,
              severity: input.severity,
              rsit_class: input.rsitClass,
              rsit_type: input.rsitType,
              tlp: input.tlp,
              status: 'new',
              aware_at: new Date(input.awareAt).toISOString(),
              detected_at: input.detectedAt ? new Date(input.detectedAt).toISOString() : null,
              classified_at: new Date(input.classifiedAt ?? nowIso).toISOString(),
              reported_at: nowIso,
              facts_json: JSON.stringify(facts),
              idempotency_key: idempotencyKey,
              request_hash: hash,
              created_by: actor.label,
              updated_at: nowIso,
            })
            .execute();
          if (recipients.length)
            await trx
              .insertInto('incident_recipients')
              .values(recipients.map((r) => ({ incident_id: id, kind: r.kind, code: r.code, name: r.name })))
              .execute();
          if (input.indicators?.length)
            await attachObservables(trx, id, input.indicators, actor.label, now, 'indicators');
          const { satisfied, kind } = await engine.refresh(trx, id, now, cal, {
            kind: input.stage ?? 'auto',
            reportId,
            at: now,
          });
          const row = await trx
            .selectFrom('incidents')
            .selectAll()
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          // Worked out before the shared counter and audit locks below, which are held to commit.
          const alerted = await usersToAlert(trx, row);
          await trx
            .insertInto('incident_reports')
            .values({
              id: reportId,
              incident_id: id,
              kind,
              content_json: JSON.stringify(detailsOf(row)),
              satisfies_json: JSON.stringify(satisfied),
              submitted_by: actor.label,
              submitted_at: nowIso,
            })
            .execute();
          const minutes = Math.max(
            0,
            Math.round((now.getTime() - new Date(row.aware_at).getTime()) / 60_000),
          );
          await trx
            .insertInto('incident_cells')
            .values({
              month: monthOf(nowIso, cal),
              sector: row.sector,
              admin_unit: row.admin_unit,
              rsit_class: row.rsit_class,
              incidents: 1,
              report_minutes: minutes,
            })
            .onConflict((oc) =>
              oc.columns(['month', 'sector', 'admin_unit', 'rsit_class']).doUpdateSet({
                incidents: sql<number>`incident_cells.incidents + 1`,
                report_minutes: sql<number>`incident_cells.report_minutes + ${minutes}`,
              }),
            )
            .execute();
          const year = cal.localDate(now).year;
          const seq = await trx
            .insertInto('sequences')
            .values({ name: `incident:${year}`, value: 1 })
            .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`sequences.value + 1` }))
            .returning('value')
            .executeTakeFirstOrThrow();
          const reference = `INC-${year}-${String(seq.value).padStart(6, '0')}`;
          await trx.updateTable('incidents').set({ reference }).where('id', '=', id).execute();
          await addEvent(
            trx,
            id,
            now,
            actor.label,
            'reported',
            `Reported as ${reference} (${kind.replace('_', ' ')}).`,
          );
          if (recipients.length)
            await addEvent(
              trx,
              id,
              now,
              'Qila',
              'routed',
              `Routed to ${recipients.map((r) => r.name).join(', ')}.`,
              true,
            );
          await p.audit(trx, ctx, {
            action: 'incident.report',
            objectType: 'incident',
            objectId: id,
            after: {
              reference,
              entityId: entity.id,
              severity: input.severity,
              tlp: input.tlp,
              stage: kind,
              satisfied,
            },
          });
          await notifyRecipients(
            trx,
            alerted,
            { ...row, reference },
            `${reference}: ${input.severity} incident reported by ${entity.name_en}`,
            input.tlp === 'RED' ? 'A TLP:RED report names you as a recipient.' : input.title,
          );
        });
      } catch (e) {
        // Two submissions with one key raced; the loser answers with the winner's incident.
        if (idempotencyKey && isUniqueViolation(e)) {
          const prior = await replay(entityId, idempotencyKey, hash);
          if (prior) return { id: prior, replayed: true };
        }
        throw e;
      }
      return { id, replayed: false };
    },

    /** A later report (early warning, notification, intermediate, final) that may also sharpen the facts. */
    async submit(ctx: RequestContext, incidentId: string, input: StageReportInput) {
      const actor = requirePermission(ctx, 'incidents.report');
      const now = p.clock.now();
      checkDetails(input.update, now, 'update.');
      const { row: seen } = await loadForChange(p.db, actor, incidentId);
      if (!incidentPolicy.can(actor, 'report', { ...seen, status: 'open' }, []))
        throw new ForbiddenError('Only the reporting entity submits its reports.');
      const u = input.update;
      const cal = await p.calendar.businessCalendar();
      const reportId = newId(now.getTime());
      const nowIso = now.toISOString();
      await p.db.transaction().execute(async (trx) => {
        // Reports on one incident take turns, each merging into the facts the one before left.
        const row = await lockIncident(trx, p.dialect, seen.id);
        if (row.status === 'closed')
          throw new ConflictError('incident_closed', 'This incident is closed; report a new one.');
        if (u.rsitClass === undefined && u.rsitType !== undefined)
          checkDetails({ rsitClass: row.rsit_class, rsitType: u.rsitType }, now, 'update.');
        const facts = { ...(JSON.parse(row.facts_json) as Record<string, unknown>) };
        for (const [k, v] of Object.entries(u))
          if (!COLUMN_FIELDS.includes(k) && k !== 'indicators' && v !== undefined) facts[k] = v;
        await trx
          .updateTable('incidents')
          .set({
            title: u.title ?? row.title,
            severity: u.severity ?? row.severity,
            rsit_class: u.rsitClass ?? row.rsit_class,
            rsit_type: u.rsitType ?? row.rsit_type,
            tlp: u.tlp ?? row.tlp,
            detected_at:
              u.detectedAt !== undefined
                ? u.detectedAt
                  ? new Date(u.detectedAt).toISOString()
                  : null
                : row.detected_at,
            classified_at: u.classifiedAt ? new Date(u.classifiedAt).toISOString() : row.classified_at,
            facts_json: JSON.stringify(facts),
            version: row.version + 1,
            updated_at: nowIso,
          })
          .where('id', '=', row.id)
          .execute();
        if (u.indicators?.length)
          await attachObservables(trx, row.id, u.indicators, actor.label, now, 'update.indicators');
        if (u.tlp && u.tlp !== row.tlp) await reroute(trx, row, u.tlp, now, actor.label);
        const { satisfied, kind } = await engine
          .refresh(trx, row.id, now, cal, { kind: input.stage, reportId, at: now })
          .catch((e: unknown) => {
            // Missing fields of a later report live under "update" in its body.
            const fields =
              e instanceof ValidationError ? (e.details?.fields as string[] | undefined) : undefined;
            if (!fields) throw e;
            throw new ValidationError(e instanceof Error ? e.message : '', {
              field: `update.${fields[0]}`,
              fields,
            });
          });
        const after = await trx
          .selectFrom('incidents')
          .selectAll()
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('incident_reports')
          .values({
            id: reportId,
            incident_id: row.id,
            kind,
            content_json: JSON.stringify(detailsOf(after)),
            satisfies_json: JSON.stringify(satisfied),
            submitted_by: actor.label,
            submitted_at: nowIso,
          })
          .execute();
        const label = kind.replace('_', ' ');
        await addEvent(
          trx,
          row.id,
          now,
          actor.label,
          'report',
          satisfied.length
            ? `Submitted the ${label}; it meets ${satisfied.join(', ')}.`
            : `Submitted a ${label} update.`,
        );
        await p.audit(trx, ctx, {
          action: 'incident.submit_report',
          objectType: 'incident',
          objectId: row.id,
          after: { stage: kind, satisfied },
        });
        await notifyRecipients(
          trx,
          await usersToAlert(trx, after),
          after,
          `${row.reference}: ${label} received`,
          after.title,
        );
      });
      return { reportId };
    },
  };
}
export type ReportService = ReturnType<typeof createReportService>;
