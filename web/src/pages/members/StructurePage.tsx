/**
 * 党员结构 on a date: gender, age, 党龄 and education of the members (metric queries grouped on
 * the server, each bar opening the members it counts), and every 党支部 with its full and
 * probationary members and the structure findings of the 支部工作条例 (不足3名正式党员, 超过50人,
 * 7名以上正式党员应设支部委员会) highlighted. A branch opens its roster on that date and its
 * committees, which a clerk records here.
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Drawer, Empty, Form, Grid, InputNumber, List, Row, Skeleton, Space, Statistic, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { WarningOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, errorMessage, withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { todayShanghai } from '../../lib/format.ts';
import { collator } from '../../lib/tree.ts';
import { useFetch } from '../../lib/useFetch.ts';
import { RecordsDrawer, type RecordsTarget } from '../reports/RecordsDrawer.tsx';
import type { Group } from './StructureCharts.tsx';
import '../reports/report.css';

const PieGroups = lazy(() => import('./StructureCharts.tsx').then((m) => ({ default: m.PieGroups })));
const BarGroups = lazy(() => import('./StructureCharts.tsx').then((m) => ({ default: m.BarGroups })));

export interface BranchStructure {
  org: string;
  orgName: string;
  full: number;
  probationary: number;
  hasCommittee: boolean;
  findings: Array<{ message: string; rule: string }>;
}

interface MetricAnswer {
  value: number;
  groups?: Group[];
}

/** The charts' groupings: field or band, and how a group becomes a filter on the members. */
const DIMENSIONS = [
  { key: 'gender', title: '性别', groupBy: 'gender', field: 'gender' },
  { key: 'age', title: '年龄', groupBy: 'age:出生日期', field: 'birthDate' },
  { key: 'years', title: '党龄', groupBy: 'years:转正日期', field: 'confirmedOn' },
  { key: 'education', title: '学历', groupBy: 'education', field: 'education' },
] as const;

type DimKey = (typeof DIMENSIONS)[number]['key'];

const EDU_ORDER = ['研究生', '博士研究生', '硕士研究生', '大学本科', '本科', '大学专科', '大专', '中专', '中等专科', '高中', '初中', '小学', '其他'];

/**
 * A band key ("31-35", "61+") as a date range of the banded field: full years between the date
 * and `asOf` from min to max means the date lies in (asOf − (max+1) years, asOf − min years].
 */
function bandRange(key: string, asOf: string): string | null {
  const m = /^(\d+)(?:-(\d+)|\+)$/.exec(key);
  if (!m) return null;
  const min = Number(m[1]);
  const to = dayjs(asOf).subtract(min, 'year').format('YYYY-MM-DD');
  if (m[2] === undefined) return `..${to}`;
  const from = dayjs(asOf).subtract(Number(m[2]) + 1, 'year').add(1, 'day').format('YYYY-MM-DD');
  return `${from}..${to}`;
}

