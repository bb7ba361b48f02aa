/**
 * The demo street's ledgers for 2023 and 2024, generated deterministically (a seeded PRNG, no
 * clock) and loaded the way users load theirs: written as .csv and .xlsx files and imported
 * through `readTable` + `importLedger`. Every figure of the 2023 成绩清单 in
 * shared/reference/demo-street.md comes out of these records exactly; the 2024 records carry
 * the plans of 下一步工作思路, some met and some missed.
 *
 * Exact totals (9768 participants, 2638400.00 元, 214.9 吨 …) are split over records with
 * integer arithmetic, so they never depend on floating point.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from '../io/excel.ts';
import { readTable } from '../io/table-reader.ts';
import { ledgerByKey, WORK_UNITS } from '../domain/ledgers/catalogue.ts';
import type { LedgerDef } from '../domain/ledgers/types.ts';
import { idCheckChar } from '../domain/id-number.ts';
import { isWorkday as calendarWorkday } from '../domain/workdays.ts';
import type { Store } from '../store/db.ts';
import { importLedger } from '../store/ledger-import.ts';
import { setCommittee } from '../store/members.ts';
import { createTarget, type TargetInput } from '../store/targets.ts';
import { WHOLE_DATABASE } from '../store/scope.ts';
import { withWrite, SYSTEM_ACTOR } from '../store/unit-of-work.ts';
import { DEMO_STREET, DEMO_STREET_CODE, demoTrees, type StreetSpec } from './demo.ts';

const SEED = 20240101;
const YEARS = [2023, 2024] as const;
type Year = (typeof YEARS)[number];

/**
 * The street being generated: the demo's by default; `jiceng generate` makes many streets of the
 * same shape, each with its own seed (variety) and its own ID-number county codes (no person twice).
 * Generation is synchronous, so this module-level setting cannot leak between two generations.
 */
// (The street itself is read at generation time: demo.ts and this module import each other.)
let current: { street: StreetSpec | null; seed: number; index: number } = { street: null, seed: SEED, index: 0 };

// ---------------------------------------------------------------- random numbers

