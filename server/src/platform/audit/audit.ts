import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { Clock } from '../clock.ts';
import type { RequestContext } from '../context.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId: string | null;
  onBehalfOf?: string | null;
  before?: unknown;
  after?: unknown;
}

interface HashedFields {
  at: string;
  actor_id: string | null;
  actor_label: string;
  on_behalf_of: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  request_id: string | null;
}

/** The hash covers every stored field in a fixed order, chained to the previous record's hash. */
export function auditHash(prevHash: string, f: HashedFields): string {
  const canonical = JSON.stringify([
    f.at,
    f.actor_id,
    f.actor_label,
    f.on_behalf_of,
    f.action,
    f.object_type,
    f.object_id,
    f.before_json,
    f.after_json,
    f.ip,
    f.request_id,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

export type AuditWriter = (trx: Transaction<DB>, ctx: RequestContext, entry: AuditEntry) => Promise<void>;

/**
 * Appends one record to the hash chain inside the caller's transaction, so the change and its
 * audit record commit or roll back together.
 */
export function auditWriter(dialect: Dialect, clock: Clock): AuditWriter {
  return async (trx, ctx, entry) => {
    if (dialect === 'postgres') {
      // Serialise writers of the chain; the lock is released at commit.
      await sql`select pg_advisory_xact_lock(7461626)`.execute(trx);
    }
    const last = await trx
      .selectFrom('audit_log')
      .select('hash')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const fields: HashedFields = {
      at: clock.now().toISOString(),
      actor_id: ctx.actor?.userId ?? null,
      actor_label: ctx.actor?.label ?? 'anonymous',
      on_behalf_of: entry.onBehalfOf ?? null,
      action: entry.action,
      object_type: entry.objectType,
      object_id: entry.objectId,
      before_json: json(entry.before),
      after_json: json(entry.after),
      ip: ctx.ip,
      request_id: ctx.requestId,
    };
    const prev = last?.hash ?? GENESIS_HASH;
    await trx
      .insertInto('audit_log')
      .values({ ...fields, prev_hash: prev, hash: auditHash(prev, fields) })
      .execute();
  };
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; reason: string };
}

/** Walks the chain in order and names the first record whose link or content does not match. */
export async function verifyAuditChain(db: Kysely<DB>, batch = 5000): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let after = 0;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(batch)
      .execute();
    if (rows.length === 0) return { ok: true, checked };
    for (const row of rows) {
      if (row.prev_hash !== prev) {
        return {
          ok: false,
          checked,
          firstBroken: {
            seq: row.seq,
            reason: 'its link to the previous record is broken (a record before it was removed or altered)',
          },
        };
      }
      if (auditHash(row.prev_hash, row) !== row.hash) {
        return {
          ok: false,
          checked,
          firstBroken: { seq: row.seq, reason: 'its content no longer matches its hash (it was edited)' },
        };
      }
      prev = row.hash;
      after = row.seq;
      checked++;
    }
  }
}
