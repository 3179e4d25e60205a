import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  // Each entity's computed compliance and the facts behind it; counts by place feed the national map.
  await db.schema
    .createTable('compliance_status')
    .addColumn('entity_id', 'text', (c) =>
      c.primaryKey().notNull().references('entities.id').onDelete('cascade'),
    )
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('admin_unit', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('facts_json', 'text', (c) => c.notNull())
    .addColumn('rules_version', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('compliance_status_sector')
    .on('compliance_status')
    .columns(['sector', 'status'])
    .execute();
  await db.schema
    .createTable('compliance_counts')
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('admin_unit', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('compliance_counts_pk', ['sector', 'admin_unit', 'status'])
    .execute();

  await db.schema
    .createTable('audit_firms')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('licence_no', 'text', (c) => c.notNull().unique())
    .addColumn('licence_valid_until', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('auditors')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id'))
    .addColumn('firm_id', 'text', (c) => c.notNull().references('audit_firms.id'))
    .addColumn('licence_no', 'text', (c) => c.notNull().unique())
    .addColumn('licence_valid_until', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('coi_declarations')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('auditor_id', 'text', (c) => c.notNull().references('auditors.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id'))
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('declared_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('coi_auditor')
    .on('coi_declarations')
    .columns(['auditor_id', 'entity_id'])
    .execute();

  await db.schema
    .createTable('audit_plans')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('selection_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rules_version', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('audit_plan_items')
    .addColumn('plan_id', 'text', (c) => c.notNull().references('audit_plans.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id'))
    .addColumn('risk_score', 'real', (c) => c.notNull())
    .addColumn('reasons_json', 'text', (c) => c.notNull())
    .addColumn('proposed', 'integer', (c) => c.notNull())
    .addColumn('included', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_plan_items_pk', ['plan_id', 'entity_id'])
    .execute();

  await db.schema
    .createTable('audits')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('plan_id', 'text')
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id'))
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('admin_unit', 'text', (c) => c.notNull())
    .addColumn('framework_id', 'text', (c) => c.notNull())
    .addColumn('scope_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('lead_auditor_id', 'text')
    .addColumn('response_days', 'integer', (c) => c.notNull())
    .addColumn('preliminary_issued_at', 'text')
    .addColumn('response_due_at', 'text')
    .addColumn('responded_at', 'text')
    .addColumn('final_issued_at', 'text')
    .addColumn('final_summary', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audits_entity').on('audits').columns(['entity_id', 'status']).execute();
  await db.schema.createIndex('audits_sector').on('audits').columns(['sector', 'status']).execute();
  await db.schema.createIndex('audits_auditor').on('audits').column('lead_auditor_id').execute();

  await db.schema
    .createTable('audit_checklist')
    .addColumn('audit_id', 'text', (c) => c.notNull().references('audits.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('statement', 'text')
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text')
    .addPrimaryKeyConstraint('audit_checklist_pk', ['audit_id', 'item_id'])
    .execute();

  await db.schema
    .createTable('findings')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('audit_id', 'text', (c) => c.notNull().references('audits.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('entity_response', 'text')
    .addColumn('responded_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('findings_audit').on('findings').column('audit_id').execute();
  await db.schema.createIndex('findings_entity').on('findings').columns(['entity_id', 'status']).execute();

  await db.schema
    .createTable('corrective_actions')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('finding_id', 'text', (c) => c.notNull().references('findings.id').onDelete('cascade'))
    .addColumn('audit_id', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('milestones_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress_note', 'text')
    .addColumn('overdue_at', 'text')
    .addColumn('review_comment', 'text')
    .addColumn('verified_by', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('actions_finding').on('corrective_actions').column('finding_id').execute();
  await db.schema.createIndex('actions_due').on('corrective_actions').columns(['status', 'due_on']).execute();
  await db.schema
    .createIndex('actions_entity')
    .on('corrective_actions')
    .columns(['entity_id', 'status'])
    .execute();

  // Evidence for findings, corrective actions and enforcement cases.
  await db.schema
    .createTable('supervision_files')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('supervision_files_owner')
    .on('supervision_files')
    .columns(['owner_kind', 'owner_id'])
    .execute();

  await db.schema
    .createTable('enforcement_cases')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id'))
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('admin_unit', 'text', (c) => c.notNull())
    .addColumn('violation', 'text', (c) => c.notNull())
    .addColumn('violation_date', 'text', (c) => c.notNull())
    .addColumn('facts_json', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('next_deadline', 'text')
    .addColumn('penalty_json', 'text')
    .addColumn('outcome', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('cases_entity')
    .on('enforcement_cases')
    .columns(['entity_id', 'stage'])
    .execute();
  await db.schema
    .createTable('case_events')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('case_id', 'text', (c) => c.notNull().references('enforcement_cases.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('detail_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'at']).execute();
}