/** mulberry32: small, fast, and the same sequence on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** A stream of its own per ledger and year, so changing one ledger leaves the others as they were. */
  static for(name: string): Rng {
    return new Rng((current.seed ^ fnv1a(name)) >>> 0);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [a, b]. */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Picks with a bias towards the start of the list (common surnames, usual cases). */
  pickBiased<T>(items: readonly T[], power = 1.8): T {
    return items[Math.floor(Math.pow(this.next(), power) * items.length)]!;
  }
  weighted<T>(pairs: ReadonlyArray<readonly [T, number]>): T {
    const total = pairs.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return pairs[pairs.length - 1]![0];
  }
  shuffle<T>(items: readonly T[]): T[] {
    const a = [...items];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
  sample<T>(items: readonly T[], n: number): T[] {
    return this.shuffle(items).slice(0, n);
  }
}

/**
 * `total` split into `n` integers, each at least `min`, roughly proportional to `weights`
 * (random when not given). The parts always add up to `total` exactly.
 */
function splitInt(rng: Rng, total: number, n: number, min = 0, weights?: number[], spread = 0.6): number[] {
  if (!Number.isInteger(total) || n <= 0 || n * min > total) throw new Error(`demo: cannot split ${total} into ${n} parts of at least ${min}`);
  const w = weights ?? Array.from({ length: n }, () => 1 + spread * (rng.float() * 2 - 1));
  const W = w.reduce((s, x) => s + x, 0);
  const rest = total - n * min;
  const out = w.map((x) => min + Math.floor((rest * x) / W));
  let left = total - out.reduce((s, x) => s + x, 0);
  const order = rng.shuffle(out.map((_, i) => i));
  for (let i = 0; left > 0; i++, left--) out[order[i % n]!]!++;
  return out;
}

function sum(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

/** Fen (integer) → "1234.56". */
function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Tenths (integer) → "21.4" / "22". */
function tenths(t: number): string {
  return t % 10 === 0 ? String(t / 10) : `${Math.floor(t / 10)}.${t % 10}`;
}

// ---------------------------------------------------------------- dates

const DAY_MS = 86_400_000;
const msOf = (d: string) => Date.parse(`${d}T00:00:00Z`);
const isoOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const plusDays = (d: string, n: number) => isoOf(msOf(d) + n * DAY_MS);
const ymd = (y: number, m: number, d: number) => isoOf(Date.UTC(y, m - 1, d));
const pad2 = (n: number) => String(n).padStart(2, '0');

const workdayMemo = new Map<string, boolean>();
/** The official calendar where it is known (2004–2026), Monday to Friday before that. */
function isWorkday(d: string): boolean {
  let v = workdayMemo.get(d);
  if (v === undefined) {
    const y = Number(d.slice(0, 4));
    if (y >= 2004 && y <= 2026) v = calendarWorkday(d);
    else {
      const wd = new Date(msOf(d)).getUTCDay();
      v = wd !== 0 && wd !== 6;
    }
    workdayMemo.set(d, v);
  }
  return v;
}

function workdayOnOrAfter(d: string): string {
  while (!isWorkday(d)) d = plusDays(d, 1);
  return d;
}

function workdayOnOrBefore(d: string): string {
  while (!isWorkday(d)) d = plusDays(d, -1);
  return d;
}

function randomDay(rng: Rng, from: string, to: string): string {
  const a = msOf(from);
  const b = msOf(to);
  return isoOf(a + rng.int(0, Math.round((b - a) / DAY_MS)) * DAY_MS);
}

/** A working day in [from, to] (the range must hold one). */
function randomWorkday(rng: Rng, from: string, to: string): string {
  const d = workdayOnOrAfter(randomDay(rng, from, to));
  return d <= to ? d : workdayOnOrBefore(to);
}

const monthWorkdays = new Map<string, string[]>();
function workdaysOfMonth(y: number, m: number): string[] {
  const key = `${y}-${pad2(m)}`;
  let days = monthWorkdays.get(key);
  if (!days) {
    days = [];
    for (let d = ymd(y, m, 1); d.startsWith(key); d = plusDays(d, 1)) if (isWorkday(d)) days.push(d);
    monthWorkdays.set(key, days);
  }
  return days;
}

function lastDayOfMonth(y: number, m: number): string {
  return plusDays(ymd(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1), -1);
}

/** The same day n years later (29 February becomes the 28th). */
function addYears(d: string, n: number): string {
  const md = d.slice(5) === '02-29' ? '02-28' : d.slice(5);
  return `${Number(d.slice(0, 4)) + n}-${md}`;
}

// ---------------------------------------------------------------- people

const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'];
const MALE_CHARS = [...'伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信杰涛昌成康星光天达安岩中茂进林有坚和博诚先敬震振会思群豪承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦宏鸣朋斌栋维启克伦翔旭鹏泽晨辰建家德泰盛雄钧冠腾航'];
const FEMALE_CHARS = [...'秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱霞香月媛艳瑞佳嘉琼勤珍莉桂琦晶妍茜秋珊锦青倩婷婉娴瑾颖露瑶怡雁蓓仪荷丹蓉君琴蕊薇菁梦岚婕馨韵艺悦冰爽欣晓欢芸菲亚宜可舒丽妮'];
const ADDRESS_CODES: ReadonlyArray<readonly [string, number]> = [
  // Fictional county codes (no prefecture 99 exists): plausible in shape, belonging to no one.
  ['379901', 60],
  ['379902', 12],
  ['379903', 8],
  ['379905', 6],
  ['379912', 4],
  ['419906', 3],
  ['239904', 2],
  ['139907', 2],
  ['519903', 2],
  ['619902', 1],
];
const ETHNICITIES: ReadonlyArray<readonly [string, number]> = [
  ['汉族', 940],
  ['回族', 28],
  ['满族', 20],
  ['蒙古族', 8],
  ['朝鲜族', 4],
];

type Gender = '男' | '女';

class People {
  private readonly usedIds = new Set<string>();
  constructor(private readonly rng: Rng) {}

  name(gender: Gender): string {
    const chars = gender === '男' ? MALE_CHARS : FEMALE_CHARS;
    const given = this.rng.chance(0.62) ? this.rng.pick(chars) + this.rng.pick(chars) : this.rng.pick(chars);
    return this.rng.pickBiased(SURNAMES, 1.7) + given;
  }

  birthDate(fromYear: number, toYear: number): string {
    return randomDay(this.rng, ymd(fromYear, 1, 1), ymd(toYear, 12, 31));
  }

  /** A valid 公民身份号码 (GB 11643): fictional address code, the birth date, sex in the 17th digit, check character. */
  idNumber(birth: string, gender: Gender): string {
    for (;;) {
      const code = this.rng.weighted(ADDRESS_CODES);
      // Generated streets: a fictional prefecture/county of their own (9001, 9002 …), so ID numbers never repeat across streets.
      const area = current.index === 0 ? code : `${code.slice(0, 2)}${9000 + current.index}`;
      const seq = pad2(this.rng.int(0, 99)) + String(this.rng.int(0, 4) * 2 + (gender === '男' ? 1 : 0));
      const first17 = `${area}${birth.replace(/-/g, '')}${seq}`;
      const id = first17 + idCheckChar(first17);
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  phone(): string {
    return `1${this.rng.pick(['3', '5', '7', '8', '9'])}${this.rng.int(0, 9)}${String(this.rng.int(0, 99_999_999)).padStart(8, '0')}`;
  }

  ethnicity(): string {
    return this.rng.weighted(ETHNICITIES);
  }

  education(birthYear: number): string {
    if (birthYear < 1955) return this.rng.weighted([['小学', 3], ['初中', 4], ['高中', 3], ['中专', 1]] as const);
    if (birthYear < 1970) return this.rng.weighted([['初中', 3], ['高中', 4], ['中专', 2], ['大专', 2], ['本科', 1]] as const);
    if (birthYear < 1985) return this.rng.weighted([['初中', 1], ['高中', 2], ['中专', 1], ['大专', 4], ['本科', 4], ['硕士研究生', 1]] as const);
    return this.rng.weighted([['高中', 1], ['大专', 3], ['本科', 6], ['硕士研究生', 1]] as const);
  }
}

/** "王某某" style reference used for persons in petition and relief records. */
function anonymized(rng: Rng): string {
  return `${rng.pickBiased(SURNAMES, 1.7)}某${rng.chance(0.5) ? '某' : ''}`;
}

// ---------------------------------------------------------------- the street

interface Place {
  code: string;
  name: string;
}
interface Village extends Place {
  org: string;
  branches: string[];
  grids: Grid[];
}
interface Compound extends Place {
  community: Community;
  org: string;
  grid: Grid;
}
interface Community extends Place {
  index: number;
  org: string;
  branch: string;
  compounds: Compound[];
  grids: Grid[];
}
interface Grid extends Place {
  type: string;
  parent: string;
  /** The village, community or compound the grid lies in. */
  host: Place;
  hostKind: '村' | '社区' | '小区';
}
interface Branch extends Place {
  category: string;
  area: string;
  /** 党小组 under a 党支部 (the smaller compounds'). */
  groups: Place[];
}

interface Street {
  code: string;
  name: string;
  org: string;
  villages: Village[];
  communities: Community[];
  compounds: Compound[];
  grids: Grid[];
  branches: Branch[];
  groups: Array<Place & { branch: string; area: string }>;
  /** 村党委, 社区党委 and 党总支. */
  committees: Array<Place & { area: string }>;
  areaName: Map<string, string>;
}

function buildStreet(): Street {
  const street = current.street ?? DEMO_STREET;
  const { areas, orgs } = demoTrees(street);
  const S = street.code;
  const areaName = new Map(areas.map((a) => [a['编码']!, a['名称']!]));
  const byParent = (code: string) => areas.filter((a) => a['上级编码'] === code);
  const orgsIn = (area: string) => orgs.filter((o) => o['所在区域编码'] === area);

  const gridOf = (a: Record<string, string>, host: Place, hostKind: Grid['hostKind']): Grid => ({
    code: a['编码']!,
    name: a['名称']!,
    type: a['网格类型']!,
    parent: a['上级编码']!,
    host,
    hostKind,
  });

  const villages: Village[] = [];
  const communities: Community[] = [];
  const compounds: Compound[] = [];
  const grids: Grid[] = [];
  for (const a of byParent(S)) {
    const code = a['编码']!;
    const place = { code, name: a['名称']! };
    if (a['类型'] === '村') {
      const org = orgsIn(code).find((o) => o['类型'] === '党委')!['编码']!;
      const v: Village = { ...place, org, branches: orgsIn(code).filter((o) => o['类型'] === '党支部').map((o) => o['编码']!), grids: [] };
      for (const g of byParent(code)) v.grids.push(gridOf(g, place, '村'));
      grids.push(...v.grids);
      villages.push(v);
    } else if (a['类型'] === '社区') {
      const own = orgsIn(code);
      const org = own.find((o) => o['类型'] === '党委' || o['类型'] === '党总支')!['编码']!;
      const branch = own.find((o) => o['类型'] === '党支部' && o['类别'] === '社区')!['编码']!;
      const c: Community = { ...place, index: communities.length, org, branch, compounds: [], grids: [] };
      for (const child of byParent(code)) {
        if (child['类型'] === '网格') c.grids.push(gridOf(child, place, '社区'));
        else if (child['类型'] === '小区') {
          const cp = { code: child['编码']!, name: child['名称']! };
          const g = byParent(cp.code).find((x) => x['类型'] === '网格')!;
          const corg = orgsIn(cp.code)[0]!['编码']!;
          const compound: Compound = { ...cp, community: c, org: corg, grid: gridOf(g, cp, '小区') };
          c.compounds.push(compound);
          compounds.push(compound);
          grids.push(compound.grid);
        }
      }
      grids.push(...c.grids);
      communities.push(c);
    }
  }
  grids.sort((a, b) => a.code.localeCompare(b.code));

  const branches: Branch[] = [];
  const groups: Street['groups'] = [];
  const committees: Street['committees'] = [];
  for (const o of orgs) {
    const place = { code: o['编码']!, name: o['名称']! };
    if (o['类型'] === '党支部') branches.push({ ...place, category: o['类别']!, area: o['所在区域编码']!, groups: [] });
    else if (o['类型'] === '党小组') groups.push({ ...place, branch: o['上级编码']!, area: o['所在区域编码']! });
    else if (o['类型'] === '党委' || o['类型'] === '党总支') committees.push({ ...place, area: o['所在区域编码']! });
  }
  for (const g of groups) branches.find((b) => b.code === g.branch)?.groups.push(g);
  const root = orgs.find((o) => o['类型'] === '党工委')!;
  return { code: S, name: areaName.get(S)!, org: root['编码']!, villages, communities, compounds, grids, branches, groups, committees, areaName };
}

// ---------------------------------------------------------------- files

type Cell = string | number | Date | null;
type Rec = Record<string, Cell>;

interface DemoFile {
  ledger: string;
  year: Year;
  format: 'csv' | 'xlsx';
  /** The rows, keyed by column label (the import header). */
  rows: Rec[];
}

function defOf(key: string): LedgerDef {
  const def = ledgerByKey(key);
  if (!def) throw new Error(`demo: no ledger ${key}`);
  return def;
}

function csvField(v: Cell): string {
  if (v === null) return '';
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes the file as a user would save it: the ledger's column labels as headers. */
async function writeDemoFile(dir: string, f: DemoFile): Promise<string> {
  const def = defOf(f.ledger);
  const fields = def.fields.filter((x) => !x.derived);
  const labels = new Set(fields.map((x) => x.label));
  for (const r of f.rows) for (const k of Object.keys(r)) if (!labels.has(k)) throw new Error(`demo: ${f.ledger} has no column ${k}`);
  const name = `${def.title}-${f.year}.${f.format}`;
  const path = join(dir, name);
  if (f.format === 'csv') {
    const lines = [fields.map((x) => csvField(x.label)).join(',')];
    for (const r of f.rows) lines.push(fields.map((x) => csvField(r[x.label] ?? null)).join(','));
    // Every other file carries a BOM, as Excel's "CSV UTF-8" does.
    const bom = f.ledger.length % 2 === 0 ? '\ufeff' : '';
    await writeFile(path, bom + lines.join('\r\n') + '\r\n', 'utf8');
  } else {
    const wb = new ExcelJS.Workbook();
    wb.creator = 'jiceng demo';
    // A fixed timestamp keeps the file (and its checksum) the same on every run.
    wb.created = new Date(Date.UTC(2025, 0, 1));
    wb.modified = wb.created;
    const ws = wb.addWorksheet(def.title);
    ws.addRow(fields.map((x) => (x.required ? `${x.label}*` : x.label)));
    for (const r of f.rows) ws.addRow(fields.map((x) => r[x.label] ?? null));
    fields.forEach((x, i) => {
      const col = ws.getColumn(i + 1);
      col.width = x.type === 'longtext' ? 40 : x.type === 'date' ? 12 : 16;
      if (x.type === 'date') col.numFmt = 'yyyy-mm-dd';
    });
    await wb.xlsx.writeFile(path);
  }
  return path;
}

/** A date as an Excel date cell (UTC midnight, as Excel's serial day numbers are). */
function xdate(d: string | null): Date | null {
  return d === null ? null : new Date(msOf(d));
}

// ---------------------------------------------------------------- generation

interface Person {
  name: string;
  gender: Gender;
  birth: string;
  id: string;
}

interface Cadre extends Person {
  category: string;
  area: string;
  enteredOn: string;
  status: '在岗' | '离岗';
  leftOn?: string;
}

/** The plans of part 三 (demo-street.md), as targets: some met, some missed, as the records make them. */
export function demoTargets2024(): Array<Omit<TargetInput, 'areaCode' | 'year'>> {
  // A function: demo.ts and this module import each other, so constants of one are not ready at the other's load.
  return [
  { title: '每季度至少召开1次党建工作专题会议', ledger: 'meetings', measure: 'count', filters: { 会议类型: '党建工作专题会议', 党组织编码: `${DEMO_STREET_CODE}-DGW` }, comparison: '>=', threshold: 1, period: 'quarter' },
  { title: '组织专题培训班4次以上', ledger: 'trainings', measure: 'count', filters: { 类型: '专题培训班' }, comparison: '>=', threshold: 4, period: 'year' },
  { title: '打造党群服务中心3个', ledger: 'facilities', measure: 'count', filters: { 类型: '党群服务中心' }, comparison: '>=', threshold: 3, period: 'year' },
  { title: '打造示范型党群服务站1个', ledger: 'facilities', measure: 'count', filters: { 类型: '党群服务站' }, q: '示范型', comparison: '>=', threshold: 1, period: 'year' },
  { title: '培养后备干部20人以上', ledger: 'cadres', measure: 'count', filters: { 类别: '后备干部' }, comparison: '>=', threshold: 20, period: 'year' },
  ];
}

/** A 组织生活 gap planted in 2024 on purpose: the compliance view must find exactly these. */
export interface PlantedGap {
  org: string;
  meetingType: string;
  /** As the compliance API names periods: 2024-05 or 2024-Q3. */
  period: string;
}

/** Everything generated, by ledger and year, plus the branch committees and the planted gaps. */
export interface DemoLedgers {
  files: DemoFile[];
  /** Branches with a committee (7+ full members, 支部工作条例 ch. 6): since the 2021 换届. */
  committees: Array<{ org: string; establishedOn: string; members: number }>;
  plantedGaps: PlantedGap[];
}

export function generateDemoLedgers(street?: StreetSpec, index = 0): DemoLedgers {
  const saved = current;
  current = { street: street ?? null, index, seed: index === 0 ? SEED : (SEED + index * 7919) >>> 0 };
  try {
    const generated = generateCurrentStreet();
    if (street && street.stem !== DEMO_STREET.stem) {
      // Names and texts made from the demo street's name take this street's (东湖社区 → 城南社区).
      for (const f of generated.files) for (const r of f.rows) for (const [k, v] of Object.entries(r)) if (typeof v === 'string' && v.includes(DEMO_STREET.stem)) r[k] = v.replaceAll(DEMO_STREET.stem, street.stem);
      // Numbers that are unique across the database (事项编号, 工单编号, 设施编码) carry the street's code.
      for (const f of generated.files) {
        const def = defOf(f.ledger);
        const key = def.fields.find((x) => x.key === def.naturalKey);
        if (!key || key.type === 'idNumber') continue;
        for (const r of f.rows) if (typeof r[key.label] === 'string') r[key.label] = `${street.code}-${String(r[key.label]).replace(/^DH-/, '')}`;
      }
    }
    return generated;
  } finally {
    current = saved;
  }
}

function generateCurrentStreet(): DemoLedgers {
  const st = buildStreet();
  const files: DemoFile[] = [];
  const people = new People(Rng.for('people'));
  const add = (ledger: string, year: Year, format: DemoFile['format'], rows: Rec[]) => files.push({ ledger, year, format, rows });

  // ------------------------------------------------ 发展党员 and 党员
  const applicants = genApplicants(st, people);
  const memberRows = genMembers(st, people, applicants);
  for (const y of YEARS) {
    add('applicants', y, 'xlsx', applicants.filter((a) => a.fileYear === y).map((a) => a.rec));
    add('members', y, 'csv', memberRows.filter((m) => m.fileYear === y).map((m) => m.rec));
  }

  // ------------------------------------------------ 干部队伍 (the 网格员 are the 排查人 of the inspections)
  const cadres = genCadres(st, people);
  for (const y of YEARS) {
    add(
      'cadres',
      y,
      'xlsx',
      cadres
        .filter((c) => (y === 2023 ? c.enteredOn < '2024-01-01' : c.enteredOn >= '2024-01-01'))
        .map((c) => ({ 姓名: c.name, 公民身份号码: c.id, 类别: c.category, 区域编码: c.area, 入库日期: xdate(c.enteredOn), 状态: c.status })),
    );
  }

  // Branches of 7 or more members at the end of 2023 have had a committee since the 2021 换届.
  const size2023 = new Map<string, number>();
  for (const m of memberRows) if (m.fileYear <= 2023) size2023.set(m.org, (size2023.get(m.org) ?? 0) + 1);
  const committees = st.branches
    .filter((b) => (size2023.get(b.code) ?? 0) >= 7)
    .map((b) => ({ org: b.code, establishedOn: '2021-06-28', members: Math.min(5, Math.max(3, Math.round((size2023.get(b.code) ?? 0) / 8))) }));
  const plantedGaps: PlantedGap[] = [];
  for (const y of YEARS) {
    add('meetings', y, 'csv', genMeetings(st, y, memberRows, new Map(committees.map((c) => [c.org, c.members])), plantedGaps));
    add('activities', y, 'csv', genActivities(st, y));
    add('projects', y, 'xlsx', genProjects(st, y));
    add('documents', y, 'xlsx', genDocuments(st, y));
    add('visits', y, 'xlsx', genVisits(st, y));
    add('services', y, 'csv', genServices(st, y));
    add('elections', y, 'xlsx', genElections(st, y));
    add('petitions', y, 'csv', genPetitions(st, y));
    add('hotline', y, 'csv', genHotline(st, y));
    add('inspections', y, 'csv', genInspections(st, y, cadres));
    add('incidents', y, 'xlsx', genIncidents(st, y));
    add('works', y, 'csv', genWorks(st, y));
    add('facilities', y, 'xlsx', genFacilities(st, y));
    add('funds', y, 'csv', genFunds(st, y));
    add('trainings', y, 'xlsx', genTrainings(y));
    add('brands', y, 'xlsx', genBrands(st, y));
  }
  return { files, committees, plantedGaps };
}

// ---------------------------------------------------------------- 发展党员

interface ApplicantGen extends Person {
  org: string;
  appliedOn: string;
  activistOn: string | null;
  candidateOn: string | null;
  admittedOn: string | null;
  approvedOn: string | null;
  confirmedOn: string | null;
  fileYear: Year;
  rec: Rec;
}

/**
 * About 60 people at the stages of 发展党员: 22 approved in 2023 (the report's 22名), 16 approved
 * in 2024, and others still 发展对象, 积极分子 or applicants. Intervals follow the 2014 细则:
 * ≥1 year as 积极分子, approval within 3 months of the branch meeting, 1-year probation.
 */
function genApplicants(st: Street, people: People): ApplicantGen[] {
  const rng = Rng.for('applicants');
  const out: ApplicantGen[] = [];
  // Where people apply: community, compound, village and enterprise branches.
  const branchPool = st.branches.filter((b) => b.category !== '街道机关').map((b) => b.code);
  const make = (stage: 'approved2023' | 'approved2024' | 'candidate' | 'activist' | 'applied') => {
    let admittedOn: string | null = null;
    let approvedOn: string | null = null;
    let candidateOn: string | null = null;
    let activistOn: string | null = null;
    let appliedOn: string;
    let confirmedOn: string | null = null;
    if (stage === 'approved2023' || stage === 'approved2024') {
      const y = stage === 'approved2023' ? 2023 : 2024;
      admittedOn = randomWorkday(rng, ymd(y, 1, 9), ymd(y, 10, 20));
      approvedOn = workdayOnOrAfter(plusDays(admittedOn, rng.int(18, 70)));
      candidateOn = workdayOnOrBefore(plusDays(admittedOn, -rng.int(60, 150)));
      if (y === 2023) confirmedOn = workdayOnOrAfter(plusDays(admittedOn, 365 + rng.int(3, 35)));
    } else if (stage === 'candidate') {
      candidateOn = randomWorkday(rng, '2024-03-01', '2024-12-20');
    }
    if (candidateOn) activistOn = workdayOnOrBefore(plusDays(candidateOn, -rng.int(370, 520)));
    else if (stage === 'activist') activistOn = randomWorkday(rng, '2023-03-01', '2024-11-29');
    if (activistOn) appliedOn = workdayOnOrBefore(plusDays(activistOn, -rng.int(185, 330)));
    else appliedOn = randomWorkday(rng, '2024-02-01', '2024-12-20');
    const gender: Gender = rng.chance(0.52) ? '男' : '女';
    // At least 19 when applying; most applicants are young.
    const birth = people.birthDate(Math.max(1975, Number(appliedOn.slice(0, 4)) - 45), Number(appliedOn.slice(0, 4)) - 19);
    const person = { name: people.name(gender), gender, birth, id: people.idNumber(birth, gender) };
    const org = rng.pick(branchPool);
    // The file of the year the person's latest step falls in.
    const last = confirmedOn ?? approvedOn ?? candidateOn ?? activistOn ?? appliedOn;
    const fileYear: Year = last >= '2024-01-01' && !(stage === 'approved2023') ? 2024 : 2023;
    out.push({
      ...person,
      org,
      appliedOn,
      activistOn,
      candidateOn,
      admittedOn,
      approvedOn,
      confirmedOn,
      fileYear,
      rec: {
        姓名: person.name,
        性别: gender,
        公民身份号码: person.id,
        所在党组织编码: org,
        申请入党日期: xdate(appliedOn),
        确定积极分子日期: xdate(activistOn),
        确定发展对象日期: xdate(candidateOn),
        支部大会接收日期: xdate(admittedOn),
        上级党委批准日期: xdate(approvedOn),
        转正日期: xdate(confirmedOn),
      },
    });
  };
  for (let i = 0; i < 22; i++) make('approved2023');
  for (let i = 0; i < 16; i++) make('approved2024');
  for (let i = 0; i < 8; i++) make('candidate');
  for (let i = 0; i < 10; i++) make('activist');
  for (let i = 0; i < 6; i++) make('applied');
  const approved2023 = out.filter((a) => a.approvedOn?.startsWith('2023')).length;
  if (approved2023 !== 22) throw new Error(`demo: ${approved2023} applicants approved in 2023, expected 22`);
  return out;
}

// ---------------------------------------------------------------- 党员

interface MemberGen {
  org: string;
  fileYear: Year;
  rec: Rec;
}

/** About 1,800 members over the 党支部, plus the people admitted in 2023 and 2024. */
function genMembers(st: Street, people: People, applicants: ApplicantGen[]): MemberGen[] {
  const rng = Rng.for('members');
  const out: MemberGen[] = [];
  const profile: Record<string, { size: [number, number]; born: [number, number]; male: number }> = {
    街道机关: { size: [34, 38], born: [1966, 2000], male: 0.55 },
    村: { size: [30, 42], born: [1940, 1998], male: 0.7 },
    社区: { size: [28, 38], born: [1942, 2001], male: 0.45 },
    小区: { size: [14, 24], born: [1940, 2000], male: 0.5 },
    非公企业: { size: [7, 15], born: [1972, 2003], male: 0.6 },
    社会组织: { size: [5, 10], born: [1966, 2002], male: 0.4 },
  };
  for (const b of st.branches) {
    const p = profile[b.category] ?? profile['社区']!;
    const n = rng.int(p.size[0], p.size[1]);
    for (let i = 0; i < n; i++) {
      const gender: Gender = rng.chance(p.male) ? '男' : '女';
      const birth = people.birthDate(p.born[0], p.born[1]);
      const by = Number(birth.slice(0, 4));
      // Joined between 18 and 45, never after 2022 (all of them full members by now).
      const earliest = plusDays(addYears(birth, 18), 1);
      const latest = [addYears(birth, 45), '2022-10-31'].sort()[0]!;
      const joinedOn = randomWorkday(rng, earliest, latest < earliest ? earliest : latest);
      const confirmedOn = workdayOnOrAfter(plusDays(joinedOn, 365 + rng.int(0, 40)));
      out.push({
        org: b.code,
        fileYear: 2023,
        rec: {
          姓名: people.name(gender),
          性别: gender,
          公民身份号码: people.idNumber(birth, gender),
          民族: people.ethnicity(),
          学历: people.education(by),
          手机号码: rng.chance(0.88) ? people.phone() : null,
          所在党组织编码: b.code,
          人员类别: '正式党员',
          入党日期: joinedOn,
          转正日期: confirmedOn,
        },
      });
    }
  }
  // Those admitted in 2023 and 2024 (预备党员 from the branch meeting; full members after a year).
  for (const a of applicants) {
    if (!a.admittedOn) continue;
    const confirmed = a.confirmedOn;
    out.push({
      org: a.org,
      fileYear: Number(a.admittedOn.slice(0, 4)) as Year,
      rec: {
        姓名: a.name,
        性别: a.gender,
        公民身份号码: a.id,
        民族: people.ethnicity(),
        学历: people.education(Number(a.birth.slice(0, 4))),
        手机号码: people.phone(),
        所在党组织编码: a.org,
        人员类别: confirmed ? '正式党员' : '预备党员',
        入党日期: a.admittedOn,
        转正日期: confirmed,
      },
    });
  }
  return out;
}

// ---------------------------------------------------------------- 干部队伍

function genCadres(st: Street, people: People): Cadre[] {
  const rng = Rng.for('cadres');
  const out: Cadre[] = [];
  const person = (born: [number, number]): Person => {
    const gender: Gender = rng.chance(0.45) ? '男' : '女';
    const birth = people.birthDate(born[0], born[1]);
    return { name: people.name(gender), gender, birth, id: people.idNumber(birth, gender) };
  };
  // One 网格员 per grid since the grids were drawn; a few left and were replaced.
  const replaced = new Set(rng.sample(st.grids.map((g) => g.code), 9));
  const replacedIn2024 = new Set([...replaced].slice(0, 4));
  for (const g of st.grids) {
    const enteredOn = randomWorkday(rng, '2019-03-01', '2022-09-30');
    if (replaced.has(g.code)) {
      const y = replacedIn2024.has(g.code) ? 2024 : 2023;
      const leftOn = randomWorkday(rng, ymd(y, 2, 1), ymd(y, 10, 31));
      out.push({ ...person([1968, 1996]), category: '网格员', area: g.code, enteredOn, status: '离岗', leftOn });
      out.push({ ...person([1985, 2000]), category: '网格员', area: g.code, enteredOn: leftOn, status: '在岗' });
    } else out.push({ ...person([1968, 1998]), category: '网格员', area: g.code, enteredOn, status: '在岗' });
  }
  // 社区工作者: six per community, three per village, hired over the years.
  for (const c of st.communities) for (let i = 0; i < 6; i++) out.push({ ...person([1968, 1999]), category: '社区工作者', area: c.code, enteredOn: randomWorkday(rng, '2012-03-01', '2022-12-20'), status: rng.chance(0.07) ? '离岗' : '在岗' });
  for (const v of st.villages) for (let i = 0; i < 3; i++) out.push({ ...person([1966, 1996]), category: '社区工作者', area: v.code, enteredOn: randomWorkday(rng, '2012-03-01', '2022-12-20'), status: '在岗' });
  // 2023: 38 基层治理专干 recruited in two rounds (2 per community, 1 per village, 2 at the street).
  const zhuanganAreas = [...st.communities.flatMap((c) => [c.code, c.code]), ...st.villages.map((v) => v.code), st.code, st.code];
  zhuanganAreas.forEach((area, i) => out.push({ ...person([1990, 2000]), category: '基层治理专干', area, enteredOn: i < 30 ? '2023-04-17' : '2023-09-11', status: i === 7 ? '离岗' : '在岗' }));
  for (let i = 0; i < 10; i++) out.push({ ...person([1986, 2000]), category: '社区工作者', area: rng.pick(st.communities).code, enteredOn: randomWorkday(rng, '2023-03-01', '2023-11-30'), status: '在岗' });
  // 2024: 24 后备干部 (plan: 20 or more), more 专干 and 社区工作者.
  const reserveAreas = rng.shuffle([...st.villages.flatMap((v) => [v.code, v.code]), ...st.communities.map((c) => c.code)]);
  reserveAreas.forEach((area, i) => out.push({ ...person([1988, 1999]), category: '后备干部', area, enteredOn: i < 16 ? '2024-05-20' : '2024-11-11', status: '在岗' }));
  for (let i = 0; i < 8; i++) out.push({ ...person([1992, 2001]), category: '基层治理专干', area: rng.pick(st.communities).code, enteredOn: '2024-07-15', status: '在岗' });
  for (let i = 0; i < 9; i++) out.push({ ...person([1988, 2001]), category: '社区工作者', area: rng.pick(st.communities).code, enteredOn: randomWorkday(rng, '2024-03-01', '2024-11-29'), status: '在岗' });
  return out;
}

// ---------------------------------------------------------------- 组织生活

const DGW_TOPICS = [
  '传达学习习近平总书记重要讲话精神，研究部署基层党建重点工作',
  '研究年度党建目标责任书及考核办法',
  '研究主题教育实施方案',
  '研究基层治理专干招录及管理工作',
  '研究秸秆禁烧与秸秆离田工作',
  '研究安全生产百日攻坚行动',
  '研究信访维稳及矛盾纠纷排查化解工作',
  '研究社区“三委”选举工作',
  '研究发展党员工作',
  '研究意识形态工作责任制落实情况',
  '研究创建文明城市工作',
  '研究发展壮大村级集体经济工作',
  '研究防汛及地质灾害防治工作',
  '研究民生救助资金发放工作',
  '研究非公企业和社会组织党建工作',
  '研究党风廉政建设和反腐败工作',
  '研究“警地融合”及平安建设工作',
  '研究党群服务阵地建设工作',
  '研究“双报到”工作开展情况',
  '研究九型网格服务体系建设',
  '研究冬春火灾防控工作',
  '研究干部队伍建设及后备干部培养',
  '研究财务收支及“三重一大”事项',
  '研究年度述职评议考核工作',
  '研究保密工作',
  '研究统战及民族宗教工作',
  '研究退役军人服务保障工作',
  '研究群团工作',
  '研究老旧小区改造及“红心物业”建设',
  '研究巡河及河道环境整治工作',
];
const GENERAL_MEETING_TOPICS = [
  ['学习贯彻全国两会精神', '通报上年度党费收缴情况', '讨论年度支部工作计划'],
  ['讨论接收预备党员', '庆祝“七一”暨表彰优秀共产党员', '学习《中国共产党章程》'],
  ['学习主题教育应知应会知识', '讨论确定发展对象', '通报上半年支部工作情况'],
  ['讨论预备党员转正', '通报年度党费收缴情况', '讨论民主评议党员工作安排'],
] as const;
const COMMITTEE_TOPICS = ['研究本月党员教育计划', '研究发展党员工作', '研究党费收缴工作', '研究困难党员、老党员走访慰问', '研究网格服务和“双报到”工作', '研究支部主题党日安排', '研究党员积分管理', '研究志愿服务活动安排'];
const LECTURE_TOPICS = ['书记讲党课：坚定理想信念 践行初心使命', '学习党的二十大报告专题党课', '以案说纪 警钟长鸣', '发扬斗争精神 增强斗争本领', '学思想 强党性 重实践 建新功', '党史中的为民情怀', '做新时代合格共产党员', '基层治理中的党员作用'];
const PARTY_DAY_TOPICS = [
  '新春走访慰问困难党员',
  '“学雷锋”志愿服务',
  '清明祭英烈',
  '“五一”劳动最光荣',
  '“我为群众办实事”入户走访',
  '重温入党誓词',
  '庆祝中国共产党成立周年',
  '国防教育进社区',
  '“敬老月”关爱老人',
  '垃圾分类我先行',
  '宪法宣传',
  '年度学习总结',
];
const GROUP_TOPICS = ['学习《习近平谈治国理政》，交流心得体会', '学习党章党规', '交流本月网格服务情况', '学习近期重要会议精神', '讨论小区环境整治意见', '学习典型案例，交流学习体会'];

/**
 * The 党工委's meetings (30 党工委会议 in 2023; a 党建工作专题会议 each quarter of 2023 and in 3
 * quarters of 2024) and every branch's 三会一课, 主题党日, 组织生活会 and 民主评议 — with a few
 * branches falling short in some months of 2024.
 */
function genMeetings(st: Street, y: Year, members: MemberGen[], committees: Map<string, number>, gaps: PlantedGap[]): Rec[] {
  const rng = Rng.for(`meetings-${y}`);
  const rows: Rec[] = [];
  const size = new Map<string, number>();
  for (const m of members) if (m.fileYear <= y) size.set(m.org, (size.get(m.org) ?? 0) + 1);
  const meet = (date: string, org: string, type: string, topic: string, first: boolean | null, expected: number | null) => {
    const present = expected === null ? null : Math.max(1, expected - (rng.chance(0.6) ? rng.int(0, Math.ceil(expected * 0.15)) : 0));
    rows.push({ 日期: date, 党组织编码: org, 会议类型: type, 主题: topic, 第一议题: first === null ? null : first ? '是' : '否', 应到人数: expected, 实到人数: present });
  };

  // 党工委会议: 30 in 2023, 28 in 2024, about two or three a month.
  const dgwCount = y === 2023 ? 30 : 28;
  const perMonth = splitInt(rng, dgwCount, 12, 2);
  const topics = rng.shuffle(DGW_TOPICS);
  let t = 0;
  for (let m = 1; m <= 12; m++) {
    const days = rng.sample(workdaysOfMonth(y, m), perMonth[m - 1]!).sort();
    for (const d of days) meet(d, st.org, '党工委会议', `${y}年第${++t}次党工委会议：${topics[(t - 1) % topics.length]}`, rng.chance(0.93), 9);
  }
  // 党建工作专题会议: the year opens with one (签订党建目标责任书); 2024 misses the third quarter.
  const quarters = y === 2023 ? [1, 2, 3, 4] : [1, 2, 4];
  if (y === 2024) gaps.push({ org: st.org, meetingType: '党建工作专题会议', period: '2024-Q3' });
  const themes = ['年度基层党建工作会议暨党建目标责任书签订', '基层党建工作推进会', '主题教育暨基层党建工作专题会议', '基层党建述职评议准备会议'];
  for (const q of quarters) {
    const month = q === 1 ? 2 : q * 3 - 1;
    meet(rng.pick(workdaysOfMonth(y, month)), st.org, '党建工作专题会议', `${y}年${themes[q - 1]}`, true, 46);
  }
  // 书记讲党课: the 党工委 and every 党委 or 党总支 once a year.
  meet(rng.pick(workdaysOfMonth(y, 6)), st.org, '党课', `党工委书记讲党课：${rng.pick(LECTURE_TOPICS)}`, null, 60);
  for (const c of st.committees) meet(rng.pick(workdaysOfMonth(y, rng.int(5, 7))), c.code, '党课', `书记讲党课：${rng.pick(LECTURE_TOPICS)}`, null, 40);

  // A few branches fall short in 2024: a missed month or quarter (支委会 only where there is a committee).
  const shortfalls = new Map<string, Set<string>>();
  if (y === 2024) {
    const eligible = st.branches.filter((b) => b.category !== '街道机关');
    const withCommittee = eligible.filter((b) => committees.has(b.code));
    const kinds = ['支部委员会', '主题党日', '支部党员大会', '支部委员会', '党课', '主题党日'];
    const picked = new Set<string>();
    kinds.forEach((kind, i) => {
      const pool = (kind === '支部委员会' ? withCommittee : eligible).filter((b) => !picked.has(b.code));
      const b = rng.pick(pool);
      picked.add(b.code);
      const quarterly = kind === '支部党员大会' || kind === '党课';
      const n = quarterly ? rng.int(2, 3) : rng.int(3, 10);
      const periods = quarterly ? [`Q${n}`] : i === 0 ? [`M${n}`, `M${n + 1}`] : [`M${n}`];
      const set = shortfalls.get(b.code) ?? new Set<string>();
      for (const p of periods) {
        set.add(`${kind}:${p}`);
        gaps.push({ org: b.code, meetingType: kind, period: p.startsWith('Q') ? `${y}-${p}` : `${y}-${p.slice(1).padStart(2, '0')}` });
      }
      shortfalls.set(b.code, set);
    });
  }
  const skip = (org: string, kind: string, period: string) => shortfalls.get(org)?.has(`${kind}:${period}`) ?? false;

  for (const b of st.branches) {
    const n = size.get(b.code) ?? 8;
    const committee = committees.get(b.code);
    for (let m = 1; m <= 12; m++) {
      const days = workdaysOfMonth(y, m);
      if (committee && !skip(b.code, '支部委员会', `M${m}`)) meet(rng.pick(days.slice(0, 12)), b.code, '支部委员会', rng.pick(COMMITTEE_TOPICS), rng.chance(0.6), committee);
      if (!skip(b.code, '主题党日', `M${m}`)) meet(rng.pick(days.slice(-12)), b.code, '主题党日', PARTY_DAY_TOPICS[m - 1]!, null, n);
    }
    for (let q = 1; q <= 4; q++) {
      const month = (q - 1) * 3 + rng.int(1, 3);
      if (!skip(b.code, '支部党员大会', `Q${q}`)) meet(rng.pick(workdaysOfMonth(y, month)), b.code, '支部党员大会', rng.pick(GENERAL_MEETING_TOPICS[q - 1]!), rng.chance(0.7), n);
      if (!skip(b.code, '党课', `Q${q}`)) meet(rng.pick(workdaysOfMonth(y, (q - 1) * 3 + rng.int(1, 3))), b.code, '党课', rng.pick(LECTURE_TOPICS), null, n);
    }
    const review = rng.pick(workdaysOfMonth(y, 12).slice(0, 15));
    meet(review, b.code, '组织生活会', `${y}年度组织生活会`, null, n);
    meet(review, b.code, '民主评议党员', `${y}年度民主评议党员`, null, n);
  }
  for (const g of st.groups) {
    const n = 4 + (fnv1a(g.code) % 5);
    for (let m = 1; m <= 12; m++) meet(rng.pick(workdaysOfMonth(y, m)), g.code, '党小组会', rng.pick(GROUP_TOPICS), null, n);
  }
  rows.sort((a, b) => String(a['日期']).localeCompare(String(b['日期'])));
  return rows;
}

// ---------------------------------------------------------------- 活动

const PROPAGANDA_TOPICS = [
  '学习贯彻党的二十大精神宣讲',
  '反电信网络诈骗宣传',
  '民法典进小区宣传',
  '垃圾分类知识宣传',
  '消防安全知识宣传',
  '防范非法集资宣传',
  '文明城市创建宣传',
  '全民国家安全教育日宣传',
  '禁毒知识宣传',
  '燃气安全使用宣传',
  '移风易俗宣传',
  '医保政策宣传',
];
const THEME_ACTIVITIES = [
  '“发挥青年力量助力基层治理”主题活动',
  '庆“七一”主题活动',
  '“我为群众办实事”主题活动',
  '“邻里一家亲”主题活动',
  '“喜迎国庆”主题活动',
  '“红色故事会”主题活动',
  '“不忘初心 重温誓词”主题活动',
  '“网格连万家”主题活动',
];
const CONTESTS = ['新时代“小巷总理”业务大比武', '网格员业务技能比武', '党务知识竞赛', '基层治理专干业务比武', '消防技能比武', '社区工作者岗位练兵'];
const CULTURE = ['庆“七一”文艺汇演', '“邻里节”文艺演出', '广场舞展演', '“书香东湖”读书分享会', '趣味运动会', '春节联欢会', '重阳节敬老文艺演出', '红歌合唱比赛', '书法摄影作品展'];
const VOLUNTEER = ['“双报到”党员志愿服务', '关爱空巢老人志愿服务', '环境卫生清理志愿服务', '义诊志愿服务', '“学雷锋”志愿服务', '爱心助学志愿服务', '文明交通劝导志愿服务', '义务理发志愿服务'];
const OTHER_ACTIVITIES = ['党员冬训观摩', '邻里议事会', '“四议两公开”议事会', '居民恳谈会'];

/** 64 宣传教育 in 2023 over every 村, 社区 and 小区 (9768 people), 84 主题活动·业务比武·文体活动, and more. */
function genActivities(st: Street, y: Year): Rec[] {
  const rng = Rng.for(`activities-${y}`);
  const rows: Rec[] = [];
  const act = (date: string, type: string, name: string, area: string, host: string | null, n: number) =>
    rows.push({ 日期: date, 活动类型: type, 活动名称: name, 区域编码: area, 主办党组织编码: host, 参与人数: n });
  const weekdayOrWeekend = (from: string, to: string) => (rng.chance(0.8) ? randomWorkday(rng, from, to) : randomDay(rng, from, to));

  // 宣传教育 进小区: 2023 one in each of the 60 小区 and one in each of the 4 村 (the report's coverage).
  const venues: Array<{ area: string; host: string; name: string }> = [
    ...st.compounds.map((c) => ({ area: c.code, host: c.org, name: c.name })),
    ...st.villages.map((v) => ({ area: v.code, host: v.org, name: v.name })),
  ];
  const propaganda = y === 2023 ? venues : rng.sample(venues, 52).concat(rng.sample(venues, 18));
  const participants = y === 2023 ? splitInt(rng, 9768, 64, 60) : propaganda.map(() => rng.int(70, 260));
  if (y === 2023 && (propaganda.length !== 64 || sum(participants) !== 9768)) throw new Error('demo: 宣传教育 2023');
  propaganda.forEach((v, i) => act(weekdayOrWeekend(ymd(y, 1, 5), ymd(y, 12, 20)), '宣传教育', `${v.name}${rng.pick(PROPAGANDA_TOPICS)}`, v.area, v.host, participants[i]!));

  // 主题活动, 业务比武, 文体活动: 84 in 2023.
  const units = [
    ...st.communities.map((c) => ({ area: c.code, host: c.org, name: c.name })),
    ...st.villages.map((v) => ({ area: v.code, host: v.org, name: v.name })),
  ];
  const [themes, contests, culture] = y === 2023 ? [50, 12, 22] : [46, 10, 25];
  for (let i = 0; i < themes; i++) {
    const u = rng.pick(units);
    act(weekdayOrWeekend(ymd(y, 2, 1), ymd(y, 12, 25)), '主题活动', `${u.name}${rng.pick(THEME_ACTIVITIES)}`, u.area, u.host, rng.int(30, 180));
  }
  for (let i = 0; i < contests; i++) {
    const atStreet = i < 3;
    const u = rng.pick(units);
    act(randomWorkday(rng, ymd(y, 4, 1), ymd(y, 11, 30)), '业务比武', atStreet ? `东湖街道${rng.pick(CONTESTS)}` : `${u.name}${rng.pick(CONTESTS)}`, atStreet ? st.code : u.area, atStreet ? st.org : u.host, atStreet ? rng.int(80, 160) : rng.int(20, 60));
  }
  for (let i = 0; i < culture; i++) {
    const u = rng.pick(units);
    act(randomDay(rng, ymd(y, 1, 10), ymd(y, 12, 28)), '文体活动', `${u.name}${rng.pick(CULTURE)}`, u.area, u.host, rng.int(40, 400));
  }
  // 志愿服务 at compounds and villages, 其他 here and there.
  for (let i = 0; i < (y === 2023 ? 118 : 126); i++) {
    const v = rng.pick(venues);
    act(randomDay(rng, ymd(y, 1, 3), ymd(y, 12, 30)), '志愿服务', `${v.name}${rng.pick(VOLUNTEER)}`, v.area, v.host, rng.int(8, 60));
  }
  for (let i = 0; i < 16; i++) {
    const u = rng.pick(units);
    act(randomWorkday(rng, ymd(y, 1, 3), ymd(y, 12, 30)), '其他', `${u.name}${rng.pick(OTHER_ACTIVITIES)}`, u.area, u.host, rng.int(15, 80));
  }
  rows.sort((a, b) => String(a['日期']).localeCompare(String(b['日期'])));
  return rows;
}

// ---------------------------------------------------------------- 服务群众项目

const PROJECTS = [
  '幸福食堂助老餐',
  '老旧小区加装电梯协调',
  '“红心物业”示范小区创建',
  '小区停车位规划改造',
  '背街小巷路面修补',
  '困难家庭子女助学',
  '“四点半课堂”',
  '居家养老上门服务',
  '小区充电桩安装',
  '农村道路亮化',
  '村级水渠清淤',
  '社区健身广场改造',
  '“一老一小”关爱服务',
  '就业技能提升帮扶',
  '小区楼道杂物清理',
  '防汛排水管网疏通',
  '村民文化大院建设',
  '便民服务“一窗通办”',
  '退役军人服务站提升',
  '“家门口”法律服务',
  '邻里矛盾调解室',
  '垃圾分类亭建设',
  '社区微空间改造',
  '智慧安防监控补点',
  '农产品直播带货帮扶',
  '残疾人康复服务',
  '“网格+志愿服务”',
  '流动人口服务',
  '小区绿化补植',
  '老年人智能手机培训',
  '幸福驿站便民服务',
  '村集体厂房出租盘活',
  '困难党员结对帮扶',
  '社区卫生服务点延时服务',
];

/** 30 服务群众项目 started in 2023 (signed at the year's opening meeting), 32 in 2024. */
function genProjects(st: Street, y: Year): Rec[] {
  const rng = Rng.for(`projects-${y}`);
  const n = y === 2023 ? 30 : 32;
  const names = rng.sample(PROJECTS, n);
  const units = [...st.communities.map((c) => ({ code: c.org, name: c.name })), ...st.villages.map((v) => ({ code: v.org, name: v.name }))];
  return names.map((name, i) => {
    const u = units[(i * 7 + (y === 2023 ? 0 : 3)) % units.length]!;
    const startedOn = i < n - 6 ? randomWorkday(rng, ymd(y, 2, 13), ymd(y, 3, 31)) : randomWorkday(rng, ymd(y, 4, 1), ymd(y, 9, 28));
    const plannedOn = workdayOnOrBefore(plusDays(startedOn, rng.int(120, 300)));
    let status: string;
    let completedOn: string | null = null;
    if (y === 2023) {
      status = i < 27 ? '已完成' : '实施中';
    } else status = i < 18 ? '已完成' : i < 30 ? '实施中' : '未开始';
    if (status === '已完成') {
      completedOn = workdayOnOrBefore(plusDays(plannedOn, rng.int(-40, 25)));
      if (completedOn > '2024-12-31') completedOn = workdayOnOrBefore('2024-12-27');
      if (completedOn <= startedOn) completedOn = workdayOnOrAfter(plusDays(startedOn, 60));
    }
    return { 项目名称: `${u.name}${name}项目`, 责任单位编码: u.code, 立项日期: xdate(startedOn), 计划完成日期: xdate(plannedOn), 状态: status, 完成日期: xdate(completedOn) };
  });
}

// ---------------------------------------------------------------- 制度文件

const DOCUMENTS: Array<[string, string]> = [
  ['东湖街道基层治理考核细则', '细则'],
  ['东湖街道党工委“第一议题”制度', '制度'],
  ['东湖街道基层党建目标责任制考核办法', '制度'],
  ['东湖街道网格化服务管理工作制度', '制度'],
  ['东湖街道基层治理专干管理办法', '制度'],
  ['东湖街道发展党员工作规程', '细则'],
  ['东湖街道“双报到”工作实施方案', '方案'],
  ['东湖街道主题教育实施方案', '方案'],
  ['东湖街道意识形态工作责任制实施细则', '细则'],
  ['东湖街道保密工作制度', '制度'],
  ['东湖街道信访工作责任制实施细则', '细则'],
  ['东湖街道矛盾纠纷排查化解工作制度', '制度'],
  ['东湖街道安全生产网格化管理实施方案', '方案'],
  ['东湖街道消防安全委员会工作规则', '制度'],
  ['东湖街道秸秆禁烧和离田工作方案', '方案'],
  ['东湖街道“警地融合”工作实施方案', '方案'],
  ['东湖街道公共法律服务工作制度', '制度'],
  ['东湖街道村级集体经济发展实施方案', '方案'],
  ['东湖街道村级财务管理制度', '制度'],
  ['东湖街道社会救助工作规程', '细则'],
  ['东湖街道创建文明城市工作方案', '方案'],
  ['东湖街道河长制工作制度', '制度'],
  ['东湖街道党群服务中心运行管理制度', '制度'],
  ['东湖街道非公企业党建“两共”“八联”工作机制', '制度'],
  ['东湖街道社会组织党建工作指引', '细则'],
  ['东湖街道党员积分管理办法', '制度'],
  ['东湖街道后备干部培养管理办法', '制度'],
  ['东湖街道“三会一课”督查制度', '制度'],
  ['东湖街道领导班子成员联系点制度', '制度'],
  ['东湖街道“一岗双责”落实办法', '制度'],
  ['东湖街道九型网格服务体系建设方案', '方案'],
  ['东湖街道“红心物业”建设实施方案', '方案'],
  ['东湖街道关于做好元旦春节期间走访慰问工作的通知', '通知'],
  ['东湖街道关于开展安全生产百日攻坚行动的通知', '通知'],
  ['东湖街道关于做好防汛工作的通知', '通知'],
  ['东湖街道党风廉政建设责任制实施办法', '制度'],
  ['东湖街道干部考勤管理制度', '制度'],
  ['东湖街道公务接待管理办法', '制度'],
  ['东湖街道“五星级”村党组织创建方案', '方案'],
  ['东湖街道党建工作专题会议制度', '制度'],
  ['东湖街道关于开展冬春火灾防控工作的通知', '通知'],
  ['东湖街道幸福驿站运营管理办法', '制度'],
];

/** 32 documents published in 2023 (制度30余项), 27 in 2024. */
function genDocuments(st: Street, y: Year): Rec[] {
  const rng = Rng.for(`documents-${y}`);
  const n = y === 2023 ? 32 : 27;
  const picked = rng.sample(DOCUMENTS, n);
  const dates = picked.map(() => randomWorkday(rng, ymd(y, 1, 4), ymd(y, 12, 28))).sort();
  return picked.map(([title, category], i) => {
    const byDgw = category !== '通知' || rng.chance(0.3);
    const revised = y === 2024 && category !== '通知' && rng.chance(0.3);
    return {
      标题: category === '通知' ? title.replace('东湖街道关于', `东湖街道关于${y}年`) : `${title}${revised ? `（${y}年修订）` : ''}`,
      文号: `${byDgw ? '东湖党工发' : '东湖街发'}〔${y}〕${i + 1}号`,
      发布日期: xdate(dates[i]!),
      发布单位编码: byDgw ? st.org : st.code,
      类别: category,
    };
  });
}

// ---------------------------------------------------------------- 联系点走访

/** The street's eight leaders and their contact points: 93 visits in 2023, 88 in 2024. */
function genVisits(st: Street, y: Year): Rec[] {
  const rng = Rng.for(`visits-${y}`);
  const leaders = ['刘建国', '王秀梅', '张志强', '陈海涛', '李红霞', '赵立新', '孙明辉', '周丽娟'];
  const points = [...st.villages.map((v) => v.code), ...st.communities.map((c) => c.code)];
  const contacts = leaders.map((_, i) => [points[i % points.length]!, points[(i + 8) % points.length]!, points[(i + 16) % points.length]!].filter((p, j, a) => a.indexOf(p) === j));
  const n = y === 2023 ? 93 : 88;
  const perLeader = splitInt(rng, n, leaders.length, 8);
  const rows: Rec[] = [];
  leaders.forEach((leader, i) => {
    for (let k = 0; k < perLeader[i]!; k++) {
      const cp = rng.pick(contacts[i]!);
      // Sometimes a compound of the contact community.
      const community = st.communities.find((c) => c.code === cp);
      const area = community && rng.chance(0.3) ? rng.pick(community.compounds).code : cp;
      rows.push({ 日期: xdate(randomWorkday(rng, ymd(y, 1, 9), ymd(y, 12, 29))), 领导姓名: leader, 联系点区域编码: area, 解决问题数: rng.weighted([[0, 3], [1, 5], [2, 3], [3, 1]] as const) });
    }
  });
  rows.sort((a, b) => (a['日期'] as Date).getTime() - (b['日期'] as Date).getTime());
  return rows;
}

// ---------------------------------------------------------------- 承办事项

const SERVICE_MATTERS: Array<[string, string[]]> = [
  ['基础设施', ['{p}楼道声控灯损坏，居民夜间出行不便', '{p}路面破损积水，需修补', '{p}下水管道堵塞，污水外溢', '{p}单元门禁损坏，存在安全隐患', '{p}路灯不亮，影响夜间出行']],
  ['环境卫生', ['{p}绿化带内堆放建筑垃圾', '{p}垃圾清运不及时，异味较大', '{p}楼道内堆放杂物，需清理', '{p}空地杂草丛生，蚊虫较多']],
  ['物业管理', ['{p}物业服务不到位，居民反映强烈', '{p}电梯频繁故障，需协调维修', '{p}小区停车秩序混乱', '{p}物业费收支不透明，居民要求公开']],
  ['民生保障', ['{p}独居老人需要定期探视', '{p}困难家庭申请临时救助', '{p}残疾人申请辅助器具', '{p}居民咨询医保缴费政策', '{p}高龄老人申请居家养老服务']],
  ['矛盾纠纷', ['{p}邻里因漏水发生纠纷', '{p}两户居民因停车位发生争执', '{p}租户与房东押金纠纷', '{p}宅基地边界纠纷']],
  ['安全隐患', ['{p}电动车楼道充电，存在火灾隐患', '{p}燃气管道老化，需排查', '{p}外墙瓷砖脱落，存在坠物风险', '{p}消防通道被占用']],
  ['就业创业', ['{p}失业人员求职登记', '{p}居民咨询创业担保贷款', '{p}大学毕业生就业帮扶']],
  ['支部建设', ['{p}党支部活动场所需修缮', '{p}流动党员组织关系转接', '{p}支部党员教育资料更新', '{p}党员活动室设备老化']],
];

/**
 * 435 承办事项 reported in 2023, of which exactly 124 came through 双报到 or 联系点 and were closed
 * in 2023 (难题124件); 462 in 2024.
 */
function genServices(st: Street, y: Year): Rec[] {
  const rng = Rng.for(`services-${y}`);
  const total = y === 2023 ? 435 : 462;
  const resolvedLinked = y === 2023 ? 124 : 131;
  const openLinked = 3;
  const others = total - resolvedLinked - openLinked;
  const otherSources = splitInt(rng, others, 4, 20, [180, 58, 42, 22]);
  const sources: string[] = [
    ...Array.from({ length: resolvedLinked + openLinked }, (_, i) => (i % 3 === 2 ? '联系点' : '双报到')),
    ...(['网格上报', '热线', '群众来访', '其他'] as const).flatMap((s, i) => Array.from({ length: otherSources[i]! }, () => s)),
  ];
  const rows: Array<Rec & { _d: string }> = [];
  sources.forEach((source, i) => {
    const linked = source === '双报到' || source === '联系点';
    const open = linked && i >= resolvedLinked;
    const c = rng.pick(st.communities);
    const inVillage = rng.chance(0.18);
    const v = rng.pick(st.villages);
    const compound = rng.pick(c.compounds);
    const area = inVillage ? v.code : rng.chance(0.7) ? compound.code : c.code;
    const place = inVillage ? `${v.name}${rng.int(1, 8)}组` : area === compound.code ? `${compound.name}${rng.int(1, 18)}号楼` : `${c.name}辖区`;
    const [category, templates] = linked && rng.chance(0.25) ? SERVICE_MATTERS[7]! : rng.pick(SERVICE_MATTERS.slice(0, 7));
    const reportedOn = open ? randomWorkday(rng, ymd(y, 11, 20), ymd(y, 12, 22)) : linked ? randomWorkday(rng, ymd(y, 1, 4), ymd(y, 11, 30)) : randomDay(rng, ymd(y, 1, 3), ymd(y, 12, 30));
    let status = '已办结';
    let closedOn: string | null = workdayOnOrAfter(plusDays(reportedOn, rng.int(1, 25)));
    if (open) {
      status = '办理中';
      closedOn = null;
    } else if (linked) {
      if (closedOn > ymd(y, 12, 29)) closedOn = workdayOnOrBefore(ymd(y, 12, 29));
    } else if (closedOn > '2024-12-31' || (y === 2024 && reportedOn > '2024-12-10' && rng.chance(0.6))) {
      status = rng.chance(0.5) ? '待办' : '办理中';
      closedOn = null;
    }
    rows.push({
      _d: reportedOn,
      事项编号: '',
      上报日期: reportedOn,
      区域编码: area,
      来源: source,
      类别: category,
      事项内容: `${rng.pick(templates).replace('{p}', place)}。${linked ? `${source === '联系点' ? '街道领导到联系点走访时' : '报到党员入户时'}了解到该问题，已转承办单位办理。` : ''}`,
      承办单位编码: inVillage ? v.org : c.org,
      状态: status,
      办结日期: closedOn,
    });
  });
  rows.sort((a, b) => a._d.localeCompare(b._d));
  return rows.map(({ _d, ...r }, i) => ({ ...r, 事项编号: `CB${y}${String(i + 1).padStart(4, '0')}` }));
}

// ---------------------------------------------------------------- 换届选举

/** 2023: 首届选举 of the three bodies in 3 new communities; 空岗补选 in 1 村 and 11 社区. */
function genElections(st: Street, y: Year): Rec[] {
  const rng = Rng.for(`elections-${y}`);
  const rows: Rec[] = [];
  const BODIES = ['党组织委员会', '村(居)民委员会', '村(居)务监督委员会'] as const;
  const elect = (date: string, area: string, type: string, body: string, n: number) => rows.push({ 日期: xdate(date), 区域编码: area, 选举类型: type, 机构: body, 当选人数: n });
  if (y === 2023) {
    for (const c of st.communities.slice(-3)) {
      const d = randomWorkday(rng, '2023-05-08', '2023-06-30');
      elect(d, c.code, '首届选举', BODIES[0], rng.int(5, 7));
      elect(workdayOnOrAfter(plusDays(d, rng.int(7, 20))), c.code, '首届选举', BODIES[1], rng.int(5, 7));
      elect(workdayOnOrAfter(plusDays(d, rng.int(7, 20))), c.code, '首届选举', BODIES[2], 3);
    }
    const areas = [st.villages[2]!.code, ...rng.sample(st.communities.slice(0, 13), 11).map((c) => c.code)];
    for (const a of areas) for (const body of rng.sample(BODIES, rng.int(1, 2))) elect(randomWorkday(rng, '2023-03-01', '2023-11-30'), a, '空岗补选', body, rng.int(1, 2));
  } else {
    const areas = [st.villages[0]!.code, st.villages[3]!.code, ...rng.sample(st.communities, 4).map((c) => c.code)];
    for (const a of areas) elect(randomWorkday(rng, '2024-03-01', '2024-11-29'), a, '空岗补选', rng.pick(BODIES), 1);
  }
  return rows;
}

// ---------------------------------------------------------------- 信访

const PETITION_MATTERS: Array<[string, string[]]> = [
  ['征地拆迁', ['反映大地特种种植项目拆迁补偿标准问题', '反映征地补偿款分配问题', '要求落实安置房交付时间']],
  ['劳动社保', ['反映工程款及农民工工资拖欠问题', '咨询养老保险补缴政策', '反映工伤认定问题']],
  ['物业管理', ['反映物业公司服务质量差、收费不合理', '反映小区公共收益去向不明', '反映电梯长期停运']],
  ['城乡建设', ['反映房屋漏水维修问题', '反映违章搭建影响采光', '反映小区道路破损']],
  ['农村农业', ['反映土地流转租金未按时支付', '反映村务公开不及时', '反映宅基地确权问题']],
  ['民政', ['申请低保及临时救助', '反映高龄津贴发放问题', '咨询残疾人补贴政策']],
  ['环境保护', ['反映餐饮油烟扰民', '反映夜间施工噪音扰民', '反映河道垃圾问题']],
  ['邻里纠纷', ['反映邻里宅基地边界纠纷', '反映楼上住户噪音扰民']],
];

/** 98 来访 with 686 persons in 2023, a few 越级 to the city and none to Beijing. */
function genPetitions(st: Street, y: Year): Rec[] {
  const rng = Rng.for(`petitions-${y}`);
  const rows: Rec[] = [];
  const visitCount = y === 2023 ? 98 : 91;
  const visitPersons = y === 2023 ? 686 : 598;
  // About 40% individual visits (1–4 people), the rest collective (5 or more).
  const singles = y === 2023 ? 40 : 38;
  const singlePersons = Array.from({ length: singles }, () => rng.weighted([[1, 6], [2, 3], [3, 2], [4, 1]] as const));
  const collective = splitInt(rng, visitPersons - sum(singlePersons), visitCount - singles, 5);
  const visits = rng.shuffle([...singlePersons, ...collective]);
  const areaOf = () => {
    const r = rng.float();
    if (r < 0.3) return rng.pick(st.villages).code;
    if (r < 0.7) return rng.pick(st.compounds).code;
    return rng.pick(st.communities).code;
  };
  const escalatedRows = new Set(rng.sample(Array.from({ length: visitCount }, (_, i) => i), y === 2023 ? 3 : 2));
  const petition = (form: string, persons: number, escalated: boolean) => {
    const [category, summaries] = form === '来访' && persons >= 10 && rng.chance(0.4) ? PETITION_MATTERS[0]! : rng.pick(PETITION_MATTERS);
    const registeredOn = randomWorkday(rng, ymd(y, 1, 3), ymd(y, 12, 26));
    const acceptedOn = workdayOnOrAfter(plusDays(registeredOn, rng.int(0, 5)));
    let closedOn: string | null = plusDays(acceptedOn, rng.chance(0.92) ? rng.int(10, 58) : rng.int(62, 85));
    let result: string | null = rng.weighted([['已化解', 6], ['已答复', 3], ['已转办', 1]] as const);
    if (closedOn > '2024-12-31') {
      closedOn = null;
      result = null;
    }
    const lead = anonymized(rng);
    rows.push({
      登记日期: registeredOn,
      信访形式: form,
      人数: persons,
      是否集体访: persons >= 5 ? '是' : '否',
      信访人: persons > 1 ? `${lead}等${persons}人` : lead,
      事项类别: category,
      事项摘要: `${rng.pick(summaries)}${persons >= 5 ? '，群众代表表达诉求' : ''}。`,
      区域编码: areaOf(),
      是否越级: escalated ? '是' : '否',
      越级去向: escalated ? '市' : null,
      受理日期: acceptedOn,
      办结日期: closedOn,
      办理结果: result,
    });
  };
  visits.forEach((n, i) => petition('来访', n, escalatedRows.has(i)));
  for (let i = 0; i < (y === 2023 ? 31 : 27); i++) petition('来信', rng.chance(0.85) ? 1 : rng.int(2, 4), false);
  for (let i = 0; i < (y === 2023 ? 56 : 63); i++) petition('网上信访', 1, false);
  for (let i = 0; i < (y === 2023 ? 42 : 38); i++) petition('电话', 1, false);
  rows.sort((a, b) => String(a['登记日期']).localeCompare(String(b['登记日期'])));
  return rows;
}

// ---------------------------------------------------------------- 热线工单

const HOTLINE_CATEGORIES = ['供水供暖', '物业服务', '环境卫生', '噪音扰民', '市政设施', '道路交通', '劳动保障', '房屋质量', '燃气安全', '违章建筑', '养犬管理', '公共交通', '教育咨询', '医疗卫生'];

/** 12345 and the mayor's line: every 回访 of 市长公开电话 and 督办件 满意 or 基本满意 (满意度100%). */
function genHotline(st: Street, y: Year): Rec[] {
  const rng = Rng.for(`hotline-${y}`);
  const rows: Rec[] = [];
  const counts: Array<[string, number, number, string]> = [
    ['12345热线', y === 2023 ? 1136 : 1208, 5, '12345'],
    ['市长公开电话', y === 2023 ? 163 : 151, 10, 'SZ'],
    ['督办件', y === 2023 ? 41 : 37, 3, 'DB'],
    ['其他', y === 2023 ? 58 : 64, 7, 'QT'],
  ];
  const areas = [...st.compounds.map((c) => c.code), ...st.communities.map((c) => c.code), ...st.villages.map((v) => v.code)];
  for (const [source, n, limit, prefix] of counts) {
    for (let i = 0; i < n; i++) {
      const receivedOn = randomDay(rng, ymd(y, 1, 1), ymd(y, 12, 31));
      let closedOn: string | null = plusDays(receivedOn, rng.chance(0.94) ? rng.int(0, limit + 2) : rng.int(limit + 4, limit + 20));
      if (closedOn > '2024-12-31') closedOn = null;
      let followUp: string | null = null;
      if (closedOn) {
        if (source === '市长公开电话' || source === '督办件') followUp = rng.weighted([['满意', 86], ['基本满意', 11], [null, 3]] as const);
        else followUp = rng.weighted([['满意', 72], ['基本满意', 16], ['不满意', 5], ['未回访', 4], [null, 3]] as const);
      }
      rows.push({ 工单编号: `${prefix}-${y}-${String(i + 1).padStart(5, '0')}`, 来源: source, 受理日期: receivedOn, '办理时限(工作日)': limit, 诉求类别: rng.pick(HOTLINE_CATEGORIES), 区域编码: rng.pick(areas), 办结日期: closedOn, 回访结果: followUp });
    }
  }
  rows.sort((a, b) => String(a['受理日期']).localeCompare(String(b['受理日期'])));
  return rows;
}

// ---------------------------------------------------------------- 安全排查

const SHOP_WORDS = ['面馆', '超市', '五金店', '药房', '理发店', '水果店', '快餐店', '烧烤店', '便利店', '干洗店', '烟酒店', '早餐店', '电动车行', '小吃店', '蛋糕店', '服装店', '手机店', '洗车行', '茶叶店', '粮油店', '花店', '眼镜店', '母婴店', '文具店'];
const SHOP_PREFIX = ['鑫鑫', '老王', '好邻居', '惠民', '福满', '兴旺', '阳光', '百姓', '顺达', '金源', '美佳', '红星', '诚信', '家和', '万家', '乐购', '小李', '张记', '刘记', '众鑫', '华联', '便民', '天天', '旺角'];
const CROWD_PLACES = ['农贸市场', '商场', '幼儿园', '小学', '培训学校', 'KTV', '网吧', '养老院', '宾馆', '浴池', '影院', '医院门诊楼', '体育馆', '超市卖场'];
const ENTERPRISES = ['东湖建材有限公司', '恒达机械制造有限公司', '明珠物流有限公司', '光明食品有限公司', '新华印务有限公司', '锦绣服饰有限公司', '朝阳电子科技有限公司', '丰泽农业科技有限公司', '滨河供热有限公司', '瑞景建筑工程有限公司', '宏远包装有限公司', '嘉禾木业有限公司', '金桥汽车服务有限公司', '永盛塑料制品厂', '大地特种种植合作社', '康宁医药连锁有限公司'];
const STREETS = ['东湖路', '明珠大街', '光明路', '和平街', '新华路', '阳光大道', '翠苑路', '锦绣街', '春华路', '滨河路', '朝阳街', '兴隆路', '丰泽街', '康宁路', '瑞景路', '金桥街'];

interface Target {
  type: string;
  weight: Record<string, number>;
}

/** 14346 商户 and 55808 居民户 visits in 2023, by the grids' 网格员. */
function genInspections(st: Street, y: Year, cadres: Cadre[]): Rec[] {
  const rng = Rng.for(`inspections-${y}`);
  const totals: Record<string, number> =
    y === 2023 ? { 商户: 14346, 居民户: 55808, 人员密集场所: 1612, 企业: 884, 其他: 326 } : { 商户: 13952, 居民户: 54367, 人员密集场所: 1735, 企业: 912, 其他: 301 };
  // How much of each object type a grid of each kind has.
  const weights: Record<string, Record<string, number>> = {
    小区网格: { 商户: 70, 居民户: 700, 人员密集场所: 2, 企业: 0, 其他: 3 },
    农村网格: { 商户: 50, 居民户: 600, 人员密集场所: 3, 企业: 5, 其他: 6 },
    城镇社区网格: { 商户: 300, 居民户: 400, 人员密集场所: 20, 企业: 4, 其他: 4 },
    商圈市场网格: { 商户: 1500, 居民户: 0, 人员密集场所: 300, 企业: 10, 其他: 5 },
    商务楼宇网格: { 商户: 400, 居民户: 0, 人员密集场所: 40, 企业: 100, 其他: 10 },
    园区网格: { 商户: 40, 居民户: 0, 人员密集场所: 10, 企业: 300, 其他: 20 },
    学校网格: { 商户: 200, 居民户: 0, 人员密集场所: 250, 企业: 0, 其他: 10 },
    医院网格: { 商户: 250, 居民户: 0, 人员密集场所: 200, 企业: 0, 其他: 10 },
    机关企事业单位网格: { 商户: 30, 居民户: 0, 人员密集场所: 20, 企业: 60, 其他: 50 },
  };
  const gridWorkers = new Map<string, Cadre[]>();
  for (const c of cadres) if (c.category === '网格员') gridWorkers.set(c.area, [...(gridWorkers.get(c.area) ?? []), c]);
  const communityWorkers = new Map<string, string[]>();
  for (const c of cadres) if (c.category === '社区工作者' && c.status === '在岗') communityWorkers.set(c.area, [...(communityWorkers.get(c.area) ?? []), c.name]);
  const compoundCommunity = new Map(st.compounds.map((c) => [c.code, c.community.code]));
  const inspectorOf = (g: Grid, date: string): string => {
    const helpers = communityWorkers.get(compoundCommunity.get(g.host.code) ?? g.host.code);
    if (helpers?.length && rng.chance(0.08)) return rng.pick(helpers);
    const ws = gridWorkers.get(g.code)!;
    const w = ws.find((c) => c.enteredOn <= date && (!c.leftOn || c.leftOn > date)) ?? ws[0]!;
    return w.name;
  };
  const campaignOf = (date: string, type: string): string | null => {
    const md = date.slice(5);
    if (y === 2023) {
      if (md >= '05-15' && md <= '08-22') return '百日攻坚行动';
      if (type === '人员密集场所' && (md.startsWith('03') || md.startsWith('04'))) return '人员密集场所专项整治';
      if (md >= '09-01' && md <= '11-15') return '燃气安全专项排查整治';
      if (md >= '11-20' || md <= '02-28') return '冬春火灾防控';
      if (md.startsWith('06')) return '安全生产月';
      return null;
    }
    if (md >= '04-01' && md <= '09-30') return '安全生产治本攻坚三年行动';
    if (type === '人员密集场所' && md.startsWith('03')) return '人员密集场所专项整治';
    if (md >= '10-08' && md <= '11-15') return '燃气安全专项排查整治';
    if (md >= '11-20' || md <= '02-28') return '冬春火灾防控';
    return null;
  };

  // Object names per grid, visited in turn so each is seen several times a year.
  const objects = (g: Grid, type: string, n: number): string[] => {
    const out: string[] = [];
    const host = g.host.name;
    const count = Math.max(1, Math.min(n, type === '居民户' ? Math.ceil(n / 2) : Math.ceil(n / 4)));
    for (let i = 0; i < count; i++) {
      switch (type) {
        case '居民户':
          if (g.hostKind === '小区') {
            const j = Math.floor(i / 2);
            out.push(`${host}${1 + (j % 24)}号楼${1 + (Math.floor(j / 24) % 3)}单元${1 + (Math.floor(j / 72) % 18)}0${1 + (i % 2)}室`);
          }
          else if (g.hostKind === '村') out.push(`${host}${1 + (i % 9)}组${1 + Math.floor(i / 9)}号`);
          else out.push(`${rng.pick(STREETS)}${1 + i}号`);
          break;
        case '商户':
          out.push(`${rng.pick(SHOP_PREFIX)}${rng.pick(SHOP_WORDS)}（${g.hostKind === '小区' ? host : rng.pick(STREETS)}${rng.int(1, 300)}号）`);
          break;
        case '人员密集场所':
          out.push(`${host.replace(/网格$/, '')}${rng.pick(CROWD_PLACES)}${i > 0 ? i + 1 : ''}`);
          break;
        case '企业':
          out.push(i < ENTERPRISES.length && rng.chance(0.5) ? ENTERPRISES[i]! : `${rng.pick(SHOP_PREFIX)}${rng.pick(['商贸', '科技', '建筑', '物流', '餐饮管理', '家政服务'])}有限公司`);
          break;
        default:
          out.push(rng.pick(['在建工地', '闲置厂房', '废品收购站', '临时仓库', '配电室', '地下车库', '自行车棚']) + (i + 1));
      }
    }
    return out;
  };

  const monthWeights = Array.from({ length: 12 }, (_, i) => {
    const m = i + 1;
    return (m >= 5 && m <= 8 ? 1.3 : 1) * (m === 2 ? 0.7 : 1) * (m >= 11 || m <= 1 ? 1.1 : 1);
  });
  const rows: Array<[string, string, string, string, string, string | null, number, number]> = [];
  for (const type of Object.keys(totals)) {
    const gridWeights = st.grids.map((g) => weights[g.type]?.[type] ?? 0);
    const eligible = st.grids.filter((_, i) => gridWeights[i]! > 0);
    const perGrid = splitInt(rng, totals[type]!, eligible.length, 0, gridWeights.filter((w) => w > 0).map((w) => w * (0.85 + 0.3 * rng.float())));
    eligible.forEach((g, gi) => {
      const n = perGrid[gi]!;
      if (!n) return;
      const pool = objects(g, type, n);
      const perMonth = splitInt(rng, n, 12, 0, monthWeights);
      let k = rng.int(0, pool.length - 1);
      for (let m = 1; m <= 12; m++) {
        const days = workdaysOfMonth(y, m);
        for (let j = 0; j < perMonth[m - 1]!; j++) {
          const date = rng.chance(0.96) ? rng.pick(days) : randomDay(rng, ymd(y, m, 1), lastDayOfMonth(y, m));
          const risk = type === '居民户' ? 0.03 : type === '商户' ? 0.1 : type === '人员密集场所' ? 0.15 : 0.12;
          const hazards = rng.chance(risk) ? rng.weighted([[1, 6], [2, 3], [3, 1], [4, type === '居民户' ? 0 : 1]] as const) : 0;
          const late = date.slice(5) >= '12-10';
          const rectified = hazards && (late ? rng.chance(0.5) : rng.chance(0.05)) ? rng.int(0, hazards - 1) : hazards;
          rows.push([date, g.code, type, pool[k++ % pool.length]!, inspectorOf(g, date), campaignOf(date, type), hazards, rectified]);
        }
      }
    });
  }
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return rows.map(([d, g, t, o, p, c, h, r]) => ({ 排查日期: d, 网格编码: g, 对象类型: t, 对象名称: o, 排查人: p, 专项行动: c, 发现隐患数: h, 已整改数: r }));
}

// ---------------------------------------------------------------- 安全事故

/** A few incidents each year, none of them 责任事故 (全年无责任事故). */
function genIncidents(st: Street, y: Year): Rec[] {
  const s = (i: number) => st.communities[i]!;
  const cases: Array<[string, string, string, number, string]> =
    y === 2023
      ? [
          ['2023-03-14', s(4).compounds[1]!.code, '火灾', 0, '居民家中电动车电池夜间充电起火，网格员发现后及时报警，消防到场扑灭，无人员伤亡。经认定为个人使用不当，非责任事故。'],
          ['2023-07-22', st.villages[1]!.code, '交通事故', 1, '村道上一辆农用三轮车与电动自行车发生碰撞，一人轻伤送医。经交警认定为驾驶人操作不当，非责任事故。'],
          ['2023-11-05', s(9).code, '燃气泄漏', 0, '居民家中燃气软管老化漏气，燃气公司及时处置，未造成伤亡。事后开展燃气安全入户排查。'],
        ]
      : [
          ['2024-02-08', s(2).compounds[0]!.code, '火灾', 0, '春节前居民燃放烟花引燃阳台杂物，及时扑灭，无人员伤亡，非责任事故。'],
          ['2024-08-19', st.villages[3]!.code, '溺水', 0, '一名外来人员在河道野泳时遇险，巡河人员及群众合力救起，无生命危险，非责任事故。'],
        ];
  return cases.map(([d, area, type, injuries, account]) => ({ 发生日期: xdate(d), 区域编码: area, 事故类型: type, 是否责任事故: '否', 死亡人数: 0, 受伤人数: injuries, 经过: account }));
}

// ---------------------------------------------------------------- 工作量

/** The 创城 and 河长制 workloads: each category's 2023 total exactly as reported. */
function genWorks(st: Street, y: Year): Rec[] {
  const rng = Rng.for(`works-${y}`);
  // [category, total in tenths of the unit, records, where, months]
  type Where = 'village' | 'compound' | 'community' | 'river';
  const plan: Array<[string, number, number, Where, number[]]> =
    y === 2023
      ? [
          ['秸秆离田', 7000, 20, 'village', [3, 4, 10, 11]],
          ['清理堆放物', 31640, 96, 'compound', []],
          ['恢复绿地', 21230, 34, 'community', [3, 4, 5, 6, 9, 10]],
          ['拆除违建', 280, 18, 'community', []],
          ['清理垃圾', 24580, 88, 'compound', []],
          ['疏通消防通道', 6580, 72, 'compound', []],
          ['设置分类垃圾桶', 8920, 40, 'compound', [3, 4, 5, 6, 7, 8]],
          ['清理违停车辆', 18780, 90, 'compound', []],
          ['修补破损路面', 36930, 42, 'community', [4, 5, 6, 7, 8, 9, 10]],
          ['巡河', 2650, 118, 'river', []],
          ['河道清理垃圾', 2149, 58, 'river', []],
        ]
      : [
          ['秸秆离田', 7325, 21, 'village', [3, 4, 10, 11]],
          ['清理堆放物', 28760, 90, 'compound', []],
          ['恢复绿地', 18650, 30, 'community', [3, 4, 5, 6, 9, 10]],
          ['拆除违建', 190, 13, 'community', []],
          ['清理垃圾', 22115, 84, 'compound', []],
          ['疏通消防通道', 7120, 75, 'compound', []],
          ['设置分类垃圾桶', 4360, 28, 'compound', [3, 4, 5, 6, 7, 8]],
          ['清理违停车辆', 20430, 92, 'compound', []],
          ['修补破损路面', 41280, 44, 'community', [4, 5, 6, 7, 8, 9, 10]],
          ['巡河', 2880, 122, 'river', []],
          ['河道清理垃圾', 1986, 55, 'river', []],
        ];
  const integerUnits = new Set(['处', '次', '组', '台']);
  const riverside = [...st.villages.map((v) => v.code), st.communities[9]!.code, st.communities[0]!.code];
  const notes: Record<string, string[]> = {
    秸秆离田: ['春季秸秆打捆离田', '秋收后秸秆离田', '秸秆综合利用'],
    清理堆放物: ['清理楼道及公共区域堆放物', '清理绿化带杂物'],
    恢复绿地: ['毁绿种菜整治后补植', '裸露土地复绿'],
    拆除违建: ['拆除楼顶违建', '拆除私搭乱建棚厦'],
    清理垃圾: ['清理卫生死角', '清理积存垃圾'],
    疏通消防通道: ['清理占用消防通道车辆杂物'],
    设置分类垃圾桶: ['新设分类垃圾桶'],
    清理违停车辆: ['清理小区内违停车辆', '清理僵尸车'],
    修补破损路面: ['修补小区破损路面', '修补背街小巷路面'],
    巡河: ['河长日常巡河', '汛期巡河'],
    河道清理垃圾: ['打捞河面漂浮物', '清理河岸垃圾'],
  };
  const rows: Rec[] = [];
  for (const [category, total, n, where, months] of plan) {
    const unit = WORK_UNITS[category]!;
    // Whole units for counted things (处, 次, 组, 台); tenths for measures.
    const parts = integerUnits.has(unit) ? splitInt(rng, total / 10, n, 1).map((x) => x * 10) : splitInt(rng, total, n, 1);
    for (const q of parts) {
      const month = months.length ? rng.pick(months) : rng.int(1, 12);
      const area =
        where === 'village'
          ? rng.pick(st.villages).code
          : where === 'river'
            ? rng.pick(riverside)
            : where === 'compound'
              ? rng.chance(0.8)
                ? rng.pick(st.compounds).code
                : rng.pick(st.communities).code
              : rng.pick(st.communities).code;
      rows.push({ 日期: rng.pick(workdaysOfMonth(y, month)), 工作类别: category, 数量: tenths(q), 单位: unit, 区域编码: area, 说明: rng.pick(notes[category]!) });
    }
  }
  rows.sort((a, b) => String(a['日期']).localeCompare(String(b['日期'])));
  return rows;
}

// ---------------------------------------------------------------- 阵地设施

/**
 * Facilities by the year they were built: at the end of 2023, in use: 13 警务室, 26 警务站, 1+14
 * 公共法律服务, 4 文化长廊, 13 社区微空间, 1 幸福食堂, 21 幸福驿站, 17 幸福学堂, 2 幸福医馆 — plus a few
 * out of use. 2024 builds 2 党群服务中心 (of 3 planned) and a 示范型党群服务站.
 */
function genFacilities(st: Street, y: Year): Rec[] {
  const rng = Rng.for('facilities');
  const all: Array<{ type: string; name: string; area: string; built: string; status: '在用' | '停用' }> = [];
  const F = (type: string, name: string, area: string, built: string, status: '在用' | '停用' = '在用') => all.push({ type, name, area, built, status });
  const built = (from: number, to: number) => randomWorkday(rng, ymd(from, 1, 1), ymd(to, 12, 28));
  const c = st.communities;
  const cp = st.compounds;

  F('党群服务中心', '东湖街道党群服务中心', st.code, '2018-06-28');
  for (const v of st.villages) F('党群服务中心', `${v.name}党群服务中心`, v.code, built(2019, 2021));
  for (const x of c.slice(0, 11)) F('党群服务中心', `${x.name}党群服务中心`, x.code, built(2017, 2022));
  cp.filter((_, i) => i % 2 === 0).forEach((x) => F('党群服务站', `${x.name}党群服务站`, x.code, built(2019, 2023)));
  // 警地融合 (2023): 13 警务室 and 26 警务站 in use at year end; one old room closed.
  [...c.slice(0, 9).map((x) => x.code), ...st.villages.map((v) => v.code)].forEach((a, i) => F('警务室', `${st.areaName.get(a)}警务室`, a, i < 5 ? built(2016, 2021) : built(2023, 2023)));
  F('警务室', `${c[12]!.name}警务室（旧址）`, c[12]!.code, '2015-09-10', '停用');
  rng.sample(cp, 26).forEach((x, i) => F('警务站', `${x.name}警务站`, x.code, i < 10 ? built(2020, 2022) : built(2023, 2023)));
  F('公共法律服务中心', '东湖街道公共法律服务中心', st.code, '2023-03-15');
  [...c.slice(0, 10).map((x) => x.code), ...st.villages.map((v) => v.code)].forEach((a) => F('公共法律服务站', `${st.areaName.get(a)}公共法律服务站`, a, built(2022, 2023)));
  F('文化长廊', `${c[9]!.name}红色文化长廊`, c[9]!.code, '2023-05-26');
  F('文化长廊', `${st.villages[1]!.name}乡风文明长廊`, st.villages[1]!.code, '2023-06-30');
  F('文化长廊', `${c[0]!.name}廉洁文化长廊`, c[0]!.code, '2023-08-18');
  F('文化长廊', `${c[5]!.name}家风家训长廊`, c[5]!.code, '2023-10-20');
  rng.sample(cp, 13).forEach((x, i) => F('社区微空间', `${x.name}${['邻里微空间', '口袋公园', '共享客厅', '议事角'][i % 4]}`, x.code, built(2023, 2023)));
  F('幸福食堂', `${c[0]!.name}幸福食堂（示范点）`, c[0]!.code, '2023-04-28');
  rng.sample(cp, 22).forEach((x, i) => F('幸福驿站', `${x.name}幸福驿站`, x.code, built(2021, 2023), i === 21 ? '停用' : '在用'));
  [...c.map((x) => x.code), st.villages[0]!.code].forEach((a) => F('幸福学堂', `${st.areaName.get(a)}幸福学堂`, a, built(2021, 2023)));
  F('幸福医馆', `${c[1]!.name}幸福医馆`, c[1]!.code, '2023-07-14');
  F('幸福医馆', `${st.villages[2]!.name}幸福医馆`, st.villages[2]!.code, '2023-09-22');
  F('其他', '东湖街道新时代文明实践所', st.code, '2020-09-18');
  F('其他', `${c[3]!.name}退役军人服务站`, c[3]!.code, '2021-05-12');

  // 2024: two of the three planned 党群服务中心, a 示范型党群服务站, and more.
  F('党群服务中心', `${c[11]!.name}党群服务中心`, c[11]!.code, '2024-06-27');
  F('党群服务中心', `${c[13]!.name}党群服务中心`, c[13]!.code, '2024-11-15');
  F('党群服务站', `示范型党群服务站（${cp[3]!.name}）`, cp[3]!.code, '2024-09-26');
  cp.filter((_, i) => i % 2 === 1).slice(0, 3).forEach((x) => F('党群服务站', `${x.name}党群服务站`, x.code, built(2024, 2024)));
  F('警务站', `${cp[41]!.name}警务站`, cp[41]!.code, '2024-04-19');
  F('警务站', `${cp[57]!.name}警务站`, cp[57]!.code, '2024-08-09');
  rng.sample(cp, 3).forEach((x) => F('社区微空间', `${x.name}邻里微空间（二期）`, x.code, built(2024, 2024)));
  F('幸福驿站', `${st.villages[0]!.name}幸福驿站`, st.villages[0]!.code, '2024-05-17');
  F('幸福驿站', `${st.villages[3]!.name}幸福驿站`, st.villages[3]!.code, '2024-10-11');
  F('幸福学堂', `${st.villages[1]!.name}幸福学堂`, st.villages[1]!.code, '2024-03-22');

  all.forEach((f, i) => ((f as { code?: string }).code = `DH-SS${String(i + 1).padStart(4, '0')}`));
  return all
    .filter((f) => (y === 2023 ? f.built < '2024-01-01' : f.built >= '2024-01-01'))
    .map((f) => ({ 设施编码: (f as { code?: string }).code!, 名称: f.name, 类型: f.type, 区域编码: f.area, 建成日期: xdate(f.built), 状态: f.status }));
}

// ---------------------------------------------------------------- 资金

/**
 * 2023: 村集体经济收入 2638400.00 元 over the 4 村, 福利分红 842600.00 元, and 1693700.00 元 of
 * 低保, 五保, 特困供养, 慰问金, 奖扶 and 其他救助 — all exact to the fen.
 */
function genFunds(st: Street, y: Year): Rec[] {
  const rng = Rng.for(`funds-${y}`);
  const rows: Rec[] = [];
  const F = (date: string, category: string, fen: number, area: string, note: string) => rows.push({ 日期: date, 资金类别: category, '金额(元)': yuan(fen), 区域编码: area, 对象或说明: note });
  const villages = st.villages;

  // 村集体经济收入: six sources a village, in whole yuan (some with jiao).
  const income = y === 2023 ? 263840000 : 281275050;
  const perVillage = splitInt(rng, income / 10, villages.length, 0, [1.25, 1.0, 0.8, 0.95]).map((x) => x * 10);
  const SOURCES = ['土地流转收入', '厂房租赁收入', '北区复耕地项目收益', '农机服务收入', '集体资产承包费', '光伏发电收益'];
  villages.forEach((v, i) => {
    const parts = splitInt(rng, perVillage[i]! / 10, SOURCES.length, 100000).map((x) => x * 10);
    parts.forEach((fen, k) => F(randomWorkday(rng, ymd(y, 1 + k * 2, 1), ymd(y, 2 + k * 2, 28)), '村集体经济收入', fen, v.code, `${v.name}${SOURCES[k]}`));
  });
  // 福利分红: mid-year and year-end, to every household of the village.
  const dividends = y === 2023 ? 84260000 : 90550000;
  const perDividend = splitInt(rng, dividends / 100, villages.length * 2, 20000).map((x) => x * 100);
  villages.forEach((v, i) => {
    F(randomWorkday(rng, ymd(y, 6, 20), ymd(y, 7, 10)), '福利分红', perDividend[i * 2]!, v.code, `${v.name}${y}年上半年村民福利分红（${rng.int(380, 720)}户）`);
    F(randomWorkday(rng, ymd(y, 12, 15), ymd(y, 12, 29)), '福利分红', perDividend[i * 2 + 1]!, v.code, `${v.name}${y}年度村民福利分红（${rng.int(380, 720)}户）`);
  });

  // 救助: split the year's total over the six categories, then over months and areas.
  const relief = y === 2023 ? 169370000 : 175826000;
  const [dibao, wubao, tekun, weiwen, jiangfu, other] = splitInt(rng, relief / 100, 6, 0, [48, 6, 12.5, 17, 10, 6.5], 0).map((x) => x * 100);
  const units = [...villages.map((v) => ({ code: v.code, name: v.name })), ...st.communities.map((c) => ({ code: c.code, name: c.name }))];
  // 低保: monthly, per village and community (whole yuan).
  const dibaoParts = splitInt(rng, dibao! / 100, 12 * units.length, 800).map((x) => x * 100);
  for (let m = 1; m <= 12; m++) units.forEach((u, i) => F(rng.pick(workdaysOfMonth(y, m).slice(0, 8)), '低保', dibaoParts[(m - 1) * units.length + i]!, u.code, `${y}年${m}月${u.name}低保金（${rng.int(6, 38)}户）`));
  // 五保 (villages) and 特困供养 (everywhere): quarterly.
  const wubaoParts = splitInt(rng, wubao! / 100, 4 * villages.length, 1000).map((x) => x * 100);
  for (let q = 1; q <= 4; q++) villages.forEach((v, i) => F(rng.pick(workdaysOfMonth(y, q * 3 - 2)), '五保', wubaoParts[(q - 1) * villages.length + i]!, v.code, `${y}年第${q}季度${v.name}五保供养金`));
  const tekunUnits = [...villages, ...st.communities.slice(0, 8)].map((u) => ({ code: u.code, name: u.name }));
  const tekunParts = splitInt(rng, tekun! / 100, 4 * tekunUnits.length, 1000).map((x) => x * 100);
  for (let q = 1; q <= 4; q++) tekunUnits.forEach((u, i) => F(rng.pick(workdaysOfMonth(y, q * 3 - 2)), '特困供养', tekunParts[(q - 1) * tekunUnits.length + i]!, u.code, `${y}年第${q}季度${u.name}特困人员供养金`));
  // 慰问金: 春节, 七一 (老党员、困难党员), 重阳.
  const occasions: Array<[number, string]> = [
    [1, '春节走访慰问困难群众'],
    [6, '“七一”走访慰问老党员、困难党员'],
    [10, '重阳节慰问高龄老人'],
  ];
  const weiwenParts = splitInt(rng, weiwen! / 100, occasions.length * units.length, 1000).map((x) => x * 100);
  occasions.forEach(([m, what], k) => units.forEach((u, i) => F(rng.pick(workdaysOfMonth(y, m).slice(0, 12)), '慰问金', weiwenParts[k * units.length + i]!, u.code, `${u.name}${what}`)));
  // 奖扶: once a year per unit.
  const jiangfuParts = splitInt(rng, jiangfu! / 100, units.length, 2000).map((x) => x * 100);
  units.forEach((u, i) => F(randomWorkday(rng, ymd(y, 4, 1), ymd(y, 5, 31)), '奖扶', jiangfuParts[i]!, u.code, `${u.name}计划生育家庭奖励扶助金`));
  // 其他救助: temporary relief of single households, to the fen.
  const otherParts = splitInt(rng, other!, 46, 50000);
  otherParts.forEach((fen) => {
    const u = rng.pick(units);
    F(randomWorkday(rng, ymd(y, 1, 3), ymd(y, 12, 28)), '其他救助', fen, u.code, `临时救助：${anonymized(rng)}（${rng.pick(['因病', '因灾', '因意外事故', '因学'])}致困）`);
  });
  rows.sort((a, b) => String(a['日期']).localeCompare(String(b['日期'])));
  return rows;
}

// ---------------------------------------------------------------- 培训

const TRAINING_NAMES: Record<string, string[]> = {
  职业技能: ['家政服务员职业技能培训', '养老护理员培训', '电工技能培训', '电子商务直播带货培训', '中式面点师培训', '育婴员培训', '农业实用技术培训', '保洁员技能培训', '网络创业培训', '美容美发技能培训', '手工编织技能培训', '汽车维修技能培训'],
  素质教育: ['家庭教育公益讲堂', '老年人防诈骗素养课堂', '青少年心理健康讲座', '文明礼仪培训', '健康生活方式讲座', '普法教育课堂', '老年人智能手机使用培训', '国学经典诵读班', '应急救护知识培训', '垃圾分类知识课堂'],
  专题培训班: ['基层党组织书记专题培训班', '发展党员工作专题培训班', '基层治理专干能力提升专题培训班', '网格员业务专题培训班', '党务工作者专题培训班', '村（社区）“两委”干部专题培训班'],
  党员教育: ['党员冬春训', '学习贯彻党的二十大精神专题学习', '主题教育专题学习', '党纪学习教育专题辅导', '流动党员集中学习'],
  其他: ['安全生产培训', '消防安全培训', '统计业务培训'],
};

/** 23 职业技能 and 素质教育 trainings in 2023 for 10482 people; 5 专题培训班 in 2024 (plan: 4 or more). */
function genTrainings(y: Year): Rec[] {
  const rng = Rng.for(`trainings-${y}`);
  const rows: Array<{ d: string; name: string; type: string; form: string; n: number }> = [];
  const mix: Record<string, number> = y === 2023 ? { 职业技能: 14, 素质教育: 9, 专题培训班: 2, 党员教育: 6, 其他: 3 } : { 职业技能: 12, 素质教育: 11, 专题培训班: 5, 党员教育: 6, 其他: 2 };
  // 职业技能 and 素质教育: online sessions are large, offline ones a classroom.
  const publicTotal = y === 2023 ? 10482 : 11236;
  const publicCount = mix['职业技能']! + mix['素质教育']!;
  const online = rng.sample(Array.from({ length: publicCount }, (_, i) => i), 6);
  const offlineN = Array.from({ length: publicCount }, (_, i) => (online.includes(i) ? 0 : rng.int(35, 220)));
  const onlineN = splitInt(rng, publicTotal - sum(offlineN), online.length, 400);
  let o = 0;
  let k = 0;
  for (const type of ['职业技能', '素质教育']) {
    const names = rng.shuffle(TRAINING_NAMES[type]!);
    for (let i = 0; i < mix[type]!; i++, k++) {
      const isOnline = online.includes(k);
      rows.push({ d: randomWorkday(rng, ymd(y, 2, 20), ymd(y, 12, 20)), name: `${names[i % names.length]!}${i >= names.length ? '（二期）' : ''}`, type, form: isOnline ? '线上' : '线下', n: isOnline ? onlineN[o++]! : offlineN[k]! });
    }
  }
  for (const type of ['专题培训班', '党员教育', '其他']) {
    const names = rng.shuffle(TRAINING_NAMES[type]!);
    for (let i = 0; i < mix[type]!; i++) {
      const d = type === '党员教育' && i === 0 ? randomWorkday(rng, ymd(y, 1, 4), ymd(y, 2, 28)) : randomWorkday(rng, ymd(y, 3, 1), ymd(y, 12, 15));
      rows.push({ d, name: `${y}年${names[i % names.length]!}`, type, form: type === '党员教育' && rng.chance(0.4) ? '线上' : '线下', n: type === '专题培训班' ? rng.int(45, 120) : rng.int(60, 400) });
    }
  }
  rows.sort((a, b) => a.d.localeCompare(b.d));
  return rows.map((r) => ({ 日期: xdate(r.d), 名称: r.name, 类型: r.type, 形式: r.form, 参训人数: r.n }));
}

// ---------------------------------------------------------------- 党建品牌

const BRANDS = [
  '“581”工作法',
  '“微网格+志愿服务”',
  '红心物业',
  '邻里守望',
  '银发先锋',
  '“小巷总理”工作室',
  '东湖先锋',
  '党建红·乡村兴',
  '红色驿站',
  '“三长”联动',
  '初心小院',
  '和美家园',
  '“四点半”课堂',
  '企业先锋岗',
  '红色物流',
  '书香党建',
  '“一米阳光”',
  '彩虹桥',
  '党群连心桥',
  '楼道红管家',
  '“红色议事厅”',
  '巾帼党建',
  '“双报到”连心',
];

/** 20 党建品牌 recognized in 2023 (凝练…党建品牌20个), 3 more in 2024. */
function genBrands(st: Street, y: Year): Rec[] {
  const rng = Rng.for('brands');
  const orgs = rng.shuffle([...st.branches.map((b) => b.code), ...st.committees.map((c) => c.code)]);
  const rows = BRANDS.map((name, i) => ({ 品牌名称: name, 党组织编码: orgs[i]!, 认定日期: xdate(i < 20 ? randomWorkday(rng, '2023-03-01', '2023-12-15') : randomWorkday(rng, '2024-04-01', '2024-11-29')) }));
  return rows.filter((_, i) => (y === 2023 ? i < 20 : i >= 20));
}

// ---------------------------------------------------------------- loading

/** Imports order: people first, then the rest; within a ledger 2023 before 2024. */
export async function loadDemoLedgers(store: Store, log: (m: string) => void): Promise<Record<string, number>> {
  const started = performance.now();
  const { files, committees } = generateDemoLedgers();
  // Committees first, through the same code as the organization page.
  await withWrite(store, SYSTEM_ACTOR, async (w) => {
    for (const c of committees) await setCommittee(w, WHOLE_DATABASE, c.org, { establishedOn: c.establishedOn, members: c.members });
  });
  const root = await store.db.selectFrom('areas').select('id').where('code', '=', DEMO_STREET_CODE).executeTakeFirstOrThrow();
  const dir = await mkdtemp(join(tmpdir(), 'jiceng-demo-'));
  const counts: Record<string, number> = {};
  try {
    for (const f of files) {
      const def = defOf(f.ledger);
      const path = await writeDemoFile(dir, f);
      const fileName = path.slice(dir.length + 1);
      const sha = createHash('sha256').update(await readFile(path)).digest('hex');
      const table = await readTable(path, fileName);
      const r = await importLedger(store, SYSTEM_ACTOR, WHOLE_DATABASE, def, table, {
        dryRun: false,
        fileName,
        fileSha256: sha,
        fallbackAreaId: def.areaField === null ? Number(root.id) : null,
      });
      if (!r.ok) throw new Error(`demo ${fileName}: ${JSON.stringify(r.errors.slice(0, 5))}`);
      if (r.inserted !== f.rows.length) throw new Error(`demo ${fileName}: ${r.inserted} of ${f.rows.length} rows inserted`);
      // The demo is meant to be clean: a warning (a short interval, an ignored column) is a slip worth seeing.
      if (r.warnings.length) log(`注意 / warning: ${fileName} ${r.warnings.length} 条提示，如 ${JSON.stringify(r.warnings.slice(0, 3))}`);
      counts[def.title] = (counts[def.title] ?? 0) + r.inserted;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // The 2024 targets of the 2023 report's 下一步工作思路, defined as a user would (progress is live).
  await withWrite(store, SYSTEM_ACTOR, async (w) => {
    for (const t of demoTargets2024()) await createTarget(w, WHOLE_DATABASE, { areaCode: DEMO_STREET_CODE, year: 2024, ...t });
  });
  const total = Object.values(counts).reduce((s, x) => s + x, 0);
  log(`台账记录 / ledger records (2023–2024): ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join('，')}；共 ${total} 条（${((performance.now() - started) / 1000).toFixed(1)} 秒）`);
  return counts;
}
