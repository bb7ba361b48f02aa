/**
 * Branch committees (支部委员会) over time: a branch of 7 or more full members must have one
 * (支部工作条例 ch. 6), monthly 支委会 are judged only while it exists, and its size is the quorum
 * base of those meetings. Also 党小组 are organizations already (kind 党小组).
 */
import type { Kysely } from 'kysely';
import { withIdColumn, type DbKind } from '../dialect.ts';

export async function up(db: Kysely<any>, kind: DbKind): Promise<void> {
  await withIdColumn(kind, db.schema.createTable('org_committees'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('established_on', 'text', (c) => c.notNull())
    .addColumn('ended_on', 'text')
    .addColumn('members', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .execute();
  await db.schema.createIndex('org_committees_org').on('org_committees').columns(['org_id', 'established_on']).execute();
}
