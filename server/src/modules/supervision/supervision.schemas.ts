import { z } from 'zod';
import { PlainText } from '../../platform/plain-text.ts';

export const AUDIT_STATUSES = [
  'planned',
  'fieldwork',
  'preliminary_issued',
  'entity_responded',
  'final_issued',
  'closed',
] as const;
export const FINDING_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const CHECK_RESULTS = ['not_tested', 'conforms', 'minor_gap', 'major_gap', 'not_applicable'] as const;

export const AssignInput = z
  .object({
    version: z.number().int().min(1),
    leadAuditorId: z.uuid(),
    frameworkId: z.string().min(1).max(120).optional(),
    scope: z
      .object({
        requirements: z.array(z.string().min(1).max(60)).max(500).default([]),
        sites: z.array(PlainText(200)).max(50).default([]),
        systems: z.array(PlainText(200)).max(50).default([]),
      })
      .optional(),
  })
  .strict();
export const ChecklistInput = z
  .object({ result: z.enum(CHECK_RESULTS), note: PlainText(3000).nullable().optional() })
  .strict();
export const FindingInput = z
  .object({
    itemId: z.string().min(1).max(60).nullable().optional(),
    title: PlainText(300).pipe(z.string().min(3)),
    description: PlainText(5000).pipe(z.string().min(1)),
    severity: z.enum(FINDING_SEVERITIES),
  })
  .strict();
export const FinalInput = z.object({ summary: PlainText(10000).pipe(z.string().min(1)) }).strict();
export const FindingResponseInput = z.object({ response: PlainText(5000).pipe(z.string().min(1)) }).strict();
export const Milestone = z.object({
  title: PlainText(300).pipe(z.string().min(1)),
  dueOn: z.iso.date(),
  done: z.boolean().default(false),
});
export const ActionInput = z
  .object({
    title: PlainText(300).pipe(z.string().min(3)),
    owner: PlainText(200).pipe(z.string().min(2)),
    dueOn: z.iso.date(),
    milestones: z.array(Milestone).max(20).default([]),
  })
  .strict();
export const ActionUpdateInput = z
  .object({
    version: z.number().int().min(1),
    status: z.enum(['in_progress', 'submitted']).optional(),
    progressNote: PlainText(5000).nullable().optional(),
    milestones: z.array(Milestone).max(20).optional(),
  })
  .strict();
export const VerifyInput = z
  .object({ decision: z.enum(['verified', 'rejected']), comment: PlainText(3000).nullable().optional() })
  .strict();

export const CaseInput = z
  .object({
    entityId: z.uuid(),
    violation: z.string().min(1).max(60),
    violationDate: z.iso.date(),
    facts: z
      .array(PlainText(1000).pipe(z.string().min(1)))
      .min(1)
      .max(50),
  })
  .strict();
export const CaseStepInput = z.discriminatedUnion('step', [
  z.object({ step: z.literal('notice'), text: PlainText(10000).pipe(z.string().min(1)) }).strict(),
  z.object({ step: z.literal('response'), text: PlainText(10000).pipe(z.string().min(1)) }).strict(),
  z
    .object({
      step: z.literal('hearing'),
      at: z.iso.datetime({ offset: true }),
      text: PlainText(10000).pipe(z.string().min(1)),
    })
    .strict(),
  z
    .object({
      step: z.literal('decision'),
      outcome: z.enum(['penalty', 'warning', 'dismissed']),
      factors: z
        .array(
          z.object({ code: z.string().min(1).max(40), months: z.number().int().min(0).max(240).optional() }),
        )
        .max(20)
        .default([]),
      annualTurnover: z
        .number()
        .int()
        .positive()
        .max(1e15)
        .optional()
        .describe(
          'The annual turnover established for this decision, in the schedule currency; the registry figure when omitted',
        ),
      overrideLegalStatus: z
        .object({ reason: PlainText(2000).pipe(z.string().min(10)) })
        .strict()
        .optional()
        .describe(
          'Required when the penalty schedule is not in force (a placeholder, a draft or a proposed law): why the decision is issued as final anyway. Audited and kept in the case file',
        ),
      text: PlainText(10000).pipe(z.string().min(1)),
    })
    .strict(),
  z.object({ step: z.literal('appeal'), text: PlainText(10000).pipe(z.string().min(1)) }).strict(),
  z
    .object({
      step: z.literal('appeal_decision'),
      outcome: z.enum(['upheld', 'reduced', 'quashed']),
      amount: z.number().min(0).max(1e13).optional(),
      text: PlainText(10000).pipe(z.string().min(1)),
    })
    .strict(),
  z.object({ step: z.literal('close'), text: PlainText(5000).pipe(z.string().min(1)) }).strict(),
]);
export type CaseStepInput = z.infer<typeof CaseStepInput>;
