import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('entities').addColumn('parent_id', 'text').execute();
  await db.schema
    .alterTable('entities')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .execute();
  await db.schema.createIndex('entities_parent').on('entities').column('parent_id').execute();
  await db.schema.createIndex('entities_name').on('entities').columns(['name_en', 'id']).execute();
  await db.schema.createIndex('entities_subsector').on('entities').column('subsector').execute();
  await db.schema.createIndex('entities_kind').on('entities').column('kind').execute();

  await db.schema
    .createTable('entity_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('entity_contacts_kind', ['entity_id', 'kind'])
    .execute();

  await db.schema
    .createTable('entity_assets')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('entity_assets_value', ['entity_id', 'kind', 'value'])
    .execute();

  // Designation history: the row in force on a date has effective_from <= date < effective_to.
  await db.schema
    .createTable('designations')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('effective_to', 'text')
    .addColumn('designation', 'text', (c) => c.notNull())
    .addColumn('cii_tier', 'integer')
    .addColumn('rule_set', 'text')
    .addColumn('score', 'real')
    .addColumn('answers_json', 'text')
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('designations_entity')
    .on('designations')
    .columns(['entity_id', 'effective_from'])
    .execute();

  await db.schema
    .createTable('change_requests')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('changes_json', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('change_requests_status')
    .on('change_requests')
    .columns(['status', 'created_at'])
    .execute();

  // Incrementally maintained counts (a small cube) behind the national dashboards.
  await db.schema
    .createTable('entity_counts')
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('admin_unit', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('entity_counts_pk', ['sector', 'admin_unit', 'tier', 'kind'])
    .execute();

  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total_rows', 'integer', (c) => c.notNull())
    .addColumn('valid_rows', 'integer', (c) => c.notNull())
    .addColumn('errors_json', 'text', (c) => c.notNull())
    .addColumn('created', 'integer')
    .addColumn('updated', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('committed_at', 'text')
    .execute();
}
