import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.ts';
import { systemContext } from '../context.ts';
import { verifyAuditChain } from './audit.ts';

describe('audit trail hash chain', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
    for (let i = 0; i < 5; i++) {
      await t.p.db.transaction().execute((trx) =>
        t.p.audit(trx, systemContext('tester'), {
          action: 'thing.change',
          objectType: 'thing',
          objectId: `t${i}`,
          after: { i },
        }),
      );
    }
  });
  afterAll(() => t.close());

  it('verifies an untouched chain', async () => {
    expect(await verifyAuditChain(t.p.db)).toEqual({ ok: true, checked: 5 });
  });

  it('is written in the caller transaction: a rolled-back change leaves no record', async () => {
    await expect(
      t.p.db.transaction().execute(async (trx) => {
        await t.p.audit(trx, systemContext(), {
          action: 'thing.change',
          objectType: 'thing',
          objectId: 'gone',
        });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const rows = await t.p.db
      .selectFrom('audit_log')
      .select('object_id')
      .where('object_id', '=', 'gone')
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('names the record that was edited directly in the database', async () => {
    const third = await t.p.db
      .selectFrom('audit_log')
      .select('seq')
      .orderBy('seq')
      .offset(2)
      .limit(1)
      .executeTakeFirstOrThrow();
    await sql`update audit_log set after_json = '{"i":99}' where seq = ${third.seq}`.execute(t.p.db);
    const res = await verifyAuditChain(t.p.db);
    expect(res.ok).toBe(false);
    expect(res.firstBroken?.seq).toBe(third.seq);
    expect(res.firstBroken?.reason).toMatch(/edited/);
  });

  it('names the record after one that was deleted', async () => {
    const rows = await t.p.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq').execute();
    // Removing the (edited) third record leaves the fourth pointing at a hash nobody has.
    await sql`delete from audit_log where seq = ${rows[2]!.seq}`.execute(t.p.db);
    const res = await verifyAuditChain(t.p.db);
    expect(res.ok).toBe(false);
    expect(res.firstBroken?.seq).toBe(rows[3]!.seq);
    expect(res.firstBroken?.reason).toMatch(/link/);
  });
});
