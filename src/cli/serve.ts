/** `jiceng serve`: migrate, make sure there is a first admin, listen on 127.0.0.1 by default. */
import { openStore } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { buildServer } from '../server/app.ts';
import { ensureFirstAdmin } from './main.ts';

export async function serve(opts: { db?: string | undefined; host?: string | undefined; port?: string | undefined }): Promise<void> {
  const store = openStore(opts.db || process.env.JICENG_DB || undefined);
  await migrate(store);
  await ensureFirstAdmin(store);
  // JSON request logs go to stdout, or appended to JICENG_LOG_FILE when it names a file.
  const logFile = process.env.JICENG_LOG_FILE;
  const uploadMb = Number(process.env.JICENG_MAX_UPLOAD_MB);
  const app = await buildServer(store, {
    logger: { level: process.env.JICENG_LOG_LEVEL ?? 'info', ...(logFile ? { file: logFile } : {}) },
    ...(uploadMb > 0 ? { maxUploadBytes: Math.round(uploadMb * 1024 * 1024) } : {}),
  });
  const host = opts.host ?? process.env.JICENG_HOST ?? '127.0.0.1';
  const port = Number(opts.port ?? process.env.JICENG_PORT ?? 3000);
  await app.listen({ host, port });
  console.log(`Jiceng 基层 已启动 / listening on http://${host}:${port} (${store.kind}: ${store.label})`);
  const stop = async () => {
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise(() => {});
}
