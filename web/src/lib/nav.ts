/**
 * The menu: pages grouped by domain, each shown when the user may open it — by a permission, or,
 * for a ledger, by canLedger (src/domain/policy.ts). Ledgers come from the catalogue: the groups
 * below place the known ones; a ledger the catalogue adds later appears under 其他台账.
 */
import type { Role } from '../../../src/shared/constants.ts';
import { can, canLedger, type Permission as ServerPermission } from '../../../src/domain/policy.ts';
import type { Permission } from './auth.tsx';

export type NavIcon = 'apartment' | 'team' | 'audit' | 'safety' | 'ledger' | 'flag' | 'alert' | 'shop' | 'mobile' | 'board' | 'bell' | 'rise';

export interface NavItem {
  path: string;
  label: string;
  icon: NavIcon;
  /** Shown when the user holds this permission … */
  permission?: Permission;
  /** … or their role holds this server permission (src/domain/policy.ts) … */
  policy?: ServerPermission;
  /** … or may read (or write) this ledger. */
  ledger?: string;
  ledgerMode?: 'read' | 'write';
  /** Keep this label even when the catalogue names the ledger otherwise. */
  fixedLabel?: boolean;
  /** A sub-menu: the item itself is no page (its path is only the sub-menu's key). */
  children?: NavItem[];
}

export interface NavGroup {
  key: string;
  label: string;
  items: NavItem[];
}

const ledger = (key: string, label: string, icon: NavIcon): NavItem => ({ path: `/ledgers/${key}`, label, icon, ledger: key });

export const NAV: NavGroup[] = [
  {
    key: 'home',
    label: '工作台',
    items: [
      { path: '/dashboard', label: '工作台', icon: 'board', policy: 'reports.read' },
      { path: '/targets', label: '目标责任', icon: 'flag', policy: 'reports.read' },
    ],
  },
  {
    key: 'org',
    label: '组织建设',
    items: [{ path: '/trees', label: '区域与组织', icon: 'apartment', permission: 'tree.read' }],
  },
  {
    key: 'party',
    label: '党的建设',
    items: [
      {
        path: '/members',
        label: '党员',
        icon: 'flag',
        ledger: 'members',
        children: [
          { ...ledger('members', '党员名册', 'ledger'), fixedLabel: true },
          { path: '/members/structure', label: '党员结构', icon: 'board', ledger: 'members', fixedLabel: true },
        ],
      },
      {
        path: '/recruitment',
        label: '发展党员',
        icon: 'rise',
        ledger: 'applicants',
        children: [
          { path: '/recruitment/board', label: '发展看板', icon: 'board', ledger: 'applicants', fixedLabel: true },
          { path: '/recruitment/reminders', label: '发展提醒', icon: 'bell', ledger: 'applicants', fixedLabel: true },
          { ...ledger('applicants', '发展党员台账', 'ledger'), fixedLabel: true },
        ],
      },
      {
        path: '/meetings',
        label: '组织生活',
        icon: 'flag',
        ledger: 'meetings',
        children: [
          { path: '/meetings/compliance', label: '落实情况', icon: 'board', ledger: 'meetings', fixedLabel: true },
          { path: '/meetings/calendar', label: '会议日历', icon: 'flag', ledger: 'meetings', fixedLabel: true },
          { path: '/meetings/due', label: '近期应开会议', icon: 'bell', ledger: 'meetings', fixedLabel: true },
          { ...ledger('meetings', '组织生活台账', 'ledger'), fixedLabel: true },
        ],
      },
      ledger('brands', '党建品牌', 'flag'),
      ledger('documents', '制度文件', 'ledger'),
      ledger('trainings', '培训', 'ledger'),
    ],
  },
  {
    key: 'governance',
    label: '基层治理',
    items: [
      { path: '/m/inspection', label: '手机排查登记', icon: 'mobile', ledger: 'inspections', ledgerMode: 'write' },
      ledger('inspections', '安全排查', 'alert'),
      ledger('services', '承办事项', 'ledger'),
      ledger('petitions', '信访', 'ledger'),
      ledger('hotline', '热线工单', 'ledger'),
      ledger('incidents', '安全事故', 'alert'),
      ledger('works', '工作量', 'ledger'),
      ledger('elections', '换届选举', 'ledger'),
      ledger('visits', '联系点走访', 'ledger'),
    ],
  },
  {
    key: 'service',
    label: '服务阵地',
    items: [
      ledger('activities', '活动', 'shop'),
      ledger('projects', '服务群众项目', 'shop'),
      ledger('facilities', '阵地设施', 'shop'),
      ledger('funds', '资金', 'shop'),
      ledger('cadres', '干部队伍', 'team'),
    ],
  },
  {
    key: 'report',
    label: '述职报告',
    items: [
      { path: '/reports/annual', label: '年度述职报告', icon: 'ledger', policy: 'reports.read' },
      { path: '/reports/corrections', label: '更正审批', icon: 'audit', policy: 'reports.read' },
      { path: '/reports/template', label: '报告模板', icon: 'ledger', policy: 'reports.read' },
    ],
  },
  {
    key: 'system',
    label: '系统管理',
    items: [
      { path: '/users', label: '用户与角色', icon: 'team', permission: 'users.read' },
      { path: '/settings/security', label: '安全设置', icon: 'safety', permission: 'settings.manage' },
    ],
  },
  {
    key: 'audit',
    label: '安全审计',
    items: [
      { path: '/audit', label: '审计日志', icon: 'audit', permission: 'audit.read' },
      { path: '/audit/exports', label: '导出记录', icon: 'audit', permission: 'audit.read' },
    ],
  },
];

