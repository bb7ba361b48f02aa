import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GENESIS_HASH, auditHash, verifyChain, type AuditEntryFields } from './audit-chain.ts';

const key = Buffer.alloc(32, 7);

function chain(n: number) {
  const out: Array<AuditEntryFields & { hash: string }> = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e: AuditEntryFields = {
      seq, at: `2026-01-0${seq}T00:00:00.000Z`, userId: 1, username: 'admin', ip: '127.0.0.1', action: 'update',
      entity: 'area', entityId: `A${seq}`, areaPath: '/1/', before: '{"name":"旧"}', after: '{"name":"新"}', detail: null, prevHash: prev,
    };
    const hash = auditHash(key, e);
    out.push({ ...e, hash });
    prev = hash;
  }
  return out;
}

test('an intact chain verifies', () => {
  const c = chain(5);
  assert.equal(verifyChain(key, c, { seq: 5, hash: c[4]!.hash, firstSeq: 1 }), null);
});

test('a changed entry is named', () => {
  const c = chain(5);
  c[2] = { ...c[2]!, after: '{"name":"篡改"}' };
  assert.equal(verifyChain(key, c, { seq: 5, hash: c[4]!.hash, firstSeq: 1 })?.seq, 3);
});

test('a deleted entry in the middle, at the end, or at the start is named', () => {
  const c = chain(5);
  const head = { seq: 5, hash: c[4]!.hash, firstSeq: 1 };
  assert.equal(verifyChain(key, [c[0]!, c[1]!, c[3]!, c[4]!], head)?.seq, 3);
  assert.equal(verifyChain(key, c.slice(0, 4), head)?.seq, 5);
  assert.equal(verifyChain(key, c.slice(1), head)?.seq, 1);
});

test('a recomputed hash without the key does not pass', () => {
  const c = chain(3);
  const forged = { ...c[1]!, after: '{"x":1}' };
  forged.hash = auditHash(Buffer.alloc(32, 9), forged);
  assert.equal(verifyChain(key, [c[0]!, forged, c[2]!], { seq: 3, hash: c[2]!.hash, firstSeq: 1 })?.seq, 2);
});
