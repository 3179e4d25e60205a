import { ConfigError } from './config.ts';
import { buildApp } from './app.ts';
import { DEMO_PASSWORD, demoLoaded, loadDemo } from './demo/demo.ts';
import { openRuntime } from './runtime.ts';

/** Starts one server instance and shuts it down gracefully on SIGTERM/SIGINT. */
export async function serve(): Promise<void> {
  const started = Date.now();
  const p = await openRuntime();
  let logins: Awaited<ReturnType<typeof loadDemo>> = [];
  if (p.config.demo) {
    const isEmpty = !(await p.db.selectFrom('users').select('id').limit(1).executeTakeFirst());
    if (isEmpty || (await demoLoaded(p))) logins = await loadDemo(p);
  }
  const { app, state } = await buildApp(p);
  try {
    await app.listen({ host: p.config.host, port: p.config.port });
  } catch (err) {
    await p.database.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new ConfigError(
        `Port ${p.config.port} is already in use; stop the other program or set QILA_PORT to a free port.`,
      );
    if (code === 'EACCES')
      throw new ConfigError(`Port ${p.config.port} needs privileges; set QILA_PORT to a port above 1024.`);
    if (code === 'EADDRNOTAVAIL')
      throw new ConfigError(`QILA_HOST ${p.config.host} is not an address of this machine.`);
    throw err;
  }
  if (p.config.runJobs) p.jobs.start();

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : p.config.port;
  const url =
    p.config.host === '0.0.0.0' || p.config.host === '127.0.0.1'
      ? `http://localhost:${port}`
      : `http://${p.config.host}:${port}`;
  const lines = [
    '',
    `  Qila is running at ${url}  (${p.dialect === 'sqlite' ? `SQLite ${p.config.database.dialect === 'sqlite' ? p.config.database.file : ''}` : 'PostgreSQL'}, started in ${Date.now() - started} ms)`,
    `  API reference: ${url}/api/docs`,
  ];
  if (logins.length) {
    lines.push('', `  Demo logins (password for all: ${DEMO_PASSWORD})`);
    for (const l of logins) lines.push(`    ${l.email.padEnd(30)} ${l.role}`);
  }
  console.log(lines.join('\n') + '\n');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    state.shuttingDown = true;
    p.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    await p.jobs.stop();
    p.log.debug('job runner stopped');
    // Keep-alive connections that finish their last request while we close would otherwise hold
    // the server open until their idle timeout.
    const idleCloser = setInterval(() => app.server.closeIdleConnections(), 50);
    await app.close(); // stops accepting, waits for in-flight requests
    clearInterval(idleCloser);
    p.log.debug('http server closed');
    await p.database.close();
    p.log.debug('database closed');
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
