/**
 * Compliance of 组织生活 for every organization of a scope at once: one SQL query counts the
 * meetings that count (quorate) and those that do not, per organization, type and month; the
 * pure evaluator judges them against the rules.
 */
import { sql } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { ledgerByKey } from '../domain/ledgers/catalogue.ts';
import { emptyMonths, evaluate, type MeetingCounts, type OrgForCompliance } from '../domain/compliance/evaluate.ts';
import { DEFAULT_RULES, tightenRules, type MeetingRule } from '../domain/compliance/rules.ts';
import type { Store } from './db.ts';
import { cachedWhileUnchanged } from './head-cache.ts';
import { baseQuery } from './ledger.repository.ts';
import { inScope, type Scope } from './scope.ts';
import type { Reader, Write } from './unit-of-work.ts';

const MEETINGS = ledgerByKey('meetings')!;

export async function getMeetingRules(db: Reader): Promise<MeetingRule[]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'compliance.rules').executeTakeFirst();
  if (!row) return DEFAULT_RULES;
  return tightenRules(JSON.parse(row.value) as Record<string, number>).rules;
}

export async function setMeetingRules(w: Write, overrides: Record<string, number>): Promise<MeetingRule[]> {
  const { rules, errors } = tightenRules(overrides);
  if (errors.length) throw new AppError('VALIDATION_FAILED', errors[0], errors.map((message) => ({ message })));
  const stamp = w.now.toISOString();
  const value = JSON.stringify(overrides);
  const exists = await w.trx.selectFrom('settings').select('key').where('key', '=', 'compliance.rules').executeTakeFirst();
  if (exists) await w.trx.updateTable('settings').set({ value, updated_at: stamp, updated_by: w.actor.userId }).where('key', '=', 'compliance.rules').execute();
  else await w.trx.insertInto('settings').values({ key: 'compliance.rules', value, updated_at: stamp, updated_by: w.actor.userId }).execute();
  await w.audit({ action: 'settings', entity: 'settings', entityId: 'compliance.rules', after: overrides });
  return rules;
}

/** 组织生活 of every organization in the scope, as of a date (cached while no write happens: head-cache.ts). */
export async function compliance(store: Store, scope: Scope, year: number, asOf: string): Promise<ReturnType<typeof evaluate>> {
  return cachedWhileUnchanged(store.db, `compliance|${scope.path ?? '*'}|${year}|${asOf}`, () => computeCompliance(store, scope, year, asOf));
}

