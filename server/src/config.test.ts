import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDatabaseUrl } from './config.ts';

const dir = () => mkdtempSync(path.join(tmpdir(), 'qila-cfg-'));

describe('configuration', () => {
  it('defaults to an embedded SQLite file in the data directory', () => {
    const d = dir();
    const c = loadConfig({ QILA_DATA_DIR: d });
    expect(c.database).toEqual({ dialect: 'sqlite', file: path.join(d, 'qila.sqlite') });
    expect(c.port).toBe(8080);
    expect(c.demo).toBe(true);
    expect(c.secretKey.length).toBeGreaterThanOrEqual(32);
    // The development key is kept, so sessions survive a restart.
    expect(loadConfig({ QILA_DATA_DIR: d }).secretKey).toBe(c.secretKey);
  });

  it('selects PostgreSQL from a postgres:// URL', () => {
    expect(parseDatabaseUrl('postgres://u:p@db:5432/qila', '/x')).toEqual({
      dialect: 'postgres',
      url: 'postgres://u:p@db:5432/qila',
    });
  });

  it('explains a URL it does not understand in one sentence, without the password', () => {
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/qila', '/x')).toThrow(ConfigError);
    try {
      parseDatabaseUrl('mysql://root:hunter2@db/qila', '/x');
    } catch (err) {
      expect((err as Error).message).toMatch(/not understood; use postgres:\/\//);
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('rejects an invalid port with the variable name', () => {
    expect(() => loadConfig({ QILA_DATA_DIR: dir(), QILA_PORT: 'eighty' })).toThrow(/QILA_PORT is invalid/);
  });

  it('refuses an unwritable data directory', () => {
    if (process.getuid?.() === 0) {
      // root can write anywhere; a path under a regular file can never be created.
      expect(() => loadConfig({ QILA_DATA_DIR: '/dev/null/qila' })).toThrow(/cannot be created or written/);
      return;
    }
    const d = dir();
    chmodSync(d, 0o500);
    expect(() => loadConfig({ QILA_DATA_DIR: path.join(d, 'sub') })).toThrow(/cannot be created or written/);
  });

  it('in production refuses a missing or weak secret and demonstration data', () => {
    const d = dir();
    expect(() => loadConfig({ NODE_ENV: 'production', QILA_DATA_DIR: d })).toThrow(/QILA_SECRET_KEY/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        QILA_DATA_DIR: d,
        QILA_SECRET_KEY: 'change-me-change-me-change-me-change-me',
      }),
    ).toThrow(/QILA_SECRET_KEY/);
    const key = 'k'.repeat(12) + 'Zq8#vP2!rT5@wY9$uI3^';
    expect(() =>
      loadConfig({ NODE_ENV: 'production', QILA_DATA_DIR: d, QILA_SECRET_KEY: key, QILA_DEMO: '1' }),
    ).toThrow(/demonstration/);
    const c = loadConfig({ NODE_ENV: 'production', QILA_DATA_DIR: d, QILA_SECRET_KEY: key });
    expect(c.demo).toBe(false);
  });
});
