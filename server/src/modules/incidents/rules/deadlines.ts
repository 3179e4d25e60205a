import type { BusinessCalendar } from '../../../platform/jurisdiction/business-calendar.ts';
import { addDays, fromZoned, zonedParts } from '../../../platform/jurisdiction/time.ts';
import { holds, type IncidentFacts } from './conditions.ts';
import type { ClockRule, ReportingRuleSet, Stage } from './rule-set.ts';

/** The instants of an incident that clocks can start from. */
export interface IncidentInstants {
  awareness: Date;
  classification: Date;
  detection: Date | null;
}

export type DutyStatus = 'not_required' | 'waiting' | 'due' | 'overdue' | 'met' | 'met_late';

export interface DutyPlan {
  stage: Stage;
  owed: boolean;
  dueAt: Date | null;
  /** The stage whose report starts this clock, while that report is still outstanding. */
  waitingOn: string | null;
  /** How the deadline was computed, in words, for the entity and for a later decision letter. */
  basis: string;
}

const HOUR = 3_600_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Adds one clock's length to a start, in the jurisdiction's local time where the unit is a calendar unit. */
export function addClock(start: Date, clock: ClockRule, cal: BusinessCalendar): Date {
  if (clock.hours !== undefined) return new Date(start.getTime() + clock.hours * HOUR);
  if (clock.businessDays !== undefined) return cal.addBusinessDays(start, clock.businessDays);
  const p = zonedParts(start, cal.timeZone);
  const ms = start.getUTCMilliseconds();
  if (clock.days !== undefined) {
    const d = addDays({ year: p.year, month: p.month, day: p.day }, clock.days);
    return fromZoned(d, p.hour, p.minute, p.second, ms, cal.timeZone);
  }
  // Months keep the day of month, clamped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb).
  const total = p.year * 12 + (p.month - 1) + clock.months!;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const day = Math.min(p.day, daysInMonth(year, month));
  return fromZoned({ year, month, day }, p.hour, p.minute, p.second, ms, cal.timeZone);
}

export function clockLength(c: ClockRule): string {
  if (c.hours !== undefined) return `${c.hours} hour${c.hours === 1 ? '' : 's'}`;
  if (c.days !== undefined) return `${c.days} calendar day${c.days === 1 ? '' : 's'}`;
  if (c.businessDays !== undefined) return `${c.businessDays} business day${c.businessDays === 1 ? '' : 's'}`;
  return `${c.months} month${c.months === 1 ? '' : 's'}`;
}

export function localStamp(d: Date, cal: BusinessCalendar): string {
  const p = zonedParts(d, cal.timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)} (${cal.timeZone})`;
}

/**
 * Works out every stage of one regime for one incident: whether it is owed, and when. A clock that
 * runs from an earlier stage waits until that stage is met; when the earlier stage is not owed at
 * all, the clock runs from wherever that stage's own clock would have started.
 */
export function planDuties(
  rules: ReportingRuleSet,
  facts: IncidentFacts,
  at: IncidentInstants,
  met: ReadonlyMap<string, Date>,
  cal: BusinessCalendar,
): DutyPlan[] {
  const byCode = new Map(rules.stages.map((s) => [s.code, s]));
  const owed = new Map(rules.stages.map((s) => [s.code, !s.when || holds(s.when, facts)]));

  // Only the first letter is lowered, so acronyms survive: "the report to PTA", not "the report to pta".
  const nameOf = (s: { name: { en: string } }) =>
    `the ${s.name.en.charAt(0).toLowerCase()}${s.name.en.slice(1)}`;
  const startOf = (from: string): { at: Date | null; label: string; waitingOn: string | null } => {
    if (from === 'awareness') return { at: at.awareness, label: 'awareness', waitingOn: null };
    if (from === 'classification') return { at: at.classification, label: 'classification', waitingOn: null };
    if (from === 'detection')
      return { at: at.detection ?? at.awareness, label: 'detection', waitingOn: null };
    const code = from.slice('stage:'.length);
    const stage = byCode.get(code)!;
    const metAt = met.get(code);
    if (metAt) return { at: metAt, label: nameOf(stage), waitingOn: null };
    if (!owed.get(code)) return startOf(stage.clock.from);
    return { at: null, label: nameOf(stage), waitingOn: code };
  };

  return rules.stages.map((stage) => {
    if (!owed.get(stage.code))
      return { stage, owed: false, dueAt: null, waitingOn: null, basis: 'Not owed for this incident.' };
    let due: Date | null = null;
    let basis = '';
    let waitingOn: string | null = null;
    for (const [i, clock] of [stage.clock, ...stage.notLaterThan].entries()) {
      const start = startOf(clock.from);
      const phrase = `${clockLength(clock)} after ${start.label}`;
      if (!start.at) {
        if (i === 0) waitingOn = start.waitingOn;
        basis ||= `${phrase}, once it is submitted`;
        continue;
      }
      const candidate = addClock(start.at, clock, cal);
      if (!due || candidate < due) {
        due = candidate;
        basis = `${phrase} (${localStamp(start.at, cal)})`;
      }
    }
    if (due && stage.nonWorkingDayMovesTo) {
      const moved = cal.rollForward(due, stage.nonWorkingDayMovesTo.hour, stage.nonWorkingDayMovesTo.minute);
      if (moved.getTime() !== due.getTime()) {
        basis += `, moved from a non-working day to ${localStamp(moved, cal)}`;
        due = moved;
      }
    }
    return { stage, owed: true, dueAt: due, waitingOn: due ? null : waitingOn, basis };
  });
}

/** A duty's state at `now`, given when (if ever) a report met it. */
export function dutyStatus(
  plan: Pick<DutyPlan, 'owed' | 'dueAt'>,
  metAt: Date | null,
  now: Date,
): DutyStatus {
  if (!plan.owed) return 'not_required';
  if (metAt) return plan.dueAt && metAt > plan.dueAt ? 'met_late' : 'met';
  if (!plan.dueAt) return 'waiting';
  return now > plan.dueAt ? 'overdue' : 'due';
}
