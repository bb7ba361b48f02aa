/**
 * Monthly roll-ups of every ledger: per area and month of the ledger's date, the number of live
 * records and the sum of each numeric column. Kept exact in the writing transaction by triggers in
 * the database itself (record edits, deletions and restores, corrections), except for rows an
 * import inserts, which the import adds up and writes per area and month. The metric engine answers count and sum queries that
 * filter only by area and date from them (store/rollups.ts): a year of a district's million
 * inspections becomes some 30,000 rows.
 */
import { sql, type Kysely } from 'kysely';
import type { DbKind } from '../dialect.ts';

/** Frozen on this date from the catalogue (a test fails when the catalogue drifts from it). */
export const ROLLUPS_2026_11_29: Record<string, { date: string; sums: string[] }> = {
  members: { date: 'joined_on', sums: [] },
  applicants: { date: 'applied_on', sums: [] },
  meetings: { date: 'date', sums: ['expected', 'present'] },
  activities: { date: 'date', sums: ['participants'] },
  projects: { date: 'started_on', sums: [] },
  documents: { date: 'published_on', sums: [] },
  visits: { date: 'date', sums: ['solved'] },
  services: { date: 'reported_on', sums: [] },
  cadres: { date: 'entered_on', sums: [] },
  elections: { date: 'date', sums: ['elected'] },
  petitions: { date: 'registered_on', sums: ['persons'] },
  hotline: { date: 'received_on', sums: ['limit_days'] },
  inspections: { date: 'date', sums: ['hazards', 'rectified'] },
  incidents: { date: 'date', sums: ['deaths', 'injuries'] },
  works: { date: 'date', sums: ['quantity'] },
  facilities: { date: 'built_on', sums: [] },
  funds: { date: 'date', sums: ['amount'] },
  trainings: { date: 'date', sums: ['participants'] },
  brands: { date: 'recognized_on', sums: [] },
};

// Identifiers below come from the frozen list above, never from input.
const id = (s: string) => {
  if (!/^[a-z_]+$/.test(s)) throw new Error(`bad identifier ${s}`);
  return s;
};

export async function createRollup(db: Kysely<any>, kind: DbKind, key: string, spec: { date: string; sums: string[] }): Promise<void> {
  const ru = id(`ru_${key}`);
  const lg = id(`lg_${key}`);
  const date = id(spec.date);
  const sums = spec.sums.map(id);
  const sumCols = sums.map((c) => `, s_${c} bigint not null default 0`).join('');
  await sql.raw(`create table ${ru} (area_id integer not null references areas(id), month text not null, n bigint not null default 0${sumCols}, primary key (area_id, month))`).execute(db);

  const month = (row: 'new' | 'old') => `coalesce(substr(${row}.${date}, 1, 7), '')`;
  const cols = ['area_id', 'month', 'n', ...sums.map((c) => `s_${c}`)].join(', ');
  const vals = (row: 'new' | 'old') => [`${row}.area_id`, month(row), '1', ...sums.map((c) => `coalesce(${row}.${c}, 0)`)].join(', ');
  const plus = ['n = ' + ru + '.n + 1', ...sums.map((c) => `s_${c} = ${ru}.s_${c} + excluded.s_${c}`)].join(', ');
  const minus = ['n = n - 1', ...sums.map((c) => `s_${c} = s_${c} - coalesce(old.${c}, 0)`)].join(', ');
  const add = (where: string) => `insert into ${ru} (${cols}) select ${vals('new')} where ${where} on conflict (area_id, month) do update set ${plus}`;
  const remove = `update ${ru} set ${minus} where area_id = old.area_id and month = ${month('old')}`;
  const watched = ['area_id', date, 'deleted_at', ...sums].join(', ');

  if (kind === 'sqlite') {
    // Rows an import inserts (import_id set) are added by the import itself, per area and month
    // in one statement each (store/ledger-import.ts): a trigger per row cost more than the insert.
    await sql.raw(`create trigger ${ru}_ins after insert on ${lg} when new.deleted_at is null and new.import_id is null begin ${add('true')}; end`).execute(db);
    await sql.raw(`create trigger ${ru}_del after delete on ${lg} when old.deleted_at is null begin ${remove}; end`).execute(db);
    await sql.raw(`create trigger ${ru}_upd after update of ${watched} on ${lg} begin ${remove} and old.deleted_at is null; ${add('new.deleted_at is null')}; end`).execute(db);
  } else {
    await sql
      .raw(
        `create function ${ru}_trg() returns trigger language plpgsql as $$ begin
           if tg_op in ('UPDATE', 'DELETE') and old.deleted_at is null then ${remove}; end if;
           if (tg_op = 'UPDATE' or (tg_op = 'INSERT' and new.import_id is null)) and new.deleted_at is null then ${add('true')}; end if;
           return null;
         end $$`,
      )
      .execute(db);
    await sql.raw(`create trigger ${ru}_ins_del after insert or delete on ${lg} for each row execute function ${ru}_trg()`).execute(db);
    await sql.raw(`create trigger ${ru}_upd after update of ${watched} on ${lg} for each row execute function ${ru}_trg()`).execute(db);
  }
  // What is already there.
  const totals = ['count(*)', ...sums.map((c) => `coalesce(sum(${c}), 0)`)].join(', ');
  await sql.raw(`insert into ${ru} (${cols}) select area_id, coalesce(substr(${date}, 1, 7), ''), ${totals} from ${lg} where deleted_at is null group by area_id, coalesce(substr(${date}, 1, 7), '')`).execute(db);
}

export async function up(db: Kysely<any>, kind: DbKind): Promise<void> {
  for (const [key, spec] of Object.entries(ROLLUPS_2026_11_29)) await createRollup(db, kind, key, spec);
}
