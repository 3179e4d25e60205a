import { z } from 'zod';
import { PlainText } from '../../platform/plain-text.ts';
import { STAGE_KINDS } from './rules/rule-set.ts';

export const TLP = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP)[number];
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const STATUSES = ['new', 'triage', 'investigating', 'contained', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof STATUSES)[number];
export const OBSERVABLE_TYPES = ['ipv4', 'ipv6', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256'] as const;
export type ObservableType = (typeof OBSERVABLE_TYPES)[number];

const Instant = z.iso.datetime({ offset: true });

export const Indicator = z.object({
  type: z.enum(OBSERVABLE_TYPES),
  value: z.string().trim().min(1).max(2048),
});

/** Everything an entity can say about an incident; every field may be sharpened by later reports. */
export const IncidentDetails = z.object({
  title: PlainText(200).pipe(z.string().min(3)),
  summary: PlainText(5000).pipe(z.string().min(1)),
  severity: z.enum(SEVERITIES),
  rsitClass: z.string().min(1).max(60),
  rsitType: z.string().min(1).max(60),
  awareAt: Instant,
  detectedAt: Instant.nullable().optional(),
  /** When the entity judged the incident significant or major (DORA's clock); the report time when absent. */
  classifiedAt: Instant.nullable().optional(),
  detectionSource: PlainText(200).nullable().optional(),
  affectedServices: z
    .array(PlainText(200).pipe(z.string().min(1)))
    .max(50)
    .optional(),
  affectedSectors: z.array(z.string().min(1).max(40)).max(20).optional(),
  usersAffected: z.number().int().min(0).max(10_000_000_000).nullable().optional(),
  downtimeHours: z.number().min(0).max(100_000).nullable().optional(),
  financialLoss: z.number().min(0).max(1e15).nullable().optional(),
  personalData: z.boolean().nullable().optional(),
  personalDataRecords: z.number().int().min(0).max(10_000_000_000).nullable().optional(),
  crossBorder: z.boolean().nullable().optional(),
  crossBorderCountries: z
    .array(z.string().regex(/^[A-Z]{2}$/, 'Use two-letter ISO 3166 country codes.'))
    .max(250)
    .optional(),
  suspectedMalicious: z.boolean().nullable().optional(),
  healthImpact: z.boolean().nullable().optional(),
  serviceWhollyUnavailable: z
    .boolean()
    .nullable()
    .optional()
    .describe('The affected service was down for all its users, not merely degraded for some'),
  tradeSecretsExfiltrated: z.boolean().nullable().optional(),
  damageToOthers: z
    .boolean()
    .nullable()
    .optional()
    .describe(
      'Other people or organisations suffered, or may suffer, considerable material or non-material damage',
    ),
  recurringIncidents: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .nullable()
    .optional()
    .describe(
      'Incidents with the same apparent root cause, this one included, within the period a regime looks back over (its significance criteria say how long)',
    ),
  recurringFinancialLoss: z
    .number()
    .min(0)
    .max(1e15)
    .nullable()
    .optional()
    .describe('The combined direct financial loss of those recurring incidents'),
  ongoing: z.boolean().nullable().optional(),
  mitigation: PlainText(5000).nullable().optional(),
  rootCause: PlainText(5000).nullable().optional(),
  lessonsLearned: PlainText(5000).nullable().optional(),
  indicators: z.array(Indicator).max(500).optional(),
  tlp: z.enum(TLP),
  /** For TLP:RED, the people who may read the report (at least one). */
  redRecipients: z.array(z.uuid()).max(20).optional(),
});
export type IncidentDetails = z.infer<typeof IncidentDetails>;

export const ReportIncidentInput = IncidentDetails.extend({
  /** Which report this first submission is; the earliest stage owed when absent. */
  stage: z.enum(STAGE_KINDS).optional(),
  /** Needed only when the reporter belongs to more than one entity. */
  entityId: z.uuid().optional(),
}).strict();
export type ReportIncidentInput = z.infer<typeof ReportIncidentInput>;

export const StageReportInput = z
  .object({
    stage: z.enum(STAGE_KINDS),
    update: IncidentDetails.omit({ awareAt: true, redRecipients: true }).partial().strict().default({}),
  })
  .strict();
export type StageReportInput = z.infer<typeof StageReportInput>;

export const IncidentUpdateInput = z
  .object({
    version: z.number().int().min(1),
    status: z.enum(STATUSES).optional(),
    assigneeId: z.uuid().nullable().optional(),
    severity: z.enum(SEVERITIES).optional(),
    reason: PlainText(1000).optional(),
  })
  .strict();

export const ListQuery = z.object({
  view: z.enum(['queue', 'recent']).default('recent'),
  status: z.array(z.enum(STATUSES)).max(6).optional(),
  severity: z.array(z.enum(SEVERITIES)).max(4).optional(),
  sector: z.string().max(40).optional(),
  entityId: z.uuid().optional(),
  overdue: z.boolean().optional(),
  late: z.boolean().optional(),
  assignedToMe: z.boolean().optional(),
  q: z.string().trim().max(100).optional(),
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(100).default(50),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const TaskInput = z
  .object({
    title: PlainText(300).pipe(z.string().min(1)),
    assigneeId: z.uuid().nullable().optional(),
    dueAt: Instant.nullable().optional(),
  })
  .strict();
export const TaskUpdateInput = z
  .object({
    version: z.number().int().min(1),
    title: PlainText(300).pipe(z.string().min(1)).optional(),
    status: z.enum(['open', 'done']).optional(),
    assigneeId: z.uuid().nullable().optional(),
  })
  .strict();
export const NoteInput = z
  .object({
    text: PlainText(5000).pipe(z.string().min(1)),
    /** Internal notes stay with the handlers; others are shown to the reporting entity too. */
    internal: z.boolean().default(true),
  })
  .strict();
export const RfiInput = z
  .object({ question: PlainText(3000).pipe(z.string().min(1)), dueAt: Instant.nullable().optional() })
  .strict();
export const RfiReplyInput = z.object({ answer: PlainText(5000).pipe(z.string().min(1)) }).strict();
export const ObservablesInput = z.object({ items: z.array(Indicator).min(1).max(500) }).strict();

export const AdvisoryInput = z
  .object({
    title: PlainText(200).pipe(z.string().min(3)),
    body: PlainText(10000).pipe(z.string().min(1)),
    tlp: z.enum(['CLEAR', 'GREEN']),
    sectors: z.array(z.string().min(1).max(40)).min(1).max(20),
    indicators: z.array(Indicator).max(500).default([]),
    sourceIncidentId: z.uuid().nullable().optional(),
  })
  .strict();
