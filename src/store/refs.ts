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

export class RefIndex {
  readonly areasByCode = new Map<string, AreaRef>();
  readonly areasById = new Map<number, AreaRef>();
  readonly orgsByCode = new Map<string, OrgRef>();
  readonly orgsById = new Map<number, OrgRef>();

  static async load(db: Reader): Promise<RefIndex> {
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

  /** Adds an area created during an import, so later rows of the same file may name it. */
  addArea(ref: AreaRef) {
    this.areasByCode.set(ref.code, ref);
    this.areasById.set(ref.id, ref);
  }

  orgArea(org: OrgRef): AreaRef {
    return this.areasById.get(org.areaId)!;
  }
}
