import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idCheckChar, idNumberProblem, maskIdNumber, maskPhone } from './id-number.ts';

// GB 11643-1999: ISO 7064 MOD 11-2 check character; the 17th digit is odd for men.
const valid = (body17: string) => body17 + idCheckChar(body17);

test('check character per GB 11643-1999', () => {
  assert.equal(idCheckChar('11010519491231002'), 'X', 'the standard example 11010519491231002X');
  assert.equal(idNumberProblem('11010519491231002X'), null);
  assert.match(idNumberProblem('110105194912310021') ?? '', /校验位/);
});

test('length, birth date and gender digit', () => {
  assert.match(idNumberProblem('1101051949123100') ?? '', /18位/);
  assert.match(idNumberProblem(valid('11010519490231002')) ?? '', /出生日期/);
  assert.equal(idNumberProblem(valid('11010519800101003'), '男'), null);
  assert.match(idNumberProblem(valid('11010519800101003'), '女') ?? '', /性别/);
  assert.match(idNumberProblem(valid('11010520300101003'), null, '2026-11-29') ?? '', /不合理/);
});

test('masking keeps the first and last four', () => {
  assert.equal(maskIdNumber('370102198001011234'), '3701**********1234');
  assert.equal(maskPhone('13812345678'), '138****5678');
});
