/** Flat lists from the API (ordered by path) into nested nodes, and the searches over them. */
export interface Flat {
  code: string;
  parentCode: string | null;
  name: string;
}

export interface Node<T extends Flat> {
  item: T;
  children: Node<T>[];
}

export const collator = new Intl.Collator('zh-CN', { numeric: true });

/** Roots are items without a parent in the list (a scoped user's top node has its parent outside). */
export function buildForest<T extends Flat>(items: readonly T[]): Node<T>[] {
  const nodes = new Map<string, Node<T>>();
  for (const item of items) nodes.set(item.code, { item, children: [] });
  const roots: Node<T>[] = [];
  for (const node of nodes.values()) {
    const parent = node.item.parentCode ? nodes.get(node.item.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: Node<T>[]) => {
    list.sort((a, b) => collator.compare(a.item.code, b.item.code));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Codes of a node and everything under it. */
export function subtreeCodes<T extends Flat>(items: readonly T[], code: string): Set<string> {
  const out = new Set<string>([code]);
  // Lists come parent-before-child (ordered by path), so one pass collects the subtree.
  let grew = true;
  while (grew) {
    grew = false;
    for (const i of items) {
      if (i.parentCode && out.has(i.parentCode) && !out.has(i.code)) {
        out.add(i.code);
        grew = true;
      }
    }
  }
  return out;
}

/** Codes of the ancestors of `code` present in the list, nearest first. */
export function ancestorCodes<T extends Flat>(byCode: ReadonlyMap<string, T>, code: string): string[] {
  const out: string[] = [];
  let cur = byCode.get(code)?.parentCode ?? null;
  while (cur && byCode.has(cur) && !out.includes(cur)) {
    out.push(cur);
    cur = byCode.get(cur)?.parentCode ?? null;
  }
  return out;
}

export function matches(item: Flat, q: string): boolean {
  const s = q.trim().toLowerCase();
  return !s || item.name.toLowerCase().includes(s) || item.code.toLowerCase().includes(s);
}
