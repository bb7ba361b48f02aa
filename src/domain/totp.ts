/**
 * Two-factor sign-in rules: time-based one-time passwords (RFC 6238: HMAC-SHA-1, 6 digits, 30 s
 * steps, computed by the maintained `otpauth` library) and single-use recovery codes.
 *
 * A code is accepted for the current step and one step either side (clock drift), and only for a
 * step later than the last one accepted for that user (a code cannot be replayed). Pure: the
 * caller passes the time and the last used step and stores the step that was accepted.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps of clock drift tolerated either side of the current step. */
export const TOTP_DRIFT_STEPS = 1;
/** The issuer an authenticator app shows. */
export const TOTP_ISSUER = '基层党建与治理平台';
export const RECOVERY_CODE_COUNT = 10;

/** RFC 4226 §4 R6: a shared secret of at least 128 bits; we make 160 (the SHA-1 block size recommendation). */
const MIN_SECRET_BYTES = 16;

/** Upper case, no spaces, dashes or padding: how a secret typed or pasted is compared. */
export function normalizeSecret(base32: string): string {
  return base32.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
}

/** Why a base32 secret is refused (Chinese), or null when it is usable. */
export function secretProblem(base32: string): string | null {
  const s = normalizeSecret(base32);
  if (!/^[A-Z2-7]+$/.test(s)) return '两步验证密钥应为 Base32 编码（字母 A–Z 与数字 2–7）';
  if (Math.floor((s.length * 5) / 8) < MIN_SECRET_BYTES) return '两步验证密钥过短，至少需要128位（26个 Base32 字符）';
  return null;
}

/** A fresh random secret (160 bits), base32. */
export function newSecret(): string {
  return new Secret({ buffer: randomBytes(20).buffer as ArrayBuffer }).base32;
}

function totpFor(base32: string, digits = TOTP_DIGITS, label = 'user'): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(normalizeSecret(base32)),
  });
}

/** The time step of an instant (RFC 6238 T = floor((now − T0) / X), T0 = 0). */
export function timeStep(atMs: number): number {
  return Math.floor(atMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for an instant; `digits` is 6 in use (8 only for the RFC's test vectors). */
export function codeAt(base32: string, atMs: number, digits = TOTP_DIGITS): string {
  return totpFor(base32, digits).generate({ timestamp: atMs });
}

/** The `otpauth://` URI an authenticator app reads from the QR code. */
export function otpauthUrl(base32: string, username: string): string {
  return totpFor(base32, TOTP_DIGITS, username).toString();
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'malformed' | 'invalid' | 'replayed' };

/**
 * Checks a code typed at `nowMs` against the secret. `lastStep` is the last step accepted for
 * this user (null: none yet); on success the caller must store the returned step.
 */
export function checkCode(base32: string, code: string, nowMs: number, lastStep: number | null): TotpCheck {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'malformed' };
  const delta = totpFor(base32).validate({ token, timestamp: nowMs, window: TOTP_DRIFT_STEPS });
  if (delta === null) return { ok: false, reason: 'invalid' };
  const step = timeStep(nowMs) + delta;
  if (lastStep !== null && step <= lastStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}

/** Whether what was typed looks like a 6-digit code (otherwise it may be a recovery code). */
export function looksLikeCode(input: string): boolean {
  return /^\d{6}$/.test(input.replace(/\s/g, ''));
}

// Unambiguous letters and digits (no 0/O, 1/I/L): 31 symbols, 12 of them ≈ 59 bits per code.
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Ten fresh recovery codes, shown to the user once, `XXXX-XXXX-XXXX`. */
export function newRecoveryCodes(n = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < n) {
    let s = '';
    for (let i = 0; i < 12; i++) s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
    codes.add(`${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`);
  }
  return [...codes];
}

/** A recovery code as typed (any case, with or without dashes and spaces) → its canonical form, or null. */
export function normalizeRecoveryCode(input: string): string | null {
  const s = input.replace(/[\s-]/g, '').toUpperCase();
  if (s.length !== 12 || [...s].some((c) => !RECOVERY_ALPHABET.includes(c))) return null;
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}
