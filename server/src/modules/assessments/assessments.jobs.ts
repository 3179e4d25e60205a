import { z } from 'zod';
import { peopleReaching } from '../../platform/access/index.ts';
import type { Platform } from '../../platform/platform.ts';

/**
 * Durable reminders before a campaign's due date and the escalation once it has passed: entity
 * people get in-app notifications and mail; the Authority's administrators learn who is late.
 */
export function registerAssessmentJobs(p: Platform): void {
  p.jobs.register('assessment.reminder', async (payload, { trx }) => {
    const { campaignId, days } = z.object({ campaignId: z.string(), days: z.number() }).parse(payload);
    const campaign = await trx
      .selectFrom('campaigns')
      .select(['name', 'due_on'])
      .where('id', '=', campaignId)
      .executeTakeFirst();
    if (!campaign) return;
    const pending = await trx
      .selectFrom('assignments')
      .innerJoin('role_assignments', (j) =>
        j
          .onRef('role_assignments.scope_value', '=', 'assignments.entity_id')
          .on('role_assignments.scope_kind', '=', 'entity'),
      )
      .innerJoin('users', 'users.id', 'role_assignments.user_id')
      .select(['users.id', 'users.email', 'assignments.id as assignment_id'])
      .where('assignments.campaign_id', '=', campaignId)
      .where('assignments.status', 'in', ['not_started', 'in_progress', 'returned'])
      .where('users.status', '=', 'active')
      .execute();
    const title = `${campaign.name} is due ${days === 1 ? 'tomorrow' : `in ${days} days`} (${campaign.due_on})`;
    for (const u of pending) {
      await p.notifications.notify(trx, [u.id], {
        kind: 'assessment.reminder',
        title,
        body: 'Answer the remaining requirements and submit before the due date.',
        link: `/assessments/${u.assignment_id}`,
        subject: { type: 'assessment', id: u.assignment_id },
      });
      await p.mailer.queue(trx, {
        to: u.email,
        subject: title,
        text: `${title}.\n\nOpen ${p.config.publicUrl}/assessments/${u.assignment_id} to finish and submit.`,
      });
    }
  });

  p.jobs.register('assessment.overdue', async (payload, { trx }) => {
    const { campaignId } = z.object({ campaignId: z.string() }).parse(payload);
    const campaign = await trx
      .selectFrom('campaigns')
      .select(['name', 'due_on'])
      .where('id', '=', campaignId)
      .executeTakeFirst();
    if (!campaign) return;
    const { late } = await trx
      .selectFrom('assignments')
      .select((eb) => eb.fn.countAll<number>().as('late'))
      .where('campaign_id', '=', campaignId)
      .where('status', 'in', ['not_started', 'in_progress', 'returned'])
      .executeTakeFirstOrThrow();
    if (Number(late) === 0) return;
    const admins = await peopleReaching(trx, 'assessments.manage', {}, ['national']);
    await p.notifications.notify(trx, admins, {
      kind: 'assessment.overdue',
      title: `${campaign.name}: ${Number(late)} assessment(s) not submitted`,
      body: `The campaign was due on ${campaign.due_on}; these entities have not submitted.`,
      link: `/assessments?campaign=${campaignId}&status=overdue`,
    });
  });
}
