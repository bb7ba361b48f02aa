/**
 * 导出记录 (for the 审计管理员): every export of ledger records — who, when, from where, which ledger,
 * the filters, how many rows, masked or not (未脱敏 stands out), and the file's SHA-256, so a file
 * found somewhere can be traced back to its export.
 */
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Empty, Form, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { LEDGERS } from '../../../src/domain/ledgers/catalogue.ts';
import type { ExportLogEntry } from '../../../src/shared/schemas.ts';
import { formatInstant } from '../lib/format.ts';
import { useFetch } from '../lib/useFetch.ts';

const LEDGER_TITLES = new Map(LEDGERS.map((l) => [l.key, l.title]));
const STATUS: Record<string, { label: string; color: string }> = {
  done: { label: '已完成', color: 'green' },
  started: { label: '未完成', color: 'orange' },
  failed: { label: '失败', color: 'red' },
};
const FILTER_LABELS: Record<string, string> = { area: '区域', from: '起始日期', to: '截止日期', dateField: '日期字段', q: '搜索', sort: '排序', format: '格式', unmasked: '未脱敏' };

/** The filters of an export as short Chinese text: 区域=DH-S01 · 起始日期=2024-01-01. */
function filterText(filters: unknown): string {
  if (!filters || typeof filters !== 'object') return '—';
  const parts = Object.entries(filters as Record<string, unknown>)
    .filter(([k]) => k !== 'format' && k !== 'unmasked' && k !== 'page' && k !== 'pageSize')
    .map(([k, v]) => `${FILTER_LABELS[k] ?? k.replace(/^f\./, '')}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  return parts.length ? parts.join(' · ') : '全部记录';
}

interface Filters {
  range?: [Dayjs | null, Dayjs | null] | null;
  username?: string;
  ledger?: string;
}

export function ExportLogPage() {
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const path = useMemo(() => {
    const q = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    const [from, to] = filters.range ?? [];
    if (from) q.set('from', from.format('YYYY-MM-DD'));
    if (to) q.set('to', to.format('YYYY-MM-DD'));
    if (filters.username?.trim()) q.set('username', filters.username.trim());
    if (filters.ledger) q.set('ledger', filters.ledger);
    return `/api/export-log?${q}`;
  }, [filters, page, pageSize]);
  const { data, loading, error, reload } = useFetch<{ total: number; items: ExportLogEntry[] }>(path);
  const filtered = Object.values(filters).some((v) => (Array.isArray(v) ? v.some(Boolean) : Boolean(v)));

  const columns: TableColumnsType<ExportLogEntry> = [
    { title: '时间', dataIndex: 'at', render: (t: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatInstant(t)}</span> },
    { title: '用户', dataIndex: 'username', render: (u: string | null) => u ?? '—' },
    { title: '来源地址', dataIndex: 'ip', render: (ip: string | null) => (ip === 'local' ? '本机命令行' : (ip ?? '—')) },
    { title: '台账', dataIndex: 'ledger', render: (k: string) => LEDGER_TITLES.get(k) ?? k },
    { title: '筛选条件', dataIndex: 'filters', render: (f: unknown) => <span style={{ whiteSpace: 'normal' }}>{filterText(f)}</span> },
    { title: '格式', dataIndex: 'format', render: (f: string) => f.toUpperCase() },
    { title: '行数', dataIndex: 'rows', align: 'right', render: (n: number | null) => (n === null ? '—' : n) },
    {
      title: '脱敏',
      dataIndex: 'unmasked',
      render: (u: boolean) => (u ? <Tag color="red">未脱敏</Tag> : <Tag color="green">已脱敏</Tag>),
    },
    { title: '状态', dataIndex: 'status', render: (s: string) => <Tag color={STATUS[s]?.color ?? 'default'}>{STATUS[s]?.label ?? s}</Tag> },
    {
      title: '文件校验值（SHA-256）',
      dataIndex: 'sha256',
      render: (h: string | null) => (h ? <Typography.Text code copyable={{ text: h }} title={h}>{h.slice(0, 12)}…</Typography.Text> : '—'),
    },
  ];

  return (
    <Card title="导出记录" extra={<Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新" />}>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title="每次导出台账都记录在此：导出人、时间、筛选条件、行数、是否脱敏和文件校验值。未脱敏导出须经安全管理员单独授权。" />
      <Form
        form={form}
        onFinish={(v) => {
          setFilters(v);
          setPage(1);
        }}
        style={{ marginBottom: 16 }}
      >
        <Row gutter={[8, 8]}>
          <Col xs={24} sm={12} xl={7}>
            <Form.Item name="range" noStyle>
              <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} aria-label="日期范围" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} xl={4}>
            <Form.Item name="username" noStyle>
              <Input allowClear placeholder="用户名" aria-label="用户名" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} xl={5}>
            <Form.Item name="ledger" noStyle>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="全部台账" aria-label="台账" style={{ width: '100%' }} options={LEDGERS.map((l) => ({ value: l.key, label: l.title }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} xl={8}>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="export-log-search">
                查询
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setFilters({});
                  setPage(1);
                }}
              >
                重置
              </Button>
            </Space>
          </Col>
        </Row>
      </Form>
      {error && <Alert type="error" showIcon title="导出记录加载失败" description={error.message} style={{ marginBottom: 12 }} />}
      <Table<ExportLogEntry>
        data-testid="export-log-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={filtered ? '没有符合条件的导出记录' : '还没有导出记录'} /> }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (t) => `共 ${t} 条`,
          onChange: (p, s) => {
            setPage(s !== pageSize ? 1 : p);
            setPageSize(s);
          },
        }}
      />
    </Card>
  );
}
