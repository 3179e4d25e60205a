import { z } from 'zod';
import { PlainText } from '../../platform/plain-text.ts';

export const ENTITY_KINDS = [
  'federal_government',
  'provincial_government',
  'cii_operator',
  'private_enterprise',
  'digital_service_provider',
  'academic',
  'civil_society',
] as const;
export const SIZES = ['micro', 'small', 'medium', 'large'] as const;
export const DESIGNATIONS = ['essential', 'important', 'other'] as const;
export const CONTACT_KINDS = ['head', 'ciso', 'incident_24x7'] as const;
export const ASSET_KINDS = ['domain', 'ip_range', 'tls_endpoint'] as const;

const code = z.string().trim().min(1).max(60);

export const EntitySummary = z.object({
  id: z.string(),
  registrationNo: z.string(),
  nameEn: z.string(),
  nameUr: z.string().nullable(),
  kind: z.string(),
  sector: z.string(),
  subsector: z.string(),
  adminUnit: z.string(),
  regulator: z.string(),
  designation: z.string(),
  ciiTier: z.number().nullable(),
});
export type EntitySummary = z.infer<typeof EntitySummary>;

export const EntityFilters = z.object({
  q: z.string().trim().max(100).optional(),
  sector: code.optional(),
  subsector: code.optional(),
  adminUnit: code.optional(),
  regulator: code.optional(),
  tier: z.enum(['1', '2', '3', 'none']).optional(),
  kind: z.enum(ENTITY_KINDS).optional(),
  designation: z.enum(DESIGNATIONS).optional(),
});
export type EntityFilters = z.infer<typeof EntityFilters>;

export const EntityListQuery = EntityFilters.extend({
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const Reason = z
  .enum(['below_cohort', 'complementary'])
  .nullable()
  .describe('Why a count is hidden: it is too small, or it would let a hidden one be worked out');
/** One published count: `count` is null when the cell is withheld. */
export const Count = z.object({
  key: z.string(),
  count: z.number().nullable(),
  suppressed: z.boolean(),
  reason: Reason,
});
export const RegistryOverview = z.object({
  disclosure: z.object({
    applied: z.boolean().describe('False for readers who may see every record anyway'),
    minCohort: z.number(),
    minPercentileCohort: z.number(),
    effectiveFrom: z.string(),
  }),
  total: z.number().nullable(),
  totalReason: Reason,
  bySector: z.array(Count),
  byAdminUnit: z.array(Count),
  byTier: z.array(Count),
});
export type RegistryOverview = z.infer<typeof RegistryOverview>;

export const Contact = z.object({
  kind: z.enum(CONTACT_KINDS),
  name: PlainText(120).pipe(z.string().min(1)),
  title: PlainText(120).nullable().default(null),
  email: z.email().max(254).nullable().default(null),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{5,25}$/, 'must be a phone number such as +92 51 1234567')
    .nullable()
    .default(null),
});
export type Contact = z.infer<typeof Contact>;

export const Asset = z
  .object({
    kind: z.enum(ASSET_KINDS),
    value: z.string().trim().min(1).max(300),
    note: PlainText(300).nullable().default(null),
  })
  .superRefine((a, ctx) => {
    const ok =
      a.kind === 'domain'
        ? /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(a.value)
        : a.kind === 'ip_range'
          ? /^(\d{1,3}(\.\d{1,3}){3})(\/\d{1,2})?$|^[0-9a-f:]+(\/\d{1,3})?$/i.test(a.value)
          : /^[a-z0-9.-]+:\d{1,5}$/i.test(a.value);
    if (!ok)
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `is not a valid ${a.kind.replace('_', ' ')}`,
      });
  });
export type Asset = z.infer<typeof Asset>;

export const DesignationRecord = z.object({
  id: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  designation: z.string(),
  ciiTier: z.number().nullable(),
  ruleSet: z.string().nullable(),
  score: z.number().nullable(),
  explanation: z.string(),
  decidedBy: z.string(),
});

export const ChangeRequestOut = z.object({
  id: z.string(),
  entityId: z.string(),
  entityName: z.string(),
  requestedBy: z.string(),
  changes: z.record(z.string(), z.unknown()),
  reason: z.string().nullable(),
  status: z.enum(['pending', 'approved', 'rejected']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  createdAt: z.string(),
  allowedActions: z.array(z.enum(['approve', 'reject'])),
});

export const ENTITY_ACTIONS = ['edit', 'editContacts', 'editAssets', 'grade', 'requestChange'] as const;

export const EntityDetail = EntitySummary.extend({
  size: z.string(),
  annualTurnover: z.number().nullable(),
  website: z.string().nullable(),
  status: z.string(),
  version: z.number(),
  parent: z.object({ id: z.string(), nameEn: z.string() }).nullable(),
  subsidiaries: z.array(z.object({ id: z.string(), nameEn: z.string() })),
  contacts: z.array(Contact.extend({ updatedAt: z.string() })),
  assets: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      value: z.string(),
      note: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  designationHistory: z.array(DesignationRecord),
  pendingChanges: z.array(ChangeRequestOut),
  allowedActions: z.array(z.enum(ENTITY_ACTIONS)),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EntityDetail = z.infer<typeof EntityDetail>;

/** Fields that change what the entity is regulated as: entity administrators request them. */
export const DESIGNATION_FIELDS = [
  'sector',
  'subsector',
  'adminUnit',
  'kind',
  'size',
  'annualTurnover',
] as const;

const entityFields = {
  registrationNo: z.string().trim().min(1).max(60),
  nameEn: PlainText(300).pipe(z.string().min(1)),
  nameUr: PlainText(300).nullable(),
  kind: z.enum(ENTITY_KINDS),
  sector: code,
  subsector: code,
  adminUnit: code,
  size: z.enum(SIZES),
  annualTurnover: z.number().int().min(0).max(1e16).nullable(),
  website: z.url().max(300).nullable(),
  parentId: z.uuid().nullable(),
};

export const EntityInput = z.object({
  ...entityFields,
  nameUr: entityFields.nameUr.default(null),
  annualTurnover: entityFields.annualTurnover.default(null),
  website: entityFields.website.default(null),
  parentId: entityFields.parentId.default(null),
});
export type EntityInput = z.infer<typeof EntityInput>;

/** Only the fields sent change; nothing here has a default. */
export const EntityPatch = z
  .object(entityFields)
  .omit({ registrationNo: true })
  .partial()
  .extend({ version: z.number().int().min(1), reason: PlainText(1000).optional() });
export type EntityPatch = z.infer<typeof EntityPatch>;
