/**
 * The one page of every ledger, `/ledgers/:key`, derived from the catalogue: filters (date range on
 * the ledger's date field, enum and 是/否 fields, search), a sortable paged list, the summary line
 * from the metric API, and new / import / template / export / recycle bin. Filters live in the URL
 * (with the area), so a link or the back button brings the same list back, and the export takes
 * exactly what the list shows.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert, Button, Card, DatePicker, Dropdown, Empty, Grid, Input, Result, Select, Space, Spin, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import type { TablePaginationConfig } from 'antd';
import {
  ClearOutlined,
  DeleteOutlined,
  DownloadOutlined,
  FileExcelOutlined,
  FileTextOutlined,
  PlusOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { canLedger } from '../../../../src/domain/policy.ts';
import { api } from '../../lib/api.ts';
import { useMe } from '../../lib/auth.tsx';
import {
  formatAmount,
  formatNumber,
  isNumeric,
  searchedFields,
  selectFilterFields,
  shownLabel,
  sortable,
  summedFields,
  useLedgers,
  type LedgerField,
  type LedgerInfo,
  type LedgerRecord,
  type RecordPage,
} from '../../lib/ledgers.tsx';
import { useFetch } from '../../lib/useFetch.ts';
import { ImportWizard } from '../../components/ImportWizard.tsx';
import { FieldCell, columnWidth, useCodeNames } from './fields.tsx';
import { RecordDetail } from './RecordDetail.tsx';
import { RecordForm } from './RecordForm.tsx';
import { RecycleBin } from './RecycleBin.tsx';

const PAGE_SIZES = ['20', '50', '100'];

export function LedgerRoute() {
  const { key = '' } = useParams();
  const me = useMe();
  const { byKey, loading, error } = useLedgers();
  if (!canLedger(me.user.role, key, 'read')) return <Result status="403" title="无权访问" subTitle="您的角色不能查看这个台账。" />;
  if (loading) return <Spin style={{ display: 'block', margin: '80px auto' }} description="正在加载台账…" />;
  if (error) return <Result status="error" title="台账目录加载失败" subTitle={error.message} />;
  const ledger = byKey.get(key);
  if (!ledger) return <Result status="404" title="没有这个台账" subTitle="请从左侧菜单选择要打开的台账。" />;
  return <LedgerPage key={ledger.key} ledger={ledger} />;
}

/** The filter part of the URL (area, dates, search, field filters) as the API takes it. */
function filterQuery(params: URLSearchParams): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of params) if (v !== '' && (k === 'area' || k === 'from' || k === 'to' || k === 'q' || k.startsWith('f.'))) q.append(k, v);
  return q;
}

function hasFilters(params: URLSearchParams): boolean {
  for (const k of params.keys()) if (k === 'from' || k === 'to' || k === 'q' || k.startsWith('f.')) return true;
  return false;
}

interface Summary {
  count: number;
  sums: Array<{ field: LedgerField; value: string | number }>;
}

/** 共N条 and the sums of money and counts, for what the filters keep. */
function useSummary(ledger: LedgerInfo, query: string, tick: number): { summary: Summary | null; failed: boolean } {
  const [summary, setSummary] = useState<Summary | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const ctrl = new AbortController();
    const base = `/api/metrics/query?ledger=${encodeURIComponent(ledger.key)}${query ? '&' + query : ''}`;
    const sums = summedFields(ledger);
    setFailed(false);
    Promise.all([
      api.get<{ value: number }>(`${base}&measure=count`, ctrl.signal),
      ...sums.map((f) => api.get<{ value: string | number }>(`${base}&measure=${encodeURIComponent('sum:' + f.key)}`, ctrl.signal)),
    ])
      .then(([count, ...rest]) => setSummary({ count: Number(count!.value), sums: rest.map((r, i) => ({ field: sums[i]!, value: r.value })) }))
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setFailed(true);
      });
    return () => ctrl.abort();
  }, [ledger, query, tick]);
  return { summary, failed };
}

