/**
 * `jiceng keys rotate` through the real CLI: members' 公民身份号码 and 手机号码 read back the same,
 * lookups by 公民身份号码 (re-import, duplicate refusal) still work, the old key no longer decrypts,
 * the old key file is kept as a dated 0600 backup, the rotation is audited, and `jiceng audit
 * verify` passes (the audit key does not rotate). SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { idGender } from '../../src/domain/id-number.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { fieldCipher, loadMasterKey } from '../../src/store/keys.ts';
import { jicengSync, testIdNumber, testPhone } from '../helpers/cli.ts';
import { dialects, freshDbUrl } from '../helpers/db.ts';
import { recordDatabase } from '../helpers/test-run.ts';

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

for (const dialect of dialects()) {
  describe(`keys rotate on ${dialect}`, () => {
    test('re-encrypts every identity, keeps lookups and the audit chain, retires the old key', async () => {
      const db = await freshDbUrl(dialect);
      const dir = mkdtempSync(join(tmpdir(), 'jiceng-rotate-'));
      const keyFile = join(dir, 'field.key');
      recordDatabase(db, keyFile);
      const env = { JICENG_KEY_FILE: keyFile };
      const run = (...args: string[]) => jicengSync([...args, '--db', db], env);
      assert.equal(run('demo', '--trees-only').code, 0);

      const n = 40;
      const lines = ['姓名,性别,公民身份号码,手机号码,所在党组织编码,人员类别,入党日期'];
      for (let i = 0; i < n; i++) {
        const id = testIdNumber(700 + i);
        lines.push(`测试党员${i},${idGender(id)},${id},${testPhone(5000 + i)},DH-S02-DW-ZB1,正式党员,2010-07-01`);
      }
      const csv = join(dir, 'members.csv');
      writeFileSync(csv, `${lines.join('\n')}\n`);
      const imported = run('import', 'members', csv);
      assert.equal(imported.code, 0, imported.err);
      const oldMaster = loadMasterKey(keyFile);

      const r = run('keys', 'rotate');
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /已更换加密字段密钥/);

      // The old key file is kept, dated, readable by its owner only; the new one differs.
      const backups = readdirSync(dir).filter((f) => /^field\.key\.\d{8}T\d{6}Z\.bak$/.test(f));
      assert.equal(backups.length, 1, readdirSync(dir).join(', '));
      assert.equal(statSync(join(dir, backups[0]!)).mode & 0o777, 0o600);
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      assert.deepEqual(loadMasterKey(join(dir, backups[0]!)), oldMaster);
      assert.notDeepEqual(loadMasterKey(keyFile), oldMaster);
      assert.match(readFileSync(keyFile, 'utf8'), /^[0-9a-f]{64}\naudit:[0-9a-f]{64}\n$/);

      const store = openWithKey(db, keyFile);
      try {
        const raw = (await (store.db as unknown as Kysely<any>).selectFrom('lg_members').select(['id', 'name', 'id_number_enc', 'id_number_hash', 'phone_enc', 'phone_hash']).orderBy('id').execute()) as Array<Record<string, string>>;
        assert.equal(raw.length, n);
        const old = fieldCipher(oldMaster);
        for (const [i, row] of raw.entries()) {
          // Read back the same with the new key …
          assert.equal(store.cipher.decrypt(row.id_number_enc!), testIdNumber(700 + i), row.name);
          assert.equal(store.cipher.decrypt(row.phone_enc!), testPhone(5000 + i));
          assert.equal(row.id_number_hash, store.cipher.lookup(testIdNumber(700 + i)));
          // … and the old key decrypts nothing any more, nor finds anything by hash.
          assert.throws(() => old.decrypt(row.id_number_enc!));
          assert.throws(() => old.decrypt(row.phone_enc!));
          assert.notEqual(row.id_number_hash, old.lookup(testIdNumber(700 + i)));
        }
        const audit = await store.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'keys.rotate').execute();
        assert.equal(audit.length, 1);
        assert.ok(!audit[0]!.detail!.includes(readFileSync(keyFile, 'utf8').slice(0, 64)), 'no key in the audit entry');
        assert.match(audit[0]!.detail!, /"lg_members.id_number_enc":40/);
      } finally {
        await store.close();
      }

      // Lookups by 公民身份号码 go through the new hashes: the same file is recognized row by row …
      const again = run('import', 'members', csv);
      assert.equal(again.code, 0, again.err);
      assert.match(again.out, /0 新增, 40 未变/);
      // … and a changed row with a stored number is refused as a duplicate.
      writeFileSync(csv, `${lines[0]}\n${lines[1]!.replace('测试党员0', '改名')}\n`);
      const dup = run('import', 'members', csv);
      assert.notEqual(dup.code, 0);
      assert.match(dup.err, /已存在且内容不同/);

      const verify = run('audit', 'verify');
      assert.equal(verify.code, 0, verify.err);
      // A second rotation works the same way (the audit key is carried along again).
      assert.equal(run('keys', 'rotate').code, 0);
      assert.equal(run('audit', 'verify').code, 0);
    });
  });
}
