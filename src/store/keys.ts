/**
 * The installation's secret key (JICENG_KEY_FILE), created with mode 0600 beside the database
 * when absent. Purpose keys are derived from it so one file serves the audit chain and, later,
 * field encryption.
 */
import { createHmac, randomBytes } from 'node:crypto';
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

function parseKey(text: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('密钥文件格式错误 / key file must hold 64 hex digits');
  return Buffer.from(hex, 'hex');
}

export function deriveKey(master: Buffer, purpose: 'audit' | 'field-encryption' | 'lookup'): Buffer {
  return createHmac('sha256', master).update(`jiceng:${purpose}`).digest();
}
