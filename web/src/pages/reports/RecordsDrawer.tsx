/**
 * The records behind a figure: its label and value, the query that produced it (readable and as
 * sent), and the records the same parameters select on /api/metrics/records, paged by the server.
 * A row opens the record in full.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Alert, Descriptions, Drawer, Empty, Grid, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { UnorderedListOutlined } from '@ant-design/icons';
import { useAreas } from '../../lib/areas.tsx';
import { formatNumber, shownLabel, useLedgers, type LedgerField, type LedgerInfo, type LedgerRecord, type RecordPage } from '../../lib/ledgers.tsx';
import { useFetch } from '../../lib/useFetch.ts';
import { FieldCell, FieldFull, columnWidth, useCodeNames } from '../ledgers/fields.tsx';
import { measureWords, queryParams, readablePath, recordsPath } from './figures.ts';

export interface RecordsTarget {
  /** What the records stand behind: a figure's label, a problem. */
  label: string;
  /** The value as the report reads it, and in full. */
  value?: ReactNode;
  /** A `/api/metrics/query?…` or `/api/metrics/records?…` path (or the parameters). */
  query: string | Record<string, string>;
  /** A line under the value (e.g. 定稿时的数值). */
  note?: ReactNode;
}

const PAGE_SIZE = 20;

function fieldOf(ledger: LedgerInfo | undefined, name: string): LedgerField | undefined {
  return ledger?.fields.find((f) => f.key === name || f.label === name);
}

/** Columns worth reading here: the date, the fields the query filters or sums, then the rest, up to a width. */
function pickFields(ledger: LedgerInfo, params: Array<[string, string]>, phone: boolean): LedgerField[] {
  const named = new Set<string>();
  for (const [k, v] of params) {
    if (k.startsWith('f.')) named.add(k.slice(2));
    if (k === 'measure' && v.includes(':')) named.add(v.split(':')[1]!.split('=')[0]!);
    if (k === 'dateField') named.add(v);
  }
  const hit = (f: LedgerField) => named.has(f.key) || named.has(f.label);
  const date = ledger.fields.find((f) => f.key === ledger.dateField);
  const measured = params.find(([k]) => k === 'measure')?.[1]?.split(':')[1]?.split('=')[0];
  const ordered = [
    ...(date ? [date] : []),
    ...ledger.fields.filter((f) => f !== date && measured !== undefined && (f.key === measured || f.label === measured)),
    ...ledger.fields.filter((f) => f !== date && f.type === 'text' && !f.derived).slice(0, 1),
    ...ledger.fields.filter((f) => f !== date && (f.type === 'area' || f.type === 'org' || f.type === 'unit') && !f.derived).slice(0, 1),
    ...ledger.fields.filter((f) => f !== date && hit(f)),
    ...ledger.fields.filter((f) => f !== date && !f.derived && f.type !== 'idNumber' && f.type !== 'phone' && f.type !== 'longtext'),
  ];
  const seen = new Set<string>();
  const out: LedgerField[] = [];
  for (const f of ordered) {
    if (seen.has(f.key)) continue;
    seen.add(f.key);
    out.push(f);
  }
  return out.slice(0, phone ? 4 : 7);
}

