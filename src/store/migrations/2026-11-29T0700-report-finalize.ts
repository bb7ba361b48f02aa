/**
 * 封账: finalized annual reports (their JSON and Word bytes, with a hash) and closed periods,
 * after which records of that area and year change only through corrections a leader approves.
 */
import type { Kysely } from 'kysely';
import { withIdColumn, type DbKind } from '../dialect.ts';

export async function up(db: Kysely<any>, kind: DbKind): Promise<void> {
  await withIdColumn(kind, db.schema.createTable('finalized_reports'))
    .addColumn('area_id', 'integer', (c) => c.notNull().references('areas.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('report_json', 'text', (c) => c.notNull())
    .addColumn('docx', kind === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .execute();
  await db.schema.createIndex('finalized_reports_area_year').on('finalized_reports').columns(['area_id', 'year']).unique().execute();

  await withIdColumn(kind, db.schema.createTable('corrections'))
    .addColumn('ledger', 'text', (c) => c.notNull())
    .addColumn('record_id', 'integer', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('area_id', 'integer', (c) => c.notNull().references('areas.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'integer')
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'integer')
    .execute();
}
