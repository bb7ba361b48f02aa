/**
 * 目标责任: the year's targets of the area with live progress — value against threshold, status, and
 * per quarter or month — split among communities (the parts under their target); 新建目标 with a
 * metric builder showing the live value; 分解; delete. Every value opens the records behind it.
 */
import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Progress, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DeleteOutlined, PlusOutlined, ShareAltOutlined } from '@ant-design/icons';
import { api, errorMessage, withArea } from '../../lib/api.ts';
import { useAreaParam, useAreas } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { formatNumber } from '../../lib/ledgers.tsx';
import { useFetch } from '../../lib/useFetch.ts';
import { RecordsDrawer, type RecordsTarget } from '../reports/RecordsDrawer.tsx';
import { STATUS_COLORS } from '../dashboard/DashboardPage.tsx';
import { useYearParam, YearPicker } from '../dashboard/year.tsx';
import { EMPTY_METRIC, MetricBuilder, type Metric } from './MetricBuilder.tsx';
import '../reports/report.css';
import '../dashboard/dashboard.css';

interface Period {
  period: string;
  from: string;
  to: string;
  value: number | string;
  status: string;
}

export interface Target {
  id: number;
  parentId: number | null;
  title: string;
  areaCode: string;
  areaName: string;
  year: number;
  metric: { ledger: string; measure: string; filters: Record<string, string>; dateField: string | null; q: string | null };
  comparison: '>=' | '<=' | '=';
  threshold: number;
  period: 'year' | 'quarter' | 'month';
  dueOn: string;
  status: string;
  statusLabel: string;
  value: number | string;
  periods: Period[];
  query: string;
  parts: Target[];
}

type Row = Target & { children?: Row[] };

const PERIOD_LABELS = { year: '全年', quarter: '每季度', month: '每月' } as const;
const COMPARISON_LABELS = { '>=': '不少于', '<=': '不超过', '=': '等于' } as const;
const PERIOD_STATUS_BG: Record<string, string> = { met: '#f6ffed', missed: '#fff1f0', onTrack: '#e6f4ff', atRisk: '#fffbe6', notStarted: '#fafafa' };

function periodName(p: string): string {
  const q = /^\d{4}-Q(\d)$/.exec(p);
  if (q) return `${q[1]}季度`;
  const m = /^\d{4}-(\d{2})$/.exec(p);
  if (m) return `${Number(m[1])}月`;
  return p;
}

function withRange(query: string, from: string, to: string): string {
  const q = new URLSearchParams(query.slice(query.indexOf('?') + 1));
  q.set('from', from);
  q.set('to', to);
  return `/api/metrics/query?${q}`;
}

