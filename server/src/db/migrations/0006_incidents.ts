import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  // The incident as last reported; each report keeps its own snapshot in incident_reports.
  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id'))
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('admin_unit', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('rsit_class', 'text', (c) => c.notNull())
    .addColumn('rsit_type', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('aware_at', 'text', (c) => c.notNull())
    .addColumn('detected_at', 'text')
    .addColumn('classified_at', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addColumn('facts_json', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('next_due_at', 'text')
    .addColumn('overdue_duties', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_key', 'text')
    .addColumn('request_hash', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  // A retried submission finds the first one by its key; the unique index settles races.
  await db.schema
    .createIndex('incidents_idempotency')
    .on('incidents')
    .columns(['entity_id', 'idempotency_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('incidents_entity')
    .on('incidents')
    .columns(['entity_id', 'reported_at'])
    .execute();
  await db.schema.createIndex('incidents_queue').on('incidents').columns(['status', 'next_due_at']).execute();
  await db.schema
    .createIndex('incidents_sector')
    .on('incidents')
    .columns(['sector', 'reported_at'])
    .execute();
  await db.schema.createIndex('incidents_reported').on('incidents').column('reported_at').execute();

  await db.schema
    .createTable('incident_reports')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('content_json', 'text', (c) => c.notNull())
    .addColumn('satisfies_json', 'text', (c) => c.notNull())
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_reports_incident')
    .on('incident_reports')
    .column('incident_id')
    .execute();

  // One row per regime and stage: the statutory clock, and later the compliance fact it leaves.
  await db.schema
    .createTable('incident_duties')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('regime', 'text', (c) => c.notNull())
    .addColumn('regime_version', 'text', (c) => c.notNull())
    .addColumn('authority', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('waiting_on', 'text')
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('met_at', 'text')
    .addColumn('report_id', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('incident_duties_stage', ['incident_id', 'regime', 'stage'])
    .execute();
  await db.schema
    .createIndex('incident_duties_status')
    .on('incident_duties')
    .columns(['status', 'due_at'])
    .execute();
  await db.schema
    .createIndex('incident_duties_entity')
    .on('incident_duties')
    .columns(['entity_id', 'status'])
    .execute();

  await db.schema
    .createTable('incident_events')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('internal', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('incident_events_incident')
    .on('incident_events')
    .columns(['incident_id', 'at'])
    .execute();

  await db.schema
    .createTable('incident_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('due_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('incident_tasks_incident').on('incident_tasks').column('incident_id').execute();

  await db.schema
    .createTable('incident_rfis')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('asked_by', 'text', (c) => c.notNull())
    .addColumn('asked_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answered_at', 'text')
    .execute();
  await db.schema.createIndex('incident_rfis_incident').on('incident_rfis').column('incident_id').execute();

  // Observables are shared across incidents so that one indicator seen twice is one row.
  await db.schema
    .createTable('observables')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('incident_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('observables_value', ['type', 'value'])
    .execute();
  await db.schema
    .createTable('incident_observables')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('observable_id', 'text', (c) => c.notNull().references('observables.id'))
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_observables_pk', ['incident_id', 'observable_id'])
    .execute();
  await db.schema
    .createIndex('incident_observables_observable')
    .on('incident_observables')
    .column('observable_id')
    .execute();

  // Who an incident was routed to: organisations by rule, and named people for TLP:RED.
  await db.schema
    .createTable('incident_recipients')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_recipients_pk', ['incident_id', 'kind', 'code'])
    .execute();
  await db.schema
    .createIndex('incident_recipients_code')
    .on('incident_recipients')
    .columns(['kind', 'code'])
    .execute();

  await db.schema
    .createTable('incident_files')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_files_incident').on('incident_files').column('incident_id').execute();

  await db.schema
    .createTable('advisories')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('sectors_json', 'text', (c) => c.notNull())
    .addColumn('indicators_json', 'text', (c) => c.notNull())
    .addColumn('source_incident_id', 'text')
    .addColumn('published_by', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('advisories_published').on('advisories').column('published_at').execute();

  // Incrementally maintained cells for the national view (see docs/incidents.md).
  await db.schema
    .createTable('incident_cells')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('admin_unit', 'text', (c) => c.notNull())
    .addColumn('rsit_class', 'text', (c) => c.notNull())
    .addColumn('incidents', 'integer', (c) => c.notNull())
    .addColumn('report_minutes', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_cells_pk', ['month', 'sector', 'admin_unit', 'rsit_class'])
    .execute();
  await db.schema
    .createTable('duty_cells')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('admin_unit', 'text', (c) => c.notNull())
    .addColumn('regime', 'text', (c) => c.notNull())
    .addColumn('on_time', 'integer', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull())
    .addColumn('overdue', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('duty_cells_pk', ['month', 'sector', 'admin_unit', 'regime'])
    .execute();

  // Human-readable running numbers (INC-2026-000042), one counter row per series.
  await db.schema
    .createTable('sequences')
    .addColumn('name', 'text', (c) => c.primaryKey().notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
}
