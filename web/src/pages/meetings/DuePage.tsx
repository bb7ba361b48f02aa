/**
 * 近期应开会议: for each organization, the meetings its rules still require in periods that are
 * running or start within the coming weeks (GET /api/meetings/due) — the organization whose
 * deadline comes first on top, each item with its period, what is held so far and the days left,
 * and 记录会议 prefilled with the organization, the type and a date in the period.
 */
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Card, DatePicker, Empty, Grid, Input, Pagination, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { canLedger } from '../../../../src/domain/policy.ts';
import { withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { todayShanghai } from '../../lib/format.ts';
import { useFetch } from '../../lib/useFetch.ts';
import { MEETING_TYPES, TypeTag, daysBetween, periodLabel, periodRange, suggestedDate, useAreaTo, type DueItem } from './common.tsx';
import { MeetingCreateForm, type MeetingPrefill } from './MeetingCreateForm.tsx';
import './meetings.css';

const WEEKS = [2, 4, 8, 13];
const ORGS_PER_PAGE = 20;

interface OrgDue {
  org: string;
  orgName: string;
  items: DueItem[];
  first: string;
}

export function DuePage() {
  const me = useMe();
  const navigate = useNavigate();
  const to = useAreaTo();
  const [area] = useAreaParam();
  const [params, setParams] = useSearchParams();
  const phone = Grid.useBreakpoint().md === false;
  const today = todayShanghai();
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(params.get('asOf') ?? '') ? params.get('asOf')! : today;
  const weeks = WEEKS.includes(Number(params.get('weeks'))) ? Number(params.get('weeks')) : 4;
  const typeFilter = params.get('type') ?? '';
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [prefill, setPrefill] = useState<MeetingPrefill | null>(null);
  const canWrite = canLedger(me.user.role, 'meetings', 'write');
  const { data, loading, error } = useFetch<{ items: DueItem[] }>(withArea('/api/meetings/due', area, { asOf, weeks: String(weeks) }));

  const setParam = (changes: Record<string, string | null>) => {
    setPage(1);
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === '') next.delete(k);
        else next.set(k, v);
      }
      return next;
    });
  };

  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const byOrg = new Map<string, OrgDue>();
    for (const i of data?.items ?? []) {
      if (typeFilter && i.meetingType !== typeFilter) continue;
      if (q && !i.orgName.toLowerCase().includes(q) && !i.org.toLowerCase().includes(q)) continue;
      let g = byOrg.get(i.org);
      if (!g) byOrg.set(i.org, (g = { org: i.org, orgName: i.orgName, items: [], first: i.deadline }));
      g.items.push(i);
      if (i.deadline < g.first) g.first = i.deadline;
    }
    for (const g of byOrg.values()) g.items.sort((a, b) => a.deadline.localeCompare(b.deadline) || a.meetingType.localeCompare(b.meetingType, 'zh-CN'));
    return [...byOrg.values()].sort((a, b) => a.first.localeCompare(b.first) || b.items.length - a.items.length || a.org.localeCompare(b.org));
  }, [data, typeFilter, query]);
  const total = groups.reduce((s, g) => s + g.items.length, 0);
  const within7 = groups.reduce((s, g) => s + g.items.filter((i) => daysBetween(asOf, i.deadline) <= 7).length, 0);
  const pageGroups = groups.slice((page - 1) * ORGS_PER_PAGE, page * ORGS_PER_PAGE);

  const left = (i: DueItem) => {
    const { from } = periodRange(i.period);
    if (from > asOf) return <Tag color="default">{dayjs(from).format('M月D日')}起</Tag>;
    const d = daysBetween(asOf, i.deadline);
    return <Tag color={d <= 7 ? 'error' : d <= 31 ? 'warning' : 'default'}>{d === 0 ? '今天截止' : `还剩${d}天`}</Tag>;
  };

  return (
    <Card
      title={<span style={{ fontSize: 16 }}>近期应开会议</span>}
      data-testid="meetings-due"
      extra={
        !phone && (
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            尚未召开足数、本期未结束或{weeks}周内开始的会议
          </Typography.Text>
        )
      }
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '8px 16px', marginBottom: 12 }}>
        <Space size={6} wrap>
          <span style={{ color: 'rgba(0,0,0,0.65)' }}>截至</span>
          <DatePicker
            value={dayjs(asOf)}
            allowClear={false}
            format="YYYY-MM-DD"
            inputReadOnly={phone}
            onChange={(d) => d && setParam({ asOf: d.format('YYYY-MM-DD') === today ? null : d.format('YYYY-MM-DD') })}
            style={{ width: 130 }}
            data-testid="due-asof"
          />
          <Select value={weeks} onChange={(v: number) => setParam({ weeks: v === 4 ? null : String(v) })} options={WEEKS.map((w) => ({ value: w, label: `${w}周内` }))} style={{ width: 96 }} data-testid="due-weeks" />
        </Space>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, ...(phone ? { width: '100%' } : {}) }}>
          <Select
            allowClear
            placeholder="全部会议类型"
            value={typeFilter || undefined}
            onChange={(v: string | undefined) => setParam({ type: v ?? null })}
            options={MEETING_TYPES.map((t) => ({ value: t.type, label: t.type }))}
            style={phone ? { flex: '1 1 140px' } : { width: 150 }}
            popupMatchSelectWidth={false}
          />
          <Input.Search
            allowClear
            placeholder="搜索党组织"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setPage(1);
            }}
            style={phone ? { flex: '1 1 160px' } : { width: 220 }}
          />
        </div>
      </div>
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      {loading && !data ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <>
          <div style={{ marginBottom: 12 }} data-testid="due-summary">
            <Typography.Text>
              <b>{groups.length}</b> 个党组织，<b>{total}</b> 项待召开
              {within7 > 0 && (
                <>
                  ，其中 <b className="due-urgent">{within7}</b> 项7天内截止
                </>
              )}
            </Typography.Text>
          </div>
          {groups.length === 0 ? (
            <Empty description={`截至${asOf}，${weeks}周内没有应开而未开的会议`} />
          ) : (
            pageGroups.map((g) => (
              <Card
                key={g.org}
                size="small"
                className="due-org-card"
                data-testid={`due-org-${g.org}`}
                title={
                  <span title={`${g.orgName}（${g.org}）`}>
                    {g.orgName}
                    <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12, marginInlineStart: 6 }}>
                      {g.org}
                    </Typography.Text>
                  </span>
                }
                extra={<Tag>{g.items.length} 项</Tag>}
              >
                {g.items.map((i) => (
                  <div key={`${i.meetingType}|${i.period}`} className="due-row" data-testid={`due-${g.org}-${i.meetingType}-${i.period}`}>
                    <span className="due-type">
                      <TypeTag type={i.meetingType} />
                    </span>
                    <span className="due-period">{periodLabel(i.period)}</span>
                    <Typography.Text type="secondary" className="due-held">
                      已开 {i.held} / 应开 {i.required} 次
                    </Typography.Text>
                    <span className="due-when">
                      <span className="num">截止 {i.deadline}</span>
                      {left(i)}
                    </span>
                    <span className="due-action">
                      {canWrite && (
                        <Button
                          size="small"
                          icon={<PlusOutlined />}
                          onClick={() => setPrefill({ org: i.org, type: i.meetingType, period: i.period, date: suggestedDate(i.period, asOf) })}
                          data-testid={`due-record-${g.org}-${i.meetingType}-${i.period}`}
                        >
                          记录会议
                        </Button>
                      )}
                    </span>
                  </div>
                ))}
              </Card>
            ))
          )}
          {groups.length > ORGS_PER_PAGE && (
            <Pagination
              current={page}
              pageSize={ORGS_PER_PAGE}
              total={groups.length}
              onChange={(p) => {
                setPage(p);
                window.scrollTo(0, 0);
              }}
              showSizeChanger={false}
              showTotal={(t) => `共 ${t} 个党组织`}
              size="small"
              style={{ textAlign: 'center', marginTop: 8 }}
            />
          )}
        </>
      )}
      {prefill && (
        <MeetingCreateForm
          prefill={prefill}
          onClose={() => setPrefill(null)}
          onSaved={(m) => {
            setPrefill(null);
            navigate(to(`/meetings/${m.id}`));
          }}
        />
      )}
    </Card>
  );
}