export function RecordsDrawer({ target, onClose }: { target: RecordsTarget; onClose: () => void }) {
  const phone = Grid.useBreakpoint().md === false;
  const { byKey } = useLedgers();
  const areas = useAreas();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<LedgerRecord | null>(null);
  const params = useMemo(() => queryParams(target.query), [target.query]);
  const get = (k: string) => params.find(([key]) => key === k)?.[1];
  const ledger = byKey.get(get('ledger') ?? '');
  const names = useCodeNames(ledger);
  const path = useMemo(() => {
    const base = recordsPath(target.query);
    const q = new URLSearchParams(base.slice(base.indexOf('?') + 1));
    q.set('page', String(page));
    q.set('pageSize', String(PAGE_SIZE));
    return `/api/metrics/records?${q}`;
  }, [target.query, page]);
  const { data, loading, error } = useFetch<RecordPage>(path);

  const label = (name: string) => {
    const f = fieldOf(ledger, name);
    return f ? f.label : name;
  };
  const area = get('area');
  const from = get('from');
  const to = get('to');
  const dateField = get('dateField');
  const dateLabel = dateField ? label(dateField) : fieldOf(ledger, ledger?.dateField ?? '')?.label;
  const filters = params.filter(([k]) => k.startsWith('f.'));

  // The ledger page shows the same list when the period is on the ledger's own date field.
  const ledgerLink = ledger && !dateField && !get('groupBy') ? (() => {
    const q = new URLSearchParams();
    for (const [k, v] of params) if (k === 'area' || k === 'from' || k === 'to') q.set(k, v);
    for (const [k, v] of filters) {
      const f = fieldOf(ledger, k.slice(2));
      if (f) q.set(`f.${f.key}`, v);
    }
    return { pathname: `/ledgers/${ledger.key}`, search: `?${q}` };
  })() : null;

  const fields = ledger ? pickFields(ledger, params, phone) : [];
  const columns: ColumnsType<LedgerRecord> = [
    ...fields.map((f) => ({
      key: f.key,
      dataIndex: f.key,
      title: shownLabel(f),
      width: Math.min(columnWidth(f), 200),
      ellipsis: { showTitle: false },
      align: (f.type === 'integer' || f.type === 'amount' || f.type === 'quantity' ? 'right' : 'left') as 'right' | 'left',
      render: (v: unknown) => <FieldCell field={f} value={v} names={names} />,
    })),
    ...(ledger && !ledger.fields.some((f) => f.type === 'area')
      ? [{ key: '_area', dataIndex: 'areaName', title: '所属区域', width: 130, ellipsis: true, render: (v: string | null) => v ?? '—' }]
      : []),
  ];
  const scrollX = columns.reduce((s, c) => s + (Number(c.width) || 120), 0);

  const conditions = [
    area ? `区域：${areas.byCode.get(area)?.name ?? area}（含下级）` : null,
    from || to ? `${dateLabel ?? '日期'}：${from ?? '…'} 至 ${to ?? '…'}` : null,
    ...filters.map(([k, v]) => `${label(k.slice(2))}：${v.split(',').join('、')}`),
  ].filter(Boolean) as string[];

  return (
    <Drawer open onClose={onClose} size={phone ? '100%' : 820} title={target.label} destroyOnHidden data-testid="figure-drawer">
      <Descriptions
        column={1}
        size="small"
        bordered
        styles={{ label: { width: phone ? 84 : 110, whiteSpace: 'nowrap' }, content: { wordBreak: 'break-word' } }}
        items={[
          ...(target.value !== undefined
            ? [
                {
                  key: 'value',
                  label: '数值',
                  children: (
                    <div data-testid="figure-value">
                      {target.value}
                      {target.note && <div style={{ marginTop: 4 }}>{target.note}</div>}
                    </div>
                  ),
                },
              ]
            : target.note
              ? [{ key: 'note', label: '问题', children: target.note }]
              : []),
          { key: 'ledger', label: '台账', children: ledger ? `${ledger.title}（${ledger.key}）` : (get('ledger') ?? '—') },
          ...(get('measure') ? [{ key: 'measure', label: '统计方式', children: measureWords(get('measure'), label) }] : []),
          {
            key: 'cond',
            label: '筛选条件',
            children: conditions.length ? (
              <span style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
                {conditions.map((c) => (
                  <Tag key={c} style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
                    {c}
                  </Tag>
                ))}
              </span>
            ) : (
              '无'
            ),
          },
          {
            key: 'query',
            label: '查询',
            children: (
              <Typography.Text code copyable={{ text: typeof target.query === 'string' ? target.query : readablePath(target.query), tooltips: ['复制查询', '已复制'] }} style={{ wordBreak: 'break-all', fontSize: 12 }} data-testid="figure-query">
                {readablePath(target.query)}
              </Typography.Text>
            ),
          },
        ]}
      />
      <div className="figure-records-head">
        <Typography.Text strong>
          <UnorderedListOutlined /> 背后的记录
          {data && (
            <span data-testid="figure-total">
              {' '}
              共 {formatNumber(data.total)} 条
            </span>
          )}
        </Typography.Text>
        {ledgerLink && (
          <Link to={ledgerLink} data-testid="figure-ledger-link">
            在台账中打开
          </Link>
        )}
      </div>
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      <Table<LedgerRecord>
        data-testid="figure-records"
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        tableLayout="fixed"
        scroll={{ x: scrollX }}
        locale={{ emptyText: loading ? <div style={{ height: 80 }} /> : <Empty description="没有记录" /> }}
        onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => `共 ${formatNumber(t)} 条`,
          onChange: setPage,
          size: 'small',
          simple: phone,
        }}
      />
      {open && ledger && (
        <Drawer open onClose={() => setOpen(null)} size={phone ? '100%' : 520} title={`${ledger.title}记录`} data-testid="figure-record">
          <Descriptions
            column={1}
            bordered
            size="small"
            styles={{ label: { width: phone ? 100 : 140, whiteSpace: 'normal' }, content: { wordBreak: 'break-word' } }}
            items={[
              ...ledger.fields.map((f) => ({ key: f.key, label: shownLabel(f), children: <FieldFull field={f} value={open[f.key]} names={names} /> })),
              { key: '_area', label: '所属区域', children: open.areaName ? `${open.areaName}（${open.areaCode}）` : '—' },
            ]}
          />
        </Drawer>
      )}
    </Drawer>
  );
}
