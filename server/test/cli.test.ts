import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../src/db/database.ts';
import { parseDatabaseUrl } from '../src/config.ts';
import { DEMO_PASSWORD } from '../src/demo/demo.ts';
import { createTestDatabase, createTestPlatform, testEnv, type TestDatabase } from './harness.ts';
import { runCli, startServer, type RunningServer } from './processes.ts';

describe('start-up refuses bad configuration in one clear sentence', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(() => tdb.drop());

  const expectOneSentence = (stderr: string, pattern: RegExp) => {
    expect(stderr).toMatch(pattern);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(stderr.trim().split('\n')).toHaveLength(1);
  };

  it('a database URL it does not understand', async () => {
    const r = await runCli(['serve'], testEnv(tdb, { QILA_DATABASE_URL: 'mysql://root@localhost/qila' }));
    expect(r.code).toBe(1);
    expectOneSentence(r.stderr, /^Qila cannot start: QILA_DATABASE_URL .* is not understood/);
  });

  it('an unreachable PostgreSQL', async () => {
    const r = await runCli(
      ['serve'],
      testEnv(tdb, { QILA_DATABASE_URL: 'postgres://qila:secret@127.0.0.1:1/qila' }),
    );
    expect(r.code).toBe(1);
    expectOneSentence(r.stderr, /PostgreSQL at 127\.0\.0\.1:1 .* cannot be reached/);
    expect(r.stderr).not.toContain('secret');
  });

  it('a data directory that cannot be written', async () => {
    const r = await runCli(['serve'], {
      ...testEnv(tdb),
      QILA_DATA_DIR: '/dev/null/qila',
      QILA_DATABASE_URL: '',
    });
    expect(r.code).toBe(1);
    expectOneSentence(r.stderr, /data directory .* cannot be created or written/);
  });

  it('a port already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(['serve'], testEnv(tdb, { QILA_PORT: String(port), QILA_DEMO: '0' }));
      expect(r.code).toBe(1);
      expectOneSentence(r.stderr, new RegExp(`Port ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('production without a secret', async () => {
    const r = await runCli(['serve'], { ...testEnv(tdb), NODE_ENV: 'production', QILA_SECRET_KEY: '' });
    expect(r.code).toBe(1);
    expectOneSentence(r.stderr, /QILA_SECRET_KEY/);
  });
});

describe('qila user create', () => {
  it('creates a user who can sign in, with a random first password', async () => {
    const tdb = await createTestDatabase();
    try {
      const r = await runCli(
        [
          'user',
          'create',
          '--email',
          'Head@NCSA.gov.pk',
          '--name',
          'Head of NCSA',
          '--role',
          'authority_admin',
        ],
        testEnv(tdb),
      );
      expect(r.code, r.stderr).toBe(0);
      const password = /with password (\S+) /.exec(r.stdout)?.[1];
      expect(password).toBeTruthy();
      const bad = await runCli(
        ['user', 'create', '--email', 'x@y.pk', '--role', 'sector_regulator'],
        testEnv(tdb),
      );
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/needs --scope/);
      const t = await createTestPlatform({ tdb });
      try {
        const { createAuthService } = await import('../src/modules/auth/auth.service.ts');
        const res = await createAuthService(t.p).signIn(
          { actor: null, requestId: 't', ip: null },
          { email: 'head@ncsa.gov.pk', password: password!, userAgent: null },
        );
        if (res.kind !== 'signed-in') throw new Error('expected a session');
        expect(res.me.roles).toEqual([{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }]);
      } finally {
        await t.close();
      }
    } finally {
      await tdb.drop();
    }
  });
});

describe('a running server', () => {
  let tdb: TestDatabase;
  let server: RunningServer;
  let cookie = '';
  let csrf = '';
  beforeAll(async () => {
    tdb = await createTestDatabase();
    server = await startServer(testEnv(tdb, { QILA_DEMO: '1', QILA_LOG_LEVEL: 'warn' }));
    const res = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@ncsa.demo', password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(200);
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  });
  afterAll(async () => {
    await server.stop('SIGKILL');
    await tdb.drop();
  });

  it('prints its URL and the demo logins on first start', () => {
    expect(server.output()).toMatch(/Demo logins \(password for all: /);
    expect(server.output()).toContain('admin@ncsa.demo');
  });

  it('qila backup taken while the server writes restores every committed row', async () => {
    const put = (i: number) => {
      const date = new Date(Date.UTC(2030, 0, 1 + i)).toISOString().slice(0, 10);
      return fetch(`${server.url}/api/jurisdiction/holidays/${date}`, {
        method: 'PUT',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ nameEn: `Load ${i}`, provisional: false }),
      }).then((r) => ({ date, ok: r.status === 200 }));
    };
    const acknowledged: string[] = [];
    let i = 0;
    let writing = true;
    const writers = Array.from({ length: 4 }, async () => {
      while (writing && i < 2000) {
        const r = await put(i++);
        if (r.ok) acknowledged.push(r.date);
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    const ackedBeforeBackup = [...acknowledged];
    const file = path.join(tdb.dataDir, 'snapshot.backup');
    const backup = await runCli(['backup', file], testEnv(tdb));
    writing = false;
    await Promise.all(writers);
    expect(backup.code, backup.stderr).toBe(0);
    expect(ackedBeforeBackup.length).toBeGreaterThan(0);

    const fresh = await createTestDatabase();
    try {
      const restore = await runCli(['restore', file], testEnv(fresh));
      expect(restore.code, restore.stderr).toBe(0);
      const target = parseDatabaseUrl(fresh.url, fresh.dataDir);
      if (target.dialect === 'sqlite') {
        const h = openSqlite(target.file);
        expect(h.pragma('integrity_check', { simple: true })).toBe('ok');
        h.close();
      }
      const restored = await createTestPlatform({ tdb: fresh });
      try {
        const dates = new Set(
          (
            await restored.p.db.selectFrom('holidays').select('date').where('source', '=', 'manual').execute()
          ).map((r) => r.date),
        );
        for (const d of ackedBeforeBackup)
          expect(dates.has(d), `holiday ${d} acknowledged before the backup is missing`).toBe(true);
      } finally {
        await restored.close();
      }
      const verify = await runCli(['audit', 'verify'], testEnv(fresh));
      expect(verify.stdout).toMatch(/Audit trail intact/);
    } finally {
      await fresh.drop();
    }
  });

  it('finishes in-flight requests on SIGTERM, then exits cleanly', async () => {
    const inflight = Promise.allSettled(
      Array.from({ length: 20 }, () =>
        fetch(`${server.url}/api/registry/overview`, { headers: { cookie } }).then((r) => r.status),
      ),
    );
    await new Promise((r) => setTimeout(r, 5));
    const code = await server.stop('SIGTERM');
    const statuses = await inflight;
    expect(code).toBe(0);
    // A request the server had accepted is answered; one arriving after shutdown began is
    // refused with 503 (a load balancer retries it elsewhere) or its connection is closed.
    for (const s of statuses) if (s.status === 'fulfilled') expect([200, 503]).toContain(s.value);
    expect(statuses.some((s) => s.status === 'fulfilled' && s.value === 200)).toBe(true);
  });
});
