import { hostname } from 'node:os';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Dialect } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { Clock } from '../clock.ts';
import { newId } from '../ids.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

export interface JobContext {
  /** The transaction that also marks the job done: database effects happen exactly once. */
  trx: Transaction<DB>;
  jobId: string;
  attempt: number;
  now: Date;
}
export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;

export interface EnqueueOptions {
  runAt?: Date;
  /** A second enqueue with the same key is ignored (idempotent scheduling). */
  uniqueKey?: string;
  maxAttempts?: number;
}

const BACKOFF_MS = [10_000, 60_000, 300_000, 1_800_000, 7_200_000];

export interface JobRunner {
  register(kind: string, handler: JobHandler): void;
  /** A recurring job: one run per interval slot across all instances. */
  every(kind: string, intervalMs: number, handler: JobHandler): void;
  enqueue(db: Executor, kind: string, payload: unknown, opts?: EnqueueOptions): Promise<void>;
  /** Several jobs in one statement (an incident report schedules a handful at once). */
  enqueueMany(db: Executor, jobs: { kind: string; payload: unknown; opts?: EnqueueOptions }[]): Promise<void>;
  /** Runs every job that is due now; returns how many ran. Used by the poll loop and by tests. */
  runDue(limit?: number): Promise<number>;
  start(pollMs?: number): void;
  stop(): Promise<void>;
}

export function createJobRunner(deps: {
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  log: Logger;
}): JobRunner {
  const { db, dialect, clock, log } = deps;
  const handlers = new Map<string, JobHandler>();
  const recurring = new Map<string, number>();
  const workerId = `${hostname()}:${process.pid}:${newId().slice(-6)}`;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;

  async function enqueueMany(
    ex: Executor,
    jobs: { kind: string; payload: unknown; opts?: EnqueueOptions }[],
  ): Promise<void> {
    if (jobs.length === 0) return;
    const now = clock.now();
    await ex
      .insertInto('jobs')
      .values(
        jobs.map(({ kind, payload, opts = {} }) => ({
          id: newId(now.getTime()),
          kind,
          payload: JSON.stringify(payload ?? {}),
          run_at: (opts.runAt ?? now).toISOString(),
          unique_key: opts.uniqueKey ?? null,
          max_attempts: opts.maxAttempts ?? 5,
          created_at: now.toISOString(),
        })),
      )
      .onConflict((oc) => oc.column('unique_key').doNothing())
      .execute();
  }

  const enqueue = (ex: Executor, kind: string, payload: unknown, opts: EnqueueOptions = {}) =>
    enqueueMany(ex, [{ kind, payload, opts }]);

  async function scheduleNextSlot(kind: string, intervalMs: number, ex: Executor = db): Promise<void> {
    const slot = new Date(Math.floor(clock.now().getTime() / intervalMs + 1) * intervalMs);
    await enqueue(ex, kind, {}, { runAt: slot, uniqueKey: `every:${kind}:${slot.toISOString()}` });
  }

  /** Claims and runs one due job inside one transaction; false when nothing is due. */
  async function runOne(): Promise<boolean> {
    const now = clock.now();
    const trx = await db.startTransaction().execute();
    try {
      let q = trx
        .selectFrom('jobs')
        .selectAll()
        .where('status', '=', 'queued')
        .where('run_at', '<=', now.toISOString())
        .orderBy('run_at')
        .limit(1);
      // Another instance skips the row we hold instead of waiting for it.
      if (dialect === 'postgres') q = q.forUpdate().skipLocked();
      const job = await q.executeTakeFirst();
      if (!job) {
        await trx.rollback().execute();
        return false;
      }
      const attempt = job.attempts + 1;
      const handler = handlers.get(job.kind);
      const sp = await trx.savepoint('job').execute();
      let failure: unknown = null;
      try {
        if (!handler) throw new Error(`no handler registered for job kind ${job.kind}`);
        await handler(JSON.parse(job.payload) as unknown, { trx: sp, jobId: job.id, attempt, now });
      } catch (err) {
        failure = err ?? new Error('job failed');
      }
      if (failure === null) {
        await sp.releaseSavepoint('job').execute();
        await trx
          .updateTable('jobs')
          .set({
            status: 'done',
            attempts: attempt,
            finished_at: clock.now().toISOString(),
            locked_by: workerId,
            last_error: null,
          })
          .where('id', '=', job.id)
          .execute();
        const interval = recurring.get(job.kind);
        if (interval) await scheduleNextSlot(job.kind, interval, trx);
      } else {
        // Undo the handler's writes but keep the claim, and record the failure in the same transaction.
        await sp.rollbackToSavepoint('job').execute();
        const failed = attempt >= job.max_attempts;
        const retryAt = new Date(now.getTime() + (BACKOFF_MS[attempt - 1] ?? BACKOFF_MS.at(-1)!));
        await trx
          .updateTable('jobs')
          .set({
            status: failed ? 'failed' : 'queued',
            attempts: attempt,
            run_at: failed ? job.run_at : retryAt.toISOString(),
            last_error: String((failure as Error).message ?? failure).slice(0, 2000),
            locked_by: workerId,
            finished_at: failed ? now.toISOString() : null,
          })
          .where('id', '=', job.id)
          .execute();
        log.warn(
          { job: job.id, kind: job.kind, attempt, err: failure },
          failed ? 'job failed for good' : 'job failed, will retry',
        );
        const interval = recurring.get(job.kind);
        if (failed && interval) await scheduleNextSlot(job.kind, interval, trx);
      }
      await trx.commit().execute();
      return true;
    } catch (err) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      throw err;
    }
  }

  async function runDue(limit = 100): Promise<number> {
    let ran = 0;
    while (ran < limit && (await runOne())) ran++;
    return ran;
  }

  async function tick(pollMs: number): Promise<void> {
    try {
      await runDue();
    } catch (err) {
      log.error({ err }, 'job runner tick failed');
    }
    if (!stopped) {
      timer = setTimeout(() => {
        running = tick(pollMs);
      }, pollMs);
    }
  }

  return {
    register(kind, handler) {
      handlers.set(kind, handler);
    },
    every(kind, intervalMs, handler) {
      handlers.set(kind, handler);
      recurring.set(kind, intervalMs);
    },
    enqueue,
    enqueueMany,
    runDue,
    start(pollMs = 1000) {
      if (!stopped) return;
      stopped = false;
      running = (async () => {
        for (const [kind, interval] of recurring) await scheduleNextSlot(kind, interval);
        await tick(pollMs);
      })().catch((err: unknown) => log.error({ err }, 'job runner failed to start'));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
