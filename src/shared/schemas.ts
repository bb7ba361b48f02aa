/**
 * Request and response schemas of the HTTP API. The server validates with them and the OpenAPI
 * description at /api/openapi.json is generated from them; the web app imports the types.
 */
import { z } from 'zod';

// Validation messages users see are Chinese.
z.config(z.locales.zhCN());
import { AREA_KINDS, ORG_CATEGORIES, ORG_KINDS, ROLES } from './constants.ts';
import { CODE_HINT, CODE_PATTERN } from '../domain/tree.ts';
import { freeTextProblem, nameProblem } from './text.ts';

const dateRe = /^\d{4}-\d{2}-\d{2}$/;
export const ZDate = z.string().regex(dateRe, '日期格式应为YYYY-MM-DD');
export const ZCode = z.string().trim().regex(CODE_PATTERN, CODE_HINT);
/** A name or code people read (src/shared/text.ts): trimmed, NFC, no control/zero-width/direction characters. */
export function zName(label: string, max: number) {
  return z
    .string()
    .trim()
    .normalize('NFC')
    .max(max, `${label}不能超过${max}个字`)
    .superRefine((s, ctx) => {
      const problem = nameProblem(s, label);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}
/** Free text (src/shared/text.ts): NFC, emoji, tabs and line breaks kept; NUL, direction overrides refused. */
export function zFreeText(label: string, max: number) {
  return z
    .string()
    .normalize('NFC')
    .max(max, `${label}不能超过${max}个字`)
    .superRefine((s, ctx) => {
      const problem = freeTextProblem(s, label);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}
const ZName = zName('名称', 100).pipe(z.string().min(1, '名称不能为空'));
const ZVersion = z.number().int().positive();

export const ZError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ row: z.number().optional(), column: z.string().optional(), field: z.string().optional(), message: z.string() })).optional(),
  }),
});

export const ZAreaQuery = z.object({ area: ZCode.optional() });

export const ZArea = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(AREA_KINDS),
  parentCode: z.string().nullable(),
  path: z.string(),
  depth: z.number(),
  gridType: z.string().nullable(),
  retiredOn: z.string().nullable(),
  version: z.number(),
  childCount: z.number(),
  orgCount: z.number(),
  userCount: z.number(),
});

export const ZOrg = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(ORG_KINDS),
  parentCode: z.string().nullable(),
  areaCode: z.string(),
  areaName: z.string(),
  path: z.string(),
  depth: z.number(),
  category: z.string().nullable(),
  foundedOn: z.string().nullable(),
  dissolvedOn: z.string().nullable(),
  version: z.number(),
  childCount: z.number(),
});

export const ZCreateArea = z.object({
  code: ZCode,
  name: ZName,
  kind: z.enum(AREA_KINDS, { message: `类型只能是：${AREA_KINDS.join('、')}` }),
  parentCode: ZCode.nullable().optional(),
  gridType: zName('网格类型', 40).nullable().optional(),
});
export const ZUpdateArea = z.object({
  code: ZCode.optional(),
  name: ZName.optional(),
  gridType: zName('网格类型', 40).nullable().optional(),
  version: ZVersion,
});
export const ZMove = z.object({ parentCode: ZCode, version: ZVersion });
export const ZRetire = z.object({ date: ZDate, version: ZVersion });

export const ZCreateOrg = z.object({
  code: ZCode,
  name: ZName,
  kind: z.enum(ORG_KINDS, { message: `类型只能是：${ORG_KINDS.join('、')}` }),
  parentCode: ZCode.nullable().optional(),
  areaCode: ZCode,
  category: z.enum(ORG_CATEGORIES).nullable().optional(),
  foundedOn: ZDate.nullable().optional(),
});
export const ZUpdateOrg = z.object({
  code: ZCode.optional(),
  name: ZName.optional(),
  areaCode: ZCode.optional(),
  category: z.enum(ORG_CATEGORIES).nullable().optional(),
  foundedOn: ZDate.nullable().optional(),
  version: ZVersion,
});

