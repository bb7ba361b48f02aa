/**
 * `jiceng keys rotate`: a new master key for the encrypted fields (公民身份号码, 手机号码).
 *
 * 1. The new key file is written beside the old one as `KEYFILE.new` (mode 0600), holding the new
 *    master key and the audit chain's key, which does not rotate (keys.ts): entries already
 *    written keep verifying, and entries to come are chained with the same key.
 * 2. One write transaction re-encrypts every encrypted column of every ledger (deleted records too)
 *    and recomputes its HMAC lookup column, re-encrypts the users' two-factor secrets, records the new key's fingerprint in `settings`, and
 *    appends an audit entry (table and row counts, the two fingerprints — never a key).
 * 3. After the commit the old key file is copied to `KEYFILE.YYYYMMDDTHHMMSSZ.bak` (mode 0600; it is
 *    what decrypts backups made before the rotation) and `KEYFILE.new` is renamed over KEYFILE.
 *
 * A crash before the commit leaves the database and KEYFILE as they were (a stale `.new` is
 * removed by the next run); a crash between the commit and the rename is finished by the next
 * `jiceng keys rotate`, which sees that the database carries the `.new` key's fingerprint.
 * Servers hold the key in memory: stop them while rotating.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { LEDGERS } from '../domain/ledgers/catalogue.ts';
import { fieldColumns, ledgerTable } from '../domain/ledgers/columns.ts';
import type { Store } from './db.ts';
import { fieldCipher, keyFilePath, keyFileText, loadMasterKey, type FieldCipher } from './keys.ts';
import { withWrite, type Actor } from './unit-of-work.ts';

const FINGERPRINT_SETTING = 'field_key_fingerprint';
const PAGE = 1000;

/** A key's public name: an HMAC of a fixed label, so it can be logged and compared. */
export function keyFingerprint(master: Buffer): string {
  return createHmac('sha256', master).update('jiceng:key-fingerprint').digest('hex').slice(0, 16);
}

/** The key file a store of this database reads (the same rule as db.ts). */
export function storeKeyFile(store: Store): string {
  return keyFilePath(store.file) ?? resolve('./data/jiceng.key');
}

export interface EncryptedColumn {
  table: string;
  enc: string;
  /** The HMAC lookup column beside it, if it has one. */
  hash: string | null;
}

/**
 * Every column the field cipher writes: 公民身份号码 / 手机号码 of every ledger (with their lookup
 * hashes) and the users' two-factor secrets (no lookup). Only columns the schema has are returned.
 */
