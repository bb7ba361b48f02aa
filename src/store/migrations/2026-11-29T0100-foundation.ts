/**
 * Foundation: area and organization trees, users, sessions, tokens, settings and the audit log.
 * Shipped migrations are never edited; change the schema with a new dated file.
 */
import { sql, type Kysely } from 'kysely';
import { createAuditGuards, withIdColumn, type DbKind } from '../dialect.ts';

function versioned<T extends string>(t: import('kysely').CreateTableBuilder<T, any>) {
  return t
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer');
}

export async function up(db: Kysely<any>, kind: DbKind): Promise<void> {
  await db.schema
    .createTable('unit_codes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('unit_type', 'text', (c) => c.notNull())
    .execute();

  await versioned(
    withIdColumn(kind, db.schema.createTable('areas'))
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'integer', (c) => c.references('areas.id'))
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('depth', 'integer', (c) => c.notNull())
      .addColumn('grid_type', 'text')
      .addColumn('retired_on', 'text'),
  ).execute();
  await db.schema.createIndex('areas_path').on('areas').column('path').execute();
  await db.schema.createIndex('areas_parent').on('areas').column('parent_id').execute();

  await versioned(
    withIdColumn(kind, db.schema.createTable('orgs'))
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'integer', (c) => c.references('orgs.id'))
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('depth', 'integer', (c) => c.notNull())
      .addColumn('area_id', 'integer', (c) => c.notNull().references('areas.id'))
      .addColumn('category', 'text')
      .addColumn('founded_on', 'text')
      .addColumn('dissolved_on', 'text'),
  ).execute();
  await db.schema.createIndex('orgs_path').on('orgs').column('path').execute();
  await db.schema.createIndex('orgs_parent').on('orgs').column('parent_id').execute();
  await db.schema.createIndex('orgs_area').on('orgs').column('area_id').execute();

  await versioned(
    withIdColumn(kind, db.schema.createTable('users'))
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text')
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('area_id', 'integer', (c) => c.references('areas.id'))
      .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('password_changed_at', 'text', (c) => c.notNull())
      .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'text')
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_login_at', 'text'),
  ).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await withIdColumn(kind, db.schema.createTable('api_tokens'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('username', 'text')
    .addColumn('ip', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('area_path', 'text')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_user').on('audit_log').column('user_id').execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id']).execute();

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('first_seq', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, seq, hash, first_seq) values (1, 0, ${'0'.repeat(64)}, 1)`.execute(db);
  await createAuditGuards(kind, db);
}
