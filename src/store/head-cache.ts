/**
 * Results kept while the database is unchanged. Every write appends to the audit chain in its own
 * transaction (a restore replaces the chain), so the chain head's hash changes with every change
 * of data: a result cached under the head it was computed at is exact until the head moves.
 * For answers that are costly and asked again and again (a district's 组织生活 table feeds the
 * compliance page, the dashboard and the report). Cached values are shared: callers must not
 * change them.
 */
import type { Db } from './db.ts';

const CAPACITY = 32;
const caches = new WeakMap<Db, Map<string, { hash: string; value: Promise<unknown> }>>();

export async function cachedWhileUnchanged<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  const head = await db.selectFrom('audit_head').select('hash').where('id', '=', 1).executeTakeFirst();
  if (!head) return compute();
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.hash === head.hash) {
    // Most recently used last, so the oldest is dropped first.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as Promise<T>;
  }
  const value = compute();
  cache.set(key, { hash: head.hash, value });
  value.catch(() => cache.delete(key));
  if (cache.size > CAPACITY) cache.delete(cache.keys().next().value!);
  return value;
}
