import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgePeriod, overall, targetPeriods } from './evaluate.ts';

test('a quarterly rule is four checks ("每季度至少召开1次")', () => {
  assert.deepEqual(targetPeriods(2024, 'quarter').map((p) => [p.period, p.from, p.to]), [
    ['2024-Q1', '2024-01-01', '2024-03-31'],
    ['2024-Q2', '2024-04-01', '2024-06-30'],
    ['2024-Q3', '2024-07-01', '2024-09-30'],
    ['2024-Q4', '2024-10-01', '2024-12-31'],
  ]);
});

test('over periods are met or missed; running ones on track or at risk by the time elapsed', () => {
  assert.equal(judgePeriod(1, '>=', 1, '2024-07-01', '2024-09-30', '2024-10-01'), 'met');
  assert.equal(judgePeriod(0, '>=', 1, '2024-07-01', '2024-09-30', '2024-10-01'), 'missed');
  assert.equal(judgePeriod(2, '>=', 3, '2024-01-01', '2024-12-31', '2024-06-30'), 'onTrack', '2 of 3 by mid-year keeps pace');
  assert.equal(judgePeriod(1, '>=', 3, '2024-01-01', '2024-12-31', '2024-09-30'), 'atRisk');
  assert.equal(judgePeriod(3, '>=', 3, '2024-01-01', '2024-12-31', '2024-03-01'), 'met', 'reached early');
  assert.equal(judgePeriod(0, '>=', 1, '2025-01-01', '2025-03-31', '2024-12-01'), 'notStarted');
});

test('an "at most" target is missed as soon as it is exceeded', () => {
  assert.equal(judgePeriod(0, '<=', 0, '2024-01-01', '2024-12-31', '2024-06-01'), 'onTrack');
  assert.equal(judgePeriod(1, '<=', 0, '2024-01-01', '2024-12-31', '2024-06-01'), 'missed');
  assert.equal(judgePeriod(0, '<=', 0, '2024-01-01', '2024-12-31', '2025-01-05'), 'met');
});

test('the whole target', () => {
  const r = (status: 'met' | 'missed' | 'onTrack' | 'atRisk' | 'notStarted') => ({ period: '', from: '', to: '', value: 0, status });
  assert.equal(overall([r('met'), r('missed'), r('met'), r('met')]), 'missed');
  assert.equal(overall([r('met'), r('met')]), 'met');
  assert.equal(overall([r('met'), r('atRisk'), r('notStarted')]), 'atRisk');
  assert.equal(overall([r('met'), r('onTrack'), r('notStarted')]), 'onTrack');
});
