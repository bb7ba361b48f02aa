/**
 * The `jiceng` command. Thin: parse arguments, open the store, call the layers below, print.
 * Errors print one line in Chinese and English and exit non-zero.
 */
import { parseArgs } from 'node:util';
import { AppError } from '../shared/errors.ts';
import { ROLES, type Role } from '../shared/constants.ts';
import { openStore, type Store } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { countUsers, createApiToken, createUser } from '../store/auth.ts';
import { withWrite, SYSTEM_ACTOR } from '../store/unit-of-work.ts';
import { WHOLE_DATABASE } from '../store/scope.ts';
// Commands load what only they need (reports, exports, backups) when they run: start-up stays short.
import { verifyAuditLog } from '../store/audit.repository.ts';
import { readTable } from '../io/table-reader.ts';
import { importTree } from '../store/tree-import.ts';
import { importLedger } from '../store/ledger-import.ts';
import { LEDGERS, ledgerByKey } from '../domain/ledgers/catalogue.ts';
import { getAreaByCode } from '../store/trees.repository.ts';
import type { Scope } from '../store/scope.ts';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createReadStream } from 'node:fs';

/** The checksum of a file, streamed (an import file may be large). */
async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
import { enrolWithSecret } from '../store/two-factor.ts';

const USAGE = `用法 / usage: jiceng <命令> [选项]
  serve [--host 127.0.0.1] [--port 3000]      启动服务 / serve the API and web app
  migrate                                     升级数据库结构 / bring the schema up to date
  demo [--if-empty] [--trees-only]            载入演示街道（--trees-only 只载入区域、组织和用户）/ load the demo street
  generate --scale street|district|city       生成性能测试数据（1/15/150个街道，每街道约8万条）/ benchmark data
  user create --username U --password P --role R --area CODE [--totp-secret BASE32]
  token create --username U                   生成API令牌 / print a new API token
  import LEDGER FILE [--dry-run] [--area CODE]  导入 .xlsx/.csv（全部成功或全部不导入）
  export LEDGER --out FILE [--area CODE] [--from D] [--to D]  导出 .xlsx/.csv
  report annual --area CODE --year YYYY --out FILE   年度述职报告（.docx/.json/.md）
  backup --out FILE | restore FILE            备份与恢复 / backup and restore
  audit verify                                校验审计日志哈希链 / verify the audit chain
  keys rotate                                 更换加密字段的主密钥（旧密钥文件另存备份）/ rotate the field-encryption key
通用选项 / common: --db PATH|postgres://…  (默认 $JICENG_DB 或 ./data/jiceng.db)`;

class UsageError extends Error {}

function fail(zh: string, en: string): never {
  throw new UsageError(`${zh} / ${en}`);
}

