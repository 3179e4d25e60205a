import type { Clock } from '../clock.ts';
import { fromZoned, parseIsoDate, toIsoDate, zonedParts } from './time.ts';

/** What the local day needs from a jurisdiction profile. */
export interface InZone {
  timeZone: string;
}

/**
 * The jurisdiction's calendar date (YYYY-MM-DD) at an instant. "Which rule is in force" and "is this
 * due" are asked in the jurisdiction's day, not UTC's: at 00:30 in Karachi it is still yesterday in UTC.
 */
export function jurisdictionDate(instant: Date, profile: InZone): string {
  const p = zonedParts(instant, profile.timeZone);
  return toIsoDate({ year: p.year, month: p.month, day: p.day });
}

/** Today in the jurisdiction, from the clock every module shares. */
export function jurisdictionToday(clock: Clock, profile: InZone): string {
  return jurisdictionDate(clock.now(), profile);
}

/** The instant at which the jurisdiction's wall clock shows `time` (HH:MM) on `date` (YYYY-MM-DD). */
export function jurisdictionInstant(date: string, time: string, profile: InZone): Date {
  const [hour, minute] = time.split(':').map(Number);
  return fromZoned(parseIsoDate(date), hour!, minute!, 0, 0, profile.timeZone);
}
