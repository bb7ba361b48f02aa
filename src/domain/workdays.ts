/**
 * Working days on the official calendar: statutory holidays off, 调休 make-up Saturdays and
 * Sundays on (chinese-days, which carries the State Council notices; reference: domain-rules §8).
 * The package knows a fixed range of years; a date outside it is reported, never guessed.
 */
import chineseDays from 'chinese-days';

/** Years whose holiday notice the bundled calendar carries. */
export const CALENDAR_FIRST_YEAR = 2004;
export const CALENDAR_LAST_YEAR = 2026;

export function calendarCovers(date: string): boolean {
  const y = Number(date.slice(0, 4));
  return y >= CALENDAR_FIRST_YEAR && y <= CALENDAR_LAST_YEAR;
}

export function isWorkday(date: string): boolean {
  // chinese-days reads a date string as UTC midnight but then asks for the local weekday, which
  // is the day before west of UTC; a local-midnight Date is the same day in every time zone.
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return chineseDays.isWorkday(new Date(y, m - 1, d));
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The same day `months` calendar months later, clamped to the month's end (01-31 + 1 → 02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * The n-th working day after `start` (the start day itself not counted), or null when the count
 * runs into a year the calendar does not cover.
 */
export function addWorkdays(start: string, n: number): string | null {
  let d = start;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (!calendarCovers(d)) return null;
    if (isWorkday(d)) left--;
  }
  return d;
}

/** Working days in [from, to], both included; null outside the calendar. */
export function workdaysBetween(from: string, to: string): number | null {
  if (!calendarCovers(from) || !calendarCovers(to)) return null;
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) if (isWorkday(d)) n++;
  return n;
}

/** Today's date in Asia/Shanghai. */
export function todayInShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
