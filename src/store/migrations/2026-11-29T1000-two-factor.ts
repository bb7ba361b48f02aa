/**
 * Two-factor sign-in (TOTP, RFC 6238): the user's secret (encrypted with the field cipher), a
 * secret awaiting confirmation, when it was confirmed, the last time step accepted (replay
 * protection), and single-use recovery codes stored only as keyed hashes.
 */
import type { Kysely } from 'kysely';
import { withIdColumn, type DbKind } from '../dialect.ts';

export async function up(db: Kysely<any>, kind: DbKind): Promise<void> {
  await db.schema.alterTable('users').addColumn('totp_secret_enc', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_pending_enc', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_enabled_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
  await withIdColumn(kind, db.schema.createTable('recovery_codes'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('recovery_codes_user').on('recovery_codes').columns(['user_id', 'code_hash']).unique().execute();
}
