/**
 * Backup under load: writers keep inserting ledger records (each remembers its record id, the
 * audit entry of its creation and its commit time) while the real `jiceng backup` runs in another
 * process; the backup is restored into a new database with the real `jiceng restore`.
 *
 * The backup point is the audit chain head the backup copied, which `jiceng backup` prints
 * (entry number and hash). The restored database passes integrity_check and `jiceng audit
 * verify`, its chain holds exactly the entries up to that head (then the restore's own entry),
 * and it holds exactly the writes whose audit entry is at or before the head — every one of them
 * and none after. SQLite (online backup API) and PostgreSQL (pg_dump).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { ledgerByKey } from '../../src/domain/ledgers/catalogue.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { createRecord } from '../../src/store/ledger.repository.ts';
import { migrate } from '../../src/store/migrate.ts';
import { WHOLE_DATABASE } from '../../src/store/scope.ts';
import { SYSTEM_ACTOR, withWrite } from '../../src/store/unit-of-work.ts';
import { jicengAsync } from '../helpers/cli.ts';
import { dialects, freshDbUrl } from '../helpers/db.ts';
import { smallStreet } from '../helpers/fixtures.ts';
import { recordDatabase } from '../helpers/test-run.ts';

const WRITERS = 3;

function openWithKey(url: string, keyFile: string): Store {
  const before = process.env.JICENG_KEY_FILE;
  process.env.JICENG_KEY_FILE = keyFile;
  try {
    return openStore(url);
  } finally {
    if (before === undefined) delete process.env.JICENG_KEY_FILE;
    else process.env.JICENG_KEY_FILE = before;
  }
}

interface Written {
  id: number;
  seq: number;
  committedAt: number;
}

for (const dialect of dialects()) {
  describe(`backup under load on ${dialect}`, () => {
    test('the restored backup holds exactly the writes up to the chain head it copied', { timeout: 120_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jiceng-bul-'));
      const keyFile = join(dir, 'bul.key');
      const env = { JICENG_KEY_FILE: keyFile };
      const source = await freshDbUrl(dialect);
      recordDatabase(source, keyFile);
      const store = openWithKey(source, keyFile);
      const def = ledgerByKey('activities')!;
      const written: Written[] = [];
      let stop = false;
      try {
        await migrate(store);
        await smallStreet(store);
        // Writers: each record is created in its own transaction; the audit entry of its creation
        // is the chain head right after it, read inside the same transaction.
        const writers = Array.from({ length: WRITERS }, async (_, w) => {
          for (let n = 0; !stop; n++) {
            const r = await withWrite(store, SYSTEM_ACTOR, async (tx) => {
              const id = await createRecord(tx, def, WHOLE_DATABASE, { date: '2024-05-01', type: '志愿服务', name: `写入${w}-${n}`, area: 'SQ1', participants: 1 }, null);
              const head = (await sql<{ seq: number }>`select seq from audit_head where id = 1`.execute(tx.trx)).rows[0]!;
              return { id, seq: Number(head.seq) };
            });
            written.push({ ...r, committedAt: Date.now() });
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        const file = join(dir, dialect === 'sqlite' ? 'backup.db' : 'backup.dump');
        const started = Date.now();
        const b = await jicengAsync(['backup', '--out', file, '--db', source], env);
        const finished = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 200));
        stop = true;
        await Promise.all(writers);
        assert.equal(b.code, 0, b.err);
        const m = /审计日志至第(\d+)条.*hash ([0-9a-f]{64})/.exec(b.out);
        assert.ok(m, b.out);
        const point = { seq: Number(m[1]), hash: m[2]! };
        const during = written.filter((x) => x.committedAt >= started && x.committedAt <= finished).length;
        const before = written.filter((x) => x.seq <= point.seq);
        const after = written.filter((x) => x.seq > point.seq);
        assert.ok(before.length > 0 && after.length > 0, `writes on both sides of the backup point (${before.length} before, ${after.length} after, ${during} while it ran)`);

        // Restore into a new database with the real CLI.
        const target = await freshDbUrl(dialect);
        recordDatabase(target, keyFile);
        const r = await jicengAsync(['restore', file, '--db', target], env);
        assert.equal(r.code, 0, r.err);
        if (dialect === 'sqlite') {
          const raw = new Database(target);
          try {
            assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
          } finally {
            raw.close();
          }
        }
        const v = await jicengAsync(['audit', 'verify', '--db', target], env);
        assert.equal(v.code, 0, v.err);

        const restored = openWithKey(target, keyFile);
        try {
          const k = restored.db as unknown as Kysely<any>;
          // The chain: exactly the source's entries up to the head, then the restore's own entry.
          const entries = await k.selectFrom('audit_log').select(['seq', 'hash', 'action']).where('seq', '>=', point.seq).orderBy('seq').execute();
          assert.equal(Number(entries[0]!.seq), point.seq);
          assert.equal(entries[0]!.hash, point.hash, 'the restored chain ends where the backup said');
          assert.deepEqual(entries.slice(1).map((e) => e.action), ['restore']);
          // The records: every write up to the head, none after.
          const ids = new Set((await k.selectFrom('lg_activities').select('id').execute()).map((x) => Number(x.id)));
          const missing = before.filter((x) => !ids.has(x.id));
          const extra = after.filter((x) => ids.has(x.id));
          assert.deepEqual(missing, [], 'every write committed before the backup point is restored');
          assert.deepEqual(extra, [], 'no write committed after the backup point is restored');
          assert.equal(ids.size, before.length);
        } finally {
          await restored.close();
        }
        console.log(`# ${dialect}: ${written.length} writes, ${during} while the backup ran; backup point entry ${point.seq}: ${before.length} before, ${after.length} after`);
      } finally {
        stop = true;
        await store.close();
      }
    });
  });
}
