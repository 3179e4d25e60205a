import { addDays, fromZoned, isoWeekday, toIsoDate, zonedParts, type LocalDate } from './time.ts';

/**
 * Working-day arithmetic for one jurisdiction: its time zone, its working week and its
 * public holidays. Pure, so deadline rules can be tested with any calendar.
 */
export class BusinessCalendar {
  private readonly working: Set<number>;
  constructor(
    readonly timeZone: string,
    workingDays: readonly number[],
    private readonly holidays: ReadonlySet<string>,
  ) {
    this.working = new Set(workingDays);
  }

  localDate(instant: Date): LocalDate {
    const p = zonedParts(instant, this.timeZone);
    return { year: p.year, month: p.month, day: p.day };
  }

  isHoliday(d: LocalDate): boolean {
    return this.holidays.has(toIsoDate(d));
  }

  isBusinessDay(d: LocalDate): boolean {
    return this.working.has(isoWeekday(d)) && !this.isHoliday(d);
  }

  /** The first business day on or after `d`. */
  nextBusinessDay(d: LocalDate): LocalDate {
    let cur = d;
    for (let i = 0; i < 366 && !this.isBusinessDay(cur); i++) cur = addDays(cur, 1);
    return cur;
  }

  /**
   * Adds `n` business days to an instant, keeping the local time of day: a report due
   * "4 business days" after Thursday 15:00 is due the following Wednesday 15:00 (no holidays).
   */
  addBusinessDays(instant: Date, n: number): Date {
    if (n < 0) throw new RangeError('addBusinessDays takes a non-negative count');
    const p = zonedParts(instant, this.timeZone);
    let d: LocalDate = { year: p.year, month: p.month, day: p.day };
    for (let left = n; left > 0;) {
      d = addDays(d, 1);
      if (this.isBusinessDay(d)) left--;
    }
    return fromZoned(d, p.hour, p.minute, p.second, instant.getUTCMilliseconds(), this.timeZone);
  }

  /** Moves an instant that falls on a non-business day to the given local time of the next business day. */
  rollForward(instant: Date, hour = 12, minute = 0): Date {
    const d = this.localDate(instant);
    if (this.isBusinessDay(d)) return instant;
    return fromZoned(this.nextBusinessDay(d), hour, minute, 0, 0, this.timeZone);
  }

  /** Business days strictly after `from`'s local date up to and including `to`'s. */
  businessDaysBetween(from: Date, to: Date): number {
    let d = this.localDate(from);
    const end = toIsoDate(this.localDate(to));
    let count = 0;
    for (let i = 0; i < 3660 && toIsoDate(d) < end; i++) {
      d = addDays(d, 1);
      if (this.isBusinessDay(d)) count++;
    }
    return count;
  }
}
