/**
 * The audit log's hash chain. Each entry's hash is an HMAC over its own fields and the previous
 * entry's hash, keyed with the installation's secret key, so an entry cannot be changed, removed
 * or inserted without `jiceng audit verify` noticing — even by someone who can write SQL but does
 * not hold the key file.
 */
import { createHmac } from 'node:crypto';

export interface AuditEntryFields {
  seq: number;
  at: string;
  userId: number | null;
  username: string | null;
  ip: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  areaPath: string | null;
  before: string | null;
  after: string | null;
  detail: string | null;
  prevHash: string;
}

/** The hash that precedes the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export function auditHash(key: Buffer, e: AuditEntryFields): string {
  // A JSON array fixes field order and escapes separators, so two entries never share a preimage.
  const preimage = JSON.stringify([
    e.seq,
    e.at,
    e.userId,
    e.username,
    e.ip,
    e.action,
    e.entity,
    e.entityId,
    e.areaPath,
    e.before,
    e.after,
    e.detail,
    e.prevHash,
  ]);
  return createHmac('sha256', key).update(preimage).digest('hex');
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

type Head = { seq: number; hash: string; firstSeq: number };
type Entry = AuditEntryFields & { hash: string };

/**
 * Checks entries fed in sequence order, one at a time (so a long log needs no memory).
 * `head` is the chain head kept beside the log (last seq and hash), which catches removal of the
 * newest entries; `firstSeq` is where the log starts: 1, or later once entries past their
 * retention period were pruned (the first remaining prevHash is then taken as given).
 */
export function createChainVerifier(key: Buffer, head: Head) {
  let prev: { seq: number; hash: string } | null = null;
  return {
    push(e: Entry): ChainBreak | null {
      if (!prev && e.seq !== head.firstSeq) return { seq: head.firstSeq, reason: `日志开头缺少记录（应自第${head.firstSeq}条起）` };
      if (prev && e.seq !== prev.seq + 1) return { seq: prev.seq + 1, reason: `缺少第${prev.seq + 1}条记录（已被删除）` };
      if (prev && e.prevHash !== prev.hash) return { seq: e.seq, reason: '与上一条记录的哈希不衔接' };
      if (auditHash(key, e) !== e.hash) return { seq: e.seq, reason: '内容与哈希不符（已被篡改）' };
      prev = { seq: e.seq, hash: e.hash };
      return null;
    },
    finish(): ChainBreak | null {
      const lastSeq = prev?.seq ?? head.firstSeq - 1;
      if (lastSeq !== head.seq) return { seq: lastSeq + 1, reason: `日志末尾缺少记录（应至第${head.seq}条）` };
      if (prev && prev.hash !== head.hash) return { seq: prev.seq, reason: '与链头哈希不符' };
      return null;
    },
  };
}

export function verifyChain(key: Buffer, entries: Iterable<Entry>, head: Head): ChainBreak | null {
  const v = createChainVerifier(key, head);
  for (const e of entries) {
    const broken = v.push(e);
    if (broken) return broken;
  }
  return v.finish();
}