export async function encryptedColumns(store: Store): Promise<EncryptedColumn[]> {
  const out: EncryptedColumn[] = [];
  for (const def of LEDGERS) {
    for (const f of def.fields) {
      if (f.type !== 'idNumber' && f.type !== 'phone') continue;
      const [enc, hash] = fieldColumns(f);
      out.push({ table: ledgerTable(def.key), enc: enc!.name, hash: hash!.name });
    }
  }
  out.push({ table: 'users', enc: 'totp_secret_enc', hash: null }, { table: 'users', enc: 'totp_pending_enc', hash: null });
  const tables = await store.db.introspection.getTables();
  const has = new Set(tables.flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`)));
  return out.filter((c) => has.has(`${c.table}.${c.enc}`));
}

function writePrivate(path: string, text: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(path, 0o600);
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export interface RotationResult {
  keyFile: string;
  backupFile: string;
  oldFingerprint: string;
  newFingerprint: string;
  /** Re-encrypted values per table.column. */
  values: Record<string, number>;
  /** Set when this run only finished an interrupted earlier rotation. */
  resumed?: boolean;
}

async function storedFingerprint(store: Store): Promise<string | null> {
  const row = await store.db.selectFrom('settings').select('value').where('key', '=', FINGERPRINT_SETTING).executeTakeFirst();
  return row?.value ?? null;
}

/** Moves the committed new key into place, keeping the old file as a dated backup. */
function swapKeyFiles(keyFile: string, now: Date): string {
  let backup = `${keyFile}.${stamp(now)}.bak`;
  for (let i = 1; existsSync(backup); i++) backup = `${keyFile}.${stamp(now)}-${i}.bak`;
  copyFileSync(keyFile, backup);
  chmodSync(backup, 0o600);
  renameSync(`${keyFile}.new`, keyFile);
  chmodSync(keyFile, 0o600);
  return backup;
}

export async function rotateFieldKey(store: Store, actor: Actor, keyFile: string = storeKeyFile(store)): Promise<RotationResult> {
  const pending = `${keyFile}.new`;
  const oldMaster = loadMasterKey(keyFile);
  const oldCipher = fieldCipher(oldMaster);
  // The store must have been opened with this very key file.
  if (oldCipher.lookup('jiceng') !== store.cipher.lookup('jiceng')) throw new Error(`密钥文件与数据库不符 / the key file ${keyFile} is not the one this store was opened with`);

  if (existsSync(pending)) {
    const pendingMaster = loadMasterKey(pending);
    if ((await storedFingerprint(store)) === keyFingerprint(pendingMaster)) {
      // The earlier run committed but did not get to swap the files: finish it.
      const backupFile = swapKeyFiles(keyFile, new Date());
      return { keyFile, backupFile, oldFingerprint: keyFingerprint(oldMaster), newFingerprint: keyFingerprint(pendingMaster), values: {}, resumed: true };
    }
    rmSync(pending); // an earlier run that never committed
  }

  const newMaster = randomBytes(32);
  const newCipher = fieldCipher(newMaster);
  writePrivate(pending, keyFileText(newMaster, store.auditKey));
  const values: Record<string, number> = {};
  const columns = await encryptedColumns(store);
  try {
    await withWrite(store, actor, async (w) => {
      const db = w.trx as unknown as Kysely<any>;
      for (const c of columns) values[`${c.table}.${c.enc}`] = await reencrypt(db, c, oldCipher, newCipher);
      await db.deleteFrom('settings').where('key', '=', FINGERPRINT_SETTING).execute();
      await db.insertInto('settings').values({ key: FINGERPRINT_SETTING, value: keyFingerprint(newMaster), updated_at: w.now.toISOString(), updated_by: actor.userId }).execute();
      await w.audit({
        action: 'keys.rotate',
        entity: 'key',
        entityId: keyFingerprint(newMaster),
        areaPath: null,
        before: { fingerprint: keyFingerprint(oldMaster) },
        after: { fingerprint: keyFingerprint(newMaster) },
        detail: { values, auditKey: '不轮换 / kept' },
      });
    });
  } catch (e) {
    rmSync(pending, { force: true });
    throw e;
  }
  const backupFile = swapKeyFiles(keyFile, new Date());
  return { keyFile, backupFile, oldFingerprint: keyFingerprint(oldMaster), newFingerprint: keyFingerprint(newMaster), values };
}

async function reencrypt(db: Kysely<any>, c: EncryptedColumn, from: FieldCipher, to: FieldCipher): Promise<number> {
  let after = 0;
  let n = 0;
  for (;;) {
    const rows = (await db.selectFrom(c.table).select(['id', c.enc]).where(c.enc, 'is not', null).where('id', '>', after).orderBy('id').limit(PAGE).execute()) as Array<Record<string, unknown>>;
    for (const r of rows) {
      const plain = from.decrypt(String(r[c.enc]));
      await db.updateTable(c.table).set(c.hash ? { [c.enc]: to.encrypt(plain), [c.hash]: to.lookup(plain) } : { [c.enc]: to.encrypt(plain) }).where('id', '=', r.id).execute();
      n++;
    }
    if (rows.length < PAGE) return n;
    after = Number(rows[rows.length - 1]!.id);
  }
}