export interface Viewer {
  can: (p: Permission) => boolean;
  role: Role;
}

function allowed(v: Viewer, i: NavItem): boolean {
  if (i.ledger) return canLedger(v.role, i.ledger, i.ledgerMode ?? 'read');
  if (i.policy) return can(v.role, i.policy);
  return i.permission ? v.can(i.permission) : false;
}

/** Every page of the menu: the items, and the children of sub-menus in their place. */
function leaves(items: NavItem[]): NavItem[] {
  return items.flatMap((i) => (i.children ? i.children : [i]));
}

/** Detail pages reached from a list (no menu entry of their own): where they sit in the menu. */
const DETAIL_PAGES: Array<{ pattern: RegExp; label: string; under: string }> = [
  { pattern: /^\/recruitment\/\d+$/, label: '个人发展时间线', under: '/ledgers/applicants' },
  { pattern: /^\/meetings\/\d+$/, label: '会议记录', under: '/ledgers/meetings' },
];

/**
 * The menu for this user. `catalogue` (key → title) names the ledgers the server has: titles follow
 * it, a ledger it lacks is left out, and one the groups do not place goes to 其他台账.
 */
export function visibleNav(v: Viewer, catalogue?: ReadonlyMap<string, { title: string }>): NavGroup[] {
  const groups = NAV.map((g) => ({ ...g, items: [...g.items] }));
  if (catalogue && catalogue.size > 0) {
    const placed = new Set(NAV.flatMap((g) => leaves(g.items).map((i) => i.ledger)).filter(Boolean));
    const extra = [...catalogue.entries()].filter(([k]) => !placed.has(k)).map(([k, l]) => ledger(k, l.title, 'ledger'));
    const relabel = (items: NavItem[]): NavItem[] =>
      items
        .filter((i) => !i.ledger || catalogue.has(i.ledger))
        .map((i) => ({
          ...(i.ledger && !i.ledgerMode && !i.fixedLabel && !i.children ? { ...i, label: catalogue.get(i.ledger)!.title } : i),
          ...(i.children ? { children: relabel(i.children) } : {}),
        }));
    for (const g of groups) g.items = relabel(g.items);
    if (extra.length) groups.splice(groups.length - 2, 0, { key: 'other', label: '其他台账', items: extra });
  }
  const keep = (items: NavItem[]): NavItem[] =>
    items
      .filter((i) => allowed(v, i))
      .map((i) => (i.children ? { ...i, children: keep(i.children) } : i))
      .filter((i) => !i.children || i.children.length > 0);
  return groups.map((g) => ({ ...g, items: keep(g.items) })).filter((g) => g.items.length > 0);
}

export interface NavPlace {
  group: NavGroup;
  /** The menu entry to highlight. */
  item: NavItem;
  /** Its sub-menu, if any. */
  parent?: NavItem;
  /** A detail page's own title, below the entry in the breadcrumbs. */
  page?: string;
}

export function findNav(pathname: string, catalogue?: ReadonlyMap<string, { title: string }>): NavPlace | null {
  const detail = DETAIL_PAGES.find((d) => d.pattern.test(pathname));
  const path = detail ? detail.under : pathname;
  let best: NavPlace | null = null;
  for (const group of NAV) {
    for (const top of group.items) {
      for (const item of top.children ?? [top]) {
        if ((path === item.path || path.startsWith(item.path + '/')) && (!best || item.path.length > best.item.path.length)) {
          best = { group, item, ...(top.children ? { parent: top } : {}) };
        }
      }
    }
  }
  if (best) return detail ? { ...best, page: detail.label } : best;
  const m = /^\/ledgers\/([^/]+)/.exec(pathname);
  const l = m && catalogue?.get(m[1]!);
  if (m && l) return { group: { key: 'other', label: '其他台账', items: [] }, item: ledger(m[1]!, l.title, 'ledger') };
  return null;
}

/** Where a user lands after signing in: the 网格员 on the phone page, others on their first page. */
export function landingPath(v: Viewer): string | null {
  if (v.role === 'grid' && canLedger(v.role, 'inspections', 'write')) return '/m/inspection';
  // The 书记 lands on 工作台; the others on their first page past it, as before it came.
  if (v.role === 'leader' && can(v.role, 'reports.read')) return '/dashboard';
  const skip = new Set(['/dashboard', '/targets']);
  for (const g of visibleNav(v)) {
    const item = g.items.find((i) => !skip.has(i.path));
    if (item) return (item.children ? item.children[0]?.path : item.path) ?? null;
  }
  return null;
}
