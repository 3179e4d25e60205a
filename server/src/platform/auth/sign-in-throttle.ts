import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';

/**
 * Slows password and code guessing without letting a stranger lock the owner out
 * (docs/decisions/0006-sign-in-throttle.md). Every attempt is counted before the secret is
 * checked, by one atomic upsert, so parallel guesses cannot slip past the count.
 */
export const THROTTLE = {
  /** Attempts one source may make at one account in a window, before it waits for the window to end. */
  perSource: 5,
  sourceWindowMs: 15 * 60_000,
  /** Attempts at one account from anywhere before each further one from an unfamiliar source waits. */
  accountFree: 10,
  accountWindowMs: 24 * 3600_000,
  /** The wait doubles from one second up to this. */
  ladderCapMs: 15 * 60_000,
  /** How long a source the owner signed in from stays familiar. */
  trustMs: 30 * 24 * 3600_000,
} as const;

/** The row for the account as a whole; other rows name a source. */
const ANY_SOURCE = '*';

export interface Attempt {
  account: string;
  source: string;
}

export type Verdict = { ok: true } | { ok: false; limit: 'source' | 'account'; retryAfterSeconds: number };

/** Keyed by the email as typed (normalised), so an unknown email is counted exactly like a real one. */
export const accountKey = (email: string): string =>
  createHash('sha256').update(`qila-sign-in\n${email.trim().toLowerCase()}`).digest('hex');

/** An IPv4 address, or the /64 of an IPv6 one (one subscriber usually holds a whole /64). */
export function sourceOf(ip: string | null): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('%')[0]!.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Adds one to a counter, starting a new window when the old one has passed; returns the row after. */
async function bump(trx: Transaction<DB>, account: string, source: string, now: Date, windowMs: number) {
  const at = now.toISOString();
  const expired = sql<boolean>`sign_in_throttle.window_started_at <= ${new Date(now.getTime() - windowMs).toISOString()}`;
  return trx
    .insertInto('sign_in_throttle')
    .values({ account_key: account, source, failures: 1, window_started_at: at, updated_at: at })
    .onConflict((oc) =>
      oc.columns(['account_key', 'source']).doUpdateSet({
        failures: sql<number>`case when ${expired} then 1 else sign_in_throttle.failures + 1 end`,
        window_started_at: sql<string>`case when ${expired} then ${at} else sign_in_throttle.window_started_at end`,
        blocked_until: sql<
          string | null
        >`case when ${expired} then null else sign_in_throttle.blocked_until end`,
        updated_at: at,
      }),
    )
    .returning(['failures', 'window_started_at', 'blocked_until', 'trusted_until'])
    .executeTakeFirstOrThrow();
}

/**
 * Counts one attempt and says whether the secret may be checked now. Call it in its own
 * transaction before checking; a check that succeeds gives the attempt back (`settle`).
 */
export async function reserveAttempt(trx: Transaction<DB>, a: Attempt, now: Date): Promise<Verdict> {
  const src = await bump(trx, a.account, a.source, now, THROTTLE.sourceWindowMs);
  if (src.failures > THROTTLE.perSource) {
    const end = new Date(src.window_started_at).getTime() + THROTTLE.sourceWindowMs;
    return { ok: false, limit: 'source', retryAfterSeconds: seconds(end - now.getTime()) };
  }
  const acct = await bump(trx, a.account, ANY_SOURCE, now, THROTTLE.accountWindowMs);
  const familiar = Boolean(src.trusted_until && src.trusted_until > now.toISOString());
  if (acct.failures <= THROTTLE.accountFree || familiar) return { ok: true };
  // The ladder: only one attempt may pass each step, so parallel guesses from many sources queue.
  const step = Math.min(
    THROTTLE.ladderCapMs,
    1000 * 2 ** Math.min(30, acct.failures - THROTTLE.accountFree - 1),
  );
  const passed = await trx
    .updateTable('sign_in_throttle')
    .set({ blocked_until: new Date(now.getTime() + step).toISOString() })
    .where('account_key', '=', a.account)
    .where('source', '=', ANY_SOURCE)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', now.toISOString())]))
    .executeTakeFirst();
  if (Number(passed.numUpdatedRows) === 1) return { ok: true };
  const until = acct.blocked_until ? new Date(acct.blocked_until).getTime() : now.getTime() + step;
  return { ok: false, limit: 'account', retryAfterSeconds: seconds(until - now.getTime()) };
}

/** A check passed: its attempt no longer counts against the account or the source. */
export async function refundAttempt(trx: Transaction<DB>, a: Attempt): Promise<void> {
  await trx
    .updateTable('sign_in_throttle')
    .set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` })
    .where('account_key', '=', a.account)
    .where('source', 'in', [a.source, ANY_SOURCE])
    .execute();
}

/** Fully signed in: this source starts afresh and becomes familiar to the account. */
export async function trustSource(trx: Transaction<DB>, a: Attempt, now: Date): Promise<void> {
  const at = now.toISOString();
  const trustedUntil = new Date(now.getTime() + THROTTLE.trustMs).toISOString();
  await trx
    .insertInto('sign_in_throttle')
    .values({
      account_key: a.account,
      source: a.source,
      failures: 0,
      window_started_at: at,
      trusted_until: trustedUntil,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .columns(['account_key', 'source'])
        .doUpdateSet({ failures: 0, window_started_at: at, trusted_until: trustedUntil, updated_at: at }),
    )
    .execute();
}

/** The owner proved themself by email (password reset): every count on the account starts afresh. */
export async function clearAccount(trx: Transaction<DB>, account: string, now: Date): Promise<void> {
  await trx
    .updateTable('sign_in_throttle')
    .set({ failures: 0, blocked_until: null, window_started_at: now.toISOString() })
    .where('account_key', '=', account)
    .execute();
}

/** Housekeeping: counts older than the longest window, unless they still mark a familiar source. */
export async function purgeThrottle(trx: Transaction<DB>, now: Date): Promise<void> {
  const at = now.toISOString();
  await trx
    .deleteFrom('sign_in_throttle')
    .where('updated_at', '<', new Date(now.getTime() - THROTTLE.accountWindowMs).toISOString())
    .where((eb) => eb.or([eb('trusted_until', 'is', null), eb('trusted_until', '<', at)]))
    .execute();
}
