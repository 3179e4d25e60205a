import { entityPolicy } from '../../platform/access/index.ts';
import type { Actor } from '../../platform/context.ts';
import type { Platform } from '../../platform/platform.ts';
import { toSummary, type EntityRow } from './registry.repo.ts';
import type { Contact, EntityDetail } from './registry.schemas.ts';

export type ChangeRequestRow = {
  id: string;
  entity_id: string;
  requested_by: string;
  changes_json: string;
  reason: string | null;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  created_at: string;
};

export function changeRequestOut(actor: Actor, r: ChangeRequestRow, entityName: string) {
  const decidable = r.status === 'pending' && entityPolicy.manages(actor);
  return {
    id: r.id,
    entityId: r.entity_id,
    entityName,
    requestedBy: r.requested_by,
    changes: JSON.parse(r.changes_json) as Record<string, unknown>,
    reason: r.reason,
    status: r.status as 'pending' | 'approved' | 'rejected',
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
    createdAt: r.created_at,
    allowedActions: decidable ? (['approve', 'reject'] as const).slice() : [],
  };
}

/** An entity with everything its page shows, and what the caller may do with it. */
export async function loadDetail(p: Platform, actor: Actor, row: EntityRow): Promise<EntityDetail> {
  const { db } = p;
  const [parent, subsidiaries, contacts, assets, designations, pending] = await Promise.all([
    row.parent_id
      ? db.selectFrom('entities').select(['id', 'name_en']).where('id', '=', row.parent_id).executeTakeFirst()
      : undefined,
    db
      .selectFrom('entities')
      .select(['id', 'name_en'])
      .where('parent_id', '=', row.id)
      .orderBy('name_en')
      .limit(200)
      .execute(),
    db.selectFrom('entity_contacts').selectAll().where('entity_id', '=', row.id).orderBy('kind').execute(),
    db
      .selectFrom('entity_assets')
      .selectAll()
      .where('entity_id', '=', row.id)
      .orderBy('kind')
      .orderBy('value')
      .execute(),
    db
      .selectFrom('designations')
      .selectAll()
      .where('entity_id', '=', row.id)
      .orderBy('effective_from', 'desc')
      .orderBy('created_at', 'desc')
      .execute(),
    db
      .selectFrom('change_requests')
      .selectAll()
      .where('entity_id', '=', row.id)
      .where('status', '=', 'pending')
      .orderBy('created_at')
      .execute(),
  ]);
  const allowedActions: EntityDetail['allowedActions'] = entityPolicy.actions(actor, row);
  return {
    ...toSummary(row),
    size: row.size,
    annualTurnover: row.annual_turnover,
    website: row.website,
    status: row.status,
    version: row.version,
    parent: parent ? { id: parent.id, nameEn: parent.name_en } : null,
    subsidiaries: subsidiaries.map((s) => ({ id: s.id, nameEn: s.name_en })),
    contacts: contacts.map((c) => ({
      kind: c.kind as Contact['kind'],
      name: c.name,
      title: c.title,
      email: c.email,
      phone: c.phone,
      updatedAt: c.updated_at,
    })),
    assets: assets.map((a) => ({
      id: a.id,
      kind: a.kind,
      value: a.value,
      note: a.note,
      createdAt: a.created_at,
    })),
    designationHistory: designations.map((d) => ({
      id: d.id,
      effectiveFrom: d.effective_from,
      effectiveTo: d.effective_to,
      designation: d.designation,
      ciiTier: d.cii_tier,
      ruleSet: d.rule_set,
      score: d.score,
      explanation: d.explanation,
      decidedBy: d.decided_by,
    })),
    pendingChanges: pending.map((r) => changeRequestOut(actor, r, row.name_en)),
    allowedActions,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
