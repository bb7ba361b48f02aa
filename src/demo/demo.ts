/**
 * The demo street (东湖街道): its area and organization trees and one user per role, loaded
 * through the same import code users use. Deterministic: the same database every time.
 * Then the ledgers of 2023 and 2024 (ledgers-demo.ts), whose records give the 2023 report's figures.
 */
import type { Role } from '../shared/constants.ts';
import type { CellValue, Table, TableRow } from '../io/table-reader.ts';
import type { Store } from '../store/db.ts';
import { countUsers, createUser, getSecurityPolicy, writeSecurityPolicyUnchecked } from '../store/auth.ts';
import { enrolWithSecret } from '../store/two-factor.ts';
import { WHOLE_DATABASE } from '../store/scope.ts';
import { importTree } from '../store/tree-import.ts';
import { SYSTEM_ACTOR, withWrite } from '../store/unit-of-work.ts';
import { GRID_TYPES } from '../shared/constants.ts';
import { TREE_COLUMNS } from '../domain/tree-import.ts';
import { loadDemoLedgers } from './ledgers-demo.ts';

/** Password of the demo users (admin too unless JICENG_ADMIN_PASSWORD is set). Demo data only. */
export const DEMO_PASSWORD = process.env.JICENG_DEMO_PASSWORD || 'Demo@2026jc';
export const DEMO_STREET_CODE = 'DH';

/** A street of the demo's shape: the demo itself, or one of `jiceng generate`'s many. */
export interface StreetSpec {
  code: string;
  /** e.g. 东湖街道 */
  name: string;
  /** The name's stem that other names are made from (东湖社区, 东湖街道商会 …). */
  stem: string;
}
export const DEMO_STREET: StreetSpec = { code: DEMO_STREET_CODE, name: '东湖街道', stem: '东湖' };

