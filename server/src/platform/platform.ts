import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { auditWriter } from './audit/audit.ts';
import { loadCommonPasswords } from './auth/password-policy.ts';
import { secretBox } from './auth/secret-box.ts';
import { createSessionStore } from './auth/sessions.ts';
import { purgeThrottle } from './auth/sign-in-throttle.ts';
import { createTokenStore } from './auth/tokens.ts';
import type { Clock } from './clock.ts';
import { createFileStore } from './files/storage.ts';
import { createJobRunner } from './jobs/jobs.ts';
import { createCalendarService } from './jurisdiction/calendar.service.ts';
import { loadJurisdiction } from './jurisdiction/catalog.ts';
import { createMailer } from './mail/mailer.ts';
import { createNotificationService } from './notifications/notifications.ts';

/** The shared services every module is built from; created once per process. */
export function createPlatform(deps: { config: Config; database: Database; clock: Clock; log: Logger }) {
  const { config, database, clock, log } = deps;
  const { db, dialect } = database;
  const catalog = loadJurisdiction(config.catalogDir, config.jurisdiction);
  const audit = auditWriter(dialect, clock);
  const jobs = createJobRunner({ db, dialect, clock, log: log.child({ component: 'jobs' }) });
  const jobsCleanupMs = 60 * 60 * 1000;
  jobs.every('jobs.cleanup', jobsCleanupMs, async (_payload, { trx, now }) => {
    // Finished jobs are kept for a week for troubleshooting, then removed.
    const cutoff = new Date(now.getTime() - 7 * 24 * 3600 * 1000).toISOString();
    await trx.deleteFrom('jobs').where('status', '=', 'done').where('finished_at', '<', cutoff).execute();
    await trx.deleteFrom('sessions').where('expires_at', '<', now.toISOString()).execute();
    await purgeThrottle(trx, now);
  });
  return {
    config,
    database,
    db,
    dialect,
    clock,
    log,
    catalog,
    audit,
    jobs,
    files: createFileStore({
      root: path.join(config.dataDir, 'files'),
      maxBytes: config.maxUploadBytes,
      clock,
    }),
    mailer: createMailer({
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      log: log.child({ component: 'mail' }),
      jobs,
    }),
    notifications: createNotificationService({ db, clock }),
    calendar: createCalendarService({ db, dialect, clock, audit, catalog }),
    sessions: createSessionStore({ db, clock, mfaPolicy: config.mfa }),
    tokens: createTokenStore({ db, clock }),
    commonPasswords: loadCommonPasswords(config.catalogDir),
    secrets: secretBox(config.secretKey, 'qila-totp-v1'),
  };
}
export type Platform = ReturnType<typeof createPlatform>;
