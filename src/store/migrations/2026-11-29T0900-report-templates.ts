/** A street's own wording of its annual report: the template, per area and year (or for every year). */
import type { Kysely } from 'kysely';
import { withIdColumn, type DbKind } from '../dialect.ts';

export async function up(db: Kysely<any>, kind: DbKind): Promise<void> {
  await withIdColumn(kind, db.schema.createTable('report_templates'))
    .addColumn('area_id', 'integer', (c) => c.notNull().references('areas.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();
  await db.schema.createIndex('report_templates_area_year').on('report_templates').columns(['area_id', 'year']).unique().execute();
}
