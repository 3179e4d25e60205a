import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.ts';
import { createJobRunner } from '../jobs/jobs.ts';
import { createMailer } from './mailer.ts';

describe('outbound mail', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.close());

  it('queues mail in the caller transaction and, without SMTP, writes it to the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino({ level: 'info' }, sink);
    const jobs = createJobRunner({ db: t.p.db, dialect: t.p.dialect, clock: t.clock, log });
    const mailer = createMailer({ smtpUrl: undefined, from: 'Qila <no-reply@qila.test>', log, jobs });

    // A rolled-back transaction sends nothing.
    await expect(
      t.p.db.transaction().execute(async (trx) => {
        await mailer.queue(trx, { to: 'ciso@entity.example', subject: 'Never', text: 'rolled back' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await t.p.db.transaction().execute((trx) =>
      mailer.queue(trx, {
        to: 'ciso@entity.example',
        subject: 'Reset your password',
        text: 'Open http://localhost/reset/abc',
      }),
    );
    expect(await jobs.runDue()).toBe(1);
    const logged = lines.join('');
    expect(logged).toContain('Reset your password');
    expect(logged).toContain('http://localhost/reset/abc');
    expect(logged).not.toContain('rolled back');
  });

  it('refuses a malformed address before queueing', async () => {
    const jobs = createJobRunner({
      db: t.p.db,
      dialect: t.p.dialect,
      clock: t.clock,
      log: pino({ level: 'silent' }),
    });
    const mailer = createMailer({ smtpUrl: undefined, from: 'x', log: pino({ level: 'silent' }), jobs });
    await expect(mailer.queue(t.p.db, { to: 'not-an-address', subject: 's', text: 't' })).rejects.toThrow();
  });
});
