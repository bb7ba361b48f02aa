/**
 * The installation's secret key (JICENG_KEY_FILE), created with mode 0600 beside the database
 * when absent. Purpose keys are derived from it so one file serves the audit chain and field
 * encryption; `jiceng keys rotate` replaces the field keys and keeps the audit key (see parseKey).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function keyFilePath(dbFile: string | null): string | null {
  if (process.env.JICENG_KEY_FILE) return resolve(process.env.JICENG_KEY_FILE);
  if (dbFile) return `${dbFile}.key`;
  return null;
}

/** Reads the master key, creating it if the file does not exist. No file: an ephemeral key. */
export function loadMasterKey(path: string | null): Buffer {
  if (!path) return randomBytes(32);
  try {
    return parseKey(readFileSync(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  chmodSync(path, 0o600);
  return parseKey(readFileSync(path, 'utf8'));
}

/**
 * The key file: the master key (64 hex digits) on its first line and, once the field key has been
 * rotated (key-rotation.ts), a line `audit:` + 64 hex digits with the audit chain's own key. The
 * audit key never rotates: it is derived from the installation's first master key and, from the
 * first rotation on, kept as it is, so every entry ever written keeps verifying.
 */
function parseKey(text: string): Buffer {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const hex = lines[0] ?? '';
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('密钥文件格式错误 / key file must hold 64 hex digits');
  const master = Buffer.from(hex, 'hex');
  const audit = lines.find((l) => l.startsWith('audit:'))?.slice(6);
  if (audit !== undefined) {
    if (!/^[0-9a-f]{64}$/i.test(audit)) throw new Error('密钥文件格式错误 / the audit: line must hold 64 hex digits');
    AUDIT_KEYS.set(master, Buffer.from(audit, 'hex'));
  }
  return master;
}

/** Audit keys kept across rotations, by the master key read from the same file. */
const AUDIT_KEYS = new WeakMap<Buffer, Buffer>();

/** Text of a key file holding `master` and, when given, the audit key kept from before. */
export function keyFileText(master: Buffer, auditKey: Buffer | null): string {
  return `${master.toString('hex')}\n${auditKey ? `audit:${auditKey.toString('hex')}\n` : ''}`;
}

export function deriveKey(master: Buffer, purpose: 'audit' | 'field-encryption' | 'lookup'): Buffer {
  if (purpose === 'audit') {
    const kept = AUDIT_KEYS.get(master);
    if (kept) return kept;
  }
  return createHmac('sha256', master).update(`jiceng:${purpose}`).digest();
}

/**
 * Field encryption for 公民身份号码 and 手机号码: AES-256-GCM with a random nonce, and an HMAC
 * "lookup" hash so uniqueness and exact search work without decrypting.
 */
export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  lookup(plain: string): string;
}

export function fieldCipher(master: Buffer): FieldCipher {
  const encKey = deriveKey(master, 'field-encryption');
  const lookupKey = deriveKey(master, 'lookup');
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `v1.${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(stored) {
      const raw = Buffer.from(stored.slice(3), 'base64');
      const d = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    },
    lookup(plain) {
      return createHmac('sha256', lookupKey).update(plain).digest('hex');
    },
  };
}
