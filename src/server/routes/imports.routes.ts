import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { ZImportResult } from '../../shared/schemas.ts';
import { TREE_COLUMNS } from '../../domain/tree-import.ts';
import { readTable, tableKind } from '../../io/table-reader.ts';
import { templateWorkbook } from '../../io/template.ts';
import type { Store } from '../../store/db.ts';
import { importTree } from '../../store/tree-import.ts';
import { principalOf, requestScope } from '../http.ts';

const LEDGER_TITLES = { areas: '区域', orgs: '党组织' } as const;
const ZKey = z.object({ key: z.enum(['areas', 'orgs'], { message: '没有这个台账' }) });

export function importRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/imports/:key/template', { config: { access: 'tree.read' }, schema: { tags: ['imports'], summary: '下载导入模板', params: ZKey } }, async (request, reply) => {
    const key = request.params.key;
    const buf = await templateWorkbook(LEDGER_TITLES[key], TREE_COLUMNS[key]);
    const name = encodeURIComponent(`${LEDGER_TITLES[key]}导入模板.xlsx`);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', `attachment; filename="template.xlsx"; filename*=UTF-8''${name}`)
      .send(buf);
  });

  r.post(
    '/api/imports/:key',
    {
      config: { access: 'tree.write' },
      schema: {
        tags: ['imports'],
        summary: '导入 .xlsx / .csv（全部成功或全部不导入）',
        params: ZKey,
        querystring: z.object({ dryRun: z.enum(['true', 'false']).optional(), area: z.string().max(40).optional() }),
        response: { 200: ZImportResult, 400: ZImportResult.or(z.any()) },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const scope = await requestScope(store, p, request.query.area);
      if (!request.isMultipart()) throw new AppError('BAD_REQUEST', '请以 multipart/form-data 上传文件（字段名 file）');
      const file = await request.file();
      if (!file || file.fieldname !== 'file') throw new AppError('BAD_REQUEST', '请上传文件（字段名 file）');
      tableKind(file.filename);
      const dir = await mkdtemp(join(tmpdir(), 'jiceng-import-'));
      try {
        const path = join(dir, 'upload');
        await pipeline(file.file, createWriteStream(path));
        if (file.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE');
        const table = await readTable(path, file.filename);
        const result = await importTree(store, p.actor, scope, request.params.key, table, {
          dryRun: request.query.dryRun === 'true',
          fileName: file.filename,
        });
        return reply.status(result.ok ? 200 : 400).send(result);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
}
