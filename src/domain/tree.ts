/**
 * Rules of the two trees (DESIGN.md "Data conventions"): which kind of node may sit under which,
 * materialized paths, and cycle checks. Pure functions; the store calls them inside its
 * transactions and the web app calls them to offer only valid parents.
 */
import type { AreaKind, OrgKind } from '../shared/constants.ts';

/**
 * Allowed parents per area kind. `null` means "may be a root". 小区 sits under 社区 (a village's
 * compounds are its 网格, not 小区, in the demo street and in most municipal grid schemes).
 */
export const AREA_PARENTS: Record<AreaKind, ReadonlyArray<AreaKind | null>> = {
  区: [null],
  街道: [null, '区'],
  村: ['街道'],
  社区: ['街道'],
  小区: ['社区'],
  网格: ['村', '社区', '小区'],
};

/**
 * Allowed parents per organization kind, after 《中国共产党支部工作条例（试行）》 (2018) art. 5–6:
 * a 党小组 is set up within a 党支部 only; a 党支部 sits under a 党总支 or a 基层党委/党工委.
 */
export const ORG_PARENTS: Record<OrgKind, ReadonlyArray<OrgKind | null>> = {
  党工委: [null, '党委'],
  党委: [null, '党工委', '党委'],
  党总支: ['党工委', '党委'],
  党支部: ['党工委', '党委', '党总支'],
  党小组: ['党支部'],
};

export function allowedParentKinds<K extends string>(
  rules: Record<K, ReadonlyArray<K | null>>,
  kind: K,
): ReadonlyArray<K | null> {
  return rules[kind];
}

/** Chinese message when `kind` may not sit under `parentKind` (null = as a root), else null. */
export function nestingViolation<K extends string>(
  rules: Record<K, ReadonlyArray<K | null>>,
  kind: K,
  parentKind: K | null,
): string | null {
  const allowed = rules[kind];
  if (allowed.includes(parentKind)) return null;
  const names = allowed.map((k) => (k === null ? '（无上级）' : k)).join('、');
  if (parentKind === null) return `“${kind}”必须有上级，上级可以是：${names}`;
  return `“${kind}”不能设在“${parentKind}”之下，上级只能是：${names}`;
}

/** Path of a node whose parent has `parentPath` (or that is a root): `/1/5/23/`. */
export function childPath(parentPath: string | null, id: number): string {
  return `${parentPath ?? '/'}${id}/`;
}

/** True when moving a node at `nodePath` under `newParentPath` would put it under itself. */
export function wouldCreateCycle(nodePath: string, newParentPath: string): boolean {
  return newParentPath.startsWith(nodePath);
}

/** The ids on a path, root first. */
export function pathIds(path: string): number[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map(Number);
}

/** Whether `path` lies in the subtree whose root has `scopePath` (null scope = everything). */
export function inSubtree(path: string, scopePath: string | null): boolean {
  return scopePath === null || path.startsWith(scopePath);
}

/** Codes are what users type in spreadsheets: letters, digits, '-' and '_', 1–40 characters. */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
export const CODE_HINT = '编码只能由字母、数字、“-”和“_”组成，长度1至40位';
