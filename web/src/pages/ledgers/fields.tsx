/**
 * One field of a ledger, by its type: how its value reads in a list and in the detail, and which
 * input a form offers for it (dates, numbers, drop-downs over enums, areas and organizations).
 */
import { useMemo } from 'react';
import { DatePicker, Input, InputNumber, Select, Tooltip, TreeSelect, Typography } from 'antd';
import type { DefaultOptionType } from 'antd/es/select';
import type { TArea, TOrg } from '../../../../src/shared/schemas.ts';
import { useAreas } from '../../lib/areas.tsx';
import { buildForest, collator, type Node } from '../../lib/tree.ts';
import { formatAmount, formatNumber, isEmpty, shownLabel, useOrgs, type LedgerField, type LedgerInfo } from '../../lib/ledgers.tsx';
import { areaSearch } from '../../components/AreaPicker.tsx';

/** Names of the codes a ledger's area, org and unit fields hold. */
export interface CodeNames {
  area: (code: string) => string | null;
  org: (code: string) => string | null;
  areas: readonly TArea[];
  orgs: readonly TOrg[];
  orgsLoading: boolean;
}

export function useCodeNames(ledger: LedgerInfo | undefined): CodeNames {
  const { items: areas, byCode } = useAreas();
  const needsOrgs = Boolean(ledger?.fields.some((f) => f.type === 'org' || f.type === 'unit'));
  const orgs = useOrgs(needsOrgs);
  return useMemo(
    () => ({
      area: (code: string) => byCode.get(code)?.name ?? null,
      org: (code: string) => orgs.byCode.get(code)?.name ?? null,
      areas,
      orgs: orgs.items,
      orgsLoading: orgs.loading,
    }),
    [byCode, areas, orgs],
  );
}

function codeName(f: LedgerField, code: string, names: CodeNames): string | null {
  if (f.type === 'area') return names.area(code);
  if (f.type === 'org') return names.org(code);
  return names.org(code) ?? names.area(code);
}

const DASH = <Typography.Text type="secondary">—</Typography.Text>;

