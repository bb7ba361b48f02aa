/** Header drop-down over the user's area tree; the choice lives in the URL as `?area=CODE`. */
import { useEffect, useMemo } from 'react';
import { TreeSelect } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import type { TArea } from '../../../src/shared/schemas.ts';
import { useAreas, useAreaParam } from '../lib/areas.tsx';
import { useMe } from '../lib/auth.tsx';
import { buildForest, type Node } from '../lib/tree.ts';

export interface AreaOption {
  value: string;
  title: string;
  label: string;
  search: string;
  disabled?: boolean;
  children: AreaOption[];
}

function toOptions(nodes: Node<TArea>[], disabled?: (a: TArea) => boolean): AreaOption[] {
  return nodes.map((n) => ({
    value: n.item.code,
    title: `${n.item.name}${n.item.retiredOn ? '（已撤销）' : ''}`,
    label: n.item.name,
    search: `${n.item.name} ${n.item.code}`.toLowerCase(),
    ...(disabled?.(n.item) ? { disabled: true } : {}),
    children: toOptions(n.children, disabled),
  }));
}

/** Tree options of areas for any area drop-down (optionally greying some out). */
export function useAreaOptions(disabled?: (a: TArea) => boolean): AreaOption[] {
  const { items } = useAreas();
  return useMemo(() => toOptions(buildForest(items), disabled), [items, disabled]);
}

export const areaSearch = {
  filterTreeNode: (input: string, node: unknown) => String((node as { search?: string }).search ?? '').includes(input.trim().toLowerCase()),
};

export function AreaPicker({ phone }: { phone: boolean }) {
  const me = useMe();
  const { items, loading, byCode } = useAreas();
  const [area, setArea] = useAreaParam();
  const options = useAreaOptions();
  const value = area ?? me.area?.code ?? items[0]?.code;
  const rootCodes = useMemo(() => options.map((o) => o.value), [options]);

  // An area in the URL outside this user's scope (an old link, another user's bookmark) is dropped.
  useEffect(() => {
    if (area && !loading && items.length > 0 && !byCode.has(area)) setArea(null);
  }, [area, loading, items, byCode, setArea]);

  return (
    <TreeSelect
      data-testid="area-picker"
      aria-label="选择区域"
      value={value && (byCode.has(value) || loading) ? value : undefined}
      treeData={options}
      treeNodeLabelProp="label"
      loading={loading}
      showSearch={areaSearch}
      treeDefaultExpandedKeys={rootCodes}
      placeholder="选择区域"
      prefix={phone ? undefined : <EnvironmentOutlined style={{ color: '#c0392b' }} />}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { minWidth: phone ? 280 : 320, maxWidth: '92vw' } } }}
      listHeight={phone ? 320 : 420}
      style={{ width: phone ? '100%' : 260, maxWidth: '100%' }}
      onChange={(code: string) => setArea(code)}
    />
  );
}
