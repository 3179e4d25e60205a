import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../config.ts';

const Name = z.object({ en: z.string().min(1), ur: z.string().optional() }).catchall(z.string());

export const JurisdictionProfile = z
  .object({
    code: z.string().min(2).max(8),
    version: z.string().min(1),
    effectiveFrom: z.iso.date(),
    name: Name,
    timeZone: z.string().min(1),
    currency: z.string().length(3),
    languages: z.array(z.string().min(2)).min(1),
    defaultLanguage: z.string().min(2),
    workingDays: z.array(z.number().int().min(1).max(7)).min(1),
    // Statistical disclosure control of published aggregates (platform/disclosure), by effective date.
    disclosureControl: z
      .array(
        z.object({
          effectiveFrom: z.iso.date(),
          minCohort: z.number().int().min(2),
          minPercentileCohort: z.number().int().min(2),
          note: z.string().optional(),
        }),
      )
      .min(1),
    administrativeUnits: z
      .array(
        z.object({
          code: z.string(),
          kind: z.string(),
          name: Name,
          population: z.number().nullable().optional(),
        }),
      )
      .min(1),
    regulators: z
      .array(z.object({ code: z.string(), name: Name, website: z.string().nullable().optional() }))
      .min(1),
    sectors: z
      .array(
        z.object({
          code: z.string(),
          name: Name,
          subsectors: z.array(z.object({ code: z.string(), name: Name, regulator: z.string() })).min(1),
        }),
      )
      .min(1),
  })
  .superRefine((p, ctx) => {
    const regulators = new Set(p.regulators.map((r) => r.code));
    for (const s of p.sectors)
      for (const sub of s.subsectors)
        if (!regulators.has(sub.regulator))
          ctx.addIssue({
            code: 'custom',
            message: `subsector ${sub.code} names unknown regulator ${sub.regulator}`,
          });
    for (const d of p.disclosureControl)
      if (d.minPercentileCohort < d.minCohort)
        ctx.addIssue({
          code: 'custom',
          message: `disclosure control from ${d.effectiveFrom} asks fewer peers for percentiles than for any cell`,
        });
    try {
      new Intl.DateTimeFormat('en', { timeZone: p.timeZone });
    } catch {
      ctx.addIssue({ code: 'custom', message: `unknown time zone ${p.timeZone}` });
    }
  });
export type JurisdictionProfile = z.infer<typeof JurisdictionProfile>;

export const HolidayFile = z.object({
  jurisdiction: z.string(),
  year: z.number().int(),
  version: z.string(),
  effectiveFrom: z.iso.date(),
  holidays: z.array(z.object({ date: z.iso.date(), name: Name, provisional: z.boolean().default(false) })),
});
export type HolidayFile = z.infer<typeof HolidayFile>;

export interface JurisdictionCatalog {
  profile: JurisdictionProfile;
  holidayFiles: HolidayFile[];
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`The catalog file ${file} is not valid JSON (${(err as Error).message}).`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ConfigError(
      `The catalog file ${file} is invalid at ${i.path.join('.') || 'top level'}: ${i.message}.`,
    );
  }
  return parsed.data;
}

/** Loads catalogs/jurisdictions/<code>/profile.json and its holidays/<year>.json files. */
export function loadJurisdiction(catalogDir: string, code: string): JurisdictionCatalog {
  const dir = path.join(catalogDir, 'jurisdictions', code);
  const profileFile = path.join(dir, 'profile.json');
  if (!existsSync(profileFile)) {
    throw new ConfigError(
      `No jurisdiction profile at ${profileFile}; set QILA_JURISDICTION to one of the folders in ${path.join(catalogDir, 'jurisdictions')}.`,
    );
  }
  const profile = readJson(profileFile, JurisdictionProfile);
  const holidayDir = path.join(dir, 'holidays');
  const holidayFiles = existsSync(holidayDir)
    ? readdirSync(holidayDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => readJson(path.join(holidayDir, f), HolidayFile))
    : [];
  return { profile, holidayFiles };
}
