/**
 * Hostile files through the public faces (issue 8, item 3 "Hostile input", points 1–5): broken
 * and cut-off .xlsx, zip bombs (honest and lying headers), uploads far over the limit, a file of
 * 2,000,000 rows, mixed encodings — each refused with a Chinese message naming the problem, in
 * bounded memory and time, nothing written, and the server still serving afterwards.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import type { Store } from '../../src/store/db.ts';
import { dialects, freshDbUrl, freshStore } from '../helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from '../helpers/fixtures.ts';
import { Client, startServer, type Running } from '../helpers/http.ts';
import { rssMB, streamUpload, upload, writeCsv, writeZip, xlsxBomb, xlsxOf, zipEntries } from '../helpers/hostile-files.ts';

const tmp = mkdtempSync(join(tmpdir(), 'jiceng-hostile-'));
const TRAININGS = ['日期', '名称', '类型', '形式', '参训人数'];

function cli(db: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jiceng.mjs', ...args, '--db', db], {
    encoding: 'utf8',
    env: { ...process.env, JICENG_KEY_FILE: join(tmp, 'cli.key'), JICENG_ADMIN_PASSWORD: '' },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, bytes: Buffer | string): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

async function assertAlive(c: Client) {
  const h = await c.get('/api/health');
  assert.equal(h.status, 200);
  assert.equal(h.body.status, 'ok');
  const list = await c.get('/api/ledgers/trainings/records');
  assert.equal(list.status, 200, 'a normal request is served after the hostile one');
}

async function trainingsCount(c: Client): Promise<number> {
  return (await c.get('/api/ledgers/trainings/records?pageSize=1')).body.total;
}

for (const dialect of dialects()) {
  describe(`hostile files on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    let c: Client;
    let good: Buffer;
    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
      server = await startServer(store);
      c = new Client(server.base);
      assert.equal((await c.login('admin', FIXTURE_PASSWORD)).status, 200);
      good = await xlsxOf(TRAININGS, [['2023-05-06', '安全培训', '其他', '线下', 12]]);
    });
    after(async () => {
      await server?.close();
      await store?.close();
    });
    const up = (path: string, name: string, bytes: Buffer | { file: string }) => upload(server.base, path, name, bytes, c);

    test('malformed and truncated .xlsx: 400 naming the problem, for ledger import, tree import and the CLI', async () => {
      const entries = await zipEntries(good);
      const cases: Array<[string, Buffer, RegExp]> = [
        ['random.xlsx', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), /不是有效的Excel（\.xlsx）文件/],
        ['half.xlsx', good.subarray(0, Math.floor(good.length / 2)), /Excel文件不完整（可能在上传或复制时被截断）/],
        ['nosheet.xlsx', writeZip(entries.filter((e) => !e.name.startsWith('xl/worksheets/'))), /Excel文件中没有工作表/],
        ['empty.xlsx', Buffer.alloc(0), /上传的Excel文件是空的/],
        ['old.xlsx', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(1024)]), /旧版\.xls文件或设置了打开密码/],
      ];
      for (const [name, bytes, message] of cases) {
        for (const path of ['/api/imports/trainings', '/api/imports/areas']) {
          const r = await up(path, name, bytes);
          assert.equal(r.status, 400, `${name} → ${path}: ${JSON.stringify(r.body)}`);
          assert.match(r.body.error.message, message, name);
        }
      }
      assert.equal(await trainingsCount(c), 0);
      await assertAlive(c);
      // The same refusals from the CLI: a non-zero exit and the Chinese message.
      const db = await freshDbUrl('sqlite');
      for (const [name, bytes, message] of cases.slice(0, 3)) {
        const r = cli(db, 'import', 'areas', file(name, bytes));
        assert.notEqual(r.code, 0, name);
        assert.match(r.err, message, `${name}: ${r.err}`);
      }
    });

    test('zip bomb: refused before inflating it whole (declared sizes, ratio, and lying headers capped while inflating); memory bounded', async () => {
      const rss0 = rssMB();
      const started = Date.now();
      // 2 GiB of sheet, declared honestly: the central directory alone refuses it.
      const honest = await xlsxBomb(2048, true);
      assert.ok(honest.length < 4 * 1024 * 1024, `the bomb is small (${honest.length} bytes)`);
      let r = await up('/api/imports/trainings', 'bomb.xlsx', honest);
      assert.equal(r.status, 413, JSON.stringify(r.body));
      assert.match(r.body.error.message, /解压后约2048MB，超过50MB的上限/);
      r = await up('/api/imports/areas', 'bomb.xlsx', honest);
      assert.equal(r.status, 413);
      // 10 MiB at a ratio of about 1000: under the size limit, refused for the ratio.
      r = await up('/api/imports/trainings', 'ratio.xlsx', await xlsxBomb(10, true));
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(r.body.error.message, /压缩比异常.*疑似压缩炸弹/);
      // 2 GiB declared as 2 kB: passes the directory check, stopped at 50 MB while inflating.
      const liar = await xlsxBomb(2048, false);
      for (const path of ['/api/imports/trainings', '/api/imports/areas']) {
        r = await up(path, 'liar.xlsx', liar);
        assert.equal(r.status, 413, `${path}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.error.message, /解压后超过50MB的上限/);
      }
      const seconds = (Date.now() - started) / 1000;
      const grown = rssMB() - rss0;
      assert.ok(seconds < 20, `answered within seconds (${seconds.toFixed(1)} s)`);
      assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MB (limit 200 MB)`);
      assert.equal(await trainingsCount(c), 0);
      await assertAlive(c);
    });

    test('a 200 MB upload: 413 at once when announced, 413 at the limit when streamed without a length; the body is never buffered', async () => {
      const rss0 = rssMB();
      const auth = { cookie: c.cookie!, 'x-csrf-token': c.csrf! };
      const announced = await streamUpload(server.base, '/api/imports/trainings', 200 * 1024 * 1024, { headers: auth });
      assert.equal(announced.status, 413);
      assert.match(JSON.parse(announced.body).error.message, /上传的文件过大，不能超过50MB/);
      assert.ok(announced.ms < 3000, `answered in ${announced.ms} ms`);
      assert.ok(announced.sentBytes < 100 * 1024 * 1024, `stopped sending after ${(announced.sentBytes / 1048576).toFixed(0)} MB`);
      const chunked = await streamUpload(server.base, '/api/imports/trainings', 200 * 1024 * 1024, { chunked: true, headers: auth });
      assert.equal(chunked.status, 413, chunked.body);
      assert.match(JSON.parse(chunked.body).error.message, /上传的文件过大，不能超过50MB/);
      assert.ok(chunked.ms < 15_000, `answered in ${chunked.ms} ms`);
      assert.ok(chunked.sentBytes < 200 * 1024 * 1024, `answered before the whole body was sent (${(chunked.sentBytes / 1048576).toFixed(0)} MB)`);
      const grown = rssMB() - rss0;
      assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MB`);
      assert.equal(await trainingsCount(c), 0);
      await assertAlive(c);
    });

    test('mixed encodings and invalid bytes in a CSV: refused naming the row, never stored as mojibake', async () => {
      const header = TRAININGS.join(',');
      const row = (name: string) => `2023-05-06,${name},其他,线下,10`;
      const utf8 = (s: string) => Buffer.from(`${s}\r\n`, 'utf8');
      const gb = (s: string) => iconv.encode(`${s}\r\n`, 'gb18030');
      const cases: Array<[string, Buffer, RegExp]> = [
        // UTF-8 (with BOM) and one GB18030 row.
        ['bom-gb.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(header), utf8(row('党史学习')), gb(row('消防演练')), utf8(row('应急培训'))]), /第3行含有不是UTF-8编码的字符/],
        // GB18030 and one UTF-8 row.
        ['gb-utf8.csv', Buffer.concat([gb(header), gb(row('党史学习')), gb(row('消防演练')), utf8(row('应急培训班'))]), /第4行是UTF-8编码，而文件其余部分是GB18030/],
        // UTF-8 with bytes valid in no encoding.
        ['invalid.csv', Buffer.concat([utf8(header), Buffer.from('2023-05-06,\xc3\x28\xff\xfe,其他,线下,10\r\n', 'latin1')]), /第2行含有不是UTF-8编码的字符/],
      ];
      for (const [name, bytes, message] of cases) {
        const r = await up('/api/imports/trainings', name, bytes);
        assert.equal(r.status, 400, `${name}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.error.message, message, name);
      }
      const tree = Buffer.concat([utf8('编码,名称,类型,上级编码'), utf8('SQ9,九社区,社区,JD'), gb('SQ8,八社区,社区,JD')]);
      const t = await up('/api/imports/areas', 'areas.csv', tree);
      assert.equal(t.status, 400);
      assert.match(t.body.error.message, /第3行含有不是UTF-8编码的字符/);
      assert.equal((await c.get('/api/areas/SQ9')).status, 404, 'nothing of the file was stored');
      assert.equal(await trainingsCount(c), 0);
      // A file in one encoding still imports, in either.
      const ok = await up('/api/imports/trainings', 'gb.csv', Buffer.concat([gb(header), gb(row('党史学习')), gb(row('消防演练'))]));
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const names = (await c.get('/api/ledgers/trainings/records')).body.items.map((i: Record<string, unknown>) => i.name).sort();
      assert.deepEqual(names, ['党史学习', '消防演练']);
      // The CLI names the row too.
      const db = await freshDbUrl('sqlite');
      const r = cli(db, 'import', 'trainings', file('bom-gb.csv', cases[0]![1]));
      assert.notEqual(r.code, 0);
      assert.match(r.err, /第3行含有不是UTF-8编码的字符/);
      await assertAlive(c);
    });

    if (dialect === 'sqlite') {
      test('2,000,000 rows: refused naming the limit of 1,000,000 rows per file, before anything is imported, over HTTP and the CLI', async () => {
        const before = await trainingsCount(c);
        const path = join(tmp, 'two-million.csv');
        await writeCsv(path, TRAININGS.join(','), 2_000_000, (i) => `2023-05-06,培训${i},其他,线上,1`);
        const big = await startServer(store, { maxUploadBytes: 200 * 1024 * 1024 });
        try {
          const rss0 = rssMB();
          const r = await upload(big.base, '/api/imports/trainings', 'two-million.csv', { file: path }, c);
          assert.equal(r.status, 413, JSON.stringify(r.body));
          assert.match(r.body.error.message, /文件超过1000000行数据的上限（单个文件最多导入1000000行），请拆分为多个文件分批导入/);
          assert.ok(r.ms < 30_000, `answered in ${r.ms} ms`);
          const grown = rssMB() - rss0;
          assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MB`);
        } finally {
          await big.close();
        }
        // Over the default upload limit the size answers first.
        const small = await streamUpload(server.base, '/api/imports/trainings', statSync(path).size, { headers: { cookie: c.cookie!, 'x-csrf-token': c.csrf! } });
        assert.equal(small.status, 413);
        assert.equal(await trainingsCount(c), before, 'all or nothing: nothing imported');
        // The CLI, with a small heap: the file is read as a stream.
        const db = await freshDbUrl('sqlite');
        const started = Date.now();
        const spawned = spawnSync(process.execPath, ['--max-old-space-size=160', 'bin/jiceng.mjs', 'import', 'trainings', path, '--db', db], {
          encoding: 'utf8',
          env: { ...process.env, JICENG_KEY_FILE: join(tmp, 'cli.key'), JICENG_ADMIN_PASSWORD: '' },
          timeout: 120_000,
        });
        assert.notEqual(spawned.status, 0);
        assert.match(spawned.stderr, /文件超过1000000行数据的上限/);
        assert.ok(Date.now() - started < 60_000);
        await assertAlive(c);
      });
    }
  });
}
