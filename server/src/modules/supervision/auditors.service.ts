import { z } from 'zod';
import { rolesWith } from '../../platform/access/index.ts';
import { permissionsOf, requirePermission, requireSignedIn } from '../../platform/access/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { refuseDuplicate } from '../../platform/duplicates.ts';
import { newId } from '../../platform/ids.ts';
import { jurisdictionToday } from '../../platform/jurisdiction/today.ts';
import type { Platform } from '../../platform/platform.ts';
import { PlainText } from '../../platform/plain-text.ts';

export const FirmInput = z
  .object({
    name: PlainText(200).pipe(z.string().min(2)),
    licenceNo: z.string().trim().min(3).max(60),
    licenceValidUntil: z.iso.date(),
  })
  .strict();
export const AuditorInput = z
  .object({
    userId: z.uuid(),
    firmId: z.uuid(),
    licenceNo: z.string().trim().min(3).max(60),
    licenceValidUntil: z.iso.date(),
  })
  .strict();
export const ConflictInput = z
  .object({ entityId: z.uuid(), statement: PlainText(2000).pipe(z.string().min(3)) })
  .strict();

/** Licensed audit firms and auditors, and the conflicts of interest they declare. */
export function createAuditorService(p: Platform) {
  const { db } = p;
  const today = () => jurisdictionToday(p.clock, p.catalog.profile);

  return {
    async list(ctx: RequestContext) {
      requirePermission(ctx, 'supervision.manage');
      const firms = await db.selectFrom('audit_firms').selectAll().orderBy('name').execute();
      const auditors = await db
        .selectFrom('auditors')
        .innerJoin('users', 'users.id', 'auditors.user_id')
        .select([
          'auditors.id',
          'auditors.firm_id',
          'auditors.licence_no',
          'auditors.licence_valid_until',
          'users.display_name',
          'users.email',
        ])
        .orderBy('users.display_name')
        .execute();
      const conflicts = await db
        .selectFrom('coi_declarations')
        .innerJoin('entities', 'entities.id', 'coi_declarations.entity_id')
        .select([
          'coi_declarations.auditor_id',
          'coi_declarations.entity_id',
          'entities.name_en',
          'coi_declarations.statement',
          'coi_declarations.declared_at',
        ])
        .execute();
      return {
        firms: firms.map((f) => ({
          id: f.id,
          name: f.name,
          licenceNo: f.licence_no,
          licenceValidUntil: f.licence_valid_until,
          licenceValid: f.licence_valid_until >= today(),
        })),
        auditors: auditors.map((a) => ({
          id: a.id,
          firmId: a.firm_id,
          name: a.display_name,
          email: a.email,
          licenceNo: a.licence_no,
          licenceValidUntil: a.licence_valid_until,
          licenceValid: a.licence_valid_until >= today(),
          conflicts: conflicts
            .filter((c) => c.auditor_id === a.id)
            .map((c) => ({
              entityId: c.entity_id,
              entityName: c.name_en,
              statement: c.statement,
              declaredAt: c.declared_at,
            })),
        })),
      };
    },

    async createFirm(ctx: RequestContext, input: z.infer<typeof FirmInput>) {
      requirePermission(ctx, 'auditors.manage');
      const id = newId();
      await refuseDuplicate(
        () =>
          db.transaction().execute(async (trx) => {
            const dup = await trx
              .selectFrom('audit_firms')
              .select('id')
              .where('licence_no', '=', input.licenceNo)
              .executeTakeFirst();
            if (dup)
              throw new ConflictError(
                'duplicate_licence',
                `A firm with licence ${input.licenceNo} is already registered.`,
              );
            await trx
              .insertInto('audit_firms')
              .values({
                id,
                name: input.name,
                licence_no: input.licenceNo,
                licence_valid_until: input.licenceValidUntil,
                created_at: p.clock.now().toISOString(),
              })
              .execute();
            await p.audit(trx, ctx, {
              action: 'supervision.firm.create',
              objectType: 'audit_firm',
              objectId: id,
              after: input,
            });
          }),
        `A firm with licence ${input.licenceNo} is already registered.`,
        'duplicate_licence',
      );
      return { id };
    },

    /** Registers a person (who holds the auditor role for this firm) as a licensed auditor. */
    async createAuditor(ctx: RequestContext, input: z.infer<typeof AuditorInput>) {
      requirePermission(ctx, 'auditors.manage');
      const role = await db
        .selectFrom('role_assignments')
        .select('id')
        .where('user_id', '=', input.userId)
        .where('role', 'in', rolesWith('supervision.audit', 'audit'))
        .where('scope_value', '=', input.firmId)
        .executeTakeFirst();
      if (!role)
        throw new ValidationError('The person must hold the auditor role for this firm.', {
          field: 'userId',
        });
      const id = newId();
      await refuseDuplicate(
        () =>
          db.transaction().execute(async (trx) => {
            const dup = await trx
              .selectFrom('auditors')
              .select('id')
              .where((eb) =>
                eb.or([eb('user_id', '=', input.userId), eb('licence_no', '=', input.licenceNo)]),
              )
              .executeTakeFirst();
            if (dup)
              throw new ConflictError('duplicate_auditor', 'This person or licence is already registered.');
            await trx
              .insertInto('auditors')
              .values({
                id,
                user_id: input.userId,
                firm_id: input.firmId,
                licence_no: input.licenceNo,
                licence_valid_until: input.licenceValidUntil,
                created_at: p.clock.now().toISOString(),
              })
              .execute();
            await p.audit(trx, ctx, {
              action: 'supervision.auditor.create',
              objectType: 'licensed_auditor',
              objectId: id,
              after: input,
            });
          }),
        `This person or the licence ${input.licenceNo} is already registered.`,
        'duplicate_auditor',
      );
      return { id };
    },

    /** An auditor declares a conflict with an entity (for themselves); it bars assignment to its audits. */
    /**
     * An auditor declares a conflict for themself; the Authority may also record one an auditor
     * declared to it in writing, so it bars assignment from the day it is known.
     */
    async declareConflict(ctx: RequestContext, auditorId: string, input: z.infer<typeof ConflictInput>) {
      const actor = requireSignedIn(ctx);
      const perms = permissionsOf(actor);
      const recorder = perms.has('auditors.manage');
      if (!recorder) requirePermission(ctx, 'supervision.audit');
      const auditor = await db
        .selectFrom('auditors')
        .select(['id', 'user_id'])
        .where('id', '=', auditorId)
        .executeTakeFirst();
      if (!auditor || (!recorder && auditor.user_id !== actor.userId))
        throw new NotFoundError('licensed auditor');
      const entity = await db
        .selectFrom('entities')
        .select('id')
        .where('id', '=', input.entityId)
        .executeTakeFirst();
      if (!entity) throw new ValidationError('There is no such entity.', { field: 'entityId' });
      const id = newId();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('coi_declarations')
          .values({
            id,
            auditor_id: auditorId,
            entity_id: input.entityId,
            statement: input.statement,
            declared_at: p.clock.now().toISOString(),
          })
          .execute();
        await p.audit(trx, ctx, {
          action: 'supervision.conflict.declare',
          objectType: 'licensed_auditor',
          objectId: auditorId,
          after: input,
        });
      });
      return { id };
    },

    /** Refuses an assignment when the licence has lapsed or a conflict is declared. */
    async assertAssignable(auditorId: string, entityId: string, on: string) {
      const a = await db
        .selectFrom('auditors')
        .innerJoin('audit_firms', 'audit_firms.id', 'auditors.firm_id')
        .select(['auditors.licence_valid_until', 'audit_firms.licence_valid_until as firm_valid'])
        .where('auditors.id', '=', auditorId)
        .executeTakeFirst();
      if (!a) throw new ValidationError('There is no such auditor.', { field: 'leadAuditorId' });
      if (a.licence_valid_until < on || a.firm_valid < on)
        throw new ValidationError('The auditor’s or the firm’s licence is not valid on the audit date.', {
          field: 'leadAuditorId',
        });
      const conflict = await db
        .selectFrom('coi_declarations')
        .select('id')
        .where('auditor_id', '=', auditorId)
        .where('entity_id', '=', entityId)
        .executeTakeFirst();
      if (conflict)
        throw new ValidationError('The auditor has declared a conflict of interest with this entity.', {
          field: 'leadAuditorId',
        });
    },

    async mine(ctx: RequestContext) {
      const actor = requirePermission(ctx, 'supervision.audit');
      const a = await db
        .selectFrom('auditors')
        .select(['id', 'firm_id'])
        .where('user_id', '=', actor.userId ?? '-')
        .executeTakeFirst();
      if (!a) throw new ForbiddenError('You are not registered as a licensed auditor.');
      return a;
    },
  };
}
export type AuditorService = ReturnType<typeof createAuditorService>;
