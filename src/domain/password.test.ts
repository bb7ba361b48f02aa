import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SECURITY_POLICY as P, characterClasses, checkPolicy, passwordExpired, passwordProblems, randomPassword } from './password.ts';

// 等保2.0 (GB/T 22239-2019) 8.1.4.1 身份鉴别 a: complexity and periodic change; the numbers are assessment practice.
test('password rules: at least 8 characters of 3 classes', () => {
  assert.deepEqual(passwordProblems('Abc12345', P), []);
  assert.deepEqual(passwordProblems('abc!2345', P), []);
  assert.equal(passwordProblems('Abc1234', P).length, 1, '7 characters');
  assert.equal(passwordProblems('abcdefgh1', P).length, 1, 'two classes');
  assert.equal(passwordProblems('abcdefgh', P).length, 1);
  assert.ok(passwordProblems('Zhang.san1', P, 'zhang.san').some((m) => m.includes('用户名')));
  assert.equal(characterClasses('aA1!'), 4);
});

test('password expires after 90 days', () => {
  const changed = new Date('2026-01-01T00:00:00Z');
  assert.equal(passwordExpired(changed, new Date('2026-04-01T00:00:00Z'), P), false, 'exactly 90 days');
  assert.equal(passwordExpired(changed, new Date('2026-04-01T00:00:01Z'), P), true);
});

test('policy may be tightened, never loosened', () => {
  assert.deepEqual(checkPolicy({ ...P, passwordMinLength: 12, idleTimeoutMinutes: 10 }), []);
  assert.equal(checkPolicy({ ...P, passwordMinLength: 6 }).length, 1);
  assert.equal(checkPolicy({ ...P, idleTimeoutMinutes: 60 }).length, 1);
  assert.equal(checkPolicy({ ...P, lockoutThreshold: 10 }).length, 1);
  assert.equal(checkPolicy({ ...P, lockoutMinutes: 5 }).length, 1);
  assert.equal(checkPolicy({ ...P, passwordMaxAgeDays: 180 }).length, 1);
});

test('random first passwords satisfy the strictest allowed class rule', () => {
  for (let i = 0; i < 50; i++) {
    const p = randomPassword();
    assert.equal(p.length, 16);
    assert.equal(characterClasses(p), 4);
  }
});
