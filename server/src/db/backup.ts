import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { ConfigError, type DatabaseTarget } from '../config.ts';
import { openSqlite } from './database.ts';

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) =>
      reject(
        new ConfigError(`${cmd} could not be run (${err.message}); install the PostgreSQL client tools.`),
      ),
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

/**
 * A consistent snapshot while the server keeps writing. SQLite: VACUUM INTO copies one WAL
 * snapshot in a single read transaction without blocking writers (the page-by-page backup API
 * restarts whenever another connection writes, so it may never finish under load).
 * PostgreSQL: pg_dump reads inside one repeatable-read transaction.
 */
export async function backupDatabase(target: DatabaseTarget, file: string): Promise<void> {
  if (target.dialect === 'sqlite') {
    const src = openSqlite(target.file);
    const tmp = `${file}.partial`;
    try {
      rmSync(tmp, { force: true });
      src.prepare('vacuum into ?').run(tmp);
      renameSync(tmp, file);
    } finally {
      src.close();
    }
    return;
  }
  await run('pg_dump', ['--format=custom', '--no-owner', '--file', file, target.url]);
}

/** Replaces the database with a backup. Stop every server instance first. */
export async function restoreDatabase(target: DatabaseTarget, file: string): Promise<void> {
  if (!existsSync(file)) throw new ConfigError(`The backup file ${file} does not exist.`);
  if (target.dialect === 'sqlite') {
    const check = openSqlite(file);
    try {
      const result = check.pragma('integrity_check', { simple: true });
      if (result !== 'ok')
        throw new ConfigError(`The backup ${file} fails SQLite's integrity check (${String(result)}).`);
    } finally {
      check.close();
    }
    for (const suffix of ['-wal', '-shm']) rmSync(`${target.file}${suffix}`, { force: true });
    copyFileSync(file, `${target.file}.restoring`);
    renameSync(`${target.file}.restoring`, target.file);
    return;
  }
  await run('pg_restore', [
    '--clean',
    '--if-exists',
    '--no-owner',
    '--single-transaction',
    '--dbname',
    target.url,
    file,
  ]);
}
