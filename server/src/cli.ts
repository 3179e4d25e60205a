#!/usr/bin/env node
// The `qila` command: serve, migrate, demo, backup, restore, user create, audit verify.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { backupDatabase, restoreDatabase } from './db/backup.ts';
import { DEMO_PASSWORD, loadDemo } from './demo/demo.ts';
import { loadScaleDemo, SCALES, type Scale } from './demo/scale.ts';
import { createUserService } from './modules/users/users.service.ts';
import { verifyAuditChain } from './platform/audit/audit.ts';
import { ROLES, type Role } from './platform/auth/roles.ts';
import { systemContext } from './platform/context.ts';
import { openRuntime } from './runtime.ts';
import { serve } from './serve.ts';
import { work } from './worker.ts';

const USAGE = `Usage: qila <command>

  serve                      start the web server (migrates and, on an empty database, loads the demo)
  worker                     run the background jobs only (deadlines, reminders, sweeps), no web server
  migrate                    apply database migrations
  demo [--entities N]        load the demonstration dataset
  demo --scale medium|large  load a country-sized dataset for benchmarks (5,000 or 50,000 entities)
  backup <file>              consistent online snapshot of the database
  restore <file>             replace the database with a snapshot (stop the servers first)
  user create --email E --name N --role R [--scope S] [--password P]
  audit verify               check the audit trail's hash chain
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await serve();
      return -1; // keeps running
    case 'worker':
      await work();
      return -1; // keeps running
    case 'migrate': {
      const p = await openRuntime();
      await p.database.close();
      console.log('Database is at the latest migration.');
      return 0;
    }
    case 'demo': {
      const { values } = parseArgs({
        args: rest,
        options: { entities: { type: 'string' }, scale: { type: 'string' } },
      });
      if (values.scale && !(values.scale in SCALES))
        throw new ConfigError(`--scale is one of ${Object.keys(SCALES).join(', ')}.`);
      const p = await openRuntime();
      try {
        const started = Date.now();
        const logins = values.scale
          ? await loadScaleDemo(p, values.scale as Scale)
          : await loadDemo(p, { entities: values.entities ? Number(values.entities) : undefined });
        if (values.scale)
          console.log(
            `Scale dataset "${values.scale}" loaded in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
          );
        console.log(`Demo data loaded. Password for every demo login: ${DEMO_PASSWORD}`);
        for (const l of logins) console.log(`  ${l.email.padEnd(30)} ${l.role}`);
      } finally {
        await p.database.close();
      }
      return 0;
    }
    case 'backup':
    case 'restore': {
      const file = rest[0];
      if (!file)
        throw new ConfigError(
          `qila ${command} needs a file name, for example: qila ${command} ./qila-backup.db`,
        );
      const config = loadConfig();
      if (command === 'backup') await backupDatabase(config.database, file);
      else await restoreDatabase(config.database, file);
      console.log(command === 'backup' ? `Backup written to ${file}.` : `Database restored from ${file}.`);
      return 0;
    }
    case 'user': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          scope: { type: 'string' },
          password: { type: 'string' },
        },
      });
      if (positionals[0] !== 'create' || !values.email || !values.role) {
        console.error(USAGE);
        return 2;
      }
      if (!ROLES.includes(values.role as Role))
        throw new ConfigError(`Unknown role ${values.role}; choose one of ${ROLES.join(', ')}.`);
      const role = values.role as Role;
      const scopeKind =
        (
          {
            sector_regulator: 'sector',
            provincial_officer: 'admin_unit',
            entity_admin: 'entity',
            entity_member: 'entity',
            auditor: 'audit',
          } as const
        )[role as string] ?? 'national';
      if (scopeKind !== 'national' && !values.scope)
        throw new ConfigError(`The role ${role} needs --scope (a ${scopeKind}).`);
      const password = values.password ?? (await import('node:crypto')).randomBytes(12).toString('base64url');
      const p = await openRuntime();
      try {
        await createUserService(p).create(systemContext('cli'), {
          email: values.email,
          displayName: values.name ?? values.email,
          password,
          roles: [{ role, scopeKind, scopeValue: values.scope ?? null }],
        });
        console.log(
          `User ${values.email} created${values.password ? '' : ` with password ${password} (change it after signing in)`}.`,
        );
      } finally {
        await p.database.close();
      }
      return 0;
    }
    case 'audit': {
      if (rest[0] !== 'verify') {
        console.error(USAGE);
        return 2;
      }
      const p = await openRuntime();
      try {
        const result = await verifyAuditChain(p.db);
        if (result.ok) console.log(`Audit trail intact: ${result.checked} record(s) verified.`);
        else
          console.error(
            `Audit trail BROKEN at record ${result.firstBroken!.seq}: ${result.firstBroken!.reason}. ${result.checked} record(s) before it verified.`,
          );
        return result.ok ? 0 : 1;
      } finally {
        await p.database.close();
      }
    }
    default:
      console.log(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(`Qila cannot start: ${err.message}`);
      process.exit(1);
    }
    console.error(err);
    process.exit(1);
  },
);
