import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addWorkdays, calendarCovers, todayInShanghai, workdaysBetween } from './workdays.ts';

// 国务院办公厅 2023 holiday notice: 中秋·国庆 09-29 – 10-06 off; 10-07 and 10-08 (Sat, Sun) worked.
test('working days skip the 2023 National Day holiday and count its 调休 weekend', () => {
  assert.equal(addWorkdays('2023-09-28', 1), '2023-10-07');
  assert.equal(addWorkdays('2023-09-28', 3), '2023-10-09');
  assert.equal(workdaysBetween('2023-09-25', '2023-10-08'), 6, '09-25..28 and 10-07, 10-08');
});

test('2024 Spring Festival: 02-10 – 02-17 off, 02-04 and 02-18 (Sundays) worked', () => {
  assert.equal(addWorkdays('2024-02-08', 1), '2024-02-09');
  assert.equal(addWorkdays('2024-02-09', 1), '2024-02-18');
});

test('beyond the calendar years the answer is "unknown", not a guess', () => {
  assert.equal(calendarCovers('2026-12-31'), true);
  assert.equal(calendarCovers('2027-01-01'), false);
  assert.equal(addWorkdays('2026-12-28', 5), null);
});

test('today in Asia/Shanghai', () => {
  assert.equal(todayInShanghai(new Date('2026-11-28T16:30:00Z')), '2026-11-29');
  assert.equal(todayInShanghai(new Date('2026-11-28T15:59:00Z')), '2026-11-28');
});
