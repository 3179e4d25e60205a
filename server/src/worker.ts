import { openRuntime } from './runtime.ts';
import { createServices, registerJobs } from './services.ts';

/**
 * Runs the background work (deadlines, reminders, escalations, sweeps) without the HTTP app: the
 * services are built and their jobs registered as `qila serve` does, and nothing listens on a port.
 */
export async function work(): Promise<void> {
  const p = await openRuntime();
  registerJobs(p, createServices(p));
  p.jobs.start();
  p.log.info('worker started: running jobs only');
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    p.log.info({ signal }, 'worker stopping');
    await p.jobs.stop();
    await p.database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
