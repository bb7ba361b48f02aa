/**
 * Runs after every other test file (scripts/run-tests.mjs puts it last) and looks at what the whole
 * suite left behind in its run directory (JICENG_TEST_RUN_DIR):
 *
 * 1. No log line and no audit entry carries a password, an API token, a two-factor secret, or an
 *    unmasked 公民身份号码 (a valid 18-digit GB 11643 number) or mobile number (11 digits): every
 *    JSON request log of every server the tests started (in-process and `jiceng serve` children)
 *    and the audit table of every database the tests made are scanned; a finding names the file
 *    and line, or the database and the entry.
 * 2. The audit chain of every database the tests made verifies: in-process with verifyAuditLog (the
 *    function `jiceng audit verify` runs) for all of them, and with the real `jiceng audit verify`
 *    for a sample (the first SQLite and the first PostgreSQL database of each test file's
 *    process, at most 12), two at a time. Databases a test tampers with on purpose are skipped.
 *
 * Without JICENG_TEST_RUN_DIR (a file run by hand) there is nothing to look at and it is skipped.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { idNumberProblem } from '../src/domain/id-number.ts';
import { verifyAuditLog } from '../src/store/audit.repository.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { deriveKey, fieldCipher, loadMasterKey } from '../src/store/keys.ts';
import { jicengAsync } from './helpers/cli.ts';

const runDir = process.env.JICENG_TEST_RUN_DIR;

interface DbEntry {
  url: string;
  keys: Set<string>;
}

function listDatabases(): { dbs: DbEntry[]; keyFiles: Set<string>; tampered: Set<string> } {
  const byUrl = new Map<string, DbEntry>();
  const keyFiles = new Set<string>();
  const tampered = new Set<string>();
  const file = join(runDir!, 'databases.tsv');
  if (!existsSync(file)) return { dbs: [], keyFiles, tampered };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [kind, url, key] = line.split('\t');
    if (!kind || !url) continue;
    if (kind === 'key') keyFiles.add(url);
    else if (kind === 'tampered') tampered.add(url);
    else {
      const e = byUrl.get(url) ?? { url, keys: new Set<string>() };
      if (key) e.keys.add(key);
      byUrl.set(url, e);
      if (key) keyFiles.add(key);
    }
  }
  return { dbs: [...byUrl.values()], keyFiles, tampered };
}

/** Passwords the tests use: the fixture and demo ones and every literal the test sources pass as one. */
function knownPasswords(): string[] {
  const found = new Set(['Fixture#2026', 'Demo@2026jc']);
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, name.name);
      if (name.isDirectory()) walk(p);
      else if (name.name.endsWith('.ts')) {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(/(?:[pP]assword|PASSWORD)\w*['"]?\s*[:=,]\s*'([^'\s]{8,60})'/g)) found.add(m[1]!);
        for (const m of text.matchAll(/'--password',\s*'([^'\s]{8,60})'/g)) found.add(m[1]!);
      }
    }
  };
  walk('test');
  // Only strings that look like passwords (a letter and a digit), not words that happen to follow `password:`.
  return [...found].filter((p) => /[A-Za-z]/.test(p) && /\d/.test(p));
}

const TOKEN = /jct_[A-Za-z0-9_-]{40,}/;
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const MOBILE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g;

/** What in `text` must not be there, named without repeating the secret in full. */
function findings(text: string, secrets: string[]): string[] {
  const out: string[] = [];
  for (const s of secrets) if (text.includes(s)) out.push(`secret ${s.slice(0, 3)}…`);
  if (TOKEN.test(text)) out.push('an API token');
  for (const m of text.matchAll(ID_NUMBER)) if (idNumberProblem(m[0]) === null) out.push(`an unmasked 公民身份号码 ${m[0].slice(0, 4)}…`);
  for (const m of text.matchAll(MOBILE)) out.push(`an unmasked mobile number ${m[0].slice(0, 3)}…`);
  return out;
}

function openWith(url: string, keyFile: string): Store {
  const before = process.env.JICENG_KEY_FILE;
  process.env.JICENG_KEY_FILE = keyFile;
  try {
    return openStore(url);
  } finally {
    if (before === undefined) delete process.env.JICENG_KEY_FILE;
    else process.env.JICENG_KEY_FILE = before;
  }
}

async function exists(url: string): Promise<boolean> {
  if (!url.startsWith('postgres')) return existsSync(url);
  const admin = process.env.JICENG_TEST_PG;
  if (!admin) return false;
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    const r = await c.query('select 1 from pg_database where datname = $1', [new URL(url).pathname.slice(1)]);
    return r.rowCount === 1;
  } finally {
    await c.end();
  }
}

