/**
 * Vocabulary shared by the server, the CLI and the web app. Chinese values are what users see and
 * type (import columns, drop-downs); the identifiers follow docs/glossary.md.
 */

/** 区域类型 — kinds of node in the governance (area) tree. */
export const AREA_KINDS = ['区', '街道', '村', '社区', '小区', '网格'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

/** 党组织类型 — kinds of node in the Party organization tree. */
export const ORG_KINDS = ['党工委', '党委', '党总支', '党支部', '党小组'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** 党组织类别 (CONTRACTS §3 `orgs`). */
export const ORG_CATEGORIES = ['街道机关', '村', '社区', '小区', '非公企业', '社会组织', '其他'] as const;
export type OrgCategory = (typeof ORG_CATEGORIES)[number];

/** 九型网格: the nine grid types the demo street uses; free text is accepted on import. */
export const GRID_TYPES = [
  '城镇社区网格',
  '农村网格',
  '小区网格',
  '商务楼宇网格',
  '商圈市场网格',
  '园区网格',
  '学校网格',
  '医院网格',
  '机关企事业单位网格',
] as const;

/** Roles of CONTRACTS §2. */
export const ROLES = ['admin', 'leader', 'clerk', 'grid', 'viewer', 'sysadmin', 'secadmin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that must use two-factor sign-in by default (a street may add roles, never remove these). */
export const DEFAULT_TWO_FACTOR_ROLES: readonly Role[] = ['admin', 'leader', 'sysadmin', 'secadmin', 'auditor'];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  leader: '领导',
  clerk: '业务人员',
  grid: '网格员',
  viewer: '只读用户',
  sysadmin: '系统管理员',
  secadmin: '安全管理员',
  auditor: '审计管理员',
};

/** Audit actions; the web page offers them as a filter. */
export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'password_change',
  'create',
  'update',
  'delete',
  'move',
  'retire',
  'import',
  'export',
  'grant',
  'token_create',
  'reveal',
  'settings',
  'restore',
  'two_factor',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  login: '登录',
  login_failed: '登录失败',
  logout: '退出',
  password_change: '修改密码',
  create: '新增',
  update: '修改',
  delete: '删除',
  move: '移动',
  retire: '撤销/停用',
  import: '导入',
  export: '导出',
  grant: '授权变更',
  token_create: '创建令牌',
  reveal: '查看敏感信息',
  settings: '修改设置',
  restore: '恢复数据',
  two_factor: '两步验证',
};
