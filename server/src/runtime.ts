import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { createPlatform, type Platform } from './platform/platform.ts';
import { createFrameworkService } from './modules/frameworks/frameworks.service.ts';

export interface RuntimeOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  logger?: Logger;
  migrate?: boolean;
}

/** config -> logger -> database -> migrations -> platform services; shared by every CLI command and tests. */
export async function openRuntime(opts: RuntimeOptions = {}): Promise<Platform> {
  const config: Config = loadConfig(opts.env ?? process.env);
  const log = opts.logger ?? pino({ level: config.logLevel, base: { service: 'qila' } });
  const database: Database = await openDatabase(config.database);
  try {
    if (opts.migrate ?? true) {
      const applied = await migrateToLatest(database.db as never, database.dialect);
      if (applied.length) log.info({ applied }, `applied ${applied.length} migration(s)`);
    }
    const platform = createPlatform({ config, database, clock: opts.clock ?? systemClock, log });
    await platform.calendar.syncCatalogHolidays();
    await createFrameworkService(platform).syncLibrary();
    return platform;
  } catch (err) {
    await database.close();
    throw err;
  }
}
