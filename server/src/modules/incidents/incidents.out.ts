import { z } from 'zod';
import { LegalStatusOut } from '../../platform/legal-status.ts';

/** Response shapes of the incident API (also the web app's generated types). */
const Person = z.object({ id: z.string(), name: z.string() });

export const IncidentSummaryOut = z.object({
  id: z.string(),
  reference: z.string(),
  entityId: z.string(),
  entityName: z.string(),
  sector: z.string(),
  adminUnit: z.string(),
  title: z.string(),
  severity: z.string(),
  rsitClass: z.string(),
  rsitType: z.string(),
  tlp: z.string(),
  status: z.string(),
  awareAt: z.string(),
  reportedAt: z.string(),
  nextDueAt: z.string().nullable(),
  overdueDuties: z.number(),
  late: z.boolean(),
  assignee: Person.nullable(),
  restricted: z.boolean(),
  mine: z.boolean(),
});
export const IncidentListOut = z.object({ total: z.number(), items: z.array(IncidentSummaryOut) });

export const DutyOut = z.object({
  id: z.string(),
  regime: z.string(),
  regimeName: z.string(),
  regimeVersion: z.string(),
  /** How binding the regime is: a proposed Act or a draft regulation is shown as such, never as law. */
  legalStatus: LegalStatusOut,
  authority: z.string(),
  stage: z.string(),
  stageName: z.string(),
  kind: z.string(),
  required: z.array(z.string()),
  dueAt: z.string().nullable(),
  waitingOn: z.string().nullable(),
  basis: z.string(),
  status: z.enum(['not_required', 'waiting', 'due', 'overdue', 'met', 'met_late']),
  metAt: z.string().nullable(),
});

export const IncidentDetailOut = IncidentSummaryOut.extend({
  version: z.number(),
  details: z.record(z.string(), z.unknown()).nullable(),
  duties: z.array(DutyOut),
  reports: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      satisfies: z.array(z.string()),
      submittedBy: z.string(),
      submittedAt: z.string(),
    }),
  ),
  timeline: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      actor: z.string(),
      kind: z.string(),
      text: z.string(),
      internal: z.boolean(),
    }),
  ),
  tasks: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      assignee: Person.nullable(),
      dueAt: z.string().nullable(),
      status: z.string(),
      version: z.number(),
      createdBy: z.string(),
      createdAt: z.string(),
      doneAt: z.string().nullable(),
    }),
  ),
  rfis: z.array(
    z.object({
      id: z.string(),
      question: z.string(),
      askedBy: z.string(),
      askedAt: z.string(),
      dueAt: z.string().nullable(),
      answer: z.string().nullable(),
      answeredBy: z.string().nullable(),
      answeredAt: z.string().nullable(),
    }),
  ),
  observables: z.array(
    z.object({ id: z.string(), type: z.string(), value: z.string(), otherIncidents: z.number().nullable() }),
  ),
  related: z.array(
    z.object({
      id: z.string(),
      reference: z.string(),
      title: z.string(),
      sector: z.string(),
      shared: z.number(),
    }),
  ),
  recipients: z.array(z.object({ kind: z.string(), code: z.string(), name: z.string() })),
  files: z.array(
    z.object({
      id: z.string(),
      fileName: z.string(),
      sizeBytes: z.number(),
      sha256: z.string(),
      mediaType: z.string(),
      createdBy: z.string(),
      createdAt: z.string(),
    }),
  ),
  allowedActions: z.array(z.string()),
});

export const CreatedOut = z.object({ id: z.string(), reference: z.string(), duties: z.array(DutyOut) });

const Reason = z
  .enum(['below_cohort', 'complementary'])
  .nullable()
  .describe('Why a count is hidden: it is too small, or it would let a hidden one be worked out');
/** One published count: `incidents` is absent when the cell is suppressed. */
const Count = z.object({ incidents: z.number().nullable(), suppressed: z.boolean(), reason: Reason });

export const NationalOut = z.object({
  from: z.string(),
  to: z.string(),
  disclosure: z.object({
    applied: z.boolean().describe('False for readers who may see every record anyway'),
    minCohort: z.number(),
    minPercentileCohort: z.number(),
    effectiveFrom: z.string(),
  }),
  reported: Count.describe('Incidents in the period, all sectors in scope'),
  openIncidents: z.number().nullable(),
  incidentsWithOverdueReports: z.number().nullable(),
  months: z.array(z.object({ month: z.string(), bySector: z.record(z.string(), Count) })),
  byClass: z.array(Count.extend({ rsitClass: z.string() })),
  byAdminUnit: z.array(Count.extend({ adminUnit: z.string() })),
  sectors: z.array(
    Count.extend({
      sector: z.string(),
      meanHoursToReport: z.number().nullable(),
      reportsOnTime: z.number().nullable(),
      reportsLate: z.number().nullable(),
      reportsMissing: z.number().nullable(),
      reportsReason: Reason.describe('Set when one of the three report counts is hidden'),
      onTimeShare: z.number().nullable(),
    }),
  ),
});

export const DutyListOut = z.object({
  total: z.number(),
  items: z.array(
    z.object({
      id: z.string(),
      incidentId: z.string(),
      reference: z.string(),
      entityId: z.string(),
      entityName: z.string(),
      sector: z.string(),
      regime: z.string(),
      legalStatus: LegalStatusOut,
      authority: z.string(),
      stage: z.string(),
      stageName: z.string().describe('The stage as its regime names it, in English'),
      kind: z.string(),
      dueAt: z.string().nullable(),
      metAt: z.string().nullable(),
      status: z.string(),
      hoursLate: z.number().nullable(),
    }),
  ),
});

export const AdvisoryOut = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  tlp: z.string(),
  sectors: z.array(z.string()),
  indicators: z.array(z.object({ type: z.string(), value: z.string() })),
  sourceIncidentId: z.string().nullable(),
  publishedBy: z.string(),
  publishedAt: z.string(),
});

export const StixOut = z.object({
  type: z.literal('bundle'),
  id: z.string(),
  objects: z.array(z.record(z.string(), z.unknown())),
});
