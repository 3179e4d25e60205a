import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  // Baselines, sector overlays and readiness modules are frameworks too; overlays say whom they fit.
  await db.schema
    .alterTable('frameworks')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('framework'))
    .execute();
  await db.schema.alterTable('frameworks').addColumn('overlay_of', 'text').execute();
  await db.schema.alterTable('frameworks').addColumn('applies_to_json', 'text').execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('frameworks_json', 'text', (c) => c.notNull())
    .addColumn('selection_json', 'text', (c) => c.notNull())
    .addColumn('opens_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('grace_days', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('assignments')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('frameworks_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('submission_no', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score', 'real')
    .addColumn('score_json', 'text')
    .addColumn('review_comment', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('assignments_campaign_entity', ['campaign_id', 'entity_id'])
    .execute();
  await db.schema.createIndex('assignments_entity').on('assignments').column('entity_id').execute();
  await db.schema
    .createIndex('assignments_status')
    .on('assignments')
    .columns(['campaign_id', 'status'])
    .execute();

  // One row per requirement answered: several people can answer different requirements at once.
  await db.schema
    .createTable('answers')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('assignment_id', 'text', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
    .addColumn('framework_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('level', 'integer')
    .addColumn('not_applicable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('justification', 'text')
    .addColumn('comment', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('answers_requirement', ['assignment_id', 'framework_id', 'item_id'])
    .execute();

  await db.schema
    .createTable('answer_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('answer_id', 'text', (c) => c.notNull().references('answers.id').onDelete('cascade'))
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('answer_evidence_answer').on('answer_evidence').column('answer_id').execute();

  // Every submitted version, frozen: answers, score, and what the reviewer decided.
  await db.schema
    .createTable('submissions')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('assignment_id', 'text', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('answers_json', 'text', (c) => c.notNull())
    .addColumn('score_json', 'text', (c) => c.notNull())
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('decision', 'text')
    .addColumn('review_comment', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addUniqueConstraint('submissions_number', ['assignment_id', 'number'])
    .execute();

  // Accepted results, summed as they are accepted: the national picture reads only these.
  await db.schema
    .createTable('assessment_cells')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('admin_unit', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('score_sum', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('assessment_cells_pk', ['campaign_id', 'sector', 'admin_unit', 'dimension'])
    .execute();
  await db.schema
    .createTable('requirement_cells')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('framework_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('score_sum', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('requirement_cells_pk', ['campaign_id', 'sector', 'framework_id', 'item_id'])
    .execute();
}
