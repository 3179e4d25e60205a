import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { parseDatabaseUrl } from '../config.ts';
import { newId } from '../platform/ids.ts';
import { openSqlite } from './database.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';

describe('backup and restore under write load', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.close());

  it('takes a consistent snapshot while rows are being written, and restores every committed row', async () => {
    const target = parseDatabaseUrl(t.tdb.url, t.tdb.dataDir);
    const committed: string[] = [];
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const id = newId();
        await t.p.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('files')
            .values({
              id,
              sha256: id,
              size_bytes: 1,
              media_type: 'text/plain',
              original_name: 'x',
              storage_key: id,
              created_at: new Date().toISOString(),
            })
            .execute();
        });
        committed.push(id);
        await new Promise((r) => setImmediate(r));
      }
    })();
    await new Promise((r) => setTimeout(r, 150));
    const file = path.join(t.tdb.dataDir, 'backup.snapshot');
    const before = committed.length;
    await backupDatabase(target, file);
    const after = committed.length;
    await new Promise((r) => setTimeout(r, 100));
    writing = false;
    await writer;
    expect(before).toBeGreaterThan(0);

    // Restore into a fresh database of the same dialect.
    const fresh = await createTestDatabase();
    try {
      const freshTarget = parseDatabaseUrl(fresh.url, fresh.dataDir);
      await restoreDatabase(freshTarget, file);
      const restored = await createTestPlatform({ tdb: fresh });
      try {
        const ids = new Set(
          (await restored.p.db.selectFrom('files').select('id').execute()).map((r) => r.id),
        );
        // Everything committed before the backup started is there; nothing half-written.
        for (const id of committed.slice(0, before)) expect(ids.has(id)).toBe(true);
        expect(ids.size).toBeGreaterThanOrEqual(before);
        expect(ids.size).toBeLessThanOrEqual(after + 1);
        if (freshTarget.dialect === 'sqlite') {
          const h = openSqlite(freshTarget.file);
          expect(h.pragma('integrity_check', { simple: true })).toBe('ok');
          h.close();
        }
      } finally {
        await restored.close();
      }
    } finally {
      await fresh.drop();
    }
  });
});
