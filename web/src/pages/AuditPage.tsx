/** 审计日志: who did what, when, from where — filtered and paged; each entry opens to its before/after. */
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Grid, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { AUDIT_ACTIONS, AUDIT_ACTION_LABELS, ROLE_LABELS, type AuditAction, type Role } from '../../../src/shared/constants.ts';
import { formatInstant } from '../lib/format.ts';
import { useFetch } from '../lib/useFetch.ts';

interface Entry {
  seq: number;
  at: string;
  username: string | null;
  ip: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  before: unknown;
  after: unknown;
  detail: unknown;
}

const ENTITY_LABELS: Record<string, string> = { area: '区域', org: '党组织', user: '用户', settings: '设置', areas: '区域', orgs: '党组织' };

const FIELD_LABELS: Record<string, string> = {
  code: '编码',
  name: '名称',
  kind: '类型',
  parentCode: '上级编码',
  path: '路径',
  gridType: '网格类型',
  retiredOn: '撤销日期',
  dissolvedOn: '撤销日期',
  foundedOn: '成立日期',
  areaCode: '区域编码',
  category: '类别',
  version: '版本',
  username: '用户名',
  displayName: '姓名或职务',
  role: '角色',
  disabled: '已停用',
  resetPassword: '重置密码',
  unlock: '解锁',
  mustChangePassword: '须修改密码',
  reason: '原因',
  failures: '连续失败次数',
  locked: '已锁定',
  file: '文件',
  rows: '行数',
  inserted: '新增',
  unchanged: '无变化',
  passwordMinLength: '密码最短长度',
  passwordMinClasses: '密码字符类别数',
  passwordMaxAgeDays: '密码有效天数',
  lockoutThreshold: '锁定阈值（次）',
  lockoutMinutes: '锁定时长（分钟）',
  idleTimeoutMinutes: '空闲超时（分钟）',
  loginRatePerMinute: '每分钟登录次数上限',
};

const REASONS: Record<string, string> = { bad_password: '密码错误', unknown_user: '用户名不存在', locked: '账号已锁定', disabled: '账号已停用' };

const actionLabel = (a: string) => AUDIT_ACTION_LABELS[a as AuditAction] ?? a;
const ACTION_COLORS: Partial<Record<string, string>> = { login_failed: 'red', login: 'green', logout: 'default', grant: 'purple', settings: 'purple', retire: 'orange', delete: 'red', import: 'blue' };

function show(key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (key === 'role' && typeof v === 'string') return ROLE_LABELS[v as Role] ?? v;
  if (key === 'reason' && typeof v === 'string') return REASONS[v] ?? v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function Diff({ entry }: { entry: Entry }) {
  const before = asRecord(entry.before);
  const after = asRecord(entry.after);
  const detail = asRecord(entry.detail);
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const rows = keys.map((k) => ({ key: k, label: FIELD_LABELS[k] ?? k, before: show(k, before?.[k]), after: show(k, after?.[k]), changed: JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null) }));
  const detailItems = Object.entries(detail ?? {}).map(([k, v]) => ({ key: k, label: FIELD_LABELS[k] ?? k, children: show(k, v) }));
  if (rows.length === 0 && detailItems.length === 0) return <Typography.Text type="secondary">此条记录没有附加内容。</Typography.Text>;
  return (
    <div style={{ maxWidth: 760 }} data-testid="audit-diff">
      {rows.length > 0 && (
        <Table
          size="small"
          pagination={false}
          rowKey="key"
          dataSource={rows}
          rowClassName={(r) => (r.changed && before && after ? 'diff-changed diff-row' : 'diff-row')}
          columns={[
            { title: '字段', dataIndex: 'label', width: 110 },
            ...(before ? [{ title: '修改前', dataIndex: 'before', render: (t: string, r: { changed: boolean }) => (r.changed && after ? <Typography.Text delete type="secondary">{t}</Typography.Text> : t) }] : []),
            ...(after ? [{ title: before ? '修改后' : '内容', dataIndex: 'after', render: (t: string, r: { changed: boolean }) => (r.changed && before ? <Typography.Text strong>{t}</Typography.Text> : t) }] : []),
          ]}
        />
      )}
      {detailItems.length > 0 && <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} style={{ marginTop: rows.length ? 12 : 0 }} items={detailItems} title={rows.length ? '附加信息' : undefined} />}
    </div>
  );
}

interface Filters {
  range?: [Dayjs | null, Dayjs | null] | null;
  username?: string;
  actions?: string[];
  entity?: string;
  entityId?: string;
}

