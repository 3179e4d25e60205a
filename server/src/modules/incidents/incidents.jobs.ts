import { z } from 'zod';
import { peopleReaching } from '../../platform/access/index.ts';
import { entityPeople } from '../../platform/notifications/people.ts';
import type { Platform } from '../../platform/platform.ts';
import type { DutyEngine } from './duties.ts';
import { addEvent, usersToAlert } from './timeline.ts';

const DutyJob = z.object({ dutyId: z.string(), dueAt: z.string(), hours: z.number().optional() });

/**
 * The statutory clocks. A reminder tells the entity a report is due soon; at the deadline an
 * unmet duty turns overdue, the entity is told, and the Authority's administrators and the
 * incident's handlers are alerted. A job whose deadline has moved since it was scheduled does nothing.
 */
export function registerIncidentJobs(p: Platform, engine: DutyEngine): void {
  const current = async (
    trx: Parameters<Parameters<typeof p.jobs.register>[1]>[1]['trx'],
    dutyId: string,
    dueAt: string,
  ) => {
    const duty = await trx
      .selectFrom('incident_duties')
      .selectAll()
      .where('id', '=', dutyId)
      .executeTakeFirst();
    if (!duty || duty.due_at !== dueAt || duty.met_at || duty.status === 'not_required') return null;
    const incident = await trx
      .selectFrom('incidents')
      .selectAll()
      .where('id', '=', duty.incident_id)
      .executeTakeFirstOrThrow();
    return { duty, incident };
  };

  p.jobs.register('incident.reminder', async (payload, { trx, now }) => {
    const { dutyId, dueAt, hours } = DutyJob.parse(payload);
    const found = await current(trx, dutyId, dueAt);
    // A reminder that comes due after its deadline (the server was down) would only mislead.
    if (!found || found.duty.status !== 'due' || new Date(dueAt) <= now) return;
    const { duty, incident } = found;
    const title = `${incident.reference}: ${duty.stage.replace('_', ' ')} for ${duty.authority} due in ${hours} hour${hours === 1 ? '' : 's'}`;
    const people = await entityPeople(trx, incident.entity_id);
    await p.notifications.notify(
      trx,
      people.map((u) => u.id),
      {
        kind: 'incident.reminder',
        title,
        body: `Due ${dueAt}. ${duty.basis}.`,
        link: `/incidents/${incident.id}`,
        subject: { type: 'incident', id: incident.id },
      },
    );
    for (const u of people)
      await p.mailer.queue(trx, {
        to: u.email,
        subject: title,
        text: `${title}.\n\nSubmit it at ${p.config.publicUrl}/incidents/${incident.id}`,
      });
    await addEvent(
      trx,
      incident.id,
      now,
      'Qila',
      'reminder',
      `Reminder sent: ${duty.stage.replace('_', ' ')} due in ${hours} h.`,
      true,
    );
  });

  p.jobs.register('incident.deadline', async (payload, { trx, now }) => {
    const { dutyId, dueAt } = DutyJob.parse(payload);
    const found = await current(trx, dutyId, dueAt);
    if (!found || found.duty.escalated_at || new Date(dueAt) > now) return;
    const { duty, incident } = found;
    const cal = await p.calendar.businessCalendar(trx);
    await engine.refresh(trx, incident.id, now, cal);
    await trx
      .updateTable('incident_duties')
      .set({ escalated_at: now.toISOString() })
      .where('id', '=', dutyId)
      .execute();
    const what = `${duty.stage.replace('_', ' ')} to ${duty.authority}`;
    await addEvent(
      trx,
      incident.id,
      now,
      'Qila',
      'overdue',
      `The ${what} was due ${dueAt} and has not been received.`,
    );
    const people = await entityPeople(trx, incident.entity_id);
    await p.notifications.notify(
      trx,
      people.map((u) => u.id),
      {
        kind: 'incident.overdue',
        title: `${incident.reference}: the ${what} is overdue`,
        body: 'Submit it now; late and missing reports are recorded for supervision.',
        link: `/incidents/${incident.id}`,
        subject: { type: 'incident', id: incident.id },
      },
    );
    // Escalation goes to the Authority's enforcers, wherever the incident is.
    const admins = await peopleReaching(trx, 'enforcement.manage', {}, ['national']);
    const handlers =
      incident.tlp === 'RED'
        ? await usersToAlert(trx, incident)
        : incident.assignee_id
          ? [incident.assignee_id]
          : [];
    await p.notifications.notify(trx, [...new Set([...admins, ...handlers])], {
      kind: 'incident.escalation',
      title: `Overdue: ${incident.reference} (${what})`,
      body: 'A required report has not arrived by its deadline.',
      link: `/incidents/${incident.id}`,
      subject: { type: 'incident', id: incident.id },
    });
  });
}
