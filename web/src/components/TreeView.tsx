/**
 * One tree (areas or orgs) with search: matches keep their ancestors visible and expanded, and
 * the matched text is marked. Long names ellipsize and keep their full text in a tooltip.
 */
import { useEffect, useMemo, useState } from 'react';
import { Empty, Tag, Tree } from 'antd';
import type { TreeDataNode } from 'antd';
import { ancestorCodes, buildForest, matches, type Flat, type Node } from '../lib/tree.ts';

export interface TreeItem extends Flat {
  kind: string;
  retired: boolean;
}

const KIND_COLORS: Record<string, string> = {
  区: 'magenta',
  街道: 'red',
  村: 'green',
  社区: 'blue',
  小区: 'cyan',
  网格: 'default',
  党工委: 'red',
  党委: 'volcano',
  党总支: 'orange',
  党支部: 'gold',
  党小组: 'default',
};

export function KindTag({ kind }: { kind: string }) {
  return (
    <Tag color={KIND_COLORS[kind] ?? 'default'} style={{ marginInlineEnd: 0, flex: 'none' }}>
      {kind}
    </Tag>
  );
}

function Highlight({ text, q }: { text: string; q: string }) {
  const s = q.trim();
  const i = s ? text.toLowerCase().indexOf(s.toLowerCase()) : -1;
  if (i < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, i)}
      <mark style={{ padding: 0, background: '#ffe58f' }}>{text.slice(i, i + s.length)}</mark>
      {text.slice(i + s.length)}
    </>
  );
}

interface Props<T extends TreeItem> {
  items: readonly T[];
  query: string;
  selected: string | null;
  onSelect: (code: string | null) => void;
  meta: (item: T) => string;
  emptyText: string;
  testId: string;
}

export function TreeView<T extends TreeItem>({ items, query, selected, onSelect, meta, emptyText, testId }: Props<T>) {
  const forest = useMemo(() => buildForest(items), [items]);
  // Default: roots open, so a chosen area shows its children at once; after that the user's
  // own opening and closing is kept across reloads (codes are stable).
  const [userExpanded, setExpanded] = useState<string[] | null>(null);
  const expanded = useMemo(() => userExpanded ?? forest.map((n) => n.item.code), [userExpanded, forest]);

  // A node selected from outside (just created or moved) is shown with its ancestors open.
  useEffect(() => {
    if (!selected) return;
    const byCode = new Map(items.map((i) => [i.code, i]));
    const missing = ancestorCodes(byCode, selected).filter((c) => !expanded.includes(c));
    if (missing.length) setExpanded([...expanded, ...missing]);
  }, [selected, items, expanded]);

  const { data, searchExpanded, hits } = useMemo(() => {
    const open: string[] = [];
    let count = 0;
    const walk = (nodes: Node<T>[]): TreeDataNode[] => {
      const out: TreeDataNode[] = [];
      for (const n of nodes) {
        const children = walk(n.children);
        const self = query.trim() !== '' && matches(n.item, query);
        if (self) count++;
        if (query.trim() && !self && children.length === 0) continue;
        if (query.trim() && children.length > 0) open.push(n.item.code);
        const m = meta(n.item);
        out.push({
          key: n.item.code,
          title: (
            <span className={`tree-title${n.item.retired ? ' retired' : ''}`} title={`${n.item.name}（${n.item.code}）`}>
              <KindTag kind={n.item.kind} />
              <span className="tree-title-name ellipsis">
                <Highlight text={n.item.name} q={query} />
              </span>
              {query.trim() && n.item.code.toLowerCase().includes(query.trim().toLowerCase()) && (
                <span className="tree-title-meta">
                  <Highlight text={n.item.code} q={query} />
                </span>
              )}
              {n.item.retired && <span className="tree-title-meta">已撤销</span>}
              {m && <span className="tree-title-meta">{m}</span>}
            </span>
          ),
          children,
          isLeaf: children.length === 0,
        });
      }
      return out;
    };
    const d = walk(forest);
    return { data: d, searchExpanded: open, hits: count };
  }, [forest, query, meta]);

  if (items.length === 0) return <Empty description={emptyText} style={{ margin: '32px 0' }} />;
  if (query.trim() && hits === 0) return <Empty description={`没有名称或编码包含“${query.trim()}”的节点`} style={{ margin: '32px 0' }} />;

  return (
    <div className="tree-scroll" data-testid={testId}>
      <Tree
        className="jc-tree"
        blockNode
        treeData={data}
        virtual={false}
        expandedKeys={query.trim() ? searchExpanded : expanded}
        onExpand={(keys) => {
          if (!query.trim()) setExpanded(keys.map(String));
        }}
        selectedKeys={selected ? [selected] : []}
        onSelect={(keys) => onSelect(keys.length ? String(keys[0]) : null)}
      />
    </div>
  );
}

/** "下级 3 · 党组织 4", leaving out zeros so leaves stay quiet. */
export function countsText(parts: Array<[string, number]>): string {
  return parts
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${label} ${n}`)
    .join(' · ');
}
