/**
 * The menu: pages grouped by domain, each shown when the user holds its permission. Later
 * domains (党员, 组织生活, 台账, 述职报告 …) add a group here.
 */
import type { Permission } from './auth.tsx';

export interface NavItem {
  path: string;
  label: string;
  icon: 'apartment' | 'team' | 'audit' | 'safety';
  permission: Permission;
}

export interface NavGroup {
  key: string;
  label: string;
  items: NavItem[];
}

export const NAV: NavGroup[] = [
  {
    key: 'org',
    label: '组织建设',
    items: [{ path: '/trees', label: '区域与组织', icon: 'apartment', permission: 'tree.read' }],
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
    items: [{ path: '/audit', label: '审计日志', icon: 'audit', permission: 'audit.read' }],
  },
];

export function visibleNav(can: (p: Permission) => boolean): NavGroup[] {
  return NAV.map((g) => ({ ...g, items: g.items.filter((i) => can(i.permission)) })).filter((g) => g.items.length > 0);
}

export function findNav(pathname: string): { group: NavGroup; item: NavItem } | null {
  for (const group of NAV) for (const item of group.items) if (pathname === item.path || pathname.startsWith(item.path + '/')) return { group, item };
  return null;
}
