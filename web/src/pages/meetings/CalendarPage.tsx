/**
 * 会议日历: the meetings of the area month by month, coloured by type (the legend turns types on
 * and off), optionally for one organization. A meeting opens its full record; a day with more
 * than fits opens the day's list. On a phone the month is a small calendar with coloured dots and
 * the chosen day's meetings below it.
 */
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Calendar, Card, Drawer, Empty, Grid, List, Space, Spin, Typography } from 'antd';
import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { canLedger } from '../../../../src/domain/policy.ts';
import { api, withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { todayShanghai } from '../../lib/format.ts';
import { useLedgers, useOrgs, type RecordPage } from '../../lib/ledgers.tsx';
import { OrgInput, useCodeNames } from '../ledgers/fields.tsx';
import { MEETING_TYPES, TypeTag, typeColor, typeShort, useAreaTo, type MeetingRow } from './common.tsx';
import { MeetingCreateForm, type MeetingPrefill } from './MeetingCreateForm.tsx';
import './meetings.css';

const PAGE = 500;
const MAX_PAGES = 10;
const PER_CELL = 3;

/** The 6 weeks the month's grid shows (weeks start on Monday). */
function gridRange(month: Dayjs): { from: string; to: string } {
  const first = month.startOf('month');
  const start = first.subtract((first.day() + 6) % 7, 'day');
  return { from: start.format('YYYY-MM-DD'), to: start.add(41, 'day').format('YYYY-MM-DD') };
}

function useMonthMeetings(area: string | null, month: Dayjs, org: string | null, tick: number) {
  const [items, setItems] = useState<MeetingRow[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [truncated, setTruncated] = useState(false);
  const key = month.format('YYYY-MM');
  useEffect(() => {
    const ctrl = new AbortController();
    const { from, to } = gridRange(dayjs(`${key}-01`));
    setLoading(true);
    setError(null);
    (async () => {
      const all: MeetingRow[] = [];
      let total = 0;
      for (let page = 1; page <= MAX_PAGES; page++) {
        const r = await api.get<RecordPage>(withArea('/api/ledgers/meetings/records', area, { from, to, sort: 'date', page: String(page), pageSize: String(PAGE), ...(org ? { 'f.org': org } : {}) }), ctrl.signal);
        all.push(...(r.items as unknown as MeetingRow[]));
        total = r.total;
        if (all.length >= total || r.items.length < PAGE) break;
      }
      setItems(all);
      setTruncated(all.length < total);
      setLoading(false);
    })().catch((e: unknown) => {
      if ((e as Error).name === 'AbortError') return;
      setError((e as Error).message);
      setLoading(false);
    });
    return () => ctrl.abort();
  }, [area, key, org, tick]);
  return { items, loading, error, truncated };
}

export function CalendarPage() {
  const me = useMe();
  const navigate = useNavigate();
  const to = useAreaTo();
  const [area] = useAreaParam();
  const [params, setParams] = useSearchParams();
  const phone = Grid.useBreakpoint().md === false;
  const today = todayShanghai();
  const monthParam = params.get('month');
  const month = monthParam && /^\d{4}-\d{2}$/.test(monthParam) ? dayjs(`${monthParam}-01`) : dayjs(today).startOf('month');
  const org = params.get('org');
  const hiddenTypes = new Set((params.get('hide') ?? '').split(',').filter(Boolean));
  const [selected, setSelected] = useState<string>(() => (monthParam && monthParam !== today.slice(0, 7) ? `${monthParam}-01` : today));
  const [picked, setPicked] = useState(false);
  const [dayOpen, setDayOpen] = useState<string | null>(null);
  const [prefill, setPrefill] = useState<MeetingPrefill | null>(null);
  const [tick, setTick] = useState(0);
  const canWrite = canLedger(me.user.role, 'meetings', 'write');
  const ledgers = useLedgers();
  const names = useCodeNames(ledgers.byKey.get('meetings'));
  const orgs = useOrgs(true);
  const { items, loading, error, truncated } = useMonthMeetings(area, month, org, tick);

  const setParam = (changes: Record<string, string | null>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === '') next.delete(k);
        else next.set(k, v);
      }
      return next;
    });

  const shown = useMemo(() => items.filter((m) => !hiddenTypes.has(m.type)), [items, hiddenTypes]);
  const byDay = useMemo(() => {
    const map = new Map<string, MeetingRow[]>();
    for (const m of shown) map.set(m.date, [...(map.get(m.date) ?? []), m]);
    return map;
  }, [shown]);
  const inMonth = shown.filter((m) => m.date.startsWith(month.format('YYYY-MM')));
  const countsByType = useMemo(() => {
    const c = new Map<string, number>();
    for (const m of items) if (m.date.startsWith(month.format('YYYY-MM'))) c.set(m.type, (c.get(m.type) ?? 0) + 1);
    return c;
  }, [items, month]);

  const goMonth = (d: Dayjs) => {
    const key = d.format('YYYY-MM');
    setParam({ month: key === today.slice(0, 7) ? null : key });
    setSelected(key === today.slice(0, 7) ? today : `${key}-01`);
    setPicked(false);
  };
  const orgName = (code: string) => orgs.byCode.get(code)?.name ?? code;
  const open = (m: MeetingRow) => navigate(to(`/meetings/${m.id}`));

  const toggleType = (t: string) => {
    const next = new Set(hiddenTypes);
    if (next.has(t)) next.delete(t);
    else next.add(t);
    setParam({ hide: next.size ? [...next].join(',') : null });
  };

  const header = (
    <div className="cal-toolbar">
      <Space size={4}>
        <Button icon={<LeftOutlined />} onClick={() => goMonth(month.subtract(1, 'month'))} aria-label="上个月" data-testid="cal-prev" />
        <span className="cal-month" data-testid="cal-month" style={{ minWidth: 92, textAlign: 'center', fontWeight: 600, fontSize: 16 }}>
          {month.format('YYYY年M月')}
        </span>
        <Button icon={<RightOutlined />} onClick={() => goMonth(month.add(1, 'month'))} aria-label="下个月" data-testid="cal-next" />
        <Button onClick={() => goMonth(dayjs(today))} disabled={month.format('YYYY-MM') === today.slice(0, 7)}>
          本月
        </Button>
      </Space>
      <div style={{ width: phone ? '100%' : 300 }}>
        <OrgInput names={names} value={org} onChange={(v) => setParam({ org: v })} />
      </div>
      <Typography.Text type="secondary" data-testid="cal-count">
        {loading ? '正在加载…' : `本月 ${inMonth.length} 次会议`}
      </Typography.Text>
      <span style={{ flex: 1 }} />
      {canWrite && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setPrefill({ date: selected, ...(org ? { org } : {}) })} data-testid="cal-new">
          记录会议
        </Button>
      )}
    </div>
  );

  const legend = (
    <div className="cal-legend" data-testid="cal-legend">
      {MEETING_TYPES.map((t) => (
        <span
          key={t.type}
          className={hiddenTypes.has(t.type) ? 'cal-legend-item cal-off' : 'cal-legend-item'}
          onClick={() => toggleType(t.type)}
          role="checkbox"
          aria-checked={!hiddenTypes.has(t.type)}
          title={hiddenTypes.has(t.type) ? `显示${t.type}` : `隐藏${t.type}`}
        >
          <i className="cal-dot" style={{ background: t.color }} />
          {t.type}
          {countsByType.get(t.type) ? <Typography.Text type="secondary">{countsByType.get(t.type)}</Typography.Text> : null}
        </span>
      ))}
    </div>
  );

  const cell = (d: Dayjs) => {
    const list = byDay.get(d.format('YYYY-MM-DD')) ?? [];
    if (!list.length) return null;
    if (phone) {
      return (
        <div className="cal-dots">
          {list.slice(0, 6).map((m) => (
            <i key={m.id} className="cal-dot" style={{ background: typeColor(m.type) }} />
          ))}
        </div>
      );
    }
    return (
      <div className="cal-cell">
        {list.slice(0, PER_CELL).map((m) => (
          <div
            key={m.id}
            className="cal-item"
            style={{ background: typeColor(m.type) }}
            title={`${m.type} · ${orgName(m.org)} · ${m.topic}`}
            onClick={(e) => {
              e.stopPropagation();
              open(m);
            }}
            data-testid={`cal-item-${m.id}`}
          >
            {typeShort(m.type)} · {orgName(m.org).replace(/^中共/, '')}
          </div>
        ))}
        {list.length > PER_CELL && (
          <div
            className="cal-more"
            onClick={(e) => {
              e.stopPropagation();
              setDayOpen(d.format('YYYY-MM-DD'));
            }}
            data-testid={`cal-more-${d.format('YYYY-MM-DD')}`}
          >
            还有 {list.length - PER_CELL} 次…
          </div>
        )}
      </div>
    );
  };

  const dayList = (day: string) => (
    <List<MeetingRow>
      size="small"
      dataSource={byDay.get(day) ?? []}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={`${day} 没有会议`} /> }}
      renderItem={(m) => (
        <List.Item key={m.id} className="cal-day-item" onClick={() => open(m)} data-testid={`cal-day-${m.id}`}>
          <div style={{ minWidth: 0 }}>
            <Space size={6} wrap>
              <TypeTag type={m.type} />
              <span>{orgName(m.org)}</span>
            </Space>
            <div className="cal-day-topic">{m.topic}</div>
          </div>
        </List.Item>
      )}
    />
  );

  return (
    <Card title={<span style={{ fontSize: 16 }}>会议日历</span>} data-testid="meetings-calendar">
      {header}
      {legend}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      {truncated && <Alert type="warning" showIcon title={`本月会议较多，仅显示前${PAGE * MAX_PAGES}次；请选择党组织查看`} style={{ marginBottom: 8 }} />}
      <Spin spinning={loading}>
        <Calendar
          value={dayjs(selected).isSame(month, 'month') ? dayjs(selected) : month}
          fullscreen={!phone}
          className={picked || selected === today ? undefined : 'cal-plain'}
          headerRender={() => null}
          onSelect={(d, info) => {
            if (info.source !== 'date') return;
            const key = d.format('YYYY-MM-DD');
            if (!d.isSame(month, 'month')) goMonth(d);
            setSelected(key);
            setPicked(true);
            if (!phone && (byDay.get(key)?.length ?? 0) > 0) setDayOpen(key);
          }}
          cellRender={(d, info) => (info.type === 'date' ? cell(d) : null)}
          data-testid="cal"
        />
      </Spin>
      {phone && (
        <div style={{ marginTop: 8 }} data-testid="cal-day-list">
          <Typography.Title level={5} style={{ marginBottom: 4 }}>
            {dayjs(selected).format('M月D日')}的会议
          </Typography.Title>
          {dayList(selected)}
        </div>
      )}
      {dayOpen && (
        <Drawer open title={`${dayjs(dayOpen).format('YYYY年M月D日')}的会议（${byDay.get(dayOpen)?.length ?? 0}次）`} size={480} onClose={() => setDayOpen(null)} data-testid="cal-day-drawer">
          {dayList(dayOpen)}
        </Drawer>
      )}
      {prefill && (
        <MeetingCreateForm
          prefill={prefill}
          onClose={() => setPrefill(null)}
          onSaved={(m) => {
            setPrefill(null);
            setTick((t) => t + 1);
            navigate(to(`/meetings/${m.id}`));
          }}
        />
      )}
    </Card>
  );
}
