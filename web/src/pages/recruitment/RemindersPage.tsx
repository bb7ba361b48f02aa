/**
 * 发展提醒: every step of every person that is overdue or falls due within the next days (31 by
 * default) — overdue first, the longest overdue on top, then by deadline. Each row leads to the
 * person's timeline.
 */
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Card, Empty, Grid, Input, List, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { todayShanghai } from '../../lib/format.ts';
import { useOrgs } from '../../lib/ledgers.tsx';
import { daysBetween, type Reminder } from '../../lib/recruitment.ts';
import { useFetch } from '../../lib/useFetch.ts';
import { useAreaTo } from './common.tsx';

const DAY_CHOICES = [7, 31, 90];

type Filter = 'all' | 'overdue' | 'soon';

export function RemindersPage() {
  const [area] = useAreaParam();
  const [params, setParams] = useSearchParams();
  const phone = Grid.useBreakpoint().md === false;
  const to = useAreaTo();
  const days = DAY_CHOICES.includes(Number(params.get('days'))) ? Number(params.get('days')) : 31;
  const filter: Filter = params.get('show') === 'overdue' ? 'overdue' : params.get('show') === 'soon' ? 'soon' : 'all';
  const { data, loading, error } = useFetch<{ items: Reminder[] }>(withArea('/api/recruitment/reminders', area, { days: String(days) }));
  const orgs = useOrgs(true);
  const [query, setQuery] = useState('');
  const today = todayShanghai();

  const setParam = (k: string, v: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (v === null) next.delete(k);
      else next.set(k, v);
      return next;
    });

  const sorted = useMemo(() => {
    const items = [...(data?.items ?? [])];
    // Overdue first (longest overdue on top), then by deadline.
    return items.sort((a, b) => Number(b.action.overdue) - Number(a.action.overdue) || (a.action.latest ?? '').localeCompare(b.action.latest ?? '') || a.name.localeCompare(b.name, 'zh-CN'));
  }, [data]);
  const overdue = sorted.filter((r) => r.action.overdue).length;
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return sorted.filter(
      (r) =>
        (filter === 'all' || (filter === 'overdue') === r.action.overdue) &&
        (!q || r.name.toLowerCase().includes(q) || r.org.toLowerCase().includes(q) || (orgs.byCode.get(r.org)?.name ?? '').includes(q) || r.action.label.includes(q)),
    );
  }, [sorted, filter, query, orgs.byCode]);

  const status = (r: Reminder) =>
    r.action.overdue ? (
      <Tag color="error" data-testid="reminder-overdue">
        已逾期{daysBetween(r.action.latest!, today)}天
      </Tag>
    ) : (
      <Tag color="warning">{r.action.latest === today ? '今天到期' : `${daysBetween(today, r.action.latest!)}天后到期`}</Tag>
    );
  const orgName = (code: string) => orgs.byCode.get(code)?.name ?? code;
  const person = (r: Reminder) => (
    <Link to={to(`/recruitment/${r.applicantId}`)} data-testid={`reminder-person-${r.applicantId}`}>
      {r.name}
    </Link>
  );

  const columns: ColumnsType<Reminder> = [
    { key: 'status', title: '状态', width: 120, render: (_: unknown, r) => status(r) },
    {
      key: 'latest',
      title: '最迟日期',
      width: 110,
      render: (_: unknown, r) => <span className={r.action.overdue ? 'num due-late' : 'num'}>{r.action.latest}</span>,
    },
    { key: 'name', title: '姓名', width: 100, render: (_: unknown, r) => person(r) },
    {
      key: 'org',
      title: '党组织',
      width: 220,
      ellipsis: true,
      render: (_: unknown, r) => <span title={`${orgName(r.org)}（${r.org}）`}>{orgName(r.org)}</span>,
    },
    { key: 'step', title: '环节', width: 160, render: (_: unknown, r) => r.action.label },
    { key: 'earliest', title: '最早日期', width: 110, render: (_: unknown, r) => <span className="num">{r.action.earliest ?? '—'}</span> },
    { key: 'note', title: '要求', render: (_: unknown, r) => <Typography.Text type="secondary">{r.action.note || '—'}</Typography.Text> },
  ];

  return (
    <Card
      title={<span style={{ fontSize: 16 }}>发展提醒</span>}
      extra={
        <Space size={6}>
          <span style={{ color: 'rgba(0,0,0,0.65)' }}>到期范围</span>
          <Select
            size="small"
            value={days}
            onChange={(v: number) => setParam('days', v === 31 ? null : String(v))}
            options={DAY_CHOICES.map((d) => ({ value: d, label: `${d}天内` }))}
            style={{ width: 88 }}
            data-testid="reminder-days"
          />
        </Space>
      }
      data-testid="recruitment-reminders"
    >
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      <div className="reminder-bar">
        <Segmented
          value={filter}
          onChange={(v) => setParam('show', v === 'all' ? null : String(v))}
          options={[
            { value: 'all', label: `全部 ${sorted.length}` },
            { value: 'overdue', label: <span className={overdue ? 'due-late' : undefined}>已逾期 {overdue}</span> },
            { value: 'soon', label: `${days}天内到期 ${sorted.length - overdue}` },
          ]}
          data-testid="reminder-filter"
        />
        <Input.Search allowClear placeholder="搜索姓名、党组织或环节" value={query} onChange={(e) => setQuery(e.target.value)} style={{ maxWidth: phone ? undefined : 280 }} />
      </div>
      {phone ? (
        <List<Reminder>
          loading={loading}
          dataSource={shown}
          data-testid="reminder-list"
          locale={{ emptyText: <Empty description={`没有逾期或${days}天内到期的环节`} /> }}
          renderItem={(r) => (
            <List.Item key={`${r.applicantId}-${r.action.code}`} className={r.action.overdue ? 'due-item due-overdue' : 'due-item'}>
              <div className="due-body">
                <div className="due-title">
                  <b>{person(r)}</b>
                  <span>{r.action.label}</span>
                  {status(r)}
                </div>
                <div className="due-dates">
                  <span className="ellipsis">{orgName(r.org)}</span>
                  <span className={r.action.overdue ? 'due-late' : undefined}>
                    最迟 <span className="num">{r.action.latest}</span>
                  </span>
                </div>
                {r.action.note && <div className="due-note">{r.action.note}</div>}
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Table<Reminder>
          data-testid="reminder-table"
          rowKey={(r) => `${r.applicantId}-${r.action.code}`}
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={shown}
          tableLayout="fixed"
          scroll={{ x: 960 }}
          rowClassName={(r) => (r.action.overdue ? 'reminder-overdue-row' : '')}
          pagination={shown.length > 50 ? { pageSize: 50, showSizeChanger: false, showTotal: (t) => `共 ${t} 项` } : false}
          locale={{ emptyText: loading ? <div style={{ height: 80 }} /> : <Empty description={`没有逾期或${days}天内到期的环节`} /> }}
        />
      )}
    </Card>
  );
}
