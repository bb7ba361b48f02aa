import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimalToScaledInt, neutralizeFormula, parseDate, parseFieldValue, scaledIntToDecimal } from './values.ts';
import type { FieldDef } from './types.ts';

const amount: FieldDef = { key: 'amount', label: '金额(元)', type: 'amount' };
const qty: FieldDef = { key: 'q', label: '数量', type: 'quantity' };
const bool: FieldDef = { key: 'b', label: '是否越级', type: 'boolean' };
const date: FieldDef = { key: 'd', label: '日期', type: 'date' };
const text: FieldDef = { key: 't', label: '主题', type: 'text' };

test('money is integer fen, at most two decimals (CONTRACTS §3)', () => {
  assert.deepEqual(parseFieldValue(amount, '263.84'), { ok: true, value: 26384 });
  assert.deepEqual(parseFieldValue(amount, '2638400'), { ok: true, value: 263840000 });
  assert.deepEqual(parseFieldValue(amount, '0.1'), { ok: true, value: 10 });
  assert.deepEqual(parseFieldValue(amount, 263.84), { ok: true, value: 26384 }, 'a number cell');
  assert.equal(parseFieldValue(amount, '1.234').ok, false);
  assert.equal(parseFieldValue(amount, '-5').ok, false);
  assert.equal(parseFieldValue(amount, '12元').ok, false);
  assert.equal(scaledIntToDecimal(26384, 2), '263.84');
  assert.equal(scaledIntToDecimal(5, 2), '0.05');
  assert.equal(decimalToScaledInt('1,234.5', 2), 123450);
});

test('quantities are integer thousandths, at most three decimals', () => {
  assert.deepEqual(parseFieldValue(qty, '214.9'), { ok: true, value: 214900 });
  assert.deepEqual(parseFieldValue(qty, '0.001'), { ok: true, value: 1 });
  assert.equal(parseFieldValue(qty, '0.0001').ok, false);
  assert.equal(scaledIntToDecimal(214900, 3, true), '214.9');
  assert.equal(scaledIntToDecimal(700000, 3, true), '700');
});

test('dates in the accepted forms', () => {
  for (const t of ['2023-05-06', '2023/5/6', '2023年5月6日', '2023.5.6']) assert.equal(parseDate(t), '2023-05-06', t);
  assert.equal(parseDate('2023-02-29'), null);
  assert.equal(parseDate('06/05/2023'), null);
  assert.deepEqual(parseFieldValue(date, new Date(Date.UTC(2023, 4, 6))), { ok: true, value: '2023-05-06' });
  assert.deepEqual(parseFieldValue(date, 45052), { ok: true, value: '2023-05-06' }, 'an Excel serial day');
});

test('booleans are 是/否', () => {
  assert.deepEqual(parseFieldValue(bool, '是'), { ok: true, value: 1 });
  assert.deepEqual(parseFieldValue(bool, '否'), { ok: true, value: 0 });
  assert.equal(parseFieldValue(bool, 'yes').ok, false);
});

test('formula text is stored as given and neutralized on export; our own mark is removed on import', () => {
  assert.deepEqual(parseFieldValue(text, '=HYPERLINK("http://x","y")'), { ok: true, value: '=HYPERLINK("http://x","y")' });
  assert.equal(neutralizeFormula('=cmd|"/c calc"!A1'), `'=cmd|"/c calc"!A1`);
  assert.equal(neutralizeFormula('@SUM(A1)'), `'@SUM(A1)`);
  assert.equal(neutralizeFormula('正常文本'), '正常文本');
  assert.deepEqual(parseFieldValue(text, `'=1+1`), { ok: true, value: '=1+1' });
});
