/**
 * The member register beyond the import columns (籍贯, 工作单位, 党内职务, 流动党员, 党籍状态,
 * and 出生日期 from the 公民身份号码), and organization-relationship transfers (组织关系转接).
 */
import type { Kysely } from 'kysely';
import { withIdColumn, type DbKind } from '../dialect.ts';

export async function up(db: Kysely<any>, kind: DbKind): Promise<void> {
  for (const [name, type] of [
    ['native_place', 'text'],
    ['employer', 'text'],
    ['party_post', 'text'],
    ['mobile', 'integer'],
    ['status', 'text'],
    ['birth_date', 'text'],
  ] as const) {
    await db.schema.alterTable('lg_members').addColumn(name, type).execute();
  }
  await db.schema.createIndex('lg_members_org_ref').on('lg_members').column('org_ref').execute();

  await withIdColumn(kind, db.schema.createTable('member_transfers'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('lg_members.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('from_org_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('to_org_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('outside_unit', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .execute();
  await db.schema.createIndex('member_transfers_member').on('member_transfers').columns(['member_id', 'date']).execute();
}
