/**
 * Runs the dated migrations in order. They live in code (not found on disk at run time), so the
 * list below is the single source of truth and works the same from tsx and from tests.
 */
import { Migrator, type Kysely, type Migration } from 'kysely';
import type { DbKind } from './dialect.ts';
import type { Store } from './db.ts';
import * as m20261129Foundation from './migrations/2026-11-29T0100-foundation.ts';
import * as m20261129Ledgers from './migrations/2026-11-29T0200-ledgers.ts';
import * as m20261129Findings from './migrations/2026-11-29T0300-findings-recruitment.ts';

type DatedMigration = { up(db: Kysely<any>, kind: DbKind): Promise<void> };

const MIGRATIONS: Record<string, DatedMigration> = {
  '2026-11-29T0100-foundation': m20261129Foundation,
  '2026-11-29T0200-ledgers': m20261129Ledgers,
  '2026-11-29T0300-findings-recruitment': m20261129Findings,
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
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
