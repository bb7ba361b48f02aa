/**
 * `jiceng generate --scale street|district|city`: a large deterministic data set for benchmarks.
 * Every street has the demo street's shape and proportions (its trees, about 82,000 ledger
 * records of one year and 1,800 members), with a seed and names of its own, and is written
 * through the same code as a user's import (`importTree`, `importLedger`).
 *   street   = 1 street     ≈ 82,000 records
 *   district = 15 streets   ≈ 1.2 million records (1 million 安全排查 of one year)
 *   city     = 150 streets  ≈ 12 million records (meant for PostgreSQL)
 */
import { createHash } from 'node:crypto';
import { ledgerByKey } from '../domain/ledgers/catalogue.ts';
import type { CellValue, Table, TableRow } from '../io/table-reader.ts';
import type { Store } from '../store/db.ts';
import { importLedger } from '../store/ledger-import.ts';
import { setCommittee } from '../store/members.ts';
import { WHOLE_DATABASE } from '../store/scope.ts';
import { importTree } from '../store/tree-import.ts';
import { SYSTEM_ACTOR, withWrite } from '../store/unit-of-work.ts';
import { asTable, demoTrees, type StreetSpec } from './demo.ts';
import { generateDemoLedgers } from './ledgers-demo.ts';

export const SCALES = { street: 1, district: 15, city: 150 } as const;
export type Scale = keyof typeof SCALES;

/** The year generated: one year per street, as a street produces it. */
export const GENERATED_YEAR = 2023;

const STEMS = [
  '城南', '城北', '西关', '北塘', '南湖', '青山', '白沙', '金湾', '石桥', '枫林', '松江', '柳营', '梅园', '竹溪', '杏坛',
  '望江', '临河', '新桥', '古城', '凤凰', '龙泉', '玉泉', '长安', '永安', '兴华', '建设', '解放', '人民', '胜利', '红旗',
];

/** Street number `n` (1-based): code G001, G002 …; names 城南街道, 城北街道 … (with a number after the 30th). */
export function generatedStreet(n: number): StreetSpec {
  const stem = STEMS[(n - 1) % STEMS.length]! + (n > STEMS.length ? String(Math.ceil(n / STEMS.length)) : '');
  return { code: `G${String(n).padStart(3, '0')}`, name: `${stem}街道`, stem };
}

function rowsTable(headers: string[], rows: Array<Record<string, CellValue>>): Table {
  async function* iterate(): AsyncGenerator<TableRow> {
    let n = 1;
    for (const r of rows) yield { row: ++n, values: headers.map((h) => r[h] ?? null) };
  }
  return { headers, rows: iterate() };
}

export interface GenerateResult {
  streets: number;
  records: number;
  seconds: number;
}

/**
 * Adds the streets of `scale` to the database (streets already there, by code, are skipped, so an
 * interrupted run can be resumed). `log` receives progress lines.
 */
export async function generateData(store: Store, scale: Scale, log: (m: string) => void, opts: { streets?: number } = {}): Promise<GenerateResult> {
  const started = performance.now();
  const count = opts.streets ?? SCALES[scale];
  let records = 0;
  for (let n = 1; n <= count; n++) {
    const street = generatedStreet(n);
    const there = await store.db.selectFrom('areas').select('id').where('code', '=', street.code).executeTakeFirst();
    if (there) {
      log(`[${n}/${count}] ${street.name}（${street.code}）已存在，跳过`);
      continue;
    }
    const t0 = performance.now();
    const trees = demoTrees(street);
    for (const ledger of ['areas', 'orgs'] as const) {
      const r = await importTree(store, SYSTEM_ACTOR, WHOLE_DATABASE, ledger, asTable(ledger, trees[ledger]), { dryRun: false, fileName: `generate-${street.code}-${ledger}` });
      if (!r.ok) throw new Error(`generate ${street.code} ${ledger}: ${JSON.stringify(r.errors.slice(0, 3))}`);
    }
    const { files, committees } = generateDemoLedgers(street, n);
    await withWrite(store, SYSTEM_ACTOR, async (w) => {
      for (const c of committees) await setCommittee(w, WHOLE_DATABASE, c.org, { establishedOn: c.establishedOn, members: c.members });
    });
    const root = await store.db.selectFrom('areas').select('id').where('code', '=', street.code).executeTakeFirstOrThrow();
    let streetRecords = 0;
    for (const f of files.filter((x) => x.year === GENERATED_YEAR)) {
      const def = ledgerByKey(f.ledger)!;
      const headers = def.fields.filter((x) => !x.derived).map((x) => x.label);
      const fileName = `generate-${street.code}-${f.ledger}-${f.year}`;
      const r = await importLedger(store, SYSTEM_ACTOR, WHOLE_DATABASE, def, rowsTable(headers, f.rows), {
        dryRun: false,
        fileName,
        fileSha256: createHash('sha256').update(fileName).digest('hex'),
        fallbackAreaId: def.areaField === null ? Number(root.id) : null,
      });
      if (!r.ok) throw new Error(`generate ${fileName}: ${JSON.stringify(r.errors.slice(0, 3))}`);
      streetRecords += r.inserted;
    }
    records += streetRecords;
    const secs = (performance.now() - t0) / 1000;
    log(`[${n}/${count}] ${street.name}（${street.code}）：${streetRecords} 条记录，${secs.toFixed(1)} 秒（${Math.round(streetRecords / secs)} 条/秒）`);
  }
  return { streets: count, records, seconds: (performance.now() - started) / 1000 };
}
