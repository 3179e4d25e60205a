import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  // One row per framework version ("nist-csf-2.0@2.0"); versions are kept side by side.
  await db.schema
    .createTable('frameworks')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_ur', 'text')
    .addColumn('publisher', 'text')
    .addColumn('answer_scale', 'text', (c) => c.notNull())
    .addColumn('levels_json', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('requirement_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  // Groups (functions, categories, themes ...) and requirements in one ordered tree.
  await db.schema
    .createTable('framework_items')
    .addColumn('framework_id', 'text', (c) => c.notNull().references('frameworks.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text')
    .addColumn('title_ur', 'text')
    .addColumn('statement_en', 'text')
    .addColumn('statement_ur', 'text')
    .addColumn('dimension', 'text')
    .addColumn('assessable', 'integer', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('framework_items_pk', ['framework_id', 'item_id'])
    .execute();

  await db.schema
    .createTable('requirement_mappings')
    .addColumn('source_framework', 'text', (c) => c.notNull())
    .addColumn('source_item', 'text', (c) => c.notNull())
    .addColumn('target_framework', 'text', (c) => c.notNull())
    .addColumn('target_item', 'text', (c) => c.notNull())
    .addColumn('relationship', 'text', (c) => c.notNull())
    .addColumn('mapping_version', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('requirement_mappings_pk', [
      'source_framework',
      'source_item',
      'target_framework',
      'target_item',
    ])
    .execute();
  await db.schema
    .createIndex('requirement_mappings_target')
    .on('requirement_mappings')
    .columns(['target_framework', 'target_item'])
    .execute();
}
