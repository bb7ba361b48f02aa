/** Codes of an authenticator app for tests, computed with the otpauth library (not our domain code). */
import { Secret, TOTP } from 'otpauth';

export function totpCode(secret: string, atMs = Date.now()): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: atMs });
}

/** A code of a later step than any accepted so far in this test (the step after the current one, within the ±1 drift). */
export function nextTotpCode(secret: string): string {
  return totpCode(secret, Date.now() + 30_000);
}
