/** Targets (目标责任): a metric query, a comparison and threshold, per year / quarter / month, owned by an area; a street target may be split among its communities. */
import type { Kysely } from 'kysely';
import { withIdColumn, type DbKind } from '../dialect.ts';

export async function up(db: Kysely<any>, kind: DbKind): Promise<void> {
  await withIdColumn(kind, db.schema.createTable('targets'))
    .addColumn('area_id', 'integer', (c) => c.notNull().references('areas.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('ledger', 'text', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('date_field', 'text')
    .addColumn('q', 'text')
    .addColumn('comparison', 'text', (c) => c.notNull())
    .addColumn('threshold', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('targets.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();
  await db.schema.createIndex('targets_area_year').on('targets').columns(['area_id', 'year']).execute();
}
