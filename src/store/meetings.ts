/**
 * A meeting's full record: details, attendance from the roster of its day, attachments. Saving
 * attendance also sets the ledger's 应到/实到人数 (voting full members for a 党员大会, the committee
 * for a 支委会, everyone otherwise), which is what compliance counts quorum on.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { displayFileName } from '../shared/text.ts';
import { ledgerByKey } from '../domain/ledgers/catalogue.ts';
import type { Store } from './db.ts';
import { getRecord, getRecordRow } from './ledger.repository.ts';
import { rosterOn } from './members.ts';
import { RefIndex } from './refs.ts';
import type { Scope } from './scope.ts';
import type { Reader, Write } from './unit-of-work.ts';

const MEETINGS = ledgerByKey('meetings')!;

export const ATTENDANCE = ['出席', '请假', '缺席'] as const;
export type AttendanceStatus = (typeof ATTENDANCE)[number];

export interface MeetingRecordInput {
  host?: string | null;
  recorder?: string | null;
  agenda?: Array<{ title: string; firstAgendaItem: boolean }>;
  minutes?: string | null;
  decisions?: string | null;
  attendance?: Array<{ memberId: number; status: AttendanceStatus; reason?: string | null }>;
}

/** The roster a meeting takes attendance from: its organization's members on its day. */
async function meetingRoster(db: Reader, meeting: Record<string, unknown>) {
  return rosterOn(db, Number(meeting.org_ref), String(meeting.date));
}

export async function getMeetingRecord(store: Store, scope: Scope, id: number) {
  const meeting = await getRecord(store, MEETINGS, scope, id);
  const row = await getRecordRow(store.db, MEETINGS, scope, id);
  const details = await store.db.selectFrom('meeting_details').selectAll().where('meeting_id', '=', id).executeTakeFirst();
  const attendance = await store.db.selectFrom('meeting_attendance').select(['member_id', 'status', 'reason', 'category']).where('meeting_id', '=', id).execute();
  const attachments = await store.db.selectFrom('meeting_attachments').select(['id', 'file_name', 'mime', 'size', 'sha256', 'created_at']).where('meeting_id', '=', id).orderBy('id').execute();
  const roster = await meetingRoster(store.db, row);
  const marked = new Map(attendance.map((a) => [Number(a.member_id), a]));
  return {
    meeting,
    details: {
      host: details?.host ?? null,
      recorder: details?.recorder ?? null,
      agenda: details?.agenda ? (JSON.parse(details.agenda) as Array<{ title: string; firstAgendaItem: boolean }>) : [],
      minutes: details?.minutes ?? null,
      decisions: details?.decisions ?? null,
    },
    // Everyone on the roster that day, with what was recorded for them.
    attendance: roster.map((m) => ({
      memberId: m.id,
      name: m.name,
      category: m.category,
      partyPost: m.partyPost,
      status: (marked.get(m.id)?.status ?? null) as AttendanceStatus | null,
      reason: marked.get(m.id)?.reason ?? null,
    })),
    attachments: attachments.map((a) => ({ id: a.id, fileName: a.file_name, mime: a.mime, size: Number(a.size), sha256: a.sha256, createdAt: a.created_at })),
  };
}