async function withStore<T>(db: string | undefined, fn: (store: Store) => Promise<T>, opts = { migrate: true }): Promise<T> {
  const store = openStore(db || process.env.JICENG_DB || undefined);
  try {
    if (opts.migrate) await migrate(store);
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function areaScope(store: Store, code: string): Promise<Scope> {
  const area = await getAreaByCode(store.db, WHOLE_DATABASE, code);
  return { path: area.path };
}

/** The area of records without an area column: the scope's root, or the database's only root. */
async function rootAreaId(store: Store, scope: Scope): Promise<number> {
  if (scope.path) return Number(scope.path.split('/').filter(Boolean).pop());
  const roots = await store.db.selectFrom('areas').select('id').where('parent_id', 'is', null).execute();
  if (roots.length !== 1) fail('数据库中有多个根区域，请用 --area 指明', 'several root areas: pass --area');
  return roots[0]!.id;
}

/** The first admin, when the database has no user yet (CONTRACTS §1 JICENG_ADMIN_PASSWORD). */
export async function ensureFirstAdmin(store: Store, fallbackPassword?: string): Promise<void> {
  if ((await countUsers(store.db)) > 0) return;
  const given = process.env.JICENG_ADMIN_PASSWORD || fallbackPassword;
  const totpSecret = process.env.JICENG_ADMIN_TOTP_SECRET;
  const { password } = await withWrite(store, SYSTEM_ACTOR, async (w) => {
    const made = await createUser(w, WHOLE_DATABASE, { username: 'admin', role: 'admin', areaCode: null, displayName: '管理员', ...(given ? { password: given } : {}) });
    // Two-factor sign-in from the first moment (CONTRACTS §1 JICENG_ADMIN_TOTP_SECRET).
    if (totpSecret) await enrolWithSecret(w, 'admin', totpSecret, 'JICENG_ADMIN_TOTP_SECRET');
    return made;
  });
  if (!given) {
    console.log(`已创建管理员 admin，初始密码（仅显示这一次，首次登录须修改）/ created user admin, first password (shown once, must be changed): ${password}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      area: { type: 'string' },
      name: { type: 'string' },
      out: { type: 'string' },
      'dry-run': { type: 'boolean' },
      from: { type: 'string' },
      year: { type: 'string' },
      to: { type: 'string' },
      'if-empty': { type: 'boolean' },
      'trees-only': { type: 'boolean' },
      scale: { type: 'string' },
      'totp-secret': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, arg] = positionals;
  try {
    switch (command) {
      case 'serve': {
        const { serve } = await import('./serve.ts');
        await serve({ db: values.db, host: values.host, port: values.port });
        return 0;
      }
      case 'migrate':
        return await withStore(values.db, async (store) => {
          const r = await migrate(store);
          console.log(r.applied.length ? `已升级 / applied: ${r.applied.join(', ')}` : '数据库结构已是最新 / schema is up to date');
          return 0;
        }, { migrate: false });
      case 'demo':
        return await withStore(values.db, async (store) => {
          // Loaded here: the demo's generator and exceljs are not needed by any other command.
          const { loadDemo } = await import('../demo/demo.ts');
          const r = await loadDemo(store, { ifEmpty: Boolean(values['if-empty']), log: (m) => console.log(m), ledgers: !values['trees-only'] });
          if (r === 'skipped') console.log('数据库中已有数据，跳过演示数据 / database not empty, demo not loaded');
          return 0;
        });
      case 'generate': {
        const { generateData, SCALES } = await import('../demo/generate.ts');
        const scale = values.scale ?? 'street';
        if (!(scale in SCALES)) fail('--scale 应为 street、district 或 city', '--scale must be street, district or city');
        return await withStore(values.db, async (store) => {
          const r = await generateData(store, scale as keyof typeof SCALES, (m) => console.log(m));
          console.log(`已生成 / generated: ${r.streets} 个街道 / streets，${r.records} 条记录 / records，${r.seconds.toFixed(0)} 秒 / s`);
          return 0;
        });
      }
      case 'user': {
        if (sub !== 'create') fail('未知子命令，应为 user create', 'expected: user create');
        const { username, password, role, area } = values;
        if (!username || !role) fail('需要 --username 和 --role', '--username and --role are required');
        if (!ROLES.includes(role as Role)) fail(`角色应为：${ROLES.join('、')}`, `--role must be one of ${ROLES.join(', ')}`);
        const totpSecret = values['totp-secret'];
        return await withStore(values.db, async (store) => {
          const r = await withWrite(store, SYSTEM_ACTOR, async (w) => {
            const made = await createUser(w, WHOLE_DATABASE, { username, role: role as Role, areaCode: area ?? null, ...(password ? { password } : {}) });
            if (totpSecret !== undefined) await enrolWithSecret(w, username, totpSecret, 'cli');
            return made;
          });
          console.log(`已创建用户 / created user ${r.user.username} (${r.user.role}, ${r.user.areaCode ?? '全库 / whole database'})`);
          if (totpSecret !== undefined) console.log('已启用两步验证 / enrolled in two-factor sign-in');
          if (!password) console.log(`初始密码（首次登录须修改）/ first password (must be changed): ${r.password}`);
          return 0;
        });
      }
      case 'token': {
        if (sub !== 'create') fail('未知子命令，应为 token create', 'expected: token create');
        if (!values.username) fail('需要 --username', '--username is required');
        return await withStore(values.db, async (store) => {
          console.log(await createApiToken(store, SYSTEM_ACTOR, values.username!, values.name ?? null));
          return 0;
        });
      }
      case 'import': {
        const ledger = sub;
        const file = arg;
        if (!ledger || !file) fail('用法：jiceng import 台账 文件', 'usage: jiceng import LEDGER FILE');
        const isTree = ledger === 'areas' || ledger === 'orgs';
        const def = isTree ? null : ledgerByKey(ledger);
        if (!isTree && !def) fail(`没有“${ledger}”这个台账，可用：areas、orgs、${LEDGERS.map((l) => l.key).join('、')}`, `unknown ledger ${ledger}`);
        // Reading starts now (an .xlsx in its worker thread) while the database is opened and checked.
        const reading = readTable(file, file);
        reading.catch(() => {});
        return await withStore(values.db, async (store) => {
          const scope = values.area ? await areaScope(store, values.area) : WHOLE_DATABASE;
          const table = await reading;
          const progress = (read: number, checked: number) => process.stderr.write(`\r已读取 / rows read: ${read}，已检查 / checked: ${checked}`);
          const dryRun = Boolean(values['dry-run']);
          const result = isTree
            ? await importTree(store, SYSTEM_ACTOR, scope, ledger as 'areas' | 'orgs', table, { dryRun, fileName: file, onProgress: (n) => progress(n, n) })
            : await importLedger(store, SYSTEM_ACTOR, scope, def!, table, {
                dryRun,
                fileName: basename(file),
                fileSha256: await sha256File(file),
                fallbackAreaId: def!.areaField === null ? await rootAreaId(store, scope) : null,
                onProgress: (p) => progress(p.rowsRead, p.rowsChecked),
              });
          process.stderr.write('\n');
          for (const e of result.errors) console.error(`第${e.row}行 “${e.column}”：${e.message}`);
          for (const e of result.warnings) console.error(`提示 第${e.row}行 “${e.column}”：${e.message}`);
          if (!result.ok) {
            console.error(`导入失败，共${result.errors.length}处错误，未写入任何记录 / import refused: ${result.errors.length} errors, nothing written`);
            return 1;
          }
          console.log(
            result.dryRun
              ? `检查通过（试导入，未写入）/ dry run ok: ${result.rows} rows`
              : `导入成功 / imported: ${result.inserted} 新增, ${result.unchanged} 未变`,
          );
          return 0;
        });
      }
      case 'export': {
        const def = sub ? ledgerByKey(sub) : undefined;
        if (!def) fail(`用法：jiceng export 台账 --out 文件；台账可用：${LEDGERS.map((l) => l.key).join('、')}`, 'usage: jiceng export LEDGER --out FILE');
        if (!values.out) fail('需要 --out 文件（.xlsx 或 .csv）', '--out FILE is required');
        const format = values.out.toLowerCase().endsWith('.csv') ? 'csv' : values.out.toLowerCase().endsWith('.xlsx') ? 'xlsx' : fail('--out 的扩展名应为 .xlsx 或 .csv', 'the --out file must end in .xlsx or .csv');
        return await withStore(values.db, async (store) => {
          const scope = values.area ? await areaScope(store, values.area) : WHOLE_DATABASE;
          const { exportLedgerToFile } = await import('../store/ledger-export.ts');
          const n = await exportLedgerToFile(store, SYSTEM_ACTOR, def, scope, { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) }, format, values.out!);
          console.log(`已导出 / exported ${n} 条 → ${values.out}`);
          return 0;
        });
      }
      case 'report': {
        if (sub !== 'annual') fail('用法：jiceng report annual --area 编码 --year 年份 --out 文件', 'usage: jiceng report annual --area CODE --year YYYY --out FILE');
        if (!values.area || !values.year || !values.out) fail('需要 --area、--year 和 --out', '--area, --year and --out are required');
        const year = Number(values.year);
        if (!Number.isInteger(year) || year < 2000 || year > 2100) fail('--year 应为四位年份', '--year must be a year');
        const ext = values.out.toLowerCase().split('.').pop();
        if (ext !== 'docx' && ext !== 'json' && ext !== 'md') fail('--out 的扩展名应为 .docx、.json 或 .md', 'the --out file must end in .docx, .json or .md');
        return await withStore(values.db, async (store) => {
          const scope = await areaScope(store, values.area!);
          const { composeAnnualReport } = await import('../store/report.ts');
          const { reportDocx, reportMarkdown } = await import('../io/report-docx.ts');
          const report = await composeAnnualReport(store, scope, values.area!, year);
          const content = ext === 'json' ? `${JSON.stringify(report, null, 2)}\n` : ext === 'md' ? reportMarkdown(report) : await reportDocx(report);
          writeFileSync(values.out!, content);
          await withWrite(store, SYSTEM_ACTOR, (w) => w.audit({ action: 'export', entity: 'report', entityId: `${values.area}-${year}`, detail: { format: ext, file: values.out } }));
          console.log(`已生成 / written: ${values.out}（${report.title}）`);
          return 0;
        });
      }
      case 'backup':
        if (!values.out) fail('需要 --out 文件', '--out FILE is required');
        return await withStore(values.db, async (store) => {
          const { backup } = await import('../store/backup.ts');
          const point = await backup(store, values.out!);
          console.log(`已备份到 / backup written to ${values.out}（含审计日志至第${point.seq}条 / holds the audit chain up to entry ${point.seq}, hash ${point.hash}）`);
          return 0;
        });
      case 'restore':
        if (!sub) fail('用法：jiceng restore 文件', 'usage: jiceng restore FILE');
        return await withStore(values.db, async (store) => {
          const { restore } = await import('../store/backup.ts');
          await restore(store, sub);
          await migrate(store);
          await withWrite(store, SYSTEM_ACTOR, (w) => w.audit({ action: 'restore', detail: { file: sub } }));
          console.log(`已从备份恢复 / restored from ${sub}`);
          return 0;
        });
      case 'keys': {
        if (sub !== 'rotate') fail('未知子命令，应为 keys rotate', 'expected: keys rotate');
        const { rotateFieldKey } = await import('../store/key-rotation.ts');
        return await withStore(values.db, async (store) => {
          const r = await rotateFieldKey(store, SYSTEM_ACTOR);
          const n = Object.values(r.values).reduce((a, b) => a + b, 0);
          console.log(
            r.resumed
              ? `已完成上次中断的密钥更换 / finished the interrupted rotation: ${r.oldFingerprint} → ${r.newFingerprint}; 旧密钥备份 / old key kept in ${r.backupFile}`
              : `已更换加密字段密钥 / field key rotated: ${r.oldFingerprint} → ${r.newFingerprint}，重新加密 ${n} 个值 / values re-encrypted; 旧密钥备份 / old key kept in ${r.backupFile}（审计密钥不变 / audit key unchanged）`,
          );
          return 0;
        });
      }
      case 'audit': {
        if (sub !== 'verify') fail('未知子命令，应为 audit verify', 'expected: audit verify');
        return await withStore(values.db, async (store) => {
          const r = await verifyAuditLog(store);
          if (r.broken) {
            console.error(`审计日志校验失败：第${r.broken.seq}条 ${r.broken.reason} / audit log broken at entry ${r.broken.seq}`);
            return 1;
          }
          console.log(`审计日志完整，共${r.entries}条 / audit log intact: ${r.entries} entries`);
          return 0;
        });
      }
      case undefined:
      case 'help':
        console.log(USAGE);
        return command ? 0 : 1;
      default:
        fail(`未知命令“${command}”`, `unknown command ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    if (e instanceof AppError) {
      console.error(`错误 / error [${e.code}]: ${e.message}`);
      return 1;
    }
    console.error(`错误 / error: ${(e as Error).message}`);
    return 1;
  }
}
