import { z } from 'zod';
import { PlainText } from '../../platform/plain-text.ts';
import { ENTITY_KINDS } from '../registry/registry.schemas.ts';

export const CampaignInput = z
  .object({
    name: PlainText(200).pipe(z.string().min(1)),
    description: PlainText(2000).nullable().default(null),
    frameworks: z.array(z.string().max(120)).min(1).max(10),
    selection: z
      .object({
        sectors: z.array(z.string().max(60)).max(50).default([]),
        adminUnits: z.array(z.string().max(20)).max(50).default([]),
        tiers: z
          .array(z.enum(['1', '2', '3', 'none']))
          .max(4)
          .default([]),
        kinds: z.array(z.enum(ENTITY_KINDS)).max(10).default([]),
      })
      .default({ sectors: [], adminUnits: [], tiers: [], kinds: [] }),
    opensOn: z.iso.date(),
    dueOn: z.iso.date(),
    graceDays: z.number().int().min(0).max(60).default(0),
  })
  .refine((c) => c.dueOn >= c.opensOn, { message: 'must be on or after the opening date', path: ['dueOn'] });
export type CampaignInput = z.infer<typeof CampaignInput>;

export const CampaignOut = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  frameworks: z.array(z.string()),
  selection: z.record(z.string(), z.array(z.string())),
  opensOn: z.string(),
  dueOn: z.string(),
  graceDays: z.number(),
  status: z.string(),
  progress: z.record(z.string(), z.number()),
  createdAt: z.string(),
});

export const AnswerInput = z
  .object({
    // The framework's own scale is checked by the service; this only bounds what any scale may hold.
    level: z.number().int().min(0).max(100).nullable().default(null),
    notApplicable: z.boolean().default(false),
    justification: PlainText(2000).nullable().default(null),
    comment: PlainText(4000).nullable().default(null),
    /** The version the person started from; a stale one answers 409. Omit for a first answer. */
    version: z.number().int().min(1).optional(),
  })
  .refine((a) => !a.notApplicable || Boolean(a.justification), {
    message: 'give a justification for not applicable',
    path: ['justification'],
  })
  .refine((a) => !(a.notApplicable && a.level !== null), {
    message: 'a not-applicable requirement has no level',
    path: ['level'],
  });
export type AnswerInput = z.infer<typeof AnswerInput>;

export const ReviewInput = z
  .object({
    decision: z.enum(['accept', 'return']),
    comment: PlainText(4000).nullable().default(null),
  })
  .refine((r) => r.decision === 'accept' || Boolean(r.comment), {
    message: 'say what to change when returning',
    path: ['comment'],
  });

export const ASSIGNMENT_ACTIONS = ['answer', 'submit', 'review'] as const;
