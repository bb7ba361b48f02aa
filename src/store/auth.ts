/**
 * Users, sign-in, sessions and API tokens. Passwords are hashed with Argon2id; session ids and
 * tokens are stored only as SHA-256 digests, so a copy of the database cannot sign anyone in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { ROLES, type Role } from '../shared/constants.ts';
import { AppError } from '../shared/errors.ts';
import { checkPolicy, DEFAULT_SECURITY_POLICY, passwordExpired, passwordProblems, randomPassword, type SecurityPolicy } from '../domain/password.ts';
import { grantableRoles } from '../domain/policy.ts';
import { checkCode, looksLikeCode, newSecret, normalizeRecoveryCode, otpauthUrl } from '../domain/totp.ts';
import type { Store } from './db.ts';
import type { UserRow } from './schema.ts';
import { inScope, type Scope } from './scope.ts';
import { getAreaByCode } from './trees.repository.ts';
import { withWrite, type Actor, type Reader, type Write } from './unit-of-work.ts';

const ARGON_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function hashPassword(password: string): Promise<string> {
  return argonHash(password, ARGON_OPTIONS);
}

// ---------------------------------------------------------------- settings

export async function getSecurityPolicy(db: Reader): Promise<SecurityPolicy> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'security').executeTakeFirst();
  if (!row) return { ...DEFAULT_SECURITY_POLICY };
  return { ...DEFAULT_SECURITY_POLICY, ...(JSON.parse(row.value) as Partial<SecurityPolicy>) };
}

/** Changes the policy (tighten-only); without `twoFactorRoles` the current set of roles stays. */
export async function setSecurityPolicy(w: Write, input: Omit<SecurityPolicy, 'twoFactorRoles'> & { twoFactorRoles?: Role[] | undefined }): Promise<SecurityPolicy> {
  const before = await getSecurityPolicy(w.trx);
  const policy: SecurityPolicy = { ...input, twoFactorRoles: [...new Set(input.twoFactorRoles ?? before.twoFactorRoles)] };
  const errors = checkPolicy(policy, before);
  if (errors.length) throw new AppError('VALIDATION_FAILED', errors[0], errors.map((message) => ({ message })));
  const value = JSON.stringify(policy);
  const stamp = w.now.toISOString();
  const exists = await w.trx.selectFrom('settings').select('key').where('key', '=', 'security').executeTakeFirst();
  if (exists) await w.trx.updateTable('settings').set({ value, updated_at: stamp, updated_by: w.actor.userId }).where('key', '=', 'security').execute();
  else await w.trx.insertInto('settings').values({ key: 'security', value, updated_at: stamp, updated_by: w.actor.userId }).execute();
  await w.audit({ action: 'settings', entity: 'settings', entityId: 'security', before, after: policy });
  return policy;
}

/**
 * Writes a policy without the tighten-only check. Only for the demo database and test fixtures,
 * whose passwords are published (they switch two-factor sign-in off); never reachable from the API.
 */
export async function writeSecurityPolicyUnchecked(w: Write, policy: SecurityPolicy, reason: string): Promise<void> {
  const before = await getSecurityPolicy(w.trx);
  const value = JSON.stringify(policy);
  const stamp = w.now.toISOString();
  await w.trx.deleteFrom('settings').where('key', '=', 'security').execute();
  await w.trx.insertInto('settings').values({ key: 'security', value, updated_at: stamp, updated_by: w.actor.userId }).execute();
  await w.audit({ action: 'settings', entity: 'settings', entityId: 'security', before, after: policy, detail: { unchecked: reason } });
}

// ---------------------------------------------------------------- users

export interface UserView {
  id: number;
  username: string;
  displayName: string | null;
  role: Role;
  areaCode: string | null;
  areaName: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  /** Enrolled in two-factor sign-in. */
  twoFactor: boolean;
  version: number;
}

export async function countUsers(db: Reader): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export function userQuery(db: Reader) {
  return db
    .selectFrom('users as u')
    .leftJoin('areas as a', 'a.id', 'u.area_id')
    .selectAll('u')
    .select(['a.code as area_code', 'a.name as area_name', 'a.path as area_path']);
}

type UserWithArea = UserRow & { area_code: string | null; area_name: string | null; area_path: string | null };

export function toView(u: UserWithArea): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role as Role,
    areaCode: u.area_code,
    areaName: u.area_name,
    mustChangePassword: u.must_change_password === 1,
    disabled: u.disabled === 1,
    lockedUntil: u.locked_until,
    lastLoginAt: u.last_login_at,
    twoFactor: u.totp_secret_enc !== null,
    version: u.version,
  };
}

