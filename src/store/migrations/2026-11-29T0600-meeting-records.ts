/**
 * A meeting's full record beyond its ledger row: host, recorder, agenda with the 第一议题, minutes,
 * decisions; attendance per member from the branch's roster on that day; and attachments (photos,
 * PDF) stored in the database with their checksum, so a backup holds them too.
 */
import type { Kysely } from 'kysely';
import { withIdColumn, type DbKind } from '../dialect.ts';

export async function up(db: Kysely<any>, kind: DbKind): Promise<void> {
  await db.schema
    .createTable('meeting_details')
    .addColumn('meeting_id', 'integer', (c) => c.primaryKey().references('lg_meetings.id'))
    .addColumn('host', 'text')
    .addColumn('recorder', 'text')
    .addColumn('agenda', 'text')
    .addColumn('minutes', 'text')
    .addColumn('decisions', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();

  await withIdColumn(kind, db.schema.createTable('meeting_attendance'))
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('lg_meetings.id'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('lg_members.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_attendance_meeting').on('meeting_attendance').columns(['meeting_id', 'member_id']).unique().execute();

  await withIdColumn(kind, db.schema.createTable('meeting_attachments'))
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('lg_meetings.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', kind === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .execute();
  await db.schema.createIndex('meeting_attachments_meeting').on('meeting_attachments').column('meeting_id').execute();
}