export function TargetsPage() {
  const me = useMe();
  const { message } = App.useApp();
  const [areaParam] = useAreaParam();
  const area = areaParam ?? me.area?.code ?? null;
  const [year, setYear] = useYearParam();
  const canWrite = ['leader', 'clerk', 'admin'].includes(me.user.role);
  const list = useFetch<{ items: Target[] }>(withArea('/api/targets', areaParam, { year: String(year) }));
  const [target, setTarget] = useState<RecordsTarget | null>(null);
  const [creating, setCreating] = useState(false);
  const [splitting, setSplitting] = useState<Target | null>(null);

  const rows: Row[] = useMemo(() => {
    const toRow = (t: Target): Row => ({ ...t, ...(t.parts.length ? { children: t.parts.map(toRow) } : {}) });
    return (list.data?.items ?? []).map(toRow);
  }, [list.data]);
  const missed = rows.filter((r) => r.status === 'missed').length;

  async function remove(t: Target) {
    try {
      await api.del(`/api/targets/${t.id}`);
      message.success('已删除目标');
      list.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  const columns: ColumnsType<Row> = [
    { key: 'title', title: '目标', dataIndex: 'title', render: (v: string, t) => <span data-testid={`target-title-${t.id}`}>{v}</span> },
    { key: 'area', title: '责任区域', dataIndex: 'areaName', width: 110 },
    { key: 'rule', title: '要求', width: 130, render: (_, t) => `${PERIOD_LABELS[t.period]}${COMPARISON_LABELS[t.comparison]} ${formatNumber(t.threshold)}` },
    {
      key: 'progress',
      title: '进度（全年）',
      width: 190,
      render: (_, t) => {
        const v = Number(t.value);
        const pct = t.threshold > 0 ? Math.min(100, Math.round((v / t.threshold) * 100)) : 100;
        return (
          <a onClick={() => setTarget({ label: t.title, value: <b>{formatNumber(t.value)} / {formatNumber(t.threshold)}</b>, note: <Tag color={STATUS_COLORS[t.status]}>{t.statusLabel}</Tag>, query: t.query })} data-testid={`target-value-${t.id}`}>
            <span>
              {formatNumber(t.value)} / {formatNumber(t.threshold)}
            </span>
            {t.period !== 'year' && t.periods.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>
                （{t.periods.filter((p) => p.status === 'met').length}/{t.periods.length} 期达标）
              </Typography.Text>
            )}
            {t.comparison === '>=' && t.period === 'year' && <Progress percent={pct} size="small" showInfo={false} strokeColor={t.status === 'missed' ? '#c41d1d' : undefined} style={{ margin: 0 }} />}
          </a>
        );
      },
    },
    { key: 'status', title: '状态', width: 90, render: (_, t) => <Tag color={STATUS_COLORS[t.status]} data-testid={`target-status-${t.id}`}>{t.statusLabel}</Tag> },
    {
      key: 'periods',
      title: '分期',
      render: (_, t) =>
        t.period === 'year' ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <span style={{ display: 'flex', flexWrap: 'wrap' }}>
            {t.periods.map((p) => (
              <Tooltip key={p.period} title={`${p.from} 至 ${p.to}`}>
                <a className="target-period" style={{ background: PERIOD_STATUS_BG[p.status] ?? '#fafafa', color: p.status === 'missed' ? '#c41d1d' : p.status === 'met' ? '#389e0d' : undefined }} onClick={() => setTarget({ label: `${t.title} · ${periodName(p.period)}`, value: <b>{formatNumber(p.value)}</b>, query: withRange(t.query, p.from, p.to) })}>
                  {periodName(p.period)} {formatNumber(p.value)}
                </a>
              </Tooltip>
            ))}
          </span>
        ),
    },
    ...(canWrite
      ? [
          {
            key: 'ops',
            title: '操作',
            width: 150,
            render: (_: unknown, t: Row) => (
              <Space size={4}>
                {t.parentId === null && (
                  <Button size="small" type="link" icon={<ShareAltOutlined />} onClick={() => setSplitting(t)} data-testid={`target-split-${t.id}`}>
                    分解
                  </Button>
                )}
                <Popconfirm title="删除这个目标（连同分解）？" okText="删除" cancelText="取消" okButtonProps={{ danger: true }} onConfirm={() => remove(t)}>
                  <Button size="small" type="link" danger icon={<DeleteOutlined />} data-testid={`target-delete-${t.id}`}>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="targets-page">
      <div className="dash-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          目标责任
        </Typography.Title>
        <Space>
          <YearPicker year={year} onChange={setYear} testId="targets-year" />
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="target-new">
              新建目标
            </Button>
          )}
        </Space>
      </div>
      {list.error && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
      <Card size="small">
        {list.data && (
          <Typography.Paragraph type="secondary" data-testid="targets-summary" style={{ marginBottom: 8 }}>
            {year}年共 {rows.length} 个目标{missed ? `，${missed} 个未完成` : ''}
          </Typography.Paragraph>
        )}
        <Table<Row> data-testid="targets-table" rowKey="id" size="small" loading={list.loading} columns={columns} dataSource={rows} pagination={false} scroll={{ x: 1000 }} />
      </Card>
      {creating && (
        <NewTarget
          area={area}
          year={year}
          onClose={(saved) => {
            setCreating(false);
            if (saved) list.reload();
          }}
        />
      )}
      {splitting && (
        <SplitTarget
          target={splitting}
          onClose={(saved) => {
            setSplitting(null);
            if (saved) list.reload();
          }}
        />
      )}
      {target && <RecordsDrawer target={target} onClose={() => setTarget(null)} />}
    </div>
  );
}

function NewTarget({ area, year, onClose }: { area: string | null; year: number; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  const areas = useAreas();
  const [metric, setMetric] = useState<Metric>(EMPTY_METRIC);
  const [form] = Form.useForm<{ title: string; areaCode: string; period: 'year' | 'quarter' | 'month'; comparison: '>=' | '<=' | '='; threshold: number }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const areaCode = Form.useWatch('areaCode', form) ?? area;
  const owners = areas.items.filter((a) => a.kind === '区' || a.kind === '街道' || a.kind === '社区' || a.kind === '村');

  async function save() {
    const v = await form.validateFields();
    if (!metric.ledger) {
      setError('请选择台账');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const filters = Object.fromEntries(Object.entries(metric.filters).filter(([, x]) => x));
      await api.post('/api/targets', { ...v, year, ledger: metric.ledger, measure: metric.measure, filters });
      message.success('已新建目标');
      onClose(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open title={`新建${year}年目标`} width={720} onCancel={() => onClose(false)} onOk={save} okText="保存" cancelText="取消" confirmLoading={busy} destroyOnHidden data-testid="target-form" okButtonProps={{ 'data-testid': 'target-save' } as Record<`data-${string}`, string>}>
      <Form form={form} layout="horizontal" labelCol={{ flex: '90px' }} initialValues={{ areaCode: area ?? undefined, period: 'year', comparison: '>=' }}>
        <Form.Item name="title" label="目标名称" rules={[{ required: true, message: '请填写目标名称' }, { min: 2, message: '至少2个字' }]}>
          <Input data-testid="target-title" placeholder="如：开展宣传教育活动60场次以上" maxLength={200} />
        </Form.Item>
        <Form.Item name="areaCode" label="责任区域" rules={[{ required: true, message: '请选择责任区域' }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={owners.map((a) => ({ value: a.code, label: a.name }))} />
        </Form.Item>
        <MetricBuilder value={metric} onChange={setMetric} area={areaCode ?? null} year={year} testId="builder" />
        <Form.Item label="考核周期" name="period" style={{ marginBottom: 12 }}>
          <Select data-testid="target-period" options={Object.entries(PERIOD_LABELS).map(([value, label]) => ({ value, label }))} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label="要求" required style={{ marginBottom: 0 }}>
          <Space.Compact>
            <Form.Item name="comparison" noStyle>
              <Select style={{ width: 110 }} options={Object.entries(COMPARISON_LABELS).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
            <Form.Item name="threshold" noStyle rules={[{ required: true, message: '请填写目标值' }]}>
              <InputNumber data-testid="target-threshold" min={0} placeholder="目标值" style={{ width: 160 }} />
            </Form.Item>
          </Space.Compact>
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="target-error" />}
    </Modal>
  );
}

function SplitTarget({ target, onClose }: { target: Target; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  const areas = useAreas();
  const children = areas.items.filter((a) => a.parentCode === target.areaCode && !a.retiredOn);
  const [parts, setParts] = useState<Record<string, number | null>>(() => Object.fromEntries(target.parts.map((p) => [p.areaCode, p.threshold])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = Object.entries(parts).filter(([, v]) => v !== null && v !== undefined) as Array<[string, number]>;
  const sum = chosen.reduce((s, [, v]) => s + v, 0);

  async function save() {
    if (!chosen.length) {
      setError('请至少选择一个下级区域并填写分解值');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/targets/${target.id}/split`, { parts: chosen.map(([areaCode, threshold]) => ({ areaCode, threshold })) });
      message.success('已分解目标');
      onClose(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open title={`分解目标：${target.title}`} width={620} onCancel={() => onClose(false)} onOk={save} okText="保存分解" cancelText="取消" confirmLoading={busy} destroyOnHidden data-testid="split-form">
      <Typography.Paragraph type="secondary">
        {target.areaName}目标值 {formatNumber(target.threshold)}；勾选下级区域并填写各自的目标值（已分配 {formatNumber(sum)}）。
      </Typography.Paragraph>
      {children.length === 0 ? (
        <Alert type="info" showIcon title={`${target.areaName}没有下级区域可以分解`} />
      ) : (
        <Select
          mode="multiple"
          style={{ width: '100%', marginBottom: 12 }}
          placeholder="选择社区（村）"
          value={Object.keys(parts)}
          onChange={(codes: string[]) => setParts((prev) => Object.fromEntries(codes.map((c) => [c, prev[c] ?? null])))}
          options={children.map((a) => ({ value: a.code, label: a.name }))}
          data-testid="split-areas"
        />
      )}
      <div style={{ maxHeight: 320, overflow: 'auto' }}>
        {Object.keys(parts).map((c) => (
          <div key={c} style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 6 }}>
            <span style={{ width: 160 }}>{areas.byCode.get(c)?.name ?? c}</span>
            <InputNumber min={0} value={parts[c]} onChange={(v) => setParts((prev) => ({ ...prev, [c]: v }))} placeholder="目标值" style={{ width: 140 }} />
          </div>
        ))}
      </div>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
