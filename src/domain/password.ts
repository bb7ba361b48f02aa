/**
 * Password and sign-in policy. The numbers are 等保2.0 level-3 assessment practice
 * (GB/T 22239-2019 8.1.4.1 身份鉴别 a/b; see docs/glossary.md and SECURITY notes): not in the
 * standard itself, so they are configurable, and may only be made stricter than these defaults.
 */
import { randomInt } from 'node:crypto';
import { DEFAULT_TWO_FACTOR_ROLES, ROLE_LABELS, ROLES, type Role } from '../shared/constants.ts';

export { DEFAULT_TWO_FACTOR_ROLES };

export interface SecurityPolicy {
  /** Minimum password length (等保 practice: ≥ 8). */
  passwordMinLength: number;
  /** How many of the four classes (upper, lower, digit, symbol) a password must mix (≥ 3). */
  passwordMinClasses: number;
  /** Days after which a password must be changed (≤ 90). */
  passwordMaxAgeDays: number;
  /** Consecutive failures that lock an account (≤ 5). */
  lockoutThreshold: number;
  /** Minutes an account stays locked (≥ 15). */
  lockoutMinutes: number;
  /** Idle minutes after which a session ends (≤ 30). */
  idleTimeoutMinutes: number;
  /** Sign-in attempts allowed per client address per minute. */
  loginRatePerMinute: number;
  /**
   * Roles whose users must sign in with a second factor (等保 身份鉴别 d: two combined techniques,
   * one of them cryptographic). Roles may be added to the default set, never removed from it.
   */
  twoFactorRoles: Role[];
}

/** The numeric settings (each with an allowed range). */
type NumericSetting = Exclude<keyof SecurityPolicy, 'twoFactorRoles'>;


export const DEFAULT_SECURITY_POLICY: SecurityPolicy = {
  passwordMinLength: 8,
  passwordMinClasses: 3,
  passwordMaxAgeDays: 90,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  idleTimeoutMinutes: 30,
  loginRatePerMinute: 30,
  twoFactorRoles: [...DEFAULT_TWO_FACTOR_ROLES],
};

/** Allowed range per setting; the loose end of each range is the 等保 default, so no value can loosen it. */
const LIMITS: Record<NumericSetting, [number, number]> = {
  passwordMinLength: [8, 64],
  passwordMinClasses: [3, 4],
  passwordMaxAgeDays: [1, 90],
  lockoutThreshold: [1, 5],
  lockoutMinutes: [15, 1440],
  idleTimeoutMinutes: [1, 30],
  loginRatePerMinute: [1, 30],
};

export const POLICY_LABELS: Record<keyof SecurityPolicy, string> = {
  passwordMinLength: '密码最小长度',
  passwordMinClasses: '密码至少包含的字符类别数',
  passwordMaxAgeDays: '密码有效期（天）',
  lockoutThreshold: '连续失败锁定次数',
  lockoutMinutes: '锁定时长（分钟）',
  idleTimeoutMinutes: '空闲自动退出（分钟）',
  loginRatePerMinute: '每分钟每地址登录尝试次数',
  twoFactorRoles: '须使用两步验证（动态验证码）登录的角色',
};

/**
 * Errors (Chinese) for a proposed policy: every value within its limits, none looser than the
 * default, and no default two-factor role taken out of the set (of `current`, when given: a set
 * written without them, as for the demo database, can be kept but not be made looser still).
 */
export function checkPolicy(p: SecurityPolicy, current?: SecurityPolicy): string[] {
  const errors: string[] = [];
  for (const key of Object.keys(LIMITS) as NumericSetting[]) {
    const v = p[key];
    const [min, max] = LIMITS[key];
    if (!Number.isInteger(v) || v < min || v > max) {
      errors.push(`${POLICY_LABELS[key]}应为${min}至${max}之间的整数（不得低于等保三级常用要求）`);
    }
  }
  const roles = Array.isArray(p.twoFactorRoles) ? p.twoFactorRoles : [];
  const unknown = roles.filter((r) => !ROLES.includes(r));
  if (!Array.isArray(p.twoFactorRoles) || unknown.length) errors.push(`${POLICY_LABELS.twoFactorRoles}中有不存在的角色：${unknown.join('、')}`);
  const missing = DEFAULT_TWO_FACTOR_ROLES.filter((r) => !roles.includes(r) && (!current || current.twoFactorRoles.includes(r)));
  if (missing.length) {
    errors.push(`不能取消以下角色的两步验证（等保三级要求）：${missing.map((r) => ROLE_LABELS[r]).join('、')}`);
  }
  return errors;
}

export function characterClasses(password: string): number {
  let n = 0;
  if (/[a-z]/.test(password)) n++;
  if (/[A-Z]/.test(password)) n++;
  if (/[0-9]/.test(password)) n++;
  if (/[^A-Za-z0-9]/.test(password)) n++;
  return n;
}

/** Chinese reasons a password is refused under the policy; empty when it is acceptable. */
export function passwordProblems(password: string, policy: SecurityPolicy, username?: string): string[] {
  const problems: string[] = [];
  if ([...password].length < policy.passwordMinLength) problems.push(`密码至少${policy.passwordMinLength}位`);
  if (characterClasses(password) < policy.passwordMinClasses) {
    problems.push(`密码须包含大写字母、小写字母、数字、符号中的至少${policy.passwordMinClasses}类`);
  }
  if ([...password].length > 128) problems.push('密码不能超过128位');
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push('密码不能包含用户名');
  }
  return problems;
}

/** Whether a password set at `changedAt` has expired at `now`. */
export function passwordExpired(changedAt: Date, now: Date, policy: SecurityPolicy): boolean {
  return now.getTime() - changedAt.getTime() > policy.passwordMaxAgeDays * 86_400_000;
}

/** A random password that satisfies any allowed policy: 16 characters of all four classes. */
export function randomPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '!@#$%^&*-_=+'];
  const chars: string[] = sets.map((s) => s[randomInt(s.length)]!);
  const all = sets.join('');
  while (chars.length < 16) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
