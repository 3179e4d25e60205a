import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Executor, JobRunner } from '../jobs/jobs.ts';

export const MailMessage = z.object({
  to: z.email(),
  subject: z.string().min(1).max(300),
  text: z.string().max(100_000),
});
export type MailMessage = z.infer<typeof MailMessage>;

export interface Mailer {
  /** Queues the message in the caller's transaction; a job delivers it and retries on failure. */
  queue(ex: Executor, message: MailMessage): Promise<void>;
}

/**
 * Without QILA_SMTP_URL (development) messages are written to the log, so a developer can
 * follow password-reset and invitation links.
 */
export function createMailer(deps: {
  smtpUrl: string | undefined;
  from: string;
  log: Logger;
  jobs: JobRunner;
}): Mailer {
  const transport = deps.smtpUrl ? nodemailer.createTransport(deps.smtpUrl) : null;
  deps.jobs.register('mail.send', async (payload) => {
    const msg = MailMessage.parse(payload);
    if (!transport) {
      deps.log.info(
        { mail: msg },
        `mail (not sent, no SMTP configured) to ${msg.to}: ${msg.subject}\n${msg.text}`,
      );
      return;
    }
    await transport.sendMail({ from: deps.from, ...msg });
  });
  return {
    async queue(ex, message) {
      await deps.jobs.enqueue(ex, 'mail.send', MailMessage.parse(message));
    },
  };
}
