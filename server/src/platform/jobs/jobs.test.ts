import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestPlatform, DIALECT, type TestPlatform } from '../../../test/harness.ts';
import { openDatabase } from '../../db/database.ts';
import { parseDatabaseUrl } from '../../config.ts';
import { createJobRunner } from './jobs.ts';

const silent = pino({ level: 'silent' });

describe('durable job runner', () => {
  let t: TestPlatform;
  const seen: string[] = [];
  beforeAll(async () => {
    t = await createTestPlatform();
    t.p.jobs.register('test.record', async (payload, { trx }) => {
      const { tag } = payload as { tag: string };
      seen.push(tag);
      // A database effect of the job, committed together with the job's completion.
      await trx
        .insertInto('files')
        .values({
          id: crypto.randomUUID(),
          sha256: tag,
          size_bytes: 0,
          media_type: 'text/plain',
          original_name: tag,
          storage_key: tag,
          created_at: '',
        })
        .execute();
    });
    let failures = 0;
    t.p.jobs.register('test.flaky', async () => {
      if (failures++ < 2) throw new Error(`failure ${failures}`);
      seen.push('flaky-ok');
    });
    t.p.jobs.register('test.broken', async () => {
      throw new Error('always broken');
    });
  });
  afterAll(() => t.close());

  it('runs a delayed job only once it is due', async () => {
    await t.p.jobs.enqueue(
      t.p.db,
      'test.record',
      { tag: 'later' },
      { runAt: new Date(t.clock.now().getTime() + 3600_000) },
    );
    expect(await t.p.jobs.runDue()).toBe(0);
    t.clock.advance(3600_000);
    expect(await t.p.jobs.runDue()).toBe(1);
    expect(seen).toContain('later');
    expect(
      await t.p.db.selectFrom('files').select('id').where('sha256', '=', 'later').execute(),
    ).toHaveLength(1);
    expect(await t.p.jobs.runDue()).toBe(0);
  });

  it('enqueues several jobs in one go, skipping a key already taken and a key repeated in the batch', async () => {
    await t.p.jobs.enqueue(t.p.db, 'test.record', { tag: 'batch-taken' }, { uniqueKey: 'batch:a' });
    await t.p.jobs.enqueueMany(t.p.db, [
      { kind: 'test.record', payload: { tag: 'batch-dup' }, opts: { uniqueKey: 'batch:a' } },
      { kind: 'test.record', payload: { tag: 'batch-b' }, opts: { uniqueKey: 'batch:b' } },
      { kind: 'test.record', payload: { tag: 'batch-b-again' }, opts: { uniqueKey: 'batch:b' } },
      { kind: 'test.record', payload: { tag: 'batch-c' } },
    ]);
    await t.p.jobs.enqueueMany(t.p.db, []);
    const rows = await t.p.db
      .selectFrom('jobs')
      .select('payload')
      .where('payload', 'like', '%"batch-%')
      .execute();
    expect(rows.map((r) => (JSON.parse(r.payload) as { tag: string }).tag).sort()).toEqual([
      'batch-b',
      'batch-c',
      'batch-taken',
    ]);
    expect(await t.p.jobs.runDue()).toBeGreaterThanOrEqual(3);
  });

  it('ignores a second enqueue with the same unique key', async () => {
    await t.p.jobs.enqueue(t.p.db, 'test.record', { tag: 'once' }, { uniqueKey: 'deadline:42' });
    await t.p.jobs.enqueue(t.p.db, 'test.record', { tag: 'once' }, { uniqueKey: 'deadline:42' });
    await t.p.jobs.runDue();
    expect(seen.filter((s) => s === 'once')).toHaveLength(1);
  });

  it('retries a failing job with back-off, then succeeds', async () => {
    await t.p.jobs.enqueue(t.p.db, 'test.flaky', {});
    await t.p.jobs.runDue();
    const job = await t.p.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'test.flaky')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'queued', attempts: 1, last_error: 'failure 1' });
    expect(job.run_at > t.clock.now().toISOString()).toBe(true);
    t.clock.advance(10_000);
    await t.p.jobs.runDue();
    t.clock.advance(60_000);
    await t.p.jobs.runDue();
    expect(seen).toContain('flaky-ok');
    const done = await t.p.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'test.flaky')
      .executeTakeFirstOrThrow();
    expect(done).toMatchObject({ status: 'done', attempts: 3 });
  });

  it('marks a job failed after its last attempt', async () => {
    await t.p.jobs.enqueue(t.p.db, 'test.broken', {}, { maxAttempts: 2 });
    await t.p.jobs.runDue();
    t.clock.advance(3600_000);
    await t.p.jobs.runDue();
    const job = await t.p.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'test.broken')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'failed', attempts: 2, last_error: 'always broken' });
  });

  it('survives a restart: a job queued by one runner is run by the next', async () => {
    await t.p.jobs.enqueue(t.p.db, 'test.record', { tag: 'after-restart' });
    const second = await openDatabase(parseDatabaseUrl(t.tdb.url, t.tdb.dataDir));
    const ran: string[] = [];
    const runner = createJobRunner({ db: second.db, dialect: second.dialect, clock: t.clock, log: silent });
    runner.register('test.record', async (payload) => void ran.push((payload as { tag: string }).tag));
    await runner.runDue();
    await second.close();
    expect(ran).toEqual(['after-restart']);
  });

  it('runs each job exactly once when several pollers share the database', async () => {
    // PostgreSQL: three instances with pools of their own. SQLite serves one instance
    // (docs/decisions/0003-sqlite-single-instance.md), so there three pollers share its connection.
    const instances =
      DIALECT === 'postgres'
        ? await Promise.all([0, 1, 2].map(() => openDatabase(parseDatabaseUrl(t.tdb.url, t.tdb.dataDir))))
        : [t.p.database, t.p.database, t.p.database];
    const runs: string[] = [];
    const runners = instances.map((d) => {
      const r = createJobRunner({ db: d.db, dialect: d.dialect, clock: t.clock, log: silent });
      r.register('test.count', async (payload) => {
        runs.push((payload as { n: string }).n);
        await new Promise((res) => setTimeout(res, 2));
      });
      return r;
    });
    for (let i = 0; i < 30; i++) await t.p.jobs.enqueue(t.p.db, 'test.count', { n: String(i) });
    await Promise.all(runners.map((r) => r.runDue(100)));
    if (DIALECT === 'postgres') await Promise.all(instances.map((d) => d.close()));
    expect(runs.sort()).toEqual(Array.from({ length: 30 }, (_, i) => String(i)).sort());
  });

  it('schedules a recurring job once per slot across instances', async () => {
    const ticks: string[] = [];
    // On PostgreSQL a second instance competes for the same slots; on SQLite the runner restarts.
    const a =
      DIALECT === 'postgres' ? await openDatabase(parseDatabaseUrl(t.tdb.url, t.tdb.dataDir)) : t.p.database;
    const runners = [t.p.db, a.db].map((db) => {
      const r = createJobRunner({ db, dialect: t.p.dialect, clock: t.clock, log: silent });
      r.every('test.tick', 60_000, async (_p, { now }) => void ticks.push(now.toISOString()));
      return r;
    });
    for (const r of runners) {
      r.start(60_000_000);
      await new Promise((res) => setTimeout(res, 100));
      await r.stop();
    }
    t.clock.advance(60_000);
    await Promise.all(runners.map((r) => r.runDue()));
    t.clock.advance(60_000);
    await Promise.all(runners.map((r) => r.runDue()));
    if (a !== t.p.database) await a.close();
    expect(ticks).toHaveLength(2);
  });
});
