import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  // Turnover is kept in the jurisdiction's currency (its profile names it), so the column no
  // longer names one.
  await db.schema.alterTable('entities').renameColumn('annual_turnover_pkr', 'annual_turnover').execute();
  // Change requests waiting for a decision, and those already decided, name the field by its API name.
  await sql`update change_requests set changes_json = replace(changes_json, '"annualTurnoverPkr"', '"annualTurnover"')`.execute(
    db,
  );
}
