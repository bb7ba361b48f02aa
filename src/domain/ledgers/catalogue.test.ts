import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LEDGERS, ledgerByKey } from './catalogue.ts';
import type { LedgerValues } from './types.ts';

const ctx = { today: '2026-11-29' };
const def = (k: string) => ledgerByKey(k)!;
const errorsOf = (k: string, v: LedgerValues) => def(k).check!(v, ctx).errors.map((e) => e.field);

test('every ledger of CONTRACTS §3 is defined, with its date field first among its dates', () => {
  const keys = LEDGERS.map((l) => l.key).sort();
  assert.deepEqual(keys, ['activities', 'applicants', 'brands', 'cadres', 'documents', 'elections', 'facilities', 'funds', 'hotline', 'incidents', 'inspections', 'meetings', 'members', 'petitions', 'projects', 'services', 'trainings', 'visits', 'works']);
  for (const l of LEDGERS) {
    const firstDate = l.fields.find((f) => f.type === 'date' && !f.derived);
    assert.equal(l.dateField, firstDate?.key, l.key);
  }
});

test('已整改数 ≤ 发现隐患数', () => {
  assert.deepEqual(errorsOf('inspections', { hazards: 2, rectified: 3 }), ['rectified']);
  assert.deepEqual(errorsOf('inspections', { hazards: 2, rectified: 2 }), []);
});

test('a works unit must match its category', () => {
  assert.deepEqual(errorsOf('works', { category: '秸秆离田', unit: '吨' }), ['unit']);
  assert.deepEqual(errorsOf('works', { category: '河道清理垃圾', unit: '吨' }), []);
});

test('集体访 is 5 persons or more, both ways (信访工作条例, domain-rules §5)', () => {
  assert.deepEqual(errorsOf('petitions', { persons: 4, collective: 1 }), ['collective']);
  assert.deepEqual(errorsOf('petitions', { persons: 5, collective: 0 }), ['collective']);
  assert.deepEqual(errorsOf('petitions', { persons: 5, collective: 1 }), []);
  assert.equal(def('petitions').derive!({ persons: 7, collective: null, escalated: null, escalatedTo: null, acceptedOn: null, closedOn: null }).collective, 1);
});

test('petitions: 60 days from acceptance, 30 more at most', () => {
  const d = (closedOn: string) => def('petitions').derive!({ persons: 1, collective: null, escalated: null, escalatedTo: null, acceptedOn: '2023-01-10', closedOn });
  assert.equal(d('2023-03-11').dueOn, '2023-03-11');
  assert.equal(d('2023-03-11').timeliness, '按期办结');
  assert.equal(d('2023-03-12').timeliness, '延期办结');
  assert.equal(d('2023-04-10').timeliness, '延期办结');
  assert.equal(d('2023-04-11').timeliness, '超期办结');
});

test('办结日期 not before 受理日期', () => {
  assert.deepEqual(errorsOf('hotline', { receivedOn: '2023-05-06', closedOn: '2023-05-05', limitDays: 5 }), ['closedOn']);
  assert.deepEqual(errorsOf('services', { reportedOn: '2023-05-06', closedOn: '2023-05-05', status: '已办结' }), ['closedOn']);
});

test('hotline tickets know whether they closed within their working days; beyond the calendar is flagged', () => {
  const h = def('hotline').derive!;
  const v = h({ receivedOn: '2023-09-28', limitDays: 3, closedOn: '2023-10-09' });
  assert.equal(v.dueOn, '2023-10-09');
  assert.equal(v.onTime, 1);
  assert.equal(h({ receivedOn: '2023-09-28', limitDays: 3, closedOn: '2023-10-10' }).onTime, 0);
  const late = h({ receivedOn: '2026-12-28', limitDays: 5, closedOn: null });
  assert.equal(late.dueOn, null);
  assert.match(String(late.calendarNote), /日历/);
});

test('发展党员 history: steps in order, applicant at least 18 (党章 art. 1; 细则 2014)', () => {
  // 11010520080101003X-like: born 2008-01-01.
  const id = '110105200801010031';
  assert.ok(errorsOf('applicants', { idNumber: id, appliedOn: '2025-12-31' }).includes('appliedOn'));
  assert.ok(!errorsOf('applicants', { idNumber: id, appliedOn: '2026-01-01' }).includes('appliedOn'));
  assert.ok(errorsOf('applicants', { appliedOn: '2020-01-01', admittedOn: '2022-05-01', approvedOn: '2022-04-01' }).includes('approvedOn'));
  assert.ok(errorsOf('applicants', { appliedOn: '2020-01-01', approvedOn: '2022-04-01' }).includes('admittedOn'));
});