/** The value as text (for tooltips, the detail and tests). */
export function valueText(f: LedgerField, v: unknown, names: CodeNames): string {
  if (isEmpty(v)) return '—';
  if (f.type === 'amount') return `${formatAmount(v as string)} 元`;
  if (f.type === 'integer' || f.type === 'quantity') return `${formatNumber(v as string | number)}${f.unit ? ' ' + f.unit : ''}`;
  if (f.type === 'area' || f.type === 'org' || f.type === 'unit') {
    const name = codeName(f, String(v), names);
    return name ? `${name}（${String(v)}）` : String(v);
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

/** A cell of the list: short, truncated with a tooltip when long; money and numbers right-aligned. */
export function FieldCell({ field: f, value: v, names }: { field: LedgerField; value: unknown; names: CodeNames }) {
  if (isEmpty(v)) return DASH;
  switch (f.type) {
    case 'amount':
      return <span className="num">{formatAmount(v as string)} 元</span>;
    case 'integer':
    case 'quantity':
      return <span className="num">{formatNumber(v as string | number)}</span>;
    case 'area':
    case 'org':
    case 'unit': {
      const name = codeName(f, String(v), names);
      return (
        <Tooltip title={name ? `${name}（${String(v)}）` : String(v)} placement="topLeft">
          <span className="cell-ellipsis">{name ?? String(v)}</span>
        </Tooltip>
      );
    }
    case 'text':
    case 'longtext':
      return (
        <Tooltip title={<span style={{ whiteSpace: 'pre-wrap' }}>{String(v)}</span>} placement="topLeft">
          <span className="cell-ellipsis">{String(v)}</span>
        </Tooltip>
      );
    default:
      return <span className="cell-ellipsis">{typeof v === 'boolean' ? (v ? '是' : '否') : String(v)}</span>;
  }
}

/** A value in the detail drawer: whole, long text wrapped. */
export function FieldFull({ field: f, value: v, names }: { field: LedgerField; value: unknown; names: CodeNames }) {
  if (isEmpty(v)) return DASH;
  if (f.type === 'area' || f.type === 'org' || f.type === 'unit') {
    const name = codeName(f, String(v), names);
    // The code never breaks at its hyphen.
    return name ? (
      <span style={{ wordBreak: 'break-word' }}>
        {name}
        <span style={{ whiteSpace: 'nowrap', color: 'rgba(0,0,0,0.45)' }}>（{String(v)}）</span>
      </span>
    ) : (
      <span>{String(v)}</span>
    );
  }
  if (f.type === 'longtext') return <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{String(v)}</span>;
  return <span style={{ wordBreak: 'break-word' }}>{valueText(f, v, names)}</span>;
}

/** Column width by type, wide enough for the header (with its sort arrows). */
export function columnWidth(f: LedgerField): number {
  const header = shownLabel(f).length * 14 + 44;
  let w: number;
  switch (f.type) {
    case 'date':
      w = 112;
      break;
    case 'integer':
      w = 96;
      break;
    case 'amount':
      w = 140;
      break;
    case 'quantity':
      w = 100;
      break;
    case 'boolean':
      w = 80;
      break;
    case 'enum':
      w = Math.min(170, Math.max(80, Math.max(...(f.values ?? ['']).map((s) => s.length)) * 14 + 24));
      break;
    case 'longtext':
      w = 240;
      break;
    case 'idNumber':
      w = 190;
      break;
    case 'phone':
      w = 130;
      break;
    case 'area':
    case 'org':
    case 'unit':
      w = 180;
      break;
    default:
      w = 150;
  }
  return Math.max(w, header);
}

// ------------------------------------------------------------------------------------------ inputs

interface AreaOpt {
  value: string;
  title: string;
  label: string;
  search: string;
  disabled?: boolean;
  children: AreaOpt[];
}

function areaOptions(nodes: Node<TArea>[], kind: string | undefined): AreaOpt[] {
  return nodes.map((n) => ({
    value: n.item.code,
    title: `${n.item.name}${n.item.retiredOn ? '（已撤销）' : ''}`,
    label: n.item.name,
    search: `${n.item.name} ${n.item.code}`.toLowerCase(),
    ...(n.item.retiredOn || (kind && n.item.kind !== kind) ? { disabled: true } : {}),
    children: areaOptions(n.children, kind),
  }));
}

/** Area codes of the user's scope as a tree; only areas of `kind` (e.g. 网格) can be chosen. */
export function AreaInput(props: { value?: string | null; onChange?: (v: string | null) => void; kind?: string; id?: string; size?: 'large' | 'middle' }) {
  const { items, loading } = useAreas();
  const options = useMemo(() => areaOptions(buildForest(items), props.kind), [items, props.kind]);
  const expanded = useMemo(() => options.map((o) => o.value), [options]);
  return (
    <TreeSelect
      id={props.id}
      value={props.value ?? undefined}
      onChange={(v: string | undefined) => props.onChange?.(v ?? null)}
      treeData={options}
      treeNodeLabelProp="label"
      showSearch={areaSearch}
      allowClear
      loading={loading}
      treeDefaultExpandedKeys={expanded}
      placeholder={props.kind ? `选择${props.kind}（可输入名称或编码搜索）` : '选择区域（可输入名称或编码搜索）'}
      listHeight={360}
      size={props.size}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { minWidth: 280, maxWidth: '92vw' } } }}
      style={{ width: '100%' }}
    />
  );
}

function orgOption(o: TOrg) {
  return { value: o.code, label: `${o.name}（${o.code}）`, search: `${o.name} ${o.code} ${o.areaName}`.toLowerCase(), disabled: Boolean(o.dissolvedOn) };
}

const optionSearch = { filterOption: (input: string, o?: unknown) => String((o as { search?: string } | undefined)?.search ?? '').includes(input.trim().toLowerCase()) };