const VILLAGES = ['李家湾村', '桃园村', '柳树屯村', '河口村'];
const COMMUNITIES = [
  '东湖社区', '明珠社区', '光明社区', '和平社区', '新华社区', '阳光社区', '翠苑社区', '锦绣社区',
  '春华社区', '滨河社区', '朝阳社区', '兴隆社区', '丰泽社区', '康宁社区', '瑞景社区', '金桥社区',
];
const COMPOUND_WORDS = ['花园', '家园', '小区', '苑', '府', '名邸', '雅居', '新城'];
const COMPOUND_STEMS = ['碧水', '金色', '怡和', '紫荆', '荣华', '天悦', '福康', '绿洲', '嘉禾', '书香', '海棠', '御景', '祥和', '松林', '博雅'];
const ENTERPRISES = [
  '东湖建材有限公司', '明珠物流有限公司', '光明食品有限公司', '恒达机械制造有限公司', '新华印务有限公司', '阳光物业服务有限公司',
  '锦绣服饰有限公司', '兴隆商贸有限公司', '丰泽农业科技有限公司', '瑞景建筑工程有限公司', '金桥汽车服务有限公司', '康宁医药连锁有限公司',
  '滨河供热有限公司', '朝阳电子科技有限公司', '春华教育咨询有限公司',
];
const SOCIAL_ORGS = ['东湖街道社会工作服务中心', '东湖街道志愿者协会', '东湖街道商会', '东湖街道养老服务协会', '东湖街道青年创业联合会'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function asTable(ledger: 'areas' | 'orgs', rows: Array<Record<string, string>>): Table {
  const headers = TREE_COLUMNS[ledger].map((c) => c.header);
  async function* iterate(): AsyncGenerator<TableRow> {
    let n = 1;
    for (const r of rows) {
      n++;
      yield { row: n, values: headers.map((h): CellValue => r[h] ?? null) };
    }
  }
  return { headers, rows: iterate() };
}

/** Rows of the two trees, in an order where every parent comes first. */
export function demoTrees(street: StreetSpec = DEMO_STREET): { areas: Array<Record<string, string>>; orgs: Array<Record<string, string>> } {
  const areas: Array<Record<string, string>> = [];
  const orgs: Array<Record<string, string>> = [];
  const S = street.code;
  areas.push({ 编码: S, 名称: street.name, 类型: '街道' });
  orgs.push({ 编码: `${S}-DGW`, 名称: `中共${street.name}工作委员会`, 类型: '党工委', 所在区域编码: S, 类别: '街道机关' });
  orgs.push({ 编码: `${S}-JG`, 名称: `${street.name}机关党支部`, 类型: '党支部', 上级编码: `${S}-DGW`, 所在区域编码: S, 类别: '街道机关' });

  let gridNo = 0;
  const grid = (parent: string, name: string, type: string) => {
    gridNo++;
    areas.push({ 编码: `${S}-WG${String(gridNo).padStart(3, '0')}`, 名称: name, 类型: '网格', 上级编码: parent, 网格类型: type });
  };

  VILLAGES.forEach((name, i) => {
    const code = `${S}-C${pad(i + 1)}`;
    areas.push({ 编码: code, 名称: name, 类型: '村', 上级编码: S });
    const org = `${code}-DW`;
    orgs.push({ 编码: org, 名称: `中共${name}委员会`, 类型: '党委', 上级编码: `${S}-DGW`, 所在区域编码: code, 类别: '村' });
    for (let b = 1; b <= 3; b++) {
      orgs.push({ 编码: `${org}-ZB${b}`, 名称: `${name}第${['一', '二', '三'][b - 1]}党支部`, 类型: '党支部', 上级编码: org, 所在区域编码: code, 类别: '村' });
    }
    for (let g = 1; g <= 3; g++) grid(code, `${name}第${g}网格`, '农村网格');
  });

  // 60 compounds over 16 communities: the first 12 have 4 each, the last 4 have 3 each.
  let compoundNo = 0;
  COMMUNITIES.forEach((name, i) => {
    const code = `${S}-S${pad(i + 1)}`;
    areas.push({ 编码: code, 名称: name, 类型: '社区', 上级编码: S });
    const isCommittee = i < 10;
    const org = `${code}-${isCommittee ? 'DW' : 'ZZ'}`;
    orgs.push({
      编码: org,
      名称: isCommittee ? `中共${name}委员会` : `中共${name}总支部委员会`,
      类型: isCommittee ? '党委' : '党总支',
      上级编码: `${S}-DGW`,
      所在区域编码: code,
      类别: '社区',
    });
    const branch = `${org}-ZB1`;
    orgs.push({ 编码: branch, 名称: `${name}第一党支部`, 类型: '党支部', 上级编码: org, 所在区域编码: code, 类别: '社区' });
    grid(code, `${name}综合网格`, '城镇社区网格');
    const compounds = i < 12 ? 4 : 3;
    for (let c = 1; c <= compounds; c++) {
      compoundNo++;
      const stem = COMPOUND_STEMS[compoundNo % COMPOUND_STEMS.length]!;
      const word = COMPOUND_WORDS[(compoundNo * 7) % COMPOUND_WORDS.length]!;
      const cname = `${stem}${word}${compoundNo > COMPOUND_STEMS.length ? `${Math.ceil(compoundNo / COMPOUND_STEMS.length)}期` : ''}`;
      const ccode = `${code}-X${pad(c)}`;
      areas.push({ 编码: ccode, 名称: cname, 类型: '小区', 上级编码: code });
      // Larger compounds have their own branch; smaller ones a Party group in the community branch.
      if (c <= 2) {
        orgs.push({ 编码: `${ccode}-ZB`, 名称: `${cname}小区党支部`, 类型: '党支部', 上级编码: org, 所在区域编码: ccode, 类别: '小区' });
      } else {
        orgs.push({ 编码: `${ccode}-XZ`, 名称: `${cname}党小组`, 类型: '党小组', 上级编码: branch, 所在区域编码: ccode, 类别: '小区' });
      }
      grid(ccode, `${cname}网格`, '小区网格');
    }
  });

  // Special grids: the remaining grid types, placed in communities that host such units.
  const special = GRID_TYPES.filter((t) => !['城镇社区网格', '农村网格', '小区网格'].includes(t));
  special.forEach((type, k) => {
    for (let j = 0; j < 2; j++) {
      const community = `${S}-S${pad(((k * 2 + j) % COMMUNITIES.length) + 1)}`;
      grid(community, `${COMMUNITIES[(k * 2 + j) % COMMUNITIES.length]}${type.replace('网格', '')}网格`, type);
    }
  });

  ENTERPRISES.forEach((name, i) => {
    const community = `${S}-S${pad((i % COMMUNITIES.length) + 1)}`;
    orgs.push({ 编码: `${S}-FG${pad(i + 1)}`, 名称: `${name}党支部`, 类型: '党支部', 上级编码: `${S}-DGW`, 所在区域编码: community, 类别: '非公企业', 成立日期: `20${pad(10 + (i % 12))}-07-01` });
  });
  SOCIAL_ORGS.forEach((name, i) => {
    orgs.push({ 编码: `${S}-SZ${pad(i + 1)}`, 名称: `${name}党支部`, 类型: '党支部', 上级编码: `${S}-DGW`, 所在区域编码: S, 类别: '社会组织', 成立日期: `20${pad(15 + i)}-03-01` });
  });
  if (street.stem !== DEMO_STREET.stem) {
    // Other streets: the demo's names with their own stem (东湖社区 → 城南社区 …).
    for (const row of [...areas, ...orgs]) row['名称'] = row['名称']!.replaceAll(DEMO_STREET.stem, street.stem);
  }
  return { areas, orgs };
}

/** One demo user per role; `sq01` is a community clerk, to show area scoping. */
export const DEMO_USERS: Array<{ username: string; role: Role; area: string | null; name: string }> = [
  { username: 'admin', role: 'admin', area: null, name: '管理员' },
  { username: 'leader', role: 'leader', area: DEMO_STREET_CODE, name: '街道党工委书记' },
  { username: 'clerk', role: 'clerk', area: DEMO_STREET_CODE, name: '党建办干事' },
  { username: 'sq01', role: 'clerk', area: `${DEMO_STREET_CODE}-S01`, name: '东湖社区书记' },
  { username: 'grid', role: 'grid', area: `${DEMO_STREET_CODE}-S01-X01`, name: '网格员' },
  { username: 'viewer', role: 'viewer', area: DEMO_STREET_CODE, name: '区委组织部（只读）' },
  { username: 'sysadmin', role: 'sysadmin', area: DEMO_STREET_CODE, name: '系统管理员' },
  { username: 'secadmin', role: 'secadmin', area: DEMO_STREET_CODE, name: '安全管理员' },
  { username: 'auditor', role: 'auditor', area: DEMO_STREET_CODE, name: '审计管理员' },
];

/**
 * Loads the demo street into an empty database. `ledgers: false` leaves out the 2023–2024
 * ledger records (about 160,000, some seconds to load), for tests that need only the trees and users.
 */
export async function loadDemo(store: Store, opts: { ifEmpty: boolean; log: (m: string) => void; ledgers?: boolean }): Promise<'loaded' | 'skipped'> {
  const areaCount = await store.db.selectFrom('areas').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(areaCount.n) > 0) {
    if (opts.ifEmpty) return 'skipped';
    throw new Error('演示数据只能载入空数据库 / the demo loads into an empty database only');
  }
  const trees = demoTrees();
  for (const ledger of ['areas', 'orgs'] as const) {
    const r = await importTree(store, SYSTEM_ACTOR, WHOLE_DATABASE, ledger, asTable(ledger, trees[ledger]), { dryRun: false, fileName: `demo-${ledger}` });
    if (!r.ok) throw new Error(`demo ${ledger}: ${JSON.stringify(r.errors.slice(0, 3))}`);
    opts.log(`${ledger === 'areas' ? '区域' : '党组织'}：${r.inserted}`);
  }
  const adminPassword = process.env.JICENG_ADMIN_PASSWORD || DEMO_PASSWORD;
  const hadUsers = (await countUsers(store.db)) > 0;
  const adminTotp = process.env.JICENG_ADMIN_TOTP_SECRET;
  await withWrite(store, SYSTEM_ACTOR, async (w) => {
    // The demo's passwords are published, so two-factor sign-in is off for the demo database
    // (a user enrolled anyway, e.g. admin with JICENG_ADMIN_TOTP_SECRET, still needs the code).
    await writeSecurityPolicyUnchecked(w, { ...(await getSecurityPolicy(w.trx)), twoFactorRoles: [] }, 'demo');
    for (const u of DEMO_USERS) {
      if (hadUsers && u.username === 'admin') continue;
      const exists = await w.trx.selectFrom('users').select('id').where('username', '=', u.username).executeTakeFirst();
      if (exists) continue;
      await createUser(w, WHOLE_DATABASE, {
        username: u.username,
        role: u.role,
        areaCode: u.area,
        displayName: u.name,
        password: u.username === 'admin' ? adminPassword : DEMO_PASSWORD,
      });
      if (u.username === 'admin' && adminTotp) await enrolWithSecret(w, 'admin', adminTotp, 'JICENG_ADMIN_TOTP_SECRET');
    }
  });
  // The 2023 and 2024 ledgers, whose records give the figures of the 2023 annual report.
  if (opts.ledgers !== false) await loadDemoLedgers(store, opts.log);
  opts.log('演示数据库的密码是公开的，已关闭两步验证（正式部署默认要求管理员、领导和三员使用动态验证码）/ two-factor sign-in is off for the demo database');
  opts.log(`演示用户 / demo users: ${DEMO_USERS.map((u) => u.username).join(', ')}；密码 / password: ${DEMO_PASSWORD}${process.env.JICENG_ADMIN_PASSWORD ? '（admin 使用 JICENG_ADMIN_PASSWORD）' : ''}`);
  return 'loaded';
}