export function AuditPage() {
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
    if (filters.actions?.length) q.set('action', filters.actions.join(','));
    if (filters.entity) q.set('entity', filters.entity);
    if (filters.entityId?.trim()) q.set('entityId', filters.entityId.trim());
    return `/api/audit?${q}`;
  }, [filters, page, pageSize]);
  const { data, loading, error, reload } = useFetch<{ total: number; items: Entry[] }>(path);
  const filtered = Object.values(filters).some((v) => (Array.isArray(v) ? v.some(Boolean) : Boolean(v)));

  const phone = Grid.useBreakpoint().md === false;
  const entityText = (e: Entry) => (
    <>
      {e.entity ? ENTITY_LABELS[e.entity] ?? e.entity : '—'}
      {e.entityId && <Typography.Text type="secondary"> {e.entityId}</Typography.Text>}
    </>
  );
  // A phone gets one compact column; the rest is in the expanded row.
  const phoneColumns: TableColumnsType<Entry> = [
    {
      title: '记录',
      key: 'entry',
      render: (_, e) => (
        <div style={{ minWidth: 0 }}>
          <div style={{ display: 'flex', alignItems: 'center', gap: 6, flexWrap: 'wrap' }}>
            <Tag color={ACTION_COLORS[e.action] ?? 'blue'} style={{ marginInlineEnd: 0 }}>{actionLabel(e.action)}</Tag>
            <span>{e.username ?? '—'}</span>
          </div>
          <div style={{ fontSize: 12, marginTop: 2, wordBreak: 'break-all' }}>{entityText(e)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatInstant(e.at)} · {e.ip === 'local' ? '本机命令行' : e.ip ?? '—'}</Typography.Text>
        </div>
      ),
    },
  ];
  const columns: TableColumnsType<Entry> = [
    { title: '时间', dataIndex: 'at', render: (t: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatInstant(t)}</span> },
    { title: '用户', dataIndex: 'username', render: (u: string | null) => u ?? '—' },
    { title: '操作', dataIndex: 'action', render: (a: string) => <Tag color={ACTION_COLORS[a] ?? 'blue'}>{actionLabel(a)}</Tag> },
    {
      title: '对象',
      key: 'entity',
      render: (_, e) => <span style={{ whiteSpace: 'nowrap' }}>{entityText(e)}</span>,
    },
    { title: '来源地址', dataIndex: 'ip', render: (ip: string | null) => (ip === 'local' ? '本机命令行' : ip ?? '—') },
    { title: '序号', dataIndex: 'seq', align: 'right', render: (s: number) => <Typography.Text type="secondary">{s}</Typography.Text> },
  ];

  return (
    <Card title="审计日志" extra={<Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新" />}>
      <Form
        form={form}
        onFinish={(v) => {
          setFilters(v);
          setPage(1);
        }}
        style={{ marginBottom: 16 }}
      >
        <Row gutter={[8, 8]}>
          <Col xs={24} sm={12} xl={6}>
            <Form.Item name="range" noStyle>
              <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} aria-label="日期范围" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} xl={3}>
            <Form.Item name="username" noStyle>
              <Input allowClear placeholder="用户名" aria-label="用户名" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} xl={3}>
            <Form.Item name="entity" noStyle>
              <Select
                allowClear
                placeholder="全部对象"
                aria-label="对象"
                style={{ width: '100%' }}
                options={[
                  { value: 'area', label: '区域' },
                  { value: 'org', label: '党组织' },
                  { value: 'user', label: '用户' },
                  { value: 'settings', label: '设置' },
                  { value: 'areas', label: '区域导入' },
                  { value: 'orgs', label: '党组织导入' },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} xl={5}>
            <Form.Item name="actions" noStyle>
              <Select
                mode="multiple"
                allowClear
                placeholder="全部操作"
                aria-label="操作"
                maxTagCount="responsive"
                style={{ width: '100%' }}
                options={AUDIT_ACTIONS.map((a) => ({ value: a, label: AUDIT_ACTION_LABELS[a] }))}
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="audit-actions"
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} xl={3}>
            <Form.Item name="entityId" noStyle>
              <Input allowClear placeholder="对象编号" aria-label="对象编号" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} xl={4}>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
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
      {error && <Alert type="error" showIcon title="审计日志加载失败" description={error.message} style={{ marginBottom: 12 }} />}
      <Table<Entry>
        data-testid="audit-table"
        rowKey="seq"
        size="middle"
        loading={loading}
        columns={phone ? phoneColumns : columns}
        dataSource={data?.items ?? []}
        scroll={phone ? undefined : { x: 'max-content' }}
        expandable={{ expandedRowRender: (e) => <Diff entry={e} />, expandRowByClick: true }}
        locale={{ emptyText: <Empty description={filtered ? '没有符合条件的日志' : '还没有审计日志'} /> }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: !phone,
          simple: phone,
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
