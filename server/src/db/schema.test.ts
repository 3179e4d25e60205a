import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, DIALECT, type TestPlatform } from '../../test/harness.ts';
import { generateArtefacts } from '../generate.ts';
import { openSqlite } from './database.ts';
import { migrateToLatest } from './migrate.ts';

const root = path.resolve(import.meta.dirname, '../../..');

async function shape(db: Kysely<unknown>) {
  const tables = await db.introspection.getTables();
  return tables
    .filter((t) => !t.name.startsWith('qila_migrations'))
    .flatMap((t) =>
      t.columns.map(
        (c) => `${t.name}.${c.name} ${c.isNullable && !c.isAutoIncrementing ? 'null' : 'not null'}`,
      ),
    )
    .sort();
}

describe('schema', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.close());

  it(`migrates ${DIALECT} to the same tables, columns and nullability as the SQLite reference`, async () => {
    const ref = new Kysely<unknown>({ dialect: new SqliteDialect({ database: openSqlite(':memory:') }) });
    await migrateToLatest(ref, 'sqlite');
    const expected = await shape(ref);
    await ref.destroy();
    expect(await shape(t.p.db as unknown as Kysely<unknown>)).toEqual(expected);
  });

  it('re-running migrations is a no-op', async () => {
    expect(await migrateToLatest(t.p.db as unknown as Kysely<unknown>, t.p.dialect)).toEqual([]);
  });

  it('generated artefacts (DB types, OpenAPI document, web API types) match the committed files', async () => {
    const artefacts = await generateArtefacts();
    for (const [rel, content] of Object.entries(artefacts)) {
      expect(readFileSync(path.join(root, rel), 'utf8'), `${rel} drifted: run npm run gen`).toBe(content);
    }
  });
});
