/** A meeting's full record (details, roster attendance, attachments) and the meetings due soon. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { ZCode, ZDate, zFreeText, zName } from '../../shared/schemas.ts';
import { contentDisposition } from '../../shared/text.ts';
import { todayInShanghai } from '../../domain/workdays.ts';
import type { Store } from '../../store/db.ts';
import { dueMeetings } from '../../store/compliance.ts';
import { ATTACHMENT_MAX_BYTES, ATTENDANCE, addAttachment, deleteAttachment, getAttachment, getMeetingRecord, saveMeetingRecord } from '../../store/meetings.ts';
import { withWrite } from '../../store/unit-of-work.ts';
import { principalOf, requestScope } from '../http.ts';

const ZId = z.object({ id: z.coerce.number().int().positive() });
const ZRecordInput = z.object({
  host: zName('主持人', 40).nullable().optional(),
  recorder: zName('记录人', 40).nullable().optional(),
  agenda: z.array(z.object({ title: zFreeText('议题', 200).pipe(z.string().trim().min(1, '议题不能为空')), firstAgendaItem: z.boolean() })).max(30).optional(),
  minutes: zFreeText('会议纪要', 20000).nullable().optional(),
  decisions: zFreeText('决定事项', 5000).nullable().optional(),
  attendance: z.array(z.object({ memberId: z.number().int().positive(), status: z.enum(ATTENDANCE), reason: zFreeText('原因', 200).nullable().optional() })).max(2000).optional(),
});

export function meetingRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = { access: 'ledger.read' as const, ledger: 'meetings' };
  const write = { access: 'ledger.write' as const, ledger: 'meetings' };

  r.get('/api/meetings/:id/record', { config: read, schema: { tags: ['meetings'], summary: '会议完整记录：议程、考勤（按当日党员名单）、纪要、附件', params: ZId } }, async (request) => {
    const p = principalOf(request);
    return getMeetingRecord(store, p.scope, request.params.id);
  });

  r.put('/api/meetings/:id/record', { config: write, schema: { tags: ['meetings'], summary: '保存会议记录（考勤同时更新应到、实到人数）', params: ZId, body: ZRecordInput } }, async (request) => {
    const p = principalOf(request);
    await withWrite(store, p.actor, (w) => saveMeetingRecord(w, p.scope, request.params.id, request.body));
    return getMeetingRecord(store, p.scope, request.params.id);
  });

  r.post('/api/meetings/:id/attachments', { config: write, schema: { tags: ['meetings'], summary: '上传附件（JPG/PNG/PDF，不超过10MB）', params: ZId } }, async (request) => {
    const p = principalOf(request);
    if (!request.isMultipart()) throw new AppError('BAD_REQUEST', '请以 multipart/form-data 上传文件（字段名 file）');
    const file = await request.file({ limits: { fileSize: ATTACHMENT_MAX_BYTES } });
    if (!file) throw new AppError('BAD_REQUEST', '请上传文件（字段名 file）');
    const bytes = await file.toBuffer().catch((e: { code?: string }) => {
      if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', '附件不能超过10MB');
      throw e;
    });
    // The stream may end at the limit without an error: a cut-off file is refused, never stored.
    if (file.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '附件不能超过10MB');
    const id = await withWrite(store, p.actor, (w) => addAttachment(w, p.scope, request.params.id, file.filename, bytes));
    return { id };
  });

  r.get('/api/meetings/:id/attachments/:attachmentId', { config: read, schema: { tags: ['meetings'], summary: '下载附件', params: ZId.extend({ attachmentId: z.coerce.number().int().positive() }) } }, async (request, reply) => {
    const p = principalOf(request);
    const a = await getAttachment(store, p.scope, request.params.id, request.params.attachmentId);
    return reply
      .type(a.mime)
      .header('Content-Disposition', contentDisposition(a.fileName, 'attachment'))
      .send(a.content);
  });

  r.delete('/api/meetings/:id/attachments/:attachmentId', { config: write, schema: { tags: ['meetings'], summary: '删除附件', params: ZId.extend({ attachmentId: z.coerce.number().int().positive() }) } }, async (request) => {
    const p = principalOf(request);
    await withWrite(store, p.actor, (w) => deleteAttachment(w, p.scope, request.params.id, request.params.attachmentId));
    return { ok: true };
  });

  r.get('/api/meetings/due', { config: read, schema: { tags: ['meetings'], summary: '近期应召开而尚未召开的会议（按党组织）', querystring: z.object({ area: ZCode.optional(), asOf: ZDate.optional(), weeks: z.coerce.number().int().min(1).max(26).optional() }) } }, async (request) => {
    const p = principalOf(request);
    const scope = await requestScope(store, p, request.query.area);
    return { items: await dueMeetings(store, scope, request.query.asOf ?? todayInShanghai(), request.query.weeks ?? 4) };
  });
}
