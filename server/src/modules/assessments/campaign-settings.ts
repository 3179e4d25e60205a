import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../config.ts';
import { addDays, parseIsoDate, toIsoDate } from '../../platform/jurisdiction/time.ts';
import { jurisdictionInstant, type InZone } from '../../platform/jurisdiction/today.ts';

/** How campaigns are run (catalogs/assessments/<jurisdiction>/<version>.json), versioned like every rule. */
export const CampaignSettings = z.object({
  version: z.string().min(1),
  effectiveFrom: z.iso.date(),
  description: z.string().default(''),
  /** Days before the due date on which entities that have not submitted are reminded. */
  reminderDaysBeforeDue: z.array(z.number().int().min(1).max(365)).max(10),
  /** The jurisdiction's wall-clock time (HH:MM) at which a reminder goes out. */
  reminderLocalTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 09:30'),
});
export type CampaignSettings = z.infer<typeof CampaignSettings>;

export function loadCampaignSettings(catalogDir: string, jurisdiction: string): CampaignSettings[] {
  const dir = path.join(catalogDir, 'assessments', jurisdiction);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const parsed = CampaignSettings.safeParse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
      if (!parsed.success)
        throw new ConfigError(
          `The campaign settings ${f} are invalid at ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}.`,
        );
      return parsed.data;
    })
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

export function campaignSettingsOn(sets: CampaignSettings[], date: string): CampaignSettings | null {
  return sets.filter((s) => s.effectiveFrom <= date).at(-1) ?? null;
}

/** The moment a campaign's submissions close: the end of the due day plus the grace days, in the jurisdiction. */
export function campaignClosesAt(dueOn: string, graceDays: number, zone: InZone): Date {
  return jurisdictionInstant(toIsoDate(addDays(parseIsoDate(dueOn), graceDays + 1)), '00:00', zone);
}

/** When the reminder `days` before the due date goes out, on the jurisdiction's clock. */
export function reminderAt(dueOn: string, days: number, settings: CampaignSettings, zone: InZone): Date {
  return jurisdictionInstant(
    toIsoDate(addDays(parseIsoDate(dueOn), -days)),
    settings.reminderLocalTime,
    zone,
  );
}
