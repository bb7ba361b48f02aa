/**
 * Personal data leaving the platform: every export is logged (who, when, which ledger, filters,
 * rows, masked or not, the file's checksum), and the right to export unmasked 公民身份号码 /
 * 手机号码 is a per-user grant that only a security administrator gives.
 */
import type { Kysely } from 'kysely';
import { withIdColumn, type DbKind } from '../dialect.ts';

export async function up(db: Kysely<any>, kind: DbKind): Promise<void> {
  await withIdColumn(kind, db.schema.createTable('export_log'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('username', 'text')
    .addColumn('ip', 'text')
    .addColumn('ledger', 'text', (c) => c.notNull())
    .addColumn('area_path', 'text')
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('unmasked', 'integer', (c) => c.notNull())
    .addColumn('rows', 'integer')
    .addColumn('sha256', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('export_log_at').on('export_log').column('at').execute();

  await db.schema
    .createTable('export_grants')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'integer')
    .execute();
}
