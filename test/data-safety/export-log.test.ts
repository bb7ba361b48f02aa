/**
 * Exports of personal data over HTTP: masked by default; unmasked (`?unmasked=1`) refused 403 to
 * everyone without the per-user grant — the administrator too — which only a security
 * administrator gives and takes back (audited); every export is in the export log (who, when, which
 * ledger, filters, rows, masked or not, the file's SHA-256), which the auditor reads and nobody else.
 * SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/demo.ts';
import { idGender } from '../../src/domain/id-number.ts';
import type { Store } from '../../src/store/db.ts';
import { testIdNumber, testPhone } from '../helpers/cli.ts';
import { dialects, freshStore } from '../helpers/db.ts';
import { Client, startServer, type Running } from '../helpers/http.ts';

async function download(c: Client, path: string): Promise<{ status: number; bytes: Buffer; text: string }> {
  const res = await fetch(c.base + path, { headers: { cookie: c.cookie! } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes, text: bytes.toString('utf8') };
}

for (const dialect of dialects()) {
  describe(`personal-data exports on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    const as: Record<string, Client> = {};

    before(async () => {
      store = await freshStore(dialect);
      await loadDemo(store, { ifEmpty: false, log: () => {}, ledgers: false });
      server = await startServer(store);
      for (const u of ['admin', 'clerk', 'secadmin', 'auditor', 'sysadmin']) {
        as[u] = new Client(server.base);
        const r = await as[u].login(u, DEMO_PASSWORD);
        assert.equal(r.status, 200, `${u}: ${JSON.stringify(r.body)}`);
      }
      for (let i = 0; i < 5; i++) {
        const id = testIdNumber(300 + i);
        const r = await as.clerk!.post('/api/ledgers/members/records', { 姓名: `导出测试${i}`, 性别: idGender(id), 公民身份号码: id, 手机号码: testPhone(700 + i), 所在党组织编码: 'DH-S02-DW-ZB1', 人员类别: '正式党员', 入党日期: '2012-07-01' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
    });
    after(async () => {
      await server?.close();
      await store?.close();
    });

    test('masked by default; unmasked only with the grant a security administrator gives, audited', async () => {
      const masked = await download(as.clerk!, '/api/ledgers/members/export?format=csv');
      assert.equal(masked.status, 200);
      assert.ok(!masked.text.includes(testIdNumber(300)) && !masked.text.includes(testPhone(700)), 'no full number in the default export');
      assert.ok(masked.text.includes(`${testPhone(700).slice(0, 3)}****${testPhone(700).slice(-4)}`), 'the phone is masked');

      for (const who of ['clerk', 'admin']) {
        const refused = await as[who]!.get('/api/ledgers/members/export?format=csv&unmasked=1');
        assert.equal(refused.status, 403, who);
        assert.match(refused.body.error.message, /无权导出未脱敏/);
      }
      const clerkId = (await as.clerk!.get('/api/auth/me')).body.user.id as number;
      // Only the security administrator grants it.
      for (const who of ['admin', 'sysadmin', 'auditor', 'clerk']) {
        assert.equal((await as[who]!.put(`/api/users/${clerkId}/export-grant`, { mayExportUnmasked: true })).status, 403, who);
      }
      const auditorId = (await as.auditor!.get('/api/auth/me')).body.user.id as number;
      assert.equal((await as.secadmin!.put(`/api/users/${auditorId}/export-grant`, { mayExportUnmasked: true })).status, 400, 'not to one of the three administrators');
      const granted = await as.secadmin!.put(`/api/users/${clerkId}/export-grant`, { mayExportUnmasked: true });
      assert.equal(granted.status, 200, JSON.stringify(granted.body));
      assert.equal((await as.secadmin!.get(`/api/users/${clerkId}/export-grant`)).body.mayExportUnmasked, true);

      const plain = await download(as.clerk!, '/api/ledgers/members/export?format=csv&unmasked=1&area=DH-S02');
      assert.equal(plain.status, 200);
      for (let i = 0; i < 5; i++) assert.ok(plain.text.includes(testIdNumber(300 + i)), 'the granted export is unmasked');

      assert.equal((await as.secadmin!.put(`/api/users/${clerkId}/export-grant`, { mayExportUnmasked: false })).status, 200);
      assert.equal((await as.clerk!.get('/api/ledgers/members/export?format=csv&unmasked=true')).status, 403, 'revoked');

      const audit = await as.auditor!.get('/api/audit?action=grant.export_unmasked,revoke.export_unmasked');
      assert.equal(audit.status, 200);
      assert.deepEqual(audit.body.items.map((e: { action: string; entityId: string }) => `${e.action} ${e.entityId}`), ['revoke.export_unmasked clerk', 'grant.export_unmasked clerk']);
      assert.equal(audit.body.items[1].username, 'secadmin');

      // The export log: who, which ledger, filters, rows, masked or not, and the file's checksum.
      let log: any;
      for (let i = 0; i < 50; i++) {
        log = await as.auditor!.get('/api/export-log?ledger=members');
        if (log.body.items.every((e: { status: string }) => e.status === 'done')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(log.status, 200);
      const [unmaskedEntry, maskedEntry] = log.body.items as Array<{ username: string; unmasked: boolean; rows: number; sha256: string; status: string; filters: Record<string, string>; format: string }>;
      assert.equal(log.body.total, 2, 'refused exports are not exports');
      assert.deepEqual({ ...unmaskedEntry, filters: unmaskedEntry!.filters.area }, { ...unmaskedEntry, filters: 'DH-S02' });
      assert.equal(unmaskedEntry!.username, 'clerk');
      assert.equal(unmaskedEntry!.unmasked, true);
      assert.equal(unmaskedEntry!.rows, 5);
      assert.equal(unmaskedEntry!.status, 'done');
      assert.equal(unmaskedEntry!.sha256, createHash('sha256').update(plain.bytes).digest('hex'), 'the checksum is that of the file the user got');
      assert.equal(maskedEntry!.unmasked, false);
      assert.equal(maskedEntry!.sha256, createHash('sha256').update(masked.bytes).digest('hex'));
      assert.equal(maskedEntry!.format, 'csv');
      // Read by the auditor only.
      for (const who of ['clerk', 'secadmin', 'sysadmin']) assert.equal((await as[who]!.get('/api/export-log')).status, 403, who);
    });
  });
}