/** Organizations (org fields), or areas and organizations together (unit fields). */
export function OrgInput(props: { value?: string | null; onChange?: (v: string | null) => void; unit?: boolean; names: CodeNames; id?: string }) {
  const { names } = props;
  const options = useMemo((): DefaultOptionType[] => {
    const orgs = [...names.orgs].sort((a, b) => collator.compare(a.path, b.path)).map(orgOption);
    if (!props.unit) return orgs;
    const areas = names.areas.map((a) => ({
      value: a.code,
      label: `${a.name}（${a.code}）`,
      search: `${a.name} ${a.code}`.toLowerCase(),
      disabled: Boolean(a.retiredOn),
    }));
    return [
      { label: '区域', title: '区域', options: areas },
      { label: '党组织', title: '党组织', options: orgs },
    ];
  }, [names.orgs, names.areas, props.unit]);
  return (
    <Select
      id={props.id}
      value={props.value ?? undefined}
      onChange={(v: string | undefined) => props.onChange?.(v ?? null)}
      options={options}
      showSearch={optionSearch}
      allowClear
      loading={names.orgsLoading}
      placeholder={props.unit ? '选择区域或党组织（可搜索）' : '选择党组织（可输入名称或编码搜索）'}
      listHeight={320}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxWidth: '92vw' } } }}
      style={{ width: '100%' }}
    />
  );
}

/** The form control for one field (Form.Item passes value/onChange). */
export function FieldInput(props: { field: LedgerField; names: CodeNames; editing: boolean; id?: string; value?: unknown; onChange?: (v: unknown) => void }) {
  const { field: f, names, editing, id, value, onChange } = props;
  const common = { id, style: { width: '100%' } };
  switch (f.type) {
    case 'longtext':
      return <Input.TextArea {...common} value={(value as string) ?? ''} onChange={(e) => onChange?.(e.target.value)} autoSize={{ minRows: 3, maxRows: 8 }} />;
    case 'enum':
    case 'boolean':
      return (
        <Select
          {...common}
          value={(value as string) ?? undefined}
          onChange={(v: string | undefined) => onChange?.(v ?? null)}
          allowClear={!f.required}
          placeholder={`选择${f.label}`}
          options={(f.values ?? []).map((v) => ({ value: v, label: v }))}
          showSearch={(f.values?.length ?? 0) > 8 ? {} : false}
        />
      );
    case 'date':
      return <DatePicker {...common} value={(value as never) ?? null} onChange={(d) => onChange?.(d)} placeholder="选择日期" format="YYYY-MM-DD" />;
    case 'integer':
      return (
        <InputNumber
          {...common}
          value={(value as number) ?? null}
          onChange={(v) => onChange?.(v)}
          min={0}
          precision={0}
          inputMode="numeric"
          {...(f.unit ? { suffix: f.unit } : {})}
        />
      );
    case 'amount':
      return (
        <InputNumber<string>
          {...common}
          value={(value as string) ?? null}
          onChange={(v) => onChange?.(v)}
          stringMode
          precision={2}
          inputMode="decimal"
          suffix="元"
        />
      );
    case 'quantity':
      return (
        <InputNumber<string>
          {...common}
          value={(value as string) ?? null}
          onChange={(v) => onChange?.(v)}
          stringMode
          min="0"
          inputMode="decimal"
          {...(f.unit ? { suffix: f.unit } : {})}
        />
      );
    case 'area':
      return <AreaInput id={id} value={value as string} onChange={onChange} {...(f.areaKind ? { kind: f.areaKind } : {})} />;
    case 'org':
      return <OrgInput id={id} value={value as string} onChange={onChange} names={names} />;
    case 'unit':
      return <OrgInput id={id} value={value as string} onChange={onChange} names={names} unit />;
    case 'idNumber':
    case 'phone':
      return (
        <Input
          {...common}
          value={(value as string) ?? ''}
          onChange={(e) => onChange?.(e.target.value)}
          autoComplete="off"
          inputMode={f.type === 'phone' ? 'tel' : 'text'}
          placeholder={editing ? '已脱敏保存；不修改请留空' : f.type === 'idNumber' ? '18位公民身份号码' : '11位手机号码'}
        />
      );
    default:
      return <Input {...common} value={(value as string) ?? ''} onChange={(e) => onChange?.(e.target.value)} />;
  }
}
