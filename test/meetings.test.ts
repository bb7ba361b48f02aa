/**
 * A meeting's full record over HTTP: attendance from the branch's roster on the day (probationary
 * members marked and not counted for the quorum), the ledger's 应到/实到 following it, attachments
 * type-checked by content with a checksum, and the meetings due soon.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { idCheckChar } from '../src/domain/id-number.ts';
import type { Store } from '../src/store/db.ts';
import { dialects, freshStore } from './helpers/db.ts';
import { FIXTURE_PASSWORD, smallStreet } from './helpers/fixtures.ts';
import { Client, startServer, type Running } from './helpers/http.ts';

function id(seq: number): string {
  const body = `11010519800101${String(100 + seq * 2 + 1).slice(-3)}`;
  return body + idCheckChar(body);
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

for (const dialect of dialects()) {
  describe(`meeting records on ${dialect}`, () => {
    let store: Store;
    let server: Running;
    let c: Client;
    let meetingId = 0;

    before(async () => {
      store = await freshStore(dialect);
      await smallStreet(store);
      server = await startServer(store);
      c = new Client(server.base);
      await c.login('clerk', FIXTURE_PASSWORD);
      // Four full members and one probationary member of SQ1-ZB1; one member of SQ2-ZB1.
      for (let i = 0; i < 6; i++) {
        const probationary = i === 4;
        const r = await c.post('/api/ledgers/members/records', {
          姓名: `党员${i}`, 性别: '男', 公民身份号码: id(i), 所在党组织编码: i === 5 ? 'SQ2-ZB1' : 'SQ1-ZB1',
          人员类别: probationary ? '预备党员' : '正式党员', 入党日期: probationary ? '2023-01-10' : '2000-07-01', ...(probationary ? {} : { 转正日期: '2001-07-01' }),
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      const m = await c.post('/api/ledgers/meetings/records', { 日期: '2023-05-20', 党组织编码: 'SQ1-ZB1', 会议类型: '支部党员大会', 主题: '讨论接收预备党员' });
      assert.equal(m.status, 200);
      meetingId = m.body.id;
    });
    after(async () => {
      await server.close();
      await store.close();
    });

    test('attendance from the roster of the day; probationary members marked and not counted for the quorum', async () => {
      const rec = await c.get(`/api/meetings/${meetingId}/record`);
      assert.equal(rec.status, 200);
      assert.deepEqual(rec.body.attendance.map((a: { name: string; category: string }) => `${a.name}${a.category === '预备党员' ? '(预)' : ''}`).sort(), ['党员0', '党员1', '党员2', '党员3', '党员4(预)']);
      const byName = Object.fromEntries(rec.body.attendance.map((a: { name: string; memberId: number }) => [a.name, a.memberId]));
      const outsider = (await c.get(`/api/ledgers/members/records?${new URLSearchParams({ 'f.姓名': '党员5' })}`)).body.items[0].id;
      const bad = await c.put(`/api/meetings/${meetingId}/record`, { attendance: [{ memberId: outsider, status: '出席' }] });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /不在该党组织/);
      const noReason = await c.put(`/api/meetings/${meetingId}/record`, { attendance: [{ memberId: byName['党员0'], status: '请假' }] });
      assert.equal(noReason.status, 400);
      assert.match(noReason.body.error.message, /请填写原因/);
      // 2 of 4 full members present (and the probationary one): not more than half — no quorum.
      const saved = await c.put(`/api/meetings/${meetingId}/record`, {
        host: '党员0', recorder: '党员1',
        agenda: [{ title: '学习习近平新时代中国特色社会主义思想', firstAgendaItem: true }, { title: '讨论接收预备党员', firstAgendaItem: false }],
        minutes: '会议由党员0主持……',
        attendance: [
          { memberId: byName['党员0'], status: '出席' },
          { memberId: byName['党员1'], status: '出席' },
          { memberId: byName['党员2'], status: '请假', reason: '外出务工' },
          { memberId: byName['党员3'], status: '缺席', reason: '未请假' },
          { memberId: byName['党员4'], status: '出席' },
        ],
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.deepEqual([saved.body.meeting.expected, saved.body.meeting.present, saved.body.meeting.firstAgendaItem], [4, 2, '是']);
      const comp = await c.get('/api/compliance?year=2023&asOf=2024-01-15&area=SQ1');
      const q2 = comp.body.rows.find((r: { org: string }) => r.org === 'SQ1-ZB1').cells.find((x: { meetingType: string; period: string }) => x.meetingType === '支部党员大会' && x.period === '2023-Q2');
      assert.deepEqual([q2.status, q2.held, q2.notCounted], ['missed', 0, 1], 'a meeting below quorum is not counted, and said so');
      // One more full member present makes it count.
      const fixed = await c.put(`/api/meetings/${meetingId}/record`, {
        attendance: [
          { memberId: byName['党员0'], status: '出席' },
          { memberId: byName['党员1'], status: '出席' },
          { memberId: byName['党员2'], status: '出席' },
          { memberId: byName['党员3'], status: '缺席', reason: '未请假' },
          { memberId: byName['党员4'], status: '出席' },
        ],
      });
      assert.deepEqual([fixed.body.meeting.expected, fixed.body.meeting.present], [4, 3]);
    });

    test('attachments: checked by content, size-limited, names cleaned, checksum kept', async () => {
      const upload = async (name: string, bytes: Buffer) => {
        const fd = new FormData();
        fd.append('file', new Blob([new Uint8Array(bytes)]), name);
        return c.request('POST', `/api/meetings/${meetingId}/attachments`, fd);
      };
      const ok = await upload('../../etc/会议照片.png', PNG);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const exe = await upload('photo.png', Buffer.from('MZ\x90\x00 not an image'));
      assert.equal(exe.status, 400);
      assert.match(exe.body.error.message, /JPG、PNG.*PDF/);
      const big = await upload('big.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024 + 1)]));
      assert.equal(big.status, 413);
      const rec = await c.get(`/api/meetings/${meetingId}/record`);
      assert.deepEqual(rec.body.attachments.map((a: { fileName: string; mime: string; sha256: string }) => [a.fileName, a.mime, a.sha256]), [['会议照片.png', 'image/png', createHash('sha256').update(PNG).digest('hex')]]);
      const res = await fetch(`${server.base}/api/meetings/${meetingId}/attachments/${ok.body.id}`, { headers: { cookie: c.cookie! } });
      assert.equal(res.headers.get('content-type'), 'image/png');
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(PNG));
    });

    test('meetings due in the coming weeks, per branch', async () => {
      const due = await c.get('/api/meetings/due?asOf=2023-06-20&weeks=2&area=SQ1');
      assert.equal(due.status, 200);
      const mine = due.body.items.filter((d: { org: string }) => d.org === 'SQ1-ZB1').map((d: { meetingType: string; period: string; deadline: string }) => `${d.meetingType} ${d.period} ${d.deadline}`);
      assert.ok(mine.includes('主题党日 2023-06 2023-06-30'), mine.join('; '));
      assert.ok(mine.includes('党课 2023-Q2 2023-06-30'));
      assert.ok(mine.includes('主题党日 2023-07 2023-07-31'), 'a period starting within the horizon');
      assert.ok(!mine.some((x: string) => x.startsWith('支部党员大会 2023-Q2')), 'Q2 already met');
    });
  });
}
