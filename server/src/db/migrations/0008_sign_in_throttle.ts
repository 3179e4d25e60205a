import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  // Sign-in attempts per account (source '*') and per account and source (decisions/0006).
  // The account is a hash of the email typed, so unknown emails are counted like real ones.
  await db.schema
    .createTable('sign_in_throttle')
    .addColumn('account_key', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('blocked_until', 'text')
    // The account signed in from this source: the account-wide slow-down does not apply to it.
    .addColumn('trusted_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_throttle_pk', ['account_key', 'source'])
    .execute();
  await db.schema
    .createIndex('sign_in_throttle_updated')
    .on('sign_in_throttle')
    .column('updated_at')
    .execute();
}
