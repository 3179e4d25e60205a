import { z } from 'zod';

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

export const EntityListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  sector: z.string().max(60).optional(),
  adminUnit: z.string().max(20).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const Count = z.object({ key: z.string(), count: z.number() });
export const RegistryOverview = z.object({
  total: z.number(),
  bySector: z.array(Count),
  byAdminUnit: z.array(Count),
  byTier: z.array(Count),
});
export type RegistryOverview = z.infer<typeof RegistryOverview>;
