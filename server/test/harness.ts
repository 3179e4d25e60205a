import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import type { AppInstance } from '../src/platform/http/app-instance.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { systemContext } from '../src/platform/context.ts';
import type { Platform } from '../src/platform/platform.ts';
import { createUserService, type NewUser } from '../src/modules/users/users.service.ts';
import { openRuntime } from '../src/runtime.ts';

/** Set by scripts/test.mjs for the PostgreSQL pass: a server URL whose databases tests may create. */
export const PG_BASE_URL = process.env.QILA_TEST_PG_URL;
export const DIALECT: 'sqlite' | 'postgres' = PG_BASE_URL ? 'postgres' : 'sqlite';
export const TEST_PASSWORD = 'correct-horse-battery-staple';

export interface TestDatabase {
  url: string;
  dataDir: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the dialect under test, and a data directory of its own. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'qila-test-'));
  if (!PG_BASE_URL) {
    return {
      url: `sqlite:${path.join(dataDir, 'qila.sqlite')}`,
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `qila_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: PG_BASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_BASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_BASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function testEnv(tdb: TestDatabase, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    QILA_DATA_DIR: tdb.dataDir,
    QILA_DATABASE_URL: tdb.url,
    QILA_SECRET_KEY: 'test-key-'.padEnd(40, 'x'),
    QILA_LOG_LEVEL: 'silent',
    ...extra,
  };
}

export interface TestPlatform {
  p: Platform;
  clock: ManualClock;
  tdb: TestDatabase;
  close(): Promise<void>;
}

export async function createTestPlatform(
  opts: { clock?: ManualClock; env?: Record<string, string>; tdb?: TestDatabase } = {},
): Promise<TestPlatform> {
  const tdb = opts.tdb ?? (await createTestDatabase());
  const clock = opts.clock ?? new ManualClock();
  const p = await openRuntime({ env: testEnv(tdb, opts.env), clock, logger: pino({ level: 'silent' }) });
  return {
    p,
    clock,
    tdb,
    close: async () => {
      await p.jobs.stop();
      await p.database.close();
      if (!opts.tdb) await tdb.drop();
    },
  };
}

export interface TestApp extends TestPlatform {
  app: AppInstance;
  /** Creates a user with the given roles and returns a signed-in agent for it. */
  signInAs(user: Omit<NewUser, 'password'>): Promise<Agent>;
}

export interface Agent {
  cookie: string;
  csrf: string;
  headers(write?: boolean): Record<string, string>;
}

export async function createTestApp(
  opts: { clock?: ManualClock; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const tp = await createTestPlatform({ clock: opts.clock, env: opts.env });
  const { app } = await buildApp(tp.p, { serveWeb: false });
  await app.ready();
  const users = createUserService(tp.p);
  return {
    ...tp,
    app,
    close: async () => {
      await app.close();
      await tp.close();
    },
    async signInAs(user) {
      await users.create(systemContext('test'), { ...user, password: TEST_PASSWORD });
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: user.email, password: TEST_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
      const cookie = String(res.headers['set-cookie']).split(';')[0]!;
      const csrf = res.json<{ csrfToken: string }>().csrfToken;
      return {
        cookie,
        csrf,
        headers: (write = false) => ({ cookie, ...(write ? { 'x-csrf-token': csrf } : {}) }),
      };
    },
  };
}

/**
 * The official schemas and documents in shared/standards, which live beside the checkout (never
 * copied into it); QILA_STANDARDS_DIR overrides.
 */
export function standardsDir(): string {
  if (process.env.QILA_STANDARDS_DIR) return process.env.QILA_STANDARDS_DIR;
  for (
    let dir = path.resolve(import.meta.dirname, '../..');
    dir !== path.dirname(dir);
    dir = path.dirname(dir)
  ) {
    const candidate = path.join(path.dirname(dir), 'shared', 'standards');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('shared/standards was not found beside the checkout; set QILA_STANDARDS_DIR.');
}