export const ZUser = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(ROLES),
  areaCode: z.string().nullable(),
  areaName: z.string().nullable(),
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  /** Enrolled in two-factor sign-in. */
  twoFactor: z.boolean(),
  version: z.number(),
});

export const ZLogin = z.object({
  username: z.string().min(1, '请输入用户名').max(100),
  password: z.string().min(1, '请输入密码').max(200),
  /** The 6-digit code of the authenticator, or one of the recovery codes. */
  totp: z.string().max(20).optional(),
});
export const ZEnrollment = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const ZMe = z.object({
  user: ZUser,
  csrfToken: z.string().nullable(),
  mustChangePassword: z.boolean(),
  permissions: z.array(z.string()),
  area: z.object({ code: z.string(), name: z.string(), kind: z.string() }).nullable(),
  /** Two-factor sign-in: enrolled, and whether the user's role requires it (then, not enrolled, the session can only enrol). */
  twoFactor: z.object({ enrolled: z.boolean(), required: z.boolean() }),
  /** On sign-in of a user who must enrol first: the secret to enrol with. */
  enrollment: ZEnrollment.optional(),
});
export const ZTotpCode = z.object({ code: z.string().trim().min(1, '请输入动态验证码').max(20) });
export const ZRecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export const ZTwoFactorStatus = z.object({
  enrolled: z.boolean(),
  required: z.boolean(),
  enrolledAt: z.string().nullable(),
  recoveryCodesLeft: z.number(),
});
export const ZChangePassword = z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) });

export const ZCreateUser = z.object({
  username: zName('用户名', 40).pipe(z.string().min(2, '用户名至少2个字')),
  displayName: zName('姓名', 40).nullable().optional(),
  role: z.enum(ROLES),
  areaCode: ZCode.nullable().optional(),
});
export const ZUpdateUser = z.object({
  displayName: zName('姓名', 40).nullable().optional(),
  role: z.enum(ROLES).optional(),
  areaCode: ZCode.optional(),
  disabled: z.boolean().optional(),
  resetPassword: z.boolean().optional(),
  unlock: z.boolean().optional(),
  version: ZVersion,
});

export const ZAuditQuery = z.object({
  from: ZDate.optional(),
  to: ZDate.optional(),
  username: z.string().max(40).optional(),
  action: z.string().max(200).optional(),
  entity: z.string().max(40).optional(),
  entityId: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZExportLogQuery = z.object({
  from: ZDate.optional(),
  to: ZDate.optional(),
  username: z.string().max(40).optional(),
  ledger: z.string().max(40).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const ZExportLogEntry = z.object({
  id: z.number(),
  at: z.string(),
  username: z.string().nullable(),
  ip: z.string().nullable(),
  ledger: z.string(),
  filters: z.unknown(),
  format: z.string(),
  unmasked: z.boolean(),
  rows: z.number().nullable(),
  sha256: z.string().nullable(),
  status: z.string(),
});
export type ExportLogEntry = z.infer<typeof ZExportLogEntry>;

export const ZSecurityPolicy = z.object({
  passwordMinLength: z.number().int(),
  passwordMinClasses: z.number().int(),
  passwordMaxAgeDays: z.number().int(),
  lockoutThreshold: z.number().int(),
  lockoutMinutes: z.number().int(),
  idleTimeoutMinutes: z.number().int(),
  loginRatePerMinute: z.number().int(),
  /** Roles that must use two-factor sign-in (always answered; when left out of a change, the current set stays). */
  twoFactorRoles: z.array(z.enum(ROLES)).optional(),
});

export const ZImportResult = z.object({
  ok: z.boolean(),
  dryRun: z.boolean(),
  rows: z.number(),
  inserted: z.number(),
  unchanged: z.number(),
  errors: z.array(z.object({ row: z.number(), column: z.string(), message: z.string() })),
  warnings: z.array(z.object({ row: z.number(), column: z.string(), message: z.string() })),
});

export type TArea = z.infer<typeof ZArea>;
export type TOrg = z.infer<typeof ZOrg>;
export type TUser = z.infer<typeof ZUser>;
export type TMe = z.infer<typeof ZMe>;
export type TImportResult = z.infer<typeof ZImportResult>;
