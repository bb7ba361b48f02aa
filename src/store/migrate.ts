/**
 * Runs the dated migrations in order. They live in code (not found on disk at run time), so the
 * list below is the single source of truth and works the same from tsx and from tests.
 */
import { Migrator, type Kysely, type Migration } from 'kysely';
import { idBirthDate } from '../domain/id-number.ts';
import type { DbKind } from './dialect.ts';
import type { Store } from './db.ts';
import * as m20261129Foundation from './migrations/2026-11-29T0100-foundation.ts';
import * as m20261129Ledgers from './migrations/2026-11-29T0200-ledgers.ts';
import * as m20261129Findings from './migrations/2026-11-29T0300-findings-recruitment.ts';
import * as m20261129Register from './migrations/2026-11-29T0400-member-register.ts';
import * as m20261129Committees from './migrations/2026-11-29T0500-org-committees.ts';
import * as m20261129Meetings from './migrations/2026-11-29T0600-meeting-records.ts';
import * as m20261129Finalize from './migrations/2026-11-29T0700-report-finalize.ts';
import * as m20261129Targets from './migrations/2026-11-29T0800-targets.ts';
import * as m20261129Templates from './migrations/2026-11-29T0900-report-templates.ts';
import * as m20261129TwoFactor from './migrations/2026-11-29T1000-two-factor.ts';
import * as m20261129ExportLog from './migrations/2026-11-29T1100-export-log.ts';
import * as m20261129Rollups from './migrations/2026-11-29T1200-rollups.ts';
import * as m20261129LiveIndexes from './migrations/2026-11-29T1300-live-indexes.ts';

type DatedMigration = { up(db: Kysely<any>, kind: DbKind): Promise<void> };

const MIGRATIONS: Record<string, DatedMigration> = {
  '2026-11-29T0100-foundation': m20261129Foundation,
  '2026-11-29T0200-ledgers': m20261129Ledgers,
  '2026-11-29T0300-findings-recruitment': m20261129Findings,
  '2026-11-29T0400-member-register': m20261129Register,
  '2026-11-29T0500-org-committees': m20261129Committees,
  '2026-11-29T0600-meeting-records': m20261129Meetings,
  '2026-11-29T0700-report-finalize': m20261129Finalize,
  '2026-11-29T0800-targets': m20261129Targets,
  '2026-11-29T0900-report-templates': m20261129Templates,
  '2026-11-29T1000-two-factor': m20261129TwoFactor,
  '2026-11-29T1100-export-log': m20261129ExportLog,
  '2026-11-29T1200-rollups': m20261129Rollups,
  '2026-11-29T1300-live-indexes': m20261129LiveIndexes,
};

export interface MigrateResult {
  applied: string[];
}

export async function migrate(store: Store): Promise<MigrateResult> {
  const migrations: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS)) {
    migrations[name] = { up: (db) => m.up(db, store.kind) };
  }
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  await backfillBirthDates(store);
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/**
 * 出生日期 of members stored before the column existed, read from their encrypted 公民身份号码
 * (which only the application can decrypt, so this cannot be plain SQL in the migration).
 */
async function backfillBirthDates(store: Store): Promise<void> {
  const db = store.db as unknown as Kysely<any>;
  const rows = (await db.selectFrom('lg_members').select(['id', 'id_number_enc']).where('birth_date', 'is', null).where('id_number_enc', 'is not', null).execute()) as Array<{ id: number; id_number_enc: string }>;
  for (const r of rows) {
    const id = store.cipher.decrypt(r.id_number_enc);
    if (id.length === 18) await db.updateTable('lg_members').set({ birth_date: idBirthDate(id) }).where('id', '=', r.id).execute();
  }
}
