/**
 * Two-factor sign-in (TOTP, RFC 6238) around the sign-in of auth.ts: enrolment (a secret shown
 * once as a QR code, confirmed with a code), recovery codes (ten, shown once, stored as keyed
 * hashes, each usable once), their regeneration, the security administrator's reset, and
 * enrolment from the command line. Every change is audited; secrets and codes never are.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../shared/errors.ts';
import { checkCode, newRecoveryCodes, newSecret, otpauthUrl, secretProblem, normalizeSecret } from '../domain/totp.ts';
import type { Store } from './db.ts';
import {
  countFailure,
  getSecurityPolicy,
  getUserInScope,
  recoveryHash,
  sha256,
  toView,
  type Principal,
  type UserView,
} from './auth.ts';
import type { Scope } from './scope.ts';
import { withWrite, type Write } from './unit-of-work.ts';

export interface TwoFactorStatus {
  enrolled: boolean;
  required: boolean;
  enrolledAt: string | null;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(store: Store, principal: Principal): Promise<TwoFactorStatus> {
  const u = await store.db.selectFrom('users').select(['totp_secret_enc', 'totp_enabled_at']).where('id', '=', principal.user.id).executeTakeFirstOrThrow();
  const left = await store.db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', principal.user.id).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return { enrolled: u.totp_secret_enc !== null, required: principal.twoFactor.required, enrolledAt: u.totp_enabled_at, recoveryCodesLeft: Number(left.n) };
}

/** Starts (or shows again) the user's enrolment: the secret and its otpauth:// URI. */
export async function startEnrollment(store: Store, principal: Principal): Promise<{ secret: string; otpauthUrl: string }> {
  return withWrite(store, principal.actor, async (w) => {
    const u = await w.trx.selectFrom('users').select(['totp_secret_enc', 'totp_pending_enc']).where('id', '=', principal.user.id).executeTakeFirstOrThrow();
    if (u.totp_secret_enc) throw new AppError('CONFLICT', '您已启用两步验证；如需更换验证器，请联系安全管理员重置');
    let secret: string;
    if (u.totp_pending_enc) secret = store.cipher.decrypt(u.totp_pending_enc);
    else {
      secret = newSecret();
      await w.trx.updateTable('users').set({ totp_pending_enc: store.cipher.encrypt(secret) }).where('id', '=', principal.user.id).execute();
      await w.audit({ action: 'two_factor', entity: 'user', entityId: principal.user.username, detail: { event: 'enrollment_started' } });
    }
    return { secret, otpauthUrl: otpauthUrl(secret, principal.user.username) };
  });
}

async function replaceRecoveryCodes(w: Write, userId: number): Promise<string[]> {
  const codes = newRecoveryCodes();
  await w.trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await w.trx
    .insertInto('recovery_codes')
    .values(codes.map((c) => ({ user_id: userId, code_hash: recoveryHash(w.store, userId, c), created_at: w.now.toISOString(), used_at: null })))
    .execute();
  return codes;
}

/**
 * Completes enrolment with a code from the authenticator. The session id is rotated (the session
 * now rests on two factors) and the user's other sessions end. Returns the recovery codes, once.
 */
export async function confirmEnrollment(store: Store, principal: Principal, code: string): Promise<{ recoveryCodes: string[]; sessionToken: string | null }> {
  const u = await store.db.selectFrom('users').selectAll().where('id', '=', principal.user.id).executeTakeFirstOrThrow();
  if (u.totp_secret_enc) throw new AppError('CONFLICT', '您已启用两步验证');
  if (!u.totp_pending_enc) throw new AppError('VALIDATION_FAILED', '没有待确认的两步验证，请重新开始启用');
  const check = checkCode(store.cipher.decrypt(u.totp_pending_enc), code, Date.now(), u.totp_last_step);
  if (!check.ok) {
    const message = check.reason === 'malformed' ? '请输入验证器中显示的6位数字' : '动态验证码不正确：请确认手机时间准确，并输入验证器中当前显示的6位数字';
    throw new AppError('VALIDATION_FAILED', message, [{ field: 'code', message }]);
  }
  return withWrite(store, principal.actor, async (w) => {
    const r = await w.trx
      .updateTable('users')
      .set({ totp_secret_enc: u.totp_pending_enc, totp_pending_enc: null, totp_enabled_at: w.now.toISOString(), totp_last_step: check.step, version: u.version + 1 })
      .where('id', '=', u.id)
      .where('totp_secret_enc', 'is', null)
      .where('totp_pending_enc', '=', u.totp_pending_enc!)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('CONFLICT', '两步验证状态已变化，请刷新后重试');
    const recoveryCodes = await replaceRecoveryCodes(w, u.id);
    // The user's other sessions end; this one continues under a fresh id.
    let sessionToken: string | null = null;
    const old = principal.session ? await w.trx.selectFrom('sessions').selectAll().where('id', '=', principal.session.id).executeTakeFirst() : undefined;
    await w.trx.deleteFrom('sessions').where('user_id', '=', u.id).execute();
    if (old) {
      sessionToken = randomBytes(32).toString('base64url');
      await w.trx.insertInto('sessions').values({ ...old, id: sha256(sessionToken), last_seen_at: w.now.toISOString() }).execute();
    }
    await w.audit({ action: 'two_factor', entity: 'user', entityId: u.username, detail: { event: 'enrolled', recoveryCodes: recoveryCodes.length } });
    return { recoveryCodes, sessionToken };
  });
}

