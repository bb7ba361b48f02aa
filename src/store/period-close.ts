/**
 * 封账: a finalized annual report closes its area's year. Records dated in a closed year of an
 * area (or of an area under it) then change only through a correction a leader approves.
 */
import { AppError } from '../shared/errors.ts';
import type { Reader } from './unit-of-work.ts';

export interface ClosedPeriod {
  path: string;
  year: number;
}

export async function closedPeriods(db: Reader): Promise<ClosedPeriod[]> {
  const rows = await db.selectFrom('finalized_reports as f').innerJoin('areas as a', 'a.id', 'f.area_id').select(['a.path', 'f.year']).execute();
  return rows.map((r) => ({ path: r.path, year: Number(r.year) }));
}

export function closedFor(periods: ClosedPeriod[], areaPath: string | undefined, date: unknown): ClosedPeriod | undefined {
  if (!areaPath || typeof date !== 'string') return undefined;
  const year = Number(date.slice(0, 4));
  return periods.find((p) => p.year === year && areaPath.startsWith(p.path));
}

/** Refuses a change to a record of a closed period (unless it is an approved correction). */
export function assertOpen(periods: ClosedPeriod[], areaPath: string | undefined, date: unknown): void {
  const closed = closedFor(periods, areaPath, date);
  if (closed) {
    throw new AppError('CONFLICT', `${closed.year}年度已封账，该期间的记录不能直接修改，请提交更正申请，由领导审批后生效`);
  }
}