export function StructurePage() {
  const me = useMe();
  const [area] = useAreaParam();
  const [params, setParams] = useSearchParams();
  const phone = Grid.useBreakpoint().md === false;
  const today = todayShanghai();
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(params.get('asOf') ?? '') ? params.get('asOf')! : today;
  const [onlyIssues, setOnlyIssues] = useState(false);
  const [target, setTarget] = useState<RecordsTarget | null>(null);
  const [branch, setBranch] = useState<BranchStructure | null>(null);

  // Members standing on the date: those who joined by then; 出党/去世 (and, today, 已转出) left out.
  const statuses = asOf >= today ? '正常,停止党籍' : '正常,停止党籍,已转出';
  const base = { ledger: 'members', to: asOf, 'f.status': statuses };
  const gender = useFetch<MetricAnswer>(withArea('/api/metrics/query', area, { ...base, groupBy: 'gender' }));
  const age = useFetch<MetricAnswer>(withArea('/api/metrics/query', area, { ...base, groupBy: 'age:出生日期' }));
  const years = useFetch<MetricAnswer>(withArea('/api/metrics/query', area, { ...base, groupBy: 'years:转正日期' }));
  const education = useFetch<MetricAnswer>(withArea('/api/metrics/query', area, { ...base, groupBy: 'education' }));
  const structure = useFetch<{ asOf: string; items: BranchStructure[] }>(withArea('/api/members/structure', area, { asOf }));
  const answers: Record<DimKey, typeof gender> = { gender, age, years, education };

  const groupsOf = (k: DimKey): Group[] => {
    const g = answers[k].data?.groups ?? [];
    if (k === 'years') return g.map((x) => (x.key === '' ? { ...x, label: '预备党员' } : x));
    if (k === 'education') return [...g].sort((a, b) => (EDU_ORDER.indexOf(a.key) + 1 || 99) - (EDU_ORDER.indexOf(b.key) + 1 || 99) || collator.compare(a.key, b.key));
    return g;
  };

  function pick(k: DimKey, g: Group) {
    const dim = DIMENSIONS.find((d) => d.key === k)!;
    const q: Record<string, string> = { ...base, measure: 'count' };
    if (area) q.area = area;
    if (k === 'age' || k === 'years') {
      const range = bandRange(g.key, asOf);
      if (!range) return;
      q[`f.${dim.field}`] = range;
    } else q[`f.${dim.field}`] = g.key;
    setTarget({
      label: `党员结构 · ${dim.title}：${g.label}`,
      value: (
        <span>
          <b style={{ fontSize: 16 }}>{g.value}</b> 人<Typography.Text type="secondary">（截至{asOf}）</Typography.Text>
        </span>
      ),
      query: `/api/metrics/query?${new URLSearchParams(q)}`,
    });
  }

  const items = structure.data?.items ?? [];
  const totals = useMemo(() => {
    let full = 0;
    let prob = 0;
    let issues = 0;
    for (const b of items) {
      full += b.full;
      prob += b.probationary;
      if (b.findings.length) issues++;
    }
    return { full, prob, issues };
  }, [items]);
  // Branches with findings first, the rest in the tree's order.
  const shown = onlyIssues ? items.filter((b) => b.findings.length) : [...items.filter((b) => b.findings.length), ...items.filter((b) => !b.findings.length)];

  const columns: ColumnsType<BranchStructure> = [
    {
      key: 'org',
      title: '党支部',
      width: phone ? 150 : 280,
      fixed: 'left',
      sorter: (a, b) => collator.compare(a.orgName, b.orgName),
      render: (_: unknown, b) => (
        <a role="button" onClick={() => setBranch(b)} data-testid={`branch-${b.org}`} className="structure-org">
          <span>{b.orgName}</span>
          {!phone && <span className="structure-code">{b.org}</span>}
        </a>
      ),
    },
    { key: 'full', dataIndex: 'full', title: phone ? '正式' : '正式党员', width: phone ? 56 : 96, align: 'right', sorter: (a, b) => a.full - b.full },
    { key: 'prob', dataIndex: 'probationary', title: phone ? '预备' : '预备党员', width: phone ? 56 : 96, align: 'right', sorter: (a, b) => a.probationary - b.probationary },
    ...(phone ? [] : [{ key: 'sum', title: '合计', width: 80, align: 'right' as const, sorter: (a: BranchStructure, b: BranchStructure) => a.full + a.probationary - b.full - b.probationary, render: (_: unknown, b: BranchStructure) => b.full + b.probationary }]),
    {
      key: 'committee',
      title: '支委会',
      width: 84,
      render: (_: unknown, b) => (b.hasCommittee ? <Tag color="success">已成立</Tag> : <Tag>未设</Tag>),
    },
    {
      key: 'findings',
      title: '结构问题',
      width: phone ? 220 : 380,
      defaultSortOrder: undefined,
      sorter: (a, b) => a.findings.length - b.findings.length,
      render: (_: unknown, b) =>
        b.findings.length ? (
          <Space direction="vertical" size={2} data-testid={`findings-${b.org}`}>
            {b.findings.map((f) => (
              <Tooltip key={f.message} title={`依据：${f.rule}`}>
                <Tag color={/不足3人/.test(f.message) ? 'red' : 'orange'} icon={<WarningOutlined />} style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
                  {f.message}
                </Tag>
              </Tooltip>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];

  const chart = (k: DimKey, kind: 'pie' | 'bar' | 'hbar') => {
    const dim = DIMENSIONS.find((d) => d.key === k)!;
    const a = answers[k];
    const groups = groupsOf(k);
    return (
      <Card size="small" title={`${dim.title}结构`} extra={a.data ? <Typography.Text type="secondary">{a.data.value}人</Typography.Text> : null} className="structure-card">
        {a.error ? (
          <Alert type="error" showIcon title={a.error.message} />
        ) : !a.data ? (
          <Skeleton active />
        ) : groups.length === 0 ? (
          <Empty description="没有党员记录" />
        ) : (
          <Suspense fallback={<Skeleton active />}>
            {kind === 'pie' ? (
              <PieGroups groups={groups} testId={`chart-${k}`} onPick={(g) => pick(k, g)} />
            ) : (
              <BarGroups groups={groups} testId={`chart-${k}`} onPick={(g) => pick(k, g)} horizontal={kind === 'hbar'} />
            )}
          </Suspense>
        )}
      </Card>
    );
  };

  return (
    <Card
      data-testid="structure-page"
      title={
        <div className="report-card-title">
          <span>党员结构</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
            截至 {asOf}
          </Typography.Text>
        </div>
      }
      extra={
        <DatePicker
          data-testid="structure-asof"
          aria-label="截至日期"
          value={dayjs(asOf)}
          allowClear={false}
          inputReadOnly={phone}
          format="YYYY-MM-DD"
          disabledDate={(d) => d.format('YYYY-MM-DD') > today}
          presets={[
            { label: '今天', value: dayjs(today) },
            { label: '上年末', value: dayjs(`${Number(today.slice(0, 4)) - 1}-12-31`) },
          ]}
          onChange={(d) =>
            setParams((prev) => {
              const next = new URLSearchParams(prev);
              const v = d ? d.format('YYYY-MM-DD') : null;
              if (!v || v === today) next.delete('asOf');
              else next.set('asOf', v);
              return next;
            })
          }
          style={{ width: 140 }}
        />
      }
    >
      <Row gutter={[12, 12]} className="structure-stats">
        <Col xs={12} sm={6}>
          <Statistic title="党支部" value={structure.data ? items.length : '—'} suffix="个" />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title="正式党员" value={structure.data ? totals.full : '—'} suffix="人" />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title="预备党员" value={structure.data ? totals.prob : '—'} suffix="人" />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title="存在结构问题的支部" value={structure.data ? totals.issues : '—'} suffix="个" styles={{ content: totals.issues ? { color: '#cf1322' } : {} }} data-testid="structure-issues" />
        </Col>
      </Row>

      <Row gutter={[12, 12]} style={{ marginTop: 4 }}>
        <Col xs={24} lg={8}>
          {chart('gender', 'pie')}
        </Col>
        <Col xs={24} lg={16}>
          {chart('age', 'bar')}
        </Col>
        <Col xs={24} lg={12}>
          {chart('years', 'bar')}
        </Col>
        <Col xs={24} lg={12}>
          {chart('education', 'hbar')}
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 16px' }}>
        图表按入党日期不晚于截至日的党员统计（年龄、党龄按截至日计算，党龄自转正之日起算），点击图形可列出对应的党员。
      </Typography.Paragraph>

      <div className="report-toolbar" style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          各党支部党员人数
        </Typography.Title>
        <Space size={6}>
          <Switch size="small" checked={onlyIssues} onChange={setOnlyIssues} data-testid="structure-only-issues" />
          <span>只看有问题的支部</span>
        </Space>
      </div>
      {structure.error && <Alert type="error" showIcon title={structure.error.message} style={{ marginBottom: 12 }} />}
      <Table<BranchStructure>
        data-testid="structure-table"
        rowKey="org"
        size="small"
        loading={structure.loading}
        columns={columns}
        dataSource={shown}
        rowClassName={(b) => (b.findings.length ? 'structure-row-warn' : '')}
        scroll={{ x: columns.reduce((s, c) => s + (Number(c.width) || 100), 0) }}
        pagination={shown.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        locale={{ emptyText: <Empty description={onlyIssues ? '没有存在结构问题的支部' : '没有党支部'} /> }}
      />
      {target && <RecordsDrawer target={target} onClose={() => setTarget(null)} />}
      {branch && <BranchDrawer branch={branch} asOf={asOf} canWrite={me.can('tree.write')} onClose={() => setBranch(null)} onChanged={structure.reload} />}
    </Card>
  );
}

interface RosterEntry {
  id: number;
  name: string;
  gender: string;
  category: '正式党员' | '预备党员';
  partyPost: string | null;
}

/** A branch on the date: its members, and its committees (recorded here by a clerk). */
function BranchDrawer(props: { branch: BranchStructure; asOf: string; canWrite: boolean; onClose: () => void; onChanged: () => void }) {
  const { branch, asOf } = props;
  const phone = Grid.useBreakpoint().md === false;
  const { message } = App.useApp();
  const roster = useFetch<{ items: RosterEntry[] }>(`/api/orgs/${encodeURIComponent(branch.org)}/roster?date=${asOf}`);
  const committees = useFetch<{ items: Array<{ establishedOn: string; endedOn: string | null; members: number }> }>(`/api/orgs/${encodeURIComponent(branch.org)}/committees`);
  const [form] = Form.useForm<{ establishedOn: dayjs.Dayjs; members: number }>();
  const [saving, setSaving] = useState(false);
  const open = committees.data?.items.find((c) => !c.endedOn);

  async function save() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await api.post(`/api/orgs/${encodeURIComponent(branch.org)}/committees`, { establishedOn: v.establishedOn.format('YYYY-MM-DD'), members: v.members });
      message.success('已记录支部委员会');
      committees.reload();
      props.onChanged();
      form.resetFields();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  async function end() {
    setSaving(true);
    try {
      await api.post(`/api/orgs/${encodeURIComponent(branch.org)}/committees/end`, { endedOn: todayShanghai() });
      message.success('已记录支部委员会不再设立');
      committees.reload();
      props.onChanged();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  const people = roster.data?.items ?? [];
  return (
    <Drawer open onClose={props.onClose} size={phone ? '100%' : 560} title={branch.orgName} data-testid="branch-drawer">
      <Descriptions
        size="small"
        column={phone ? 1 : 2}
        bordered
        items={[
          { key: 'code', label: '编码', children: branch.org },
          { key: 'date', label: '截至', children: asOf },
          { key: 'full', label: '正式党员', children: `${branch.full}人` },
          { key: 'prob', label: '预备党员', children: `${branch.probationary}人` },
        ]}
      />
      {branch.findings.map((f) => (
        <Alert key={f.message} type="warning" showIcon title={f.message} description={`依据：${f.rule}`} style={{ marginTop: 8 }} />
      ))}

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        支部委员会
      </Typography.Title>
      {committees.error ? (
        <Alert type="error" showIcon title={committees.error.message} />
      ) : (
        <List
          size="small"
          bordered
          loading={committees.loading}
          dataSource={committees.data?.items ?? []}
          locale={{ emptyText: '没有支部委员会的记录' }}
          renderItem={(c) => (
            <List.Item>
              {c.establishedOn} 成立，委员{c.members}人{c.endedOn ? `，${c.endedOn} 结束` : '（现任）'}
            </List.Item>
          )}
        />
      )}
      {props.canWrite && (
        <Form form={form} layout="inline" style={{ marginTop: 8, rowGap: 8 }} initialValues={{ members: 3 }}>
          <Form.Item name="establishedOn" rules={[{ required: true, message: '请选择成立（换届）日期' }]}>
            <DatePicker placeholder={open ? '换届日期' : '成立日期'} format="YYYY-MM-DD" inputReadOnly={phone} />
          </Form.Item>
          <Form.Item name="members" rules={[{ required: true, message: '委员人数' }]}>
            <InputNumber min={3} max={7} precision={0} suffix="人" style={{ width: 90 }} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" loading={saving} onClick={() => void save()}>
                {open ? '记录换届' : '记录成立'}
              </Button>
              {open && (
                <Button onClick={() => void end()} disabled={saving}>
                  不再设立
                </Button>
              )}
            </Space>
          </Form.Item>
        </Form>
      )}

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        党员名单（{asOf}）
      </Typography.Title>
      {roster.error && <Alert type="error" showIcon title={roster.error.message} />}
      <Table<RosterEntry>
        size="small"
        rowKey="id"
        loading={roster.loading}
        dataSource={people}
        pagination={people.length > 30 ? { pageSize: 30, size: 'small' } : false}
        columns={[
          { key: 'name', dataIndex: 'name', title: '姓名' },
          { key: 'gender', dataIndex: 'gender', title: '性别', width: 60 },
          { key: 'cat', dataIndex: 'category', title: '类别', width: 96, render: (v: string) => (v === '预备党员' ? <Tag color="gold">预备党员</Tag> : v) },
          { key: 'post', dataIndex: 'partyPost', title: '党内职务', render: (v: string | null) => v ?? '—' },
        ]}
      />
    </Drawer>
  );
}