/** New recovery codes (the old ones stop working); needs a current code, whose failures count towards the lock-out. */
export async function regenerateRecoveryCodes(store: Store, principal: Principal, code: string): Promise<string[]> {
  const now = new Date();
  const u = await store.db.selectFrom('users').selectAll().where('id', '=', principal.user.id).executeTakeFirstOrThrow();
  if (!u.totp_secret_enc) throw new AppError('CONFLICT', '您尚未启用两步验证');
  if (u.locked_until && u.locked_until > now.toISOString()) throw new AppError('ACCOUNT_LOCKED', undefined, undefined, { lockedUntil: u.locked_until });
  const policy = await getSecurityPolicy(store.db);
  const who = { id: u.id, username: u.username, area_path: principal.actor.areaPath };
  const check = checkCode(store.cipher.decrypt(u.totp_secret_enc), code, now.getTime(), u.totp_last_step);
  if (!check.ok) return countFailure(store, principal.actor, who, policy, now, check.reason === 'replayed' ? 'totp_replayed' : 'bad_totp', 'form');
  const codes = await withWrite(store, principal.actor, async (w) => {
    const r = await w.trx
      .updateTable('users')
      .set({ totp_last_step: check.step, failed_logins: 0 })
      .where('id', '=', u.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', check.step)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return null;
    const fresh = await replaceRecoveryCodes(w, u.id);
    await w.audit({ action: 'two_factor', entity: 'user', entityId: u.username, detail: { event: 'recovery_codes_regenerated', recoveryCodes: fresh.length } });
    return fresh;
  });
  if (!codes) return countFailure(store, principal.actor, who, policy, now, 'totp_replayed', 'form');
  return codes;
}

/**
 * The security administrator's reset: the user's secret, recovery codes and sessions are gone,
 * and they enrol again at their next sign-in (or may, when their role does not require it).
 */
export async function resetTwoFactor(w: Write, scope: Scope, id: number): Promise<UserView> {
  const before = await getUserInScope(w.trx, scope, id);
  if (before.id === w.actor.userId) throw new AppError('FORBIDDEN', '不能重置自己的两步验证，请联系其他安全管理员');
  if (w.actor.role !== 'system' && w.actor.role !== 'admin' && before.role === 'admin') {
    throw new AppError('FORBIDDEN', '只有管理员可以调整管理员账号');
  }
  await w.trx
    .updateTable('users')
    .set({ totp_secret_enc: null, totp_pending_enc: null, totp_enabled_at: null, totp_last_step: null, version: before.version + 1, updated_at: w.now.toISOString(), updated_by: w.actor.userId })
    .where('id', '=', id)
    .execute();
  await w.trx.deleteFrom('recovery_codes').where('user_id', '=', id).execute();
  await w.trx.deleteFrom('sessions').where('user_id', '=', id).execute();
  await w.audit({
    action: 'two_factor',
    entity: 'user',
    entityId: before.username,
    areaPath: before.area_path,
    before: { twoFactor: before.totp_secret_enc !== null },
    after: { twoFactor: false },
    detail: { event: 'reset' },
  });
  return toView(await getUserInScope(w.trx, { path: null }, id));
}

/** Enrols a user with a secret the operator holds (`--totp-secret`, JICENG_ADMIN_TOTP_SECRET). */
export async function enrolWithSecret(w: Write, username: string, base32: string, via: string): Promise<void> {
  const problem = secretProblem(base32);
  if (problem) throw new AppError('VALIDATION_FAILED', problem);
  const u = await w.trx.selectFrom('users').select(['id', 'version']).where('username', '=', username).executeTakeFirst();
  if (!u) throw new AppError('NOT_FOUND', `用户“${username}”不存在`);
  await w.trx
    .updateTable('users')
    .set({ totp_secret_enc: w.store.cipher.encrypt(normalizeSecret(base32)), totp_pending_enc: null, totp_enabled_at: w.now.toISOString(), totp_last_step: null, version: u.version + 1 })
    .where('id', '=', u.id)
    .execute();
  await w.trx.deleteFrom('recovery_codes').where('user_id', '=', u.id).execute();
  await w.audit({ action: 'two_factor', entity: 'user', entityId: username, detail: { event: 'enrolled', via } });
}