export async function saveMeetingRecord(w: Write, scope: Scope, id: number, input: MeetingRecordInput): Promise<void> {
  const db = w.trx as unknown as Kysely<any>;
  const row = await getRecordRow(w.trx, MEETINGS, scope, id);
  const stamp = w.now.toISOString();
  const before = await w.trx.selectFrom('meeting_details').selectAll().where('meeting_id', '=', id).executeTakeFirst();
  const values = {
    host: input.host === undefined ? (before?.host ?? null) : input.host,
    recorder: input.recorder === undefined ? (before?.recorder ?? null) : input.recorder,
    agenda: input.agenda === undefined ? (before?.agenda ?? null) : JSON.stringify(input.agenda),
    minutes: input.minutes === undefined ? (before?.minutes ?? null) : input.minutes,
    decisions: input.decisions === undefined ? (before?.decisions ?? null) : input.decisions,
    updated_at: stamp,
    updated_by: w.actor.userId,
  };
  if (before) await w.trx.updateTable('meeting_details').set(values).where('meeting_id', '=', id).execute();
  else await w.trx.insertInto('meeting_details').values({ meeting_id: id, ...values }).execute();
  const ledgerSet: Record<string, unknown> = {};
  // An empty agenda says nothing about the 第一议题: the ledger's value stays.
  if (input.agenda?.length) ledgerSet.first_agenda_item = input.agenda.some((a) => a.firstAgendaItem) ? 1 : 0;

  if (input.attendance) {
    const roster = await meetingRoster(w.trx, row);
    const onRoster = new Map(roster.map((m) => [m.id, m]));
    const seen = new Set<number>();
    for (const a of input.attendance) {
      if (!onRoster.has(a.memberId)) throw new AppError('VALIDATION_FAILED', `第${input.attendance.indexOf(a) + 1}位不在该党组织${String(row.date)}的党员名单中`);
      if (seen.has(a.memberId)) throw new AppError('VALIDATION_FAILED', '同一名党员只能登记一次');
      seen.add(a.memberId);
      if (a.status !== '出席' && !a.reason?.trim()) throw new AppError('VALIDATION_FAILED', `${onRoster.get(a.memberId)!.name}${a.status}，请填写原因`);
    }
    await w.trx.deleteFrom('meeting_attendance').where('meeting_id', '=', id).execute();
    if (input.attendance.length) {
      await w.trx
        .insertInto('meeting_attendance')
        .values(input.attendance.map((a) => ({ meeting_id: id, member_id: a.memberId, status: a.status, reason: a.reason ?? null, category: onRoster.get(a.memberId)!.category })))
        .execute();
    }
    // Who should attend and who came, as the quorum rules count them.
    const marked = input.attendance.map((a) => ({ ...a, category: onRoster.get(a.memberId)!.category }));
    if (row.type === '支部党员大会') {
      // 支部工作条例 art. 14 and 党章 art. 7: the quorum counts members with a vote — full members.
      const voters = roster.filter((m) => m.category === '正式党员');
      ledgerSet.expected = voters.length;
      ledgerSet.present = marked.filter((a) => a.status === '出席' && a.category === '正式党员').length;
    } else if (row.type === '支部委员会') {
      const committee = await w.trx
        .selectFrom('org_committees')
        .select('members')
        .where('org_id', '=', Number(row.org_ref))
        .where('established_on', '<=', String(row.date))
        .where((eb) => eb.or([eb('ended_on', 'is', null), eb('ended_on', '>', String(row.date))]))
        .executeTakeFirst();
      ledgerSet.expected = committee?.members ?? marked.length;
      ledgerSet.present = marked.filter((a) => a.status === '出席').length;
      if (Number(ledgerSet.present) > Number(ledgerSet.expected)) {
        throw new AppError('VALIDATION_FAILED', `支部委员会会议出席的委员（${String(ledgerSet.present)}人）不能多于委员会人数（${String(ledgerSet.expected)}人）；列席人员请不要登记为出席`);
      }
    } else {
      ledgerSet.expected = roster.length;
      ledgerSet.present = marked.filter((a) => a.status === '出席').length;
    }
  }
  if (Object.keys(ledgerSet).length) {
    await db.updateTable('lg_meetings').set({ ...ledgerSet, version: sql`version + 1`, updated_at: stamp, updated_by: w.actor.userId }).where('id', '=', id).execute();
  }
  const refs = await RefIndex.load(w.trx);
  await w.audit({
    action: 'update',
    entity: 'meeting_record',
    entityId: id,
    areaPath: refs.areasById.get(Number(row.area_id))?.path ?? null,
    before: before ? { host: before.host, recorder: before.recorder } : null,
    after: { host: values.host, recorder: values.recorder, agenda: input.agenda, attendance: input.attendance?.length ?? null, ...ledgerSet },
  });
}

/** What an attachment may be, told by its first bytes (never by its name or declared type). */
export function sniffAttachment(bytes: Buffer): string | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** A display name without directories or control characters (the file is never stored under it). */
export function safeFileName(name: string): string {
  return displayFileName(name);
}

export async function addAttachment(w: Write, scope: Scope, meetingId: number, fileName: string, bytes: Buffer): Promise<number> {
  const row = await getRecordRow(w.trx, MEETINGS, scope, meetingId);
  if (bytes.length > ATTACHMENT_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', '附件不能超过10MB');
  const mime = sniffAttachment(bytes);
  if (!mime) throw new AppError('VALIDATION_FAILED', '附件只能是 JPG、PNG 图片或 PDF 文件');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const name = safeFileName(fileName);
  const { id } = await w.trx
    .insertInto('meeting_attachments')
    .values({ meeting_id: meetingId, file_name: name, mime, size: bytes.length, sha256, content: bytes, created_at: w.now.toISOString(), created_by: w.actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const refs = await RefIndex.load(w.trx);
  await w.audit({ action: 'create', entity: 'meeting_attachment', entityId: meetingId, areaPath: refs.areasById.get(Number(row.area_id))?.path ?? null, after: { fileName: name, mime, size: bytes.length, sha256 } });
  return Number(id);
}

export async function getAttachment(store: Store, scope: Scope, meetingId: number, attachmentId: number) {
  await getRecordRow(store.db, MEETINGS, scope, meetingId);
  const a = await store.db.selectFrom('meeting_attachments').selectAll().where('id', '=', attachmentId).where('meeting_id', '=', meetingId).executeTakeFirst();
  if (!a) throw new AppError('NOT_FOUND', '没有该附件');
  const content = Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content as unknown as Uint8Array);
  // Checked on the way out too: storage that changed under us is reported, not served.
  if (createHash('sha256').update(content).digest('hex') !== a.sha256) throw new AppError('INTERNAL', '附件校验失败，文件可能已损坏');
  return { fileName: a.file_name, mime: a.mime, content };
}

export async function deleteAttachment(w: Write, scope: Scope, meetingId: number, attachmentId: number): Promise<void> {
  const row = await getRecordRow(w.trx, MEETINGS, scope, meetingId);
  const a = await w.trx.selectFrom('meeting_attachments').select(['file_name', 'sha256']).where('id', '=', attachmentId).where('meeting_id', '=', meetingId).executeTakeFirst();
  if (!a) throw new AppError('NOT_FOUND', '没有该附件');
  await w.trx.deleteFrom('meeting_attachments').where('id', '=', attachmentId).execute();
  const refs = await RefIndex.load(w.trx);
  await w.audit({ action: 'delete', entity: 'meeting_attachment', entityId: meetingId, areaPath: refs.areasById.get(Number(row.area_id))?.path ?? null, before: { fileName: a.file_name, sha256: a.sha256 } });
}
