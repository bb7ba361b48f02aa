/**
 * Authorization in one place: what each role may do (CONTRACTS §2 roles, 三员分立 for
 * sysadmin / secadmin / auditor). Every route names one permission; area scope is applied by the
 * store, not here.
 */
import type { Role } from '../shared/constants.ts';

export const PERMISSIONS = {
  /** Read the area and organization trees. sysadmin/secadmin need them to scope users. */
  'tree.read': ['admin', 'leader', 'clerk', 'grid', 'viewer', 'sysadmin', 'secadmin'],
  /** Create, edit, move, retire, import tree nodes. */
  'tree.write': ['admin', 'clerk'],
  /** List users. */
  'users.read': ['admin', 'sysadmin', 'secadmin'],
  /** Create accounts, disable them, reset passwords (系统管理员). */
  'users.manage': ['admin', 'sysadmin'],
  /** Change a user's role and area scope (安全管理员). */
  'users.grant': ['admin', 'secadmin'],
  /** Read the audit log and the export log (审计管理员). */
  'audit.read': ['admin', 'auditor'],
  /** Allow or forbid one user to export 公民身份号码 / 手机号码 unmasked (安全管理员 only; audited). */
  'exports.grant': ['secadmin'],
  /** Read and change security settings. */
  'settings.manage': ['admin', 'sysadmin'],
  /** See 公民身份号码 and 手机号码 unmasked, and export them unmasked (each time audited). */
  'pii.reveal': ['admin'],
  /** Read the annual report and dashboards of one's area. */
  'reports.read': ['admin', 'leader', 'clerk', 'viewer'],
  /** Finalize (封账) a report and approve corrections to closed periods. */
  'reports.finalize': ['admin', 'leader'],
  /** Define and split targets (目标责任). */
  'targets.write': ['admin', 'leader', 'clerk'],
  /** Create an API token for oneself. */
  'tokens.create': ['admin', 'leader', 'clerk', 'grid', 'viewer', 'sysadmin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/**
 * Roles a granter may hand out. Only an admin creates admins; the three separate administrators
 * cannot make each other or themselves into someone who reads business data and audits it too.
 */
export function grantableRoles(granter: Role): Role[] {
  switch (granter) {
    case 'admin':
      return ['admin', 'leader', 'clerk', 'grid', 'viewer', 'sysadmin', 'secadmin', 'auditor'];
    case 'secadmin':
      return ['leader', 'clerk', 'grid', 'viewer', 'sysadmin', 'auditor'];
    case 'sysadmin':
      // A system administrator creates accounts; their rights come from the security administrator.
      return ['viewer'];
    default:
      return [];
  }
}

/** Ledgers a 网格员 works in: safety inspections and residents' requests (CONTRACTS §2 `grid`). */
export const GRID_LEDGERS: readonly string[] = ['inspections', 'services'];

/**
 * Who may read and write a ledger. The trees (`areas`, `orgs`) follow `tree.read`/`tree.write`.
 * 三员 (sysadmin, secadmin, auditor) read no business records.
 */
export function canLedger(role: Role, key: string, mode: 'read' | 'write'): boolean {
  if (key === 'areas' || key === 'orgs') return can(role, mode === 'read' ? 'tree.read' : 'tree.write');
  if (role === 'admin' || role === 'clerk') return true;
  if (mode === 'read' && (role === 'leader' || role === 'viewer')) return true;
  return role === 'grid' && GRID_LEDGERS.includes(key);
}