function SummaryLine({ summary, failed, loading }: { summary: Summary | null; failed: boolean; loading: boolean }) {
  if (failed) return <Typography.Text type="secondary">统计暂不可用</Typography.Text>;
  if (!summary) return <Typography.Text type="secondary">正在统计…</Typography.Text>;
  return (
    <Typography.Text data-testid="ledger-summary" type={loading ? 'secondary' : undefined} style={{ display: 'inline-flex', flexWrap: 'wrap', columnGap: 14, rowGap: 2 }}>
      <span>
        共 <b data-testid="ledger-count">{formatNumber(summary.count)}</b> 条
      </span>
      {summary.sums.map(({ field, value }) => (
        <span key={field.key}>
          {field.label.replace(/\(.*\)$/, '')}合计{' '}
          <b>{field.type === 'amount' ? formatAmount(value) : formatNumber(value)}</b> {field.type === 'amount' ? '元' : (field.unit ?? '')}
        </span>
      ))}
    </Typography.Text>
  );
}

const RANGE_PRESETS: Array<{ label: string; value: [Dayjs, Dayjs] }> = [
  { label: '本月', value: [dayjs().startOf('month'), dayjs().endOf('month')] },
  { label: '今年', value: [dayjs().startOf('year'), dayjs().endOf('year')] },
  { label: '去年', value: [dayjs().subtract(1, 'year').startOf('year'), dayjs().subtract(1, 'year').endOf('year')] },
  { label: '近30天', value: [dayjs().subtract(29, 'day'), dayjs()] },
];

function Filters({ ledger, params, update }: { ledger: LedgerInfo; params: URLSearchParams; update: (changes: Record<string, string | null>) => void }) {
  const dateField = ledger.fields.find((f) => f.key === ledger.dateField);
  const selects = selectFilterFields(ledger);
  const searched = searchedFields(ledger);
  const [text, setText] = useState(params.get('q') ?? '');
  const q = params.get('q') ?? '';
  useEffect(() => setText(q), [q]);
  const from = params.get('from');
  const to = params.get('to');
  const phone = Grid.useBreakpoint().md === false;
  const placeholder = searched.length ? `搜索${searched.slice(0, 3).map((f) => f.label).join('、')}${searched.length > 3 ? '等' : ''}` : '搜索';

  return (
    <div className="ledger-filters" data-testid="ledger-filters">
      <div className={phone ? 'ledger-filter ledger-filter-dates' : 'ledger-filter'} data-testid="filter-date">
        <span className="ledger-filter-label">{dateField?.label ?? '日期'}</span>
        {phone ? (
          // Two single pickers: a range picker's two months do not fit a phone's width.
          <>
            <DatePicker
              value={from ? dayjs(from) : null}
              format="YYYY-MM-DD"
              placeholder="开始日期"
              inputReadOnly
              onChange={(d) => update({ from: d ? d.format('YYYY-MM-DD') : null })}
            />
            <span className="ledger-filter-label">至</span>
            <DatePicker
              value={to ? dayjs(to) : null}
              format="YYYY-MM-DD"
              placeholder="结束日期"
              inputReadOnly
              onChange={(d) => update({ to: d ? d.format('YYYY-MM-DD') : null })}
            />
          </>
        ) : (
          <DatePicker.RangePicker
            value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
            allowEmpty={[true, true]}
            presets={RANGE_PRESETS}
            format="YYYY-MM-DD"
            placeholder={['开始日期', '结束日期']}
            onChange={(v) => update({ from: v?.[0] ? v[0].format('YYYY-MM-DD') : null, to: v?.[1] ? v[1].format('YYYY-MM-DD') : null })}
            style={{ width: 250 }}
          />
        )}
      </div>
      {selects.map((f) => {
        const raw = params.get(`f.${f.key}`);
        return (
          <div className="ledger-filter" key={f.key}>
            <span className="ledger-filter-label">{f.label}</span>
            <Select
              data-testid={`filter-${f.key}`}
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              placeholder="全部"
              value={raw ? raw.split(',') : []}
              options={(f.values ?? []).map((v) => ({ value: v, label: v }))}
              onChange={(vals: string[]) => update({ [`f.${f.key}`]: vals.length ? vals.join(',') : null })}
              style={{ width: f.type === 'boolean' ? 110 : 170 }}
              popupMatchSelectWidth={false}
            />
          </div>
        );
      })}
      <div className="ledger-filter ledger-filter-search">
        <Input.Search
          data-testid="filter-q"
          allowClear
          placeholder={placeholder}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value === '' && q) update({ q: null });
          }}
          onSearch={(v) => update({ q: v.trim() || null })}
        />
      </div>
      {hasFilters(params) && (
        <Button
          icon={<ClearOutlined />}
          data-testid="filter-reset"
          onClick={() => update(Object.fromEntries([...params.keys()].filter((k) => k === 'from' || k === 'to' || k === 'q' || k.startsWith('f.')).map((k) => [k, null])))}
        >
          清除筛选
        </Button>
      )}
    </div>
  );
}

