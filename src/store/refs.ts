/**
 * Codes ↔ ids of areas and organizations, loaded once per request or import, so resolving the
 * codes of 100,000 rows costs no query per row.
 */
import type { Reader } from './unit-of-work.ts';

export interface AreaRef {
  id: number;
  code: string;
  name: string;
  kind: string;
  path: string;
  rootId: number;
}

export interface OrgRef {
  id: number;
  code: string;
  name: string;
  kind: string;
  areaId: number;
}

const CACHE = new WeakMap<object, { hash: string; index: RefIndex }>();

/** Codes and ids of areas and organizations. Treat as read-only: a loaded index may be shared. */
export class RefIndex {
  readonly areasByCode = new Map<string, AreaRef>();
  readonly areasById = new Map<number, AreaRef>();
  readonly orgsByCode = new Map<string, OrgRef>();
  readonly orgsById = new Map<number, OrgRef>();

  /**
   * The index for `db`. Outside a transaction it is cached per database and reused while the audit
   * chain head is unchanged: every write appends to the chain (a restore too), so the head's hash
   * changes whenever anything — a tree above all — may have changed. Exact, and one row to check.
   */
  static async load(db: Reader): Promise<RefIndex> {
    if (db.isTransaction) return RefIndex.read(db);
    const head = await db.selectFrom('audit_head').select('hash').where('id', '=', 1).executeTakeFirst();
    const cached = CACHE.get(db);
    if (cached && head && cached.hash === head.hash) return cached.index;
    const index = await RefIndex.read(db);
    if (head) CACHE.set(db, { hash: head.hash, index });
    return index;
  }

  private static async read(db: Reader): Promise<RefIndex> {
    const idx = new RefIndex();
    const areas = await db.selectFrom('areas').select(['id', 'code', 'name', 'kind', 'path']).execute();
    for (const a of areas) {
      const ref = { id: a.id, code: a.code, name: a.name, kind: a.kind, path: a.path, rootId: Number(a.path.split('/')[1]) };
      idx.areasByCode.set(a.code, ref);
      idx.areasById.set(a.id, ref);
    }
    const orgs = await db.selectFrom('orgs').select(['id', 'code', 'name', 'kind', 'area_id']).execute();
    for (const o of orgs) {
      const ref = { id: o.id, code: o.code, name: o.name, kind: o.kind, areaId: o.area_id };
      idx.orgsByCode.set(o.code, ref);
      idx.orgsById.set(o.id, ref);
    }
    return idx;
  }

  orgArea(org: OrgRef): AreaRef {
    return this.areasById.get(org.areaId)!;
  }
}