/** Users whose area lies in the scope; users of the whole database only for a whole-database scope. */
export async function listUsers(db: Reader, scope: Scope): Promise<UserView[]> {
  let q = userQuery(db);
  if (scope.path !== null) q = q.where(inScope('a.path', scope));
  const rows = await q.orderBy('u.id').execute();
  return rows.map(toView);
}

export async function getUserInScope(db: Reader, scope: Scope, id: number): Promise<UserWithArea> {
  let q = userQuery(db).where('u.id', '=', id);
  if (scope.path !== null) q = q.where(inScope('a.path', scope));
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', '没有找到该用户');
  return row;
}

export interface NewUserInput {
  username: string;
  displayName?: string | null;
  /** Omitted: a random first password, returned once, that must be changed at first sign-in. */
  password?: string;
  role: Role;
  /** Null: the whole database (only from the command line or by a whole-database admin). */
  areaCode: string | null;
}

const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{2,40}$/;

export async function createUser(w: Write, scope: Scope, input: NewUserInput): Promise<{ user: UserView; password: string }> {
  if (!USERNAME_PATTERN.test(input.username)) throw new AppError('VALIDATION_FAILED', '用户名只能由2至40位字母、数字、“.”“-”“_”组成');
  if (!ROLES.includes(input.role)) throw new AppError('VALIDATION_FAILED', `角色“${input.role}”不存在，可选：${ROLES.join('、')}`);
  if (w.actor.role !== 'system' && !grantableRoles(w.actor.role).includes(input.role)) {
    throw new AppError('FORBIDDEN', `您不能创建角色为“${input.role}”的用户`);
  }
  const policy = await getSecurityPolicy(w.trx);
  const password = input.password ?? randomPassword();
  const problems = passwordProblems(password, policy, input.username);
  if (problems.length) throw new AppError('VALIDATION_FAILED', problems.join('；'), problems.map((message) => ({ field: 'password', message })));
  let areaId: number | null = null;
  let areaPath: string | null = null;
  if (input.areaCode) {
    const area = await getAreaByCode(w.trx, scope, input.areaCode).catch(() => {
      throw new AppError('VALIDATION_FAILED', `区域编码“${input.areaCode}”不存在或不在您的管辖范围内`);
    });
    areaId = area.id;
    areaPath = area.path;
  } else if (scope.path !== null) {
    throw new AppError('VALIDATION_FAILED', '请选择用户的管辖区域');
  }
  const exists = await w.trx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
  if (exists) throw new AppError('DUPLICATE', `用户名“${input.username}”已存在`);
  const stamp = w.now.toISOString();
  const { id } = await w.trx
    .insertInto('users')
    .values({
      username: input.username,
      display_name: input.displayName ?? null,
      password_hash: await hashPassword(password),
      role: input.role,
      area_id: areaId,
      // A password chosen by someone else is a first password: its holder sets their own.
      must_change_password: input.password === undefined ? 1 : 0,
      password_changed_at: stamp,
      failed_logins: 0,
      locked_until: null,
      disabled: 0,
      last_login_at: null,
      created_at: stamp,
      created_by: w.actor.userId,
      updated_at: stamp,
      updated_by: w.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = toView(await getUserInScope(w.trx, { path: null }, id));
  await w.audit({ action: 'create', entity: 'user', entityId: input.username, areaPath, after: { username: user.username, role: user.role, areaCode: user.areaCode } });
  return { user, password };
}

export interface UserPatch {
  displayName?: string | null;
  role?: Role;
  areaCode?: string;
  disabled?: boolean;
  resetPassword?: boolean;
  unlock?: boolean;
  version?: number;
}

/**
 * Changes a user. Role and scope are grants (安全管理员); disabling, unlocking and resetting the
 * password are account management (系统管理员). Nobody changes their own grants.
 */
export async function updateUser(
  w: Write,
  scope: Scope,
  id: number,
  patch: UserPatch,
  rights: { grant: boolean; manage: boolean },
): Promise<{ user: UserView; password?: string }> {
  const before = await getUserInScope(w.trx, scope, id);
  if (patch.version !== undefined && patch.version !== before.version) throw new AppError('CONFLICT');
  const granting = patch.role !== undefined || patch.areaCode !== undefined;
  const managing = patch.disabled !== undefined || patch.resetPassword || patch.unlock || patch.displayName !== undefined;
  if (granting && !rights.grant) throw new AppError('FORBIDDEN', '只有安全管理员可以调整用户的角色和管辖区域');
  if (managing && !rights.manage) throw new AppError('FORBIDDEN', '只有系统管理员可以停用账号或重置密码');
  if (granting && before.id === w.actor.userId) throw new AppError('FORBIDDEN', '不能调整自己的角色和管辖区域');
  if (patch.role !== undefined && w.actor.role !== 'system' && !grantableRoles(w.actor.role).includes(patch.role)) {
    throw new AppError('FORBIDDEN', `您不能授予“${patch.role}”角色`);
  }
  if (w.actor.role !== 'system' && w.actor.role !== 'admin' && before.role === 'admin') {
    throw new AppError('FORBIDDEN', '只有管理员可以调整管理员账号');
  }
  let areaId = before.area_id;
  if (patch.areaCode !== undefined) {
    const area = await getAreaByCode(w.trx, scope, patch.areaCode).catch(() => {
      throw new AppError('VALIDATION_FAILED', `区域编码“${patch.areaCode}”不存在或不在您的管辖范围内`);
    });
    areaId = area.id;
  }
  let password: string | undefined;
  const set: Partial<UserRow> = {
    display_name: patch.displayName === undefined ? before.display_name : patch.displayName,
    role: patch.role ?? before.role,
    area_id: areaId,
    disabled: patch.disabled === undefined ? before.disabled : patch.disabled ? 1 : 0,
    version: before.version + 1,
    updated_at: w.now.toISOString(),
    updated_by: w.actor.userId,
  };
  if (patch.unlock) {
    set.failed_logins = 0;
    set.locked_until = null;
  }
  if (patch.resetPassword) {
    password = randomPassword();
    set.password_hash = await hashPassword(password);
    set.must_change_password = 1;
    set.password_changed_at = w.now.toISOString();
  }
  const r = await w.trx.updateTable('users').set(set).where('id', '=', id).where('version', '=', before.version).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('CONFLICT');
  // A changed grant, a disabled account or a new password ends the user's sessions and tokens' use.
  if (granting || patch.disabled || patch.resetPassword) await w.trx.deleteFrom('sessions').where('user_id', '=', id).execute();
  const after = await getUserInScope(w.trx, { path: null }, id);
  const snap = (u: UserWithArea) => ({ role: u.role, areaCode: u.area_code, disabled: u.disabled === 1, displayName: u.display_name });
  await w.audit({
    action: granting ? 'grant' : 'update',
    entity: 'user',
    entityId: before.username,
    areaPath: after.area_path,
    before: snap(before),
    after: snap(after),
    detail: { resetPassword: Boolean(patch.resetPassword), unlock: Boolean(patch.unlock) },
  });
  return { user: toView(after), ...(password ? { password } : {}) };
}

// ---------------------------------------------------------------- sign-in and sessions

export interface SignedIn {
  user: UserView;
  areaPath: string | null;
  areaId: number | null;
  sessionToken: string;
  csrfToken: string;
  mustChangePassword: boolean;
  twoFactor: TwoFactorState;
  /** Set when the user's role requires two-factor sign-in and they are not enrolled: the session can only enrol. */
  enrollment?: { secret: string; otpauthUrl: string };
}

export interface TwoFactorState {
  enrolled: boolean;
  /** The user's role requires it (security policy). */
  required: boolean;
}

// Verifying against this keeps the time of a wrong username like that of a wrong password.
let dummyHash: Promise<string> | null = null;

export function actorFor(u: { id: number; username: string; role: string; area_path: string | null; area_id: number | null }, ip: string | null): Actor {
  return { userId: u.id, username: u.username, role: u.role as Role, areaPath: u.area_path, areaId: u.area_id, ip };
}

function twoFactorState(u: { role: string; totp_secret_enc: string | null }, policy: SecurityPolicy): TwoFactorState {
  return { enrolled: u.totp_secret_enc !== null, required: policy.twoFactorRoles.includes(u.role as Role) };
}

/** The keyed hash a recovery code is stored as (the key file's lookup key; salted by the user). */
export function recoveryHash(store: Store, userId: number, code: string): string {
  return store.cipher.lookup(`recovery-code:${userId}:${code}`);
}

export type FailureReason = 'bad_password' | 'bad_totp' | 'totp_replayed' | 'bad_recovery_code';

/**
 * Counts a failed sign-in factor towards the lock-out (a wrong password and a wrong second factor
 * alike) and throws the answer. Counted inside the write transaction from the stored value, so
 * failures sent in parallel all count (writers are serialized on the audit head).
 */
export async function countFailure(
  store: Store,
  actor: Actor,
  user: { id: number; username: string; area_path: string | null },
  policy: SecurityPolicy,
  now: Date,
  reason: FailureReason,
  answer: 'sign-in' | 'form' = 'sign-in',
): Promise<never> {
  const outcome = await withWrite(store, actor, async (w) => {
    const current = await w.trx.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow();
    const alreadyLocked = current.locked_until !== null && current.locked_until > now.toISOString();
    const failures = alreadyLocked ? current.failed_logins : current.failed_logins + 1;
    const lock = !alreadyLocked && failures >= policy.lockoutThreshold;
    const lockedUntil = lock ? new Date(now.getTime() + policy.lockoutMinutes * 60_000).toISOString() : current.locked_until;
    await w.trx
      .updateTable('users')
      .set({ failed_logins: lock ? 0 : failures, locked_until: lockedUntil })
      .where('id', '=', user.id)
      .execute();
    await w.audit({ action: 'login_failed', entity: 'user', entityId: user.username, areaPath: user.area_path, detail: { reason: alreadyLocked ? 'locked' : reason, failures, locked: lock } });
    return { failures, lock, alreadyLocked, lockedUntil };
  });
  if (outcome.alreadyLocked) throw new AppError('ACCOUNT_LOCKED', undefined, undefined, { lockedUntil: outcome.lockedUntil });
  const what = reason === 'bad_password' ? '用户名或密码错误' : reason === 'totp_replayed' ? '该动态验证码已使用过，请等待验证器显示下一个验证码' : '动态验证码错误';
  const message = outcome.lock
    ? `${what}。已连续失败${outcome.failures}次，账号锁定${policy.lockoutMinutes}分钟`
    : `${what}，再失败${policy.lockoutThreshold - outcome.failures}次账号将被锁定${policy.lockoutMinutes}分钟`;
  if (outcome.lock && answer === 'form') throw new AppError('ACCOUNT_LOCKED', message, undefined, { lockedUntil: outcome.lockedUntil });
  if (answer === 'form') throw new AppError('VALIDATION_FAILED', message, [{ field: 'code', message }]);
  throw new AppError(reason === 'bad_password' ? 'INVALID_CREDENTIALS' : 'TOTP_INVALID', message);
}

export async function login(
  store: Store,
  input: { username: string; password: string; totp?: string | null; ip: string | null; userAgent: string | null; previousSession?: string | null },
): Promise<SignedIn> {
  const now = new Date();
  const policy = await getSecurityPolicy(store.db);
  const user = await userQuery(store.db).where('u.username', '=', input.username).executeTakeFirst();
  const anonymous: Actor = { userId: null, username: input.username.slice(0, 40), role: 'system', areaPath: null, areaId: null, ip: input.ip };
  if (!user) {
    dummyHash ??= hashPassword(randomPassword());
    await argonVerify(await dummyHash, input.password).catch(() => false);
    await withWrite(store, anonymous, (w) => w.audit({ action: 'login_failed', entity: 'user', entityId: input.username.slice(0, 40), detail: { reason: 'unknown_user' } }));
    throw new AppError('INVALID_CREDENTIALS');
  }
  const actor = actorFor(user, input.ip);
  if (user.locked_until && user.locked_until > now.toISOString()) {
    await withWrite(store, actor, (w) => w.audit({ action: 'login_failed', entity: 'user', entityId: user.username, areaPath: user.area_path, detail: { reason: 'locked' } }));
    throw new AppError('ACCOUNT_LOCKED', undefined, undefined, { lockedUntil: user.locked_until });
  }
  const ok = await argonVerify(user.password_hash, input.password).catch(() => false);
  if (!ok) return countFailure(store, actor, user, policy, now, 'bad_password');
  if (user.disabled) {
    await withWrite(store, actor, (w) => w.audit({ action: 'login_failed', entity: 'user', entityId: user.username, areaPath: user.area_path, detail: { reason: 'disabled' } }));
    throw new AppError('ACCOUNT_DISABLED');
  }

  // The second factor, once enrolled: a current code, accepted once, or an unused recovery code.
  const twoFactor = twoFactorState(user, policy);
  let step: number | null = null;
  let recoveryCode: string | null = null;
  if (twoFactor.enrolled) {
    const given = (input.totp ?? '').trim();
    if (!given) {
      await withWrite(store, actor, (w) => w.audit({ action: 'login_failed', entity: 'user', entityId: user.username, areaPath: user.area_path, detail: { reason: 'totp_required' } }));
      throw new AppError('TOTP_REQUIRED');
    }
    if (looksLikeCode(given)) {
      const check = checkCode(store.cipher.decrypt(user.totp_secret_enc!), given, now.getTime(), user.totp_last_step);
      if (!check.ok) return countFailure(store, actor, user, policy, now, check.reason === 'replayed' ? 'totp_replayed' : 'bad_totp');
      step = check.step;
    } else {
      recoveryCode = normalizeRecoveryCode(given);
      if (!recoveryCode) return countFailure(store, actor, user, policy, now, 'bad_totp');
    }
  }

  const sessionToken = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const mustChangePassword = user.must_change_password === 1 || passwordExpired(new Date(user.password_changed_at), now, policy);
  const enrolling = twoFactor.required && !twoFactor.enrolled;
  const outcome = await withWrite(store, actor, async (w) => {
    // The second factor is used up first: a code whose step was taken meanwhile, or a recovery
    // code used meanwhile, fails here (and nothing else is written).
    let recoveryCodesLeft: number | undefined;
    if (step !== null) {
      const r = await w.trx
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('id', '=', user.id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return { failed: 'totp_replayed' as const };
    }
    if (recoveryCode !== null) {
      const r = await w.trx
        .updateTable('recovery_codes')
        .set({ used_at: now.toISOString() })
        .where('user_id', '=', user.id)
        .where('code_hash', '=', recoveryHash(store, user.id, recoveryCode))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return { failed: 'bad_recovery_code' as const };
      const left = await w.trx.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', user.id).where('used_at', 'is', null).executeTakeFirstOrThrow();
      recoveryCodesLeft = Number(left.n);
    }
    let pendingSecret: string | null = null;
    if (enrolling) {
      // The secret to enrol with: kept until confirmed, so a reload shows the same QR code.
      pendingSecret = user.totp_pending_enc ? store.cipher.decrypt(user.totp_pending_enc) : newSecret();
      if (!user.totp_pending_enc) await w.trx.updateTable('users').set({ totp_pending_enc: store.cipher.encrypt(pendingSecret) }).where('id', '=', user.id).execute();
    }
    // Rotation: whatever session the browser came with ends; the new id is fresh.
    if (input.previousSession) await w.trx.deleteFrom('sessions').where('id', '=', sha256(input.previousSession)).execute();
    await w.trx.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: now.toISOString() }).where('id', '=', user.id).execute();
    await w.trx
      .insertInto('sessions')
      .values({
        id: sha256(sessionToken),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        ip: input.ip,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    const secondFactor = step !== null ? 'totp' : recoveryCode !== null ? 'recovery_code' : enrolling ? 'enrollment_required' : 'none';
    await w.audit({
      action: 'login',
      entity: 'user',
      entityId: user.username,
      areaPath: user.area_path,
      detail: { mustChangePassword, secondFactor, ...(recoveryCodesLeft !== undefined ? { recoveryCodesLeft } : {}) },
    });
    return { failed: null, pendingSecret };
  });
  if (outcome.failed) return countFailure(store, actor, user, policy, now, outcome.failed);
  return {
    user: toView(user),
    areaPath: user.area_path,
    areaId: user.area_id,
    sessionToken,
    csrfToken,
    mustChangePassword,
    twoFactor,
    ...(outcome.pendingSecret ? { enrollment: { secret: outcome.pendingSecret, otpauthUrl: otpauthUrl(outcome.pendingSecret, user.username) } } : {}),
  };
}

export interface Principal {
  user: UserView;
  actor: Actor;
  scope: Scope;
  /** Set for cookie sessions; token requests carry no CSRF token and need none. */
  session: { id: string; csrfToken: string } | null;
  mustChangePassword: boolean;
  twoFactor: TwoFactorState;
  /** The role requires two-factor sign-in and the user has not enrolled: the session may only enrol. */
  enrollmentRequired: boolean;
}

async function principalFor(store: Store, userId: number, ip: string | null, session: Principal['session']): Promise<Principal | null> {
  const user = await userQuery(store.db).where('u.id', '=', userId).executeTakeFirst();
  if (!user || user.disabled) return null;
  const policy = await getSecurityPolicy(store.db);
  const twoFactor = twoFactorState(user, policy);
  return {
    user: toView(user),
    actor: actorFor(user, ip),
    scope: { path: user.area_path },
    session,
    mustChangePassword: user.must_change_password === 1 || passwordExpired(new Date(user.password_changed_at), new Date(), policy),
    twoFactor,
    // An API token is made by the operator at the command line for scripts; the restriction is on sessions.
    enrollmentRequired: session !== null && twoFactor.required && !twoFactor.enrolled,
  };
}

/** The principal of a session cookie; SESSION_EXPIRED after the idle timeout. */
export async function authenticateSession(store: Store, token: string, ip: string | null): Promise<Principal | null> {
  const id = sha256(token);
  const s = await store.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) return null;
  const policy = await getSecurityPolicy(store.db);
  const now = Date.now();
  if (now - Date.parse(s.last_seen_at) > policy.idleTimeoutMinutes * 60_000) {
    await store.db.deleteFrom('sessions').where('id', '=', id).execute();
    throw new AppError('SESSION_EXPIRED');
  }
  // Touch at most every 15 s, so reading pages does not turn into a stream of writes.
  if (now - Date.parse(s.last_seen_at) > 15_000) {
    await store.db.updateTable('sessions').set({ last_seen_at: new Date(now).toISOString() }).where('id', '=', id).execute();
  }
  return principalFor(store, s.user_id, ip, { id, csrfToken: s.csrf_token });
}

export async function authenticateToken(store: Store, token: string, ip: string | null): Promise<Principal | null> {
  const t = await store.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', sha256(token)).where('revoked_at', 'is', null).executeTakeFirst();
  if (!t) return null;
  const p = await principalFor(store, t.user_id, ip, null);
  if (!p) return null;
  if (!t.last_used_at || Date.now() - Date.parse(t.last_used_at) > 60_000) {
    await store.db.updateTable('api_tokens').set({ last_used_at: new Date().toISOString() }).where('id', '=', t.id).execute();
  }
  // A token cannot stand in for a password that has to be changed.
  return p.mustChangePassword ? null : p;
}

export async function logout(store: Store, principal: Principal): Promise<void> {
  await withWrite(store, principal.actor, async (w) => {
    if (principal.session) await w.trx.deleteFrom('sessions').where('id', '=', principal.session.id).execute();
    await w.audit({ action: 'logout', entity: 'user', entityId: principal.user.username });
  });
}

export async function changePassword(store: Store, principal: Principal, current: string, next: string): Promise<void> {
  const row = await store.db.selectFrom('users').selectAll().where('id', '=', principal.user.id).executeTakeFirstOrThrow();
  if (!(await argonVerify(row.password_hash, current).catch(() => false))) {
    throw new AppError('VALIDATION_FAILED', '当前密码不正确', [{ field: 'currentPassword', message: '当前密码不正确' }]);
  }
  const policy = await getSecurityPolicy(store.db);
  const problems = passwordProblems(next, policy, row.username);
  if (current === next) problems.push('新密码不能与当前密码相同');
  if (problems.length) throw new AppError('VALIDATION_FAILED', problems.join('；'), problems.map((message) => ({ field: 'newPassword', message })));
  const hashed = await hashPassword(next);
  await withWrite(store, principal.actor, async (w) => {
    await w.trx
      .updateTable('users')
      .set({ password_hash: hashed, must_change_password: 0, password_changed_at: w.now.toISOString(), version: row.version + 1 })
      .where('id', '=', row.id)
      .execute();
    // Every other session of this user ends; the current one stays signed in.
    let del = w.trx.deleteFrom('sessions').where('user_id', '=', row.id);
    if (principal.session) del = del.where('id', '!=', principal.session.id);
    await del.execute();
    await w.audit({ action: 'password_change', entity: 'user', entityId: row.username });
  });
}

export async function createApiToken(store: Store, actor: Actor, username: string, name: string | null): Promise<string> {
  const user = await store.db.selectFrom('users').select(['id', 'username', 'disabled']).where('username', '=', username).executeTakeFirst();
  if (!user) throw new AppError('NOT_FOUND', `用户“${username}”不存在`);
  if (user.disabled) throw new AppError('ACCOUNT_DISABLED');
  const token = `jct_${randomBytes(32).toString('base64url')}`;
  await withWrite(store, actor, async (w) => {
    await w.trx.insertInto('api_tokens').values({ user_id: user.id, token_hash: sha256(token), name, created_at: w.now.toISOString(), last_used_at: null, revoked_at: null }).execute();
    await w.audit({ action: 'token_create', entity: 'user', entityId: username, detail: { name } });
  });
  return token;
}
