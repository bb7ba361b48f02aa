/**
 * Findings kept on records (warnings of imports and checks: history that breaks no hard rule but
 * deserves a look), and the dated steps of 发展党员 recorded on an applicant.
 */
import type { Kysely } from 'kysely';
import { withIdColumn, type DbKind } from '../dialect.ts';

export async function up(db: Kysely<any>, kind: DbKind): Promise<void> {
  await withIdColumn(kind, db.schema.createTable('record_findings'))
    .addColumn('ledger', 'text', (c) => c.notNull())
    .addColumn('record_id', 'integer', (c) => c.notNull())
    .addColumn('field', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('record_findings_record').on('record_findings').columns(['ledger', 'record_id']).execute();

  await withIdColumn(kind, db.schema.createTable('recruitment_steps'))
    .addColumn('applicant_id', 'integer', (c) => c.notNull().references('lg_applicants.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .addColumn('rule_set', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .execute();
  await db.schema.createIndex('recruitment_steps_applicant').on('recruitment_steps').columns(['applicant_id', 'date']).execute();
}