function LedgerPage({ ledger }: { ledger: LedgerInfo }) {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const names = useCodeNames(ledger);
  const canWrite = canLedger(me.user.role, ledger.key, 'write');
  const canBin = canWrite && me.can('tree.write'); // the server lists deleted records to clerks and admins
  const [detail, setDetail] = useState<LedgerRecord | null>(null);
  const [editing, setEditing] = useState<LedgerRecord | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const [binOpen, setBinOpen] = useState(false);

  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = PAGE_SIZES.includes(params.get('size') ?? '') ? Number(params.get('size')) : 20;
  const sort = params.get('sort') ?? '';
  const filters = filterQuery(params).toString();
  const listQuery = new URLSearchParams(filters);
  if (sort) listQuery.set('sort', sort);
  listQuery.set('page', String(page));
  listQuery.set('pageSize', String(pageSize));
  const { data, loading, error, reload } = useFetch<RecordPage>(`/api/ledgers/${ledger.key}/records?${listQuery}`);
  const [tick, setTick] = useState(0);
  const { summary, failed } = useSummary(ledger, filters, tick);
  /** After a change: the list and its summary again. */
  const refresh = () => {
    reload();
    setTick((t) => t + 1);
  };

  /** Changes to filters go back to page 1; the area and other keys stay. */
  const update = (changes: Record<string, string | null>, keepPage = false) => {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === '') next.delete(k);
        else next.set(k, v);
      }
      if (!keepPage) next.delete('page');
      return next;
    });
  };

  const sortKey = sort.replace(/^-/, '');
  const sortDesc = sort.startsWith('-');
  const hasAreaField = ledger.fields.some((f) => f.type === 'area');
  const columns: ColumnsType<LedgerRecord> = [
    ...ledger.fields.map((f) => ({
      key: f.key,
      dataIndex: f.key,
      title: shownLabel(f),
      width: columnWidth(f),
      align: (isNumeric(f) ? 'right' : 'left') as 'right' | 'left',
      ellipsis: { showTitle: false },
      sorter: sortable(f),
      sortOrder: sortKey === f.key ? (sortDesc ? ('descend' as const) : ('ascend' as const)) : !sort && f.key === ledger.dateField ? ('descend' as const) : null,
      sortDirections: ['descend' as const, 'ascend' as const],
      render: (v: unknown) => <FieldCell field={f} value={v} names={names} />,
    })),
    ...(hasAreaField
      ? []
      : [
          {
            key: '_area',
            dataIndex: 'areaName',
            title: '所属区域',
            width: 150,
            ellipsis: { showTitle: false },
            render: (v: string | null, r: LedgerRecord) =>
              v ? (
                <Tooltip title={`${v}（${r.areaCode}）`} placement="topLeft">
                  <span className="cell-ellipsis">{v}</span>
                </Tooltip>
              ) : (
                '—'
              ),
          },
        ]),
    // 发展党员: each person's timeline (steps, rule checks, what is due) one click away.
    ...(ledger.key === 'applicants'
      ? [
          {
            key: '_timeline',
            title: '发展时间线',
            width: 110,
            fixed: 'right' as const,
            render: (_: unknown, r: LedgerRecord) => (
              <Link
                to={{ pathname: `/recruitment/${r.id}`, search: params.get('area') ? `?area=${encodeURIComponent(params.get('area')!)}` : '' }}
                onClick={(e) => e.stopPropagation()}
                data-testid={`timeline-link-${r.id}`}
              >
                查看时间线
              </Link>
            ),
          },
        ]
      : []),
  ];
  const scrollX = columns.reduce((s, c) => s + (Number(c.width) || 120), 0);

  function onTableChange(p: TablePaginationConfig, _f: unknown, sorter: SorterResult<LedgerRecord> | SorterResult<LedgerRecord>[]) {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = s?.order ? String(s.columnKey) : null;
    const nextSort = field ? (s!.order === 'descend' ? '-' : '') + field : null;
    const sortChanged = (nextSort ?? '') !== sort;
    const sizeChanged = (p.pageSize ?? 20) !== pageSize;
    update(
      {
        sort: nextSort,
        size: p.pageSize && p.pageSize !== 20 ? String(p.pageSize) : null,
        page: sortChanged || sizeChanged || !p.current || p.current === 1 ? null : String(p.current),
      },
      true,
    );
  }

  const exportHref = (format: 'xlsx' | 'csv') => {
    const q = new URLSearchParams(filters);
    q.set('format', format);
    if (sort) q.set('sort', sort);
    return `/api/ledgers/${ledger.key}/export?${q}`;
  };

  const filtered = hasFilters(params);
  const empty: ReactNode = error ? (
    <Empty description={`加载失败：${error.message}`} />
  ) : filtered ? (
    <Empty description="没有符合筛选条件的记录">
      <Button onClick={() => update({ from: null, to: null, q: null, ...Object.fromEntries([...params.keys()].filter((k) => k.startsWith('f.')).map((k) => [k, null])) })}>清除筛选</Button>
    </Empty>
  ) : (
    <Empty description={canWrite ? `还没有${ledger.title}记录，可点击“新增”或“导入”添加` : `还没有${ledger.title}记录`} />
  );

  return (
    <Card
      className="ledger-card"
      title={
        <div className="ledger-title">
          <span>{ledger.title}台账</span>
          <SummaryLine summary={summary} failed={failed} loading={loading} />
        </div>
      }
      data-testid="ledger-page"
    >
      <div className="ledger-actions">
        <Space wrap size={8}>
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="ledger-new">
              新增
            </Button>
          )}
          {canWrite && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="ledger-import">
              导入
            </Button>
          )}
          {canWrite && (
            <Button icon={<DownloadOutlined />} href={`/api/imports/${ledger.key}/template`} download data-testid="ledger-template">
              下载模板
            </Button>
          )}
          <Dropdown
            menu={{
              items: [
                { key: 'xlsx', icon: <FileExcelOutlined />, label: <a href={exportHref('xlsx')} download data-testid="export-xlsx">导出 Excel（.xlsx）</a> },
                { key: 'csv', icon: <FileTextOutlined />, label: <a href={exportHref('csv')} download data-testid="export-csv">导出 CSV</a> },
              ],
            }}
            trigger={['click']}
          >
            <Button icon={<FileExcelOutlined />} data-testid="ledger-export">
              导出{filtered ? '（按当前筛选）' : ''}
            </Button>
          </Dropdown>
          {canBin && (
            <Button icon={<DeleteOutlined />} onClick={() => setBinOpen(true)} data-testid="ledger-bin">
              回收站
            </Button>
          )}
        </Space>
      </div>
      <Filters ledger={ledger} params={params} update={update} />
      {error && !data && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      <Table<LedgerRecord>
        data-testid="ledger-table"
        className="ledger-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: scrollX }}
        tableLayout="fixed"
        locale={{ emptyText: loading ? <div style={{ height: 120 }} /> : empty }}
        onChange={onTableChange}
        onRow={(r) => ({ onClick: () => setDetail(r), style: { cursor: 'pointer' } })}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES,
          showQuickJumper: (data?.total ?? 0) > pageSize * 5,
          showTotal: (t) => `共 ${formatNumber(t)} 条`,
          responsive: true,
        }}
      />
      {detail && (
        <RecordDetail
          ledger={ledger}
          names={names}
          record={detail}
          canWrite={canWrite}
          onClose={() => setDetail(null)}
          onEdit={(r) => setEditing(r)}
          onDeleted={() => {
            setDetail(null);
            refresh();
          }}
          onStale={() => {
            setDetail({ ...detail });
            refresh();
          }}
        />
      )}
      {editing && (
        <RecordForm
          ledger={ledger}
          names={names}
          record={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(r) => {
            setEditing(null);
            if (detail) setDetail(r);
            refresh();
          }}
        />
      )}
      {importing && <ImportWizard kind={ledger.key} title={ledger.title} onClose={() => setImporting(false)} onImported={refresh} />}
      {binOpen && <RecycleBin ledger={ledger} names={names} onClose={() => setBinOpen(false)} onRestored={refresh} />}
    </Card>
  );
}
