import {
  Migrator,
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from 'kysely';
import type { Dialect } from './database.ts';
import * as m0001 from './migrations/0001_platform.ts';
import * as m0002 from './migrations/0002_identity.ts';
import * as m0003 from './migrations/0003_registry.ts';
import * as m0004 from './migrations/0004_frameworks.ts';
import * as m0005 from './migrations/0005_assessments.ts';
import * as m0006 from './migrations/0006_incidents.ts';
import * as m0007 from './migrations/0007_supervision.ts';
import * as m0008 from './migrations/0008_sign_in_throttle.ts';
import * as m0011 from './migrations/0011_access.ts';
import * as m0016 from './migrations/0016_turnover_currency.ts';

export interface MigrationContext {
  dialect: Dialect;
}

interface PortableMigration {
  up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void>;
}

/** Forward-only: migrations are listed here in order and never edited once released. */
const migrations: Record<string, PortableMigration> = {
  '0001_platform': m0001,
  '0002_identity': m0002,
  '0003_registry': m0003,
  '0004_frameworks': m0004,
  '0005_assessments': m0005,
  '0006_incidents': m0006,
  '0007_supervision': m0007,
  '0008_sign_in_throttle': m0008,
  '0011_access': m0011,
  '0016_turnover_currency': m0016,
};

class PortableProvider implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(migrations).map(([name, m]) => [
        name,
        { up: (db: Kysely<unknown>) => m.up(db, this.ctx) },
      ]),
    );
  }
}

export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new PortableProvider({ dialect }),
    migrationTableName: 'qila_migrations',
    migrationLockTableName: 'qila_migrations_lock',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? '?'} failed: ${reason}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
