import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SECURITY_POLICY as P, checkPolicy } from './password.ts';
import { checkCode, codeAt, newRecoveryCodes, newSecret, normalizeRecoveryCode, otpauthUrl, secretProblem, timeStep } from './totp.ts';

// RFC 6238 Appendix B (test vectors), SHA-1 rows: the seed is the ASCII string
// "12345678901234567890" (20 bytes), T0 = 0, X = 30, 8 digits. https://www.rfc-editor.org/rfc/rfc6238#appendix-B
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');
const RFC_SECRET_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[seconds: number, stepHex: string, code: string]> = [
  [59, '0000000000000001', '94287082'],
  [1111111109, '00000000023523EC', '07081804'],
  [1111111111, '00000000023523ED', '14050471'],
  [1234567890, '000000000273EF07', '89005924'],
  [2000000000, '0000000003F940AA', '69279037'],
  [20000000000, '0000000027BC86AA', '65353130'],
];

test('the RFC 6238 seed is the base32 secret used here', () => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const b of RFC_SECRET) bits += b.toString(2).padStart(8, '0');
  let b32 = '';
  for (let i = 0; i < bits.length; i += 5) b32 += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  assert.equal(b32, RFC_SECRET_BASE32);
});

test('RFC 6238 Appendix B, SHA-1: time steps and 8-digit codes', () => {
  for (const [seconds, stepHex, code] of RFC_VECTORS) {
    assert.equal(timeStep(seconds * 1000), parseInt(stepHex, 16), `T at ${seconds}`);
    assert.equal(codeAt(RFC_SECRET_BASE32, seconds * 1000, 8), code, `code at ${seconds}`);
  }
});

test('the 6-digit codes in use are the same truncation, modulo 10^6 (RFC 4226 §5.3)', () => {
  for (const [seconds, , code] of RFC_VECTORS) {
    assert.equal(codeAt(RFC_SECRET_BASE32, seconds * 1000), code.slice(2));
    assert.equal(codeAt(RFC_SECRET_BASE32, seconds * 1000 + 29_999 - ((seconds % 30) * 1000)), code.slice(2), 'the same code for the whole step');
  }
});

test('a code is accepted for the current step and one step of drift either side, not two', () => {
  const secret = RFC_SECRET_BASE32;
  const now = 1_234_567_890_000;
  const step = timeStep(now);
  assert.deepEqual(checkCode(secret, codeAt(secret, now), now, null), { ok: true, step });
  assert.deepEqual(checkCode(secret, codeAt(secret, now - 30_000), now, null), { ok: true, step: step - 1 });
  assert.deepEqual(checkCode(secret, codeAt(secret, now + 30_000), now, null), { ok: true, step: step + 1 });
  assert.deepEqual(checkCode(secret, codeAt(secret, now - 60_000), now, null), { ok: false, reason: 'invalid' });
  assert.deepEqual(checkCode(secret, codeAt(secret, now + 60_000), now, null), { ok: false, reason: 'invalid' });
  assert.deepEqual(checkCode(secret, ` ${codeAt(secret, now).slice(0, 3)} ${codeAt(secret, now).slice(3)} `, now, null), { ok: true, step }, 'spaces are ignored');
  for (const bad of ['', '12345', '1234567', 'abcdef', '12 34 5']) assert.deepEqual(checkCode(secret, bad, now, null), { ok: false, reason: 'malformed' });
});

test('replay: a step at or before the last accepted one is refused', () => {
  const secret = newSecret();
  const now = Date.now();
  const first = checkCode(secret, codeAt(secret, now), now, null);
  assert.equal(first.ok, true);
  const step = (first as { step: number }).step;
  assert.deepEqual(checkCode(secret, codeAt(secret, now), now, step), { ok: false, reason: 'replayed' });
  assert.deepEqual(checkCode(secret, codeAt(secret, now - 30_000), now, step), { ok: false, reason: 'replayed' });
  assert.deepEqual(checkCode(secret, codeAt(secret, now + 30_000), now, step), { ok: true, step: step + 1 });
});

test('secrets: 160 random bits in base32; at least 128 bits accepted from an operator', () => {
  const s = newSecret();
  assert.match(s, /^[A-Z2-7]{32}$/);
  assert.notEqual(newSecret(), s);
  assert.equal(secretProblem(s), null);
  assert.equal(secretProblem(s.toLowerCase().replace(/(.{4})/g, '$1 ')), null, 'lower case, grouped');
  assert.match(secretProblem('JBSWY3DPEHPK3PXP') ?? '', /至少需要128位/);
  assert.match(secretProblem('not base32!') ?? '', /Base32/);
  const url = new URL(otpauthUrl(s, 'zhang'));
  assert.equal(url.searchParams.get('secret'), s);
  assert.equal(url.searchParams.get('algorithm'), 'SHA1');
  assert.equal(url.searchParams.get('digits'), '6');
  assert.equal(url.searchParams.get('period'), '30');
});

test('recovery codes: ten distinct, unambiguous, typed in any case with or without dashes', () => {
  const codes = newRecoveryCodes();
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const c of codes) {
    assert.match(c, /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    assert.equal(normalizeRecoveryCode(c.toLowerCase().replace(/-/g, ' ')), c);
  }
  assert.equal(normalizeRecoveryCode('123456'), null);
  assert.equal(normalizeRecoveryCode('ABCD-EFGH-IJKL'), null, 'I and L are not in the alphabet');
});

test('security policy: the default two-factor roles can be added to, never taken from', () => {
  assert.deepEqual([...P.twoFactorRoles].sort(), ['admin', 'auditor', 'leader', 'secadmin', 'sysadmin']);
  assert.deepEqual(checkPolicy(P), []);
  assert.deepEqual(checkPolicy({ ...P, twoFactorRoles: [...P.twoFactorRoles, 'clerk', 'grid'] }), []);
  for (const role of P.twoFactorRoles) {
    const errors = checkPolicy({ ...P, twoFactorRoles: P.twoFactorRoles.filter((r) => r !== role) });
    assert.equal(errors.length, 1, role);
    assert.match(errors[0]!, /不能取消/);
  }
  assert.equal(checkPolicy({ ...P, twoFactorRoles: ['boss' as 'admin', ...P.twoFactorRoles] }).length, 1);
  // A set written without them (the demo database) may be kept as it is, not loosened further.
  const demo = { ...P, twoFactorRoles: [] };
  assert.deepEqual(checkPolicy(demo, demo), []);
  assert.equal(checkPolicy({ ...P, twoFactorRoles: ['admin'] }, P).length, 1);
});
