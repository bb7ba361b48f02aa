import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AREA_PARENTS, ORG_PARENTS, childPath, inSubtree, nestingViolation, pathIds, wouldCreateCycle } from './tree.ts';

test('area nesting: 村/社区 under 街道, 小区 under 社区, 网格 under 村/社区/小区', () => {
  const ok: Array<[string, string | null]> = [
    ['街道', null], ['街道', '区'], ['村', '街道'], ['社区', '街道'], ['小区', '社区'], ['网格', '村'], ['网格', '社区'], ['网格', '小区'], ['区', null],
  ];
  for (const [kind, parent] of ok) assert.equal(nestingViolation(AREA_PARENTS, kind as never, parent as never), null, `${kind} under ${parent}`);
  const bad: Array<[string, string | null]> = [
    ['村', null], ['村', '社区'], ['小区', '街道'], ['小区', '村'], ['网格', '街道'], ['网格', '网格'], ['社区', '社区'], ['区', '街道'],
  ];
  for (const [kind, parent] of bad) assert.match(nestingViolation(AREA_PARENTS, kind as never, parent as never) ?? '', /上级/, `${kind} under ${parent}`);
});

test('org nesting: 党小组 only under 党支部 (支部工作条例 art. 6), 党支部 under 党总支/党委/党工委', () => {
  assert.equal(nestingViolation(ORG_PARENTS, '党小组', '党支部'), null);
  for (const p of ['党总支', '党委', '党工委', null] as const) assert.ok(nestingViolation(ORG_PARENTS, '党小组', p));
  for (const p of ['党总支', '党委', '党工委'] as const) assert.equal(nestingViolation(ORG_PARENTS, '党支部', p), null);
  assert.ok(nestingViolation(ORG_PARENTS, '党支部', '党支部'));
  assert.ok(nestingViolation(ORG_PARENTS, '党支部', null));
  assert.equal(nestingViolation(ORG_PARENTS, '党工委', null), null);
});

test('paths: child path, subtree membership, cycles', () => {
  assert.equal(childPath(null, 1), '/1/');
  assert.equal(childPath('/1/5/', 23), '/1/5/23/');
  assert.deepEqual(pathIds('/1/5/23/'), [1, 5, 23]);
  assert.ok(inSubtree('/1/5/23/', '/1/5/'));
  assert.ok(!inSubtree('/1/50/', '/1/5/'), 'a prefix of digits is not a subtree');
  assert.ok(inSubtree('/9/', null));
  assert.ok(wouldCreateCycle('/1/5/', '/1/5/'));
  assert.ok(wouldCreateCycle('/1/5/', '/1/5/7/'));
  assert.ok(!wouldCreateCycle('/1/5/', '/1/6/'));
});