async function computeCompliance(store: Store, scope: Scope, year: number, asOf: string) {
  const rules = await getMeetingRules(store.db);
  const kinds = [...new Set(rules.map((r) => r.orgKind))];
  const orgRows = await store.db
    .selectFrom('orgs as o')
    .innerJoin('areas as a', 'a.id', 'o.area_id')
    .select(['o.id', 'o.code', 'o.name', 'o.kind', 'o.founded_on', 'o.dissolved_on'])
    .where('o.kind', 'in', kinds)
    .where(inScope('a.path', scope))
    .orderBy('o.path')
    .execute();
  const committees = orgRows.length
    ? await store.db.selectFrom('org_committees').select(['org_id', 'established_on', 'ended_on']).where('org_id', 'in', orgRows.map((o) => o.id)).execute()
    : [];
  const committeesOf = new Map<number, typeof committees>();
  for (const c of committees) committeesOf.set(c.org_id, [...(committeesOf.get(c.org_id) ?? []), c]);
  const orgs: OrgForCompliance[] = orgRows.map((o) => ({
    id: o.id,
    code: o.code,
    name: o.name,
    kind: o.kind,
    foundedOn: o.founded_on,
    dissolvedOn: o.dissolved_on,
    committees: (committeesOf.get(o.id) ?? []).map((c) => ({ from: c.established_on, to: c.ended_on })),
  }));

  // Quorum (支部工作条例 arts. 12, 14): more than half of those who should attend — of the
  // members for a 党员大会, of the committee for a 支委会 (its size when 应到人数 is not given).
  const expected = sql`case when r.type = '支部委员会' then coalesce(r.expected, (select c.members from org_committees c where c.org_id = r.org_ref and c.established_on <= r.date and (c.ended_on is null or c.ended_on > r.date) order by c.established_on desc limit 1)) else r.expected end`;
  const below = sql<boolean>`(r.type in ('支部党员大会', '支部委员会') and r.present is not null and ${expected} > 0 and r.present * 2 <= ${expected})`;
  const month = sql<string>`substr(r.date, 1, 7)`;
  const rows = (await baseQuery(store.read, MEETINGS, scope)
    .select([
      sql<number>`r.org_ref`.as('org'),
      sql<string>`r.type`.as('type'),
      month.as('month'),
      sql<number>`sum(case when ${below} then 0 else 1 end)`.as('held'),
      sql<number>`sum(case when ${below} then 1 else 0 end)`.as('below'),
    ])
    .where('r.date', '>=', `${year}-01-01`)
    // As of a date: meetings after it (planned, or entered later) do not count yet.
    .where('r.date', '<=', asOf < `${year}-12-31` ? asOf : `${year}-12-31`)
    .groupBy([sql`r.org_ref`, sql`r.type`, month])
    .execute()) as Array<{ org: number; type: string; month: string; held: number; below: number }>;
  const counts: MeetingCounts = new Map();
  for (const r of rows) {
    const key = `${r.org}|${r.type}`;
    let c = counts.get(key);
    if (!c) counts.set(key, (c = emptyMonths()));
    const m = Number(r.month.slice(5, 7)) - 1;
    c.held[m] = Number(r.held);
    c.below[m] = Number(r.below);
  }
  return evaluate(year, asOf, orgs, rules, counts);
}

/** The meetings behind one cell: an organization, a type, a period (2023, 2023-Q2 or 2023-05). */
export function periodRange(period: string): { from: string; to: string } {
  if (/^\d{4}$/.test(period)) return { from: `${period}-01-01`, to: `${period}-12-31` };
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) {
    const y = Number(q[1]);
    const n = Number(q[2]);
    const end = new Date(Date.UTC(y, n * 3, 0)).getUTCDate();
    return { from: `${y}-${String(n * 3 - 2).padStart(2, '0')}-01`, to: `${y}-${String(n * 3).padStart(2, '0')}-${end}` };
  }
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) throw new AppError('VALIDATION_FAILED', '期间应为YYYY、YYYY-Qn或YYYY-MM');
  const end = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return { from: `${m[1]}-${m[2]}-01`, to: `${m[1]}-${m[2]}-${end}` };
}

/**
 * Meetings due in the coming weeks per organization: the periods not over yet (or starting
 * within the horizon) whose rule is not met so far, soonest deadline first.
 */
export async function dueMeetings(store: Store, scope: Scope, asOf: string, weeks: number) {
  const horizon = new Date(`${asOf}T00:00:00Z`);
  horizon.setUTCDate(horizon.getUTCDate() + weeks * 7);
  const until = horizon.toISOString().slice(0, 10);
  const years = [...new Set([Number(asOf.slice(0, 4)), Number(until.slice(0, 4))])];
  const out: Array<{ org: string; orgName: string; meetingType: string; period: string; required: number; held: number; deadline: string }> = [];
  for (const year of years) {
    const { rows } = await compliance(store, scope, year, asOf);
    for (const row of rows) {
      for (const cell of row.cells) {
        if (cell.status !== 'due') continue;
        const { from, to } = periodRange(cell.period);
        if (from > until) continue;
        out.push({ org: row.org, orgName: row.orgName, meetingType: cell.meetingType, period: cell.period, required: cell.required, held: cell.held, deadline: to });
      }
    }
  }
  return out.sort((a, b) => a.deadline.localeCompare(b.deadline) || a.org.localeCompare(b.org));
}
