/**
 * The 发展党员 guards, table-driven, each case citing the article it checks
 * (《中国共产党发展党员工作细则》2014 unless noted).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMonths, checkStep, currentStage, probationPeriod, type RecordedStep } from './pipeline.ts';
import { RULES_2014, RULES_2026 } from './rules.ts';
import { countRoster, tallyVote } from './vote.ts';

const errors = (h: RecordedStep[], s: RecordedStep, birth: string | null = '1995-06-01', rules = RULES_2014) =>
  checkStep(rules, h, s, birth).filter((v) => v.severity === 'error').map((v) => v.code);
const warnings = (h: RecordedStep[], s: RecordedStep, rules = RULES_2014) =>
  checkStep(rules, h, s, '1995-06-01').filter((v) => v.severity === 'warning').map((v) => v.code);

const full = (name: string) => ({ name, isFullMember: true });
const upToActivist: RecordedStep[] = [
  { code: 'apply', date: '2022-01-10' },
  { code: 'talk', date: '2022-01-20' },
  { code: 'activist', date: '2022-03-01' },
  { code: 'mentors', date: '2022-03-05', data: { people: [full('王一'), full('李二')] } },
];

test('党章 art. 1 / 细则 art. 5: an applicant is at least 18 on the day of application', () => {
  assert.deepEqual(errors([], { code: 'apply', date: '2013-06-01' }, '1995-06-01'), []);
  assert.deepEqual(errors([], { code: 'apply', date: '2013-05-31' }, '1995-06-01'), ['UNDER_AGE']);
});

test('art. 7: the talk within one month is a finding when late, never a refusal', () => {
  assert.deepEqual(warnings([{ code: 'apply', date: '2022-01-10' }], { code: 'talk', date: '2022-02-10' }), []);
  assert.deepEqual(warnings([{ code: 'apply', date: '2022-01-10' }], { code: 'talk', date: '2022-02-11' }), ['TALK_LATE']);
  assert.deepEqual(errors([{ code: 'apply', date: '2022-01-10' }], { code: 'talk', date: '2022-01-09' }), ['BEFORE_PREVIOUS']);
});

test('steps come in order', () => {
  assert.deepEqual(errors([{ code: 'apply', date: '2022-01-10' }], { code: 'activist', date: '2022-03-01' }), ['OUT_OF_ORDER']);
  assert.ok(errors(upToActivist, { code: 'admissionVote', date: '2023-06-01' }).includes('OUT_OF_ORDER'));
});

test('art. 9: one or two 培养联系人, full members', () => {
  const h = upToActivist.slice(0, 3);
  assert.deepEqual(errors(h, { code: 'mentors', date: '2022-03-05', data: { people: [full('王一')] } }), []);
  assert.deepEqual(errors(h, { code: 'mentors', date: '2022-03-05', data: { people: [] } }), ['PEOPLE_COUNT']);
  assert.deepEqual(errors(h, { code: 'mentors', date: '2022-03-05', data: { people: [full('a'), full('b'), full('c')] } }), ['PEOPLE_COUNT']);
  assert.deepEqual(errors(h, { code: 'mentors', date: '2022-03-05', data: { people: [full('王一'), { name: '赵三', isFullMember: false }] } }), ['NOT_FULL_MEMBER']);
  assert.deepEqual(warnings(h, { code: 'mentors', date: '2022-03-05', data: { people: [{ ...full('钱四'), sameBranch: false }] } }), ['OTHER_BRANCH'], 'another branch: noted, not refused');
});

test('art. 13: 发展对象 only after a full year as activist — exactly one year is enough', () => {
  assert.deepEqual(errors(upToActivist, { code: 'candidate', date: '2023-03-01' }), []);
  assert.deepEqual(errors(upToActivist, { code: 'candidate', date: '2023-02-28' }), ['TOO_EARLY']);
  const v = checkStep(RULES_2014, upToActivist, { code: 'candidate', date: '2023-02-28' }, null)[0]!;
  assert.match(v.message, /一年以上/);
  assert.equal(v.citation.article, '第十三条');
});

test('公示 of at least 5 working days across the 2023 National Day holiday and its 调休 Saturdays', () => {
  const h = [...upToActivist, { code: 'candidate', date: '2023-09-20' }];
  const notice = (from: string, to: string) => errors(h, { code: 'publicNotice', date: to, data: { from, to } });
  // 09-27, 09-28, then 09-29 … 10-06 off, 10-07 (Sat) and 10-08 (Sun) worked: 4 working days to 10-08.
  assert.deepEqual(notice('2023-09-27', '2023-10-08'), ['NOTICE_SHORT']);
  // … and 10-09 is the fifth.
  assert.deepEqual(notice('2023-09-27', '2023-10-09'), []);
  // A plain calendar week over the holiday would have been 5 days but only 2 working days.
  assert.deepEqual(notice('2023-09-28', '2023-10-06'), ['NOTICE_SHORT']);
});

test('2014: 预审 needs a finished 公示; 2026 (awaiting confirmation): 公示 before listing as 发展对象', () => {
  const ready: RecordedStep[] = [
    ...upToActivist,
    { code: 'candidate', date: '2023-03-10' },
    { code: 'sponsors', date: '2023-03-12', data: { people: [full('王一'), full('李二')] } },
    { code: 'politicalReview', date: '2023-04-01', data: { conclusion: 'passed' } },
    { code: 'training', date: '2023-04-10', data: { days: 3 } },
    { code: 'committeeReview', date: '2023-05-01' },
  ];
  assert.deepEqual(errors(ready, { code: 'prereview', date: '2023-05-20' }), ['NOTICE_MISSING']);
  const withNotice = [...ready, { code: 'publicNotice', date: '2023-05-12', data: { from: '2023-05-06', to: '2023-05-12' } }];
  assert.deepEqual(errors(withNotice, { code: 'prereview', date: '2023-05-20' }), []);
  assert.equal(RULES_2026.awaitingConfirmation, true);
  assert.deepEqual(errors(upToActivist, { code: 'candidate', date: '2023-03-10' }, '1995-06-01', RULES_2026), ['NOTICE_MISSING']);
});

test('art. 16–17: 政审 passed and training of 3 days or 24 hours before the committee reviews', () => {
  const base = [...upToActivist, { code: 'candidate', date: '2023-03-10' }];
  assert.deepEqual(errors(base, { code: 'training', date: '2023-04-10', data: { days: 2, hours: 23 } }), ['TRAINING_SHORT']);
  assert.deepEqual(errors(base, { code: 'training', date: '2023-04-10', data: { hours: 24 } }), []);
  const failed: RecordedStep[] = [
    ...base,
    { code: 'sponsors', date: '2023-03-12', data: { people: [full('王一'), full('李二')] } },
    { code: 'politicalReview', date: '2023-04-01', data: { conclusion: 'failed' } },
    { code: 'training', date: '2023-04-10', data: { days: 3 } },
  ];
  assert.deepEqual(errors(failed, { code: 'committeeReview', date: '2023-05-01' }), ['REVIEW_FAILED']);
});

test('arts. 20–21: quorum and pass counted on voting full members; a tie fails', () => {
  assert.deepEqual(tallyVote({ shouldAttend: 10, present: 6, yes: 6, no: 0, abstain: 0 }), { quorum: true, passed: true, yes: 6, problems: [] });
  assert.equal(tallyVote({ shouldAttend: 10, present: 5, yes: 5, no: 0, abstain: 0 }).quorum, false, 'exactly half present is no quorum');
  assert.equal(tallyVote({ shouldAttend: 10, present: 8, yes: 5, no: 3, abstain: 0 }).passed, false, 'a tie at half fails');
  assert.equal(tallyVote({ shouldAttend: 10, present: 8, yes: 5, no: 3, abstain: 0, writtenYes: 1 }).passed, true, 'written opinions count');
  assert.equal(tallyVote({ shouldAttend: 10, present: 8, yes: 5, no: 4, abstain: 0 }).problems.length, 1);
});

test('党章 art. 7: a probationary member has no vote and is not counted', () => {
  const roster = [
    ...Array.from({ length: 4 }, () => ({ category: '正式党员' as const, present: true, vote: 'yes' as const })),
    ...Array.from({ length: 4 }, () => ({ category: '正式党员' as const, present: true, vote: 'no' as const })),
    { category: '预备党员' as const, present: true, vote: 'yes' as const },
  ];
  const count = countRoster(roster);
  assert.deepEqual([count.shouldAttend, count.present, count.yes], [8, 8, 4]);
  assert.equal(tallyVote(count).passed, false, '4 of 8: the probationary yes would have made it pass');
});

test('art. 25: approval within 3 months, at most 6; art. 32: one year of probation, one extension of 6–12 months', () => {
  const voted: RecordedStep[] = [{ code: 'admissionVote', date: '2023-06-15' }, { code: 'upperTalk', date: '2023-06-20' }];
  const h = (extra: RecordedStep[] = []) => [...upToActivist, ...voted, ...extra];
  assert.deepEqual(warnings(h(), { code: 'approval', date: '2023-09-15' }), []);
  assert.deepEqual(warnings(h(), { code: 'approval', date: '2023-09-16' }), ['APPROVAL_LATE']);
  assert.deepEqual(errors(h(), { code: 'approval', date: '2023-12-16' }).filter((c) => c !== 'OUT_OF_ORDER'), ['APPROVAL_TOO_LATE']);
  const approved = h([{ code: 'approval', date: '2023-08-01' }]);
  assert.deepEqual(probationPeriod(RULES_2014, approved), { start: '2023-06-15', end: '2024-06-15', extended: false });
  const requested = [...approved, { code: 'conversionRequest', date: '2024-06-01' }];
  assert.deepEqual(errors(requested, { code: 'conversionVote', date: '2024-06-14', data: { vote: { shouldAttend: 9, present: 9, yes: 9, no: 0, abstain: 0 } } }), ['PROBATION_NOT_OVER']);
  assert.deepEqual(errors(requested, { code: 'conversionVote', date: '2024-06-15', data: { vote: { shouldAttend: 9, present: 9, yes: 9, no: 0, abstain: 0 } } }), []);
  assert.deepEqual(errors(requested, { code: 'extension', date: '2024-06-15', data: { months: 5 } }), ['EXTENSION_LENGTH']);
  const extended = [...requested, { code: 'extension', date: '2024-06-15', data: { months: 6 } }];
  assert.equal(probationPeriod(RULES_2014, extended)?.end, '2024-12-15');
  assert.deepEqual(errors(extended, { code: 'extension', date: '2024-12-15', data: { months: 6 } }), ['ALREADY_RECORDED', 'EXTENDED_ONCE']);
  assert.equal(currentStage(extended), 'probation');
});

test('months are calendar months, clamped at the month end', () => {
  assert.equal(addMonths('2023-01-31', 1), '2023-02-28');
  assert.equal(addMonths('2024-02-29', 12), '2025-02-28');
  assert.equal(addMonths('2023-06-15', -1), '2023-05-15');
});
