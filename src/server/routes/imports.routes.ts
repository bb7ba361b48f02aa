/** Import of .xlsx / .csv into the trees and every ledger, templates, and import progress. */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { displayFileName } from '../../shared/text.ts';
import { ZImportResult } from '../../shared/schemas.ts';
import { TREE_COLUMNS } from '../../domain/tree-import.ts';
import { readTable, tableKind } from '../../io/table-reader.ts';
import { templateWorkbook } from '../../io/template.ts';
import { ledgerTemplate } from '../../io/ledger-files.ts';
import type { Store } from '../../store/db.ts';
import { importTree } from '../../store/tree-import.ts';
import { importLedger } from '../../store/ledger-import.ts';
import { principalOf, requestScope, uploadTooLargeMessage } from '../http.ts';
import { fallbackAreaId, ledgerDef } from './ledgers.routes.ts';

const TREE_TITLES = { areas: '区域', orgs: '党组织' } as const;
const ZKey = z.object({ key: z.string().max(40) });

/** Progress of running imports, polled by the page while its upload request is open. */
const progress = new Map<string, { rowsRead: number; rowsChecked: number; done: boolean; at: number }>();

function track(id: string | undefined, p: { rowsRead: number; rowsChecked: number; done?: boolean }) {
  if (!id) return;
  if (progress.size > 1000) {
    for (const [k, v] of progress) if (Date.now() - v.at > 3_600_000) progress.delete(k);
  }
  progress.set(id, { rowsRead: p.rowsRead, rowsChecked: p.rowsChecked, done: Boolean(p.done), at: Date.now() });
}

export function importRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/imports/:key/template', { config: { access: 'ledger.read' }, schema: { tags: ['imports'], summary: '下载导入模板', params: ZKey } }, async (request, reply) => {
    const key = request.params.key;
    const p = principalOf(request);
    let buf: Buffer;
    let title: string;
    if (key === 'areas' || key === 'orgs') {
      title = TREE_TITLES[key];
      buf = await templateWorkbook(title, TREE_COLUMNS[key]);
    } else {
      const def = ledgerDef(key);
      title = def.title;
      const area = p.user.areaCode ?? (await store.db.selectFrom('areas').select('code').where('parent_id', 'is', null).orderBy('id').executeTakeFirst())?.code ?? 'JD01';
      const org = await store.db.selectFrom('orgs').select('code').orderBy('id').executeTakeFirst();
      buf = await ledgerTemplate(def, { areaCode: area, orgCode: org?.code ?? 'DZB01' });
    }
    const name = encodeURIComponent(`${title}导入模板.xlsx`);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', `attachment; filename="template.xlsx"; filename*=UTF-8''${name}`)
      .send(buf);
  });

  r.get('/api/imports/progress/:id', { config: { access: 'signedIn' }, schema: { tags: ['imports'], summary: '导入进度', params: z.object({ id: z.string().max(64) }), response: { 200: z.object({ rowsRead: z.number(), rowsChecked: z.number(), done: z.boolean() }) } } }, async (request) => {
    const p = progress.get(request.params.id);
    if (!p) throw new AppError('NOT_FOUND', '没有该导入任务');
    return { rowsRead: p.rowsRead, rowsChecked: p.rowsChecked, done: p.done };
  });

  r.post(
    '/api/imports/:key',
    {
      config: { access: 'ledger.write' },
      schema: {
        tags: ['imports'],
        summary: '导入 .xlsx / .csv（全部成功或全部不导入）',
        params: ZKey,
        querystring: z.object({ dryRun: z.enum(['true', 'false']).optional(), area: z.string().max(40).optional(), progressId: z.string().max(64).optional() }),
        response: { 200: ZImportResult, 400: ZImportResult.or(z.any()) },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const key = request.params.key;
      const isTree = key === 'areas' || key === 'orgs';
      const def = isTree ? null : ledgerDef(key);
      const scope = await requestScope(store, p, request.query.area);
      if (!request.isMultipart()) throw new AppError('BAD_REQUEST', '请以 multipart/form-data 上传文件（字段名 file）');
      const file = await request.file();
      if (!file || file.fieldname !== 'file') throw new AppError('BAD_REQUEST', '请上传文件（字段名 file）');
      tableKind(file.filename);
      // The upload is written under a fixed name in a fresh temporary directory; the name the
      // browser sent is kept only as a display name (no directories, no control characters).
      const fileName = displayFileName(file.filename);
      const dir = await mkdtemp(join(tmpdir(), 'jiceng-import-'));
      const progressId = request.query.progressId ?? randomUUID();
      try {
        const path = join(dir, 'upload');
        const hash = createHash('sha256');
        await pipeline(
          file.file,
          new Transform({
            transform(chunk, _enc, done) {
              hash.update(chunk);
              done(null, chunk);
            },
          }),
          createWriteStream(path),
        );
        if (file.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', uploadTooLargeMessage(app.uploadLimitBytes));
        const table = await readTable(path, file.filename);
        const dryRun = request.query.dryRun === 'true';
        const result = isTree
          ? await importTree(store, p.actor, scope, key, table, {
              dryRun,
              fileName,
              onProgress: (n) => track(progressId, { rowsRead: n, rowsChecked: n }),
            })
          : await importLedger(store, p.actor, scope, def!, table, {
              dryRun,
              fileName,
              fileSha256: hash.digest('hex'),
              fallbackAreaId: def!.areaField === null ? await fallbackAreaId(store, p, scope) : null,
              onProgress: (x) => track(progressId, x),
            });
        track(progressId, { rowsRead: result.rows, rowsChecked: result.rows, done: true });
        return reply.status(result.ok ? 200 : 400).send(result);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
}