test('after the suite: no secret or unmasked personal data in any log or audit entry; every audit chain verifies', { timeout: 600_000 }, async (t) => {
  if (!runDir) {
    t.skip('JICENG_TEST_RUN_DIR is not set (run through npm test)');
    return;
  }
  const { dbs, keyFiles, tampered } = listDatabases();
  const passwords = knownPasswords();
  const problems: string[] = [];

  // Two-factor secrets the tests enrolled, decrypted from every database, join the needles.
  const totpSecrets = new Set<string>();
  const checked: Array<{ url: string; key: string }> = [];
  let skipped = 0;
  for (const db of dbs) {
    if (tampered.has(db.url) || !(await exists(db.url))) {
      skipped++;
      continue;
    }
    const candidates = [...db.keys, ...(db.url.startsWith('postgres') ? [] : [`${db.url}.key`]), ...keyFiles].filter((k, i, all) => all.indexOf(k) === i && existsSync(k));
    if (!candidates.length) {
      problems.push(`${db.url}: no key file found to verify its audit chain`);
      continue;
    }
    const store = openWith(db.url, candidates[0]!);
    try {
      const hasAudit = await sql<{ n: number }>`select count(*) as n from audit_log`.execute(store.db).then(
        () => true,
        () => false,
      );
      if (!hasAudit) {
        skipped++;
        continue;
      }
      // The key whose chain verifies; the first candidate that does wins.
      let verified: string | null = null;
      let firstBreak = '';
      for (const key of candidates) {
        const master = loadMasterKey(key);
        const v = await verifyAuditLog({ ...store, auditKey: deriveKey(master, 'audit') });
        if (!v.broken) {
          verified = key;
          const cipher = fieldCipher(master);
          const hasTotp = await sql`select totp_secret_enc from users where 1 = 0`.execute(store.db).then(
            () => true,
            () => false,
          );
          if (hasTotp) {
            const rows = await sql<{ s: string | null; p: string | null }>`select totp_secret_enc as s, totp_pending_enc as p from users`.execute(store.db);
            for (const r of rows.rows) {
              for (const enc of [r.s, r.p]) {
                if (!enc) continue;
                try {
                  totpSecrets.add(cipher.decrypt(enc));
                } catch {
                  /* another key's field (a rotated database): not needed here */
                }
              }
            }
          }
          break;
        }
        firstBreak ||= `entry ${v.broken.seq}: ${v.broken.reason}`;
      }
      if (!verified) problems.push(`${db.url}: the audit chain does not verify (${firstBreak})`);
      else checked.push({ url: db.url, key: verified });
    } finally {
      await store.close();
    }
  }
  const needles = [...passwords, ...[...totpSecrets].filter((s) => s.length >= 16)];

  // 1a. The request logs.
  const logDir = join(runDir, 'logs');
  const logs = existsSync(logDir) ? readdirSync(logDir).sort() : [];
  let lines = 0;
  for (const name of logs) {
    const text = readFileSync(join(logDir, name), 'utf8');
    text.split('\n').forEach((line, i) => {
      if (!line) return;
      lines++;
      for (const f of findings(line, needles)) problems.push(`${join(logDir, name)}:${i + 1}: ${f}`);
    });
  }
  // 1b. The audit entries.
  let entries = 0;
  for (const { url, key } of checked) {
    const store = openWith(url, key);
    try {
      let after = 0;
      for (;;) {
        const rows = await store.db.selectFrom('audit_log').select(['seq', 'username', 'entity_id', 'before', 'after', 'detail']).where('seq', '>', after).orderBy('seq').limit(5000).execute();
        for (const r of rows) {
          entries++;
          const text = [r.username, r.entity_id, r.before, r.after, r.detail].filter(Boolean).join(' ');
          for (const f of findings(text, needles)) problems.push(`${url}: audit entry ${r.seq}: ${f}`);
        }
        if (rows.length < 5000) break;
        after = Number(rows[rows.length - 1]!.seq);
      }
    } finally {
      await store.close();
    }
  }

  // 2. The real CLI on a sample: the first SQLite and PostgreSQL databases in the list, and the last ones.
  const sqlite = checked.filter((c) => !c.url.startsWith('postgres'));
  const postgres = checked.filter((c) => c.url.startsWith('postgres'));
  const sample = [...sqlite.slice(0, 4), ...sqlite.slice(-2), ...postgres.slice(0, 4), ...postgres.slice(-2)].filter((c, i, all) => all.indexOf(c) === i);
  for (let i = 0; i < sample.length; i += 2) {
    const batch = sample.slice(i, i + 2);
    const results = await Promise.all(batch.map((c) => jicengAsync(['audit', 'verify', '--db', c.url], { JICENG_KEY_FILE: c.key })));
    results.forEach((r, j) => {
      if (r.code !== 0) problems.push(`${batch[j]!.url}: jiceng audit verify failed: ${r.err.trim()}`);
    });
  }

  console.log(
    `# after the suite: ${logs.length} log files (${lines} lines), ${checked.length} databases verified in-process (${entries} audit entries scanned), ${sample.length} with jiceng audit verify, ${skipped} skipped (tampered on purpose, removed, or never migrated); ${needles.length} secrets looked for`,
  );
  assert.deepEqual(problems.slice(0, 50), [], `${problems.length} problems`);
});
