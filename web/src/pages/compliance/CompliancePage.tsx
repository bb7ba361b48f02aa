/**
 * 组织生活落实情况: every organization of the area against the 三会一课 rules for a year, as of a
 * date. One line per organization × meeting type, twelve month columns; a quarterly rule's cell
 * spans its quarter's three months and a yearly one the whole year, so each cell sits where its
 * period lies. Organizations are grouped by kind (党工委, 机关/村/社区/小区/企业/社会组织党支部,
 * 党小组), filterable and searchable; a summary and the findings (with the rule cited) above.
 * A cell opens what satisfied it, or what is missing with 补录会议.
 */
import { Fragment, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, DatePicker, Empty, Grid, Input, InputNumber, List, Modal, Select, Skeleton, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { canLedger } from '../../../../src/domain/policy.ts';
import { api, errorMessage, withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { todayShanghai } from '../../lib/format.ts';
import { useOrgs } from '../../lib/ledgers.tsx';
import { collator } from '../../lib/tree.ts';
import { useFetch } from '../../lib/useFetch.ts';
import type { TOrg } from '../../../../src/shared/schemas.ts';
import {
  MEETING_TYPES,
  PERIOD_WORD,
  STATUS_INFO,
  periodLabel,
  periodMonths,
  rowKind,
  suggestedDate,
  typeShort,
  useAreaTo,
  type CellStatus,
  type ComplianceAnswer,
  type ComplianceCell,
  type ComplianceRow,
  type Finding,
  type MeetingRule,
} from '../meetings/common.tsx';
import { MeetingCreateForm, type MeetingPrefill } from '../meetings/MeetingCreateForm.tsx';
import { CellDrawer, type CellPick } from './CellDrawer.tsx';
import './compliance.css';

/** Groups of organizations, in the order a street reads them. */
const GROUPS = ['党工委', '机关党支部', '村党支部', '社区党支部', '小区党支部', '党小组', '非公企业党支部', '社会组织党支部', '其他党支部'] as const;
type Group = (typeof GROUPS)[number];
const CATEGORY_GROUP: Record<string, Group> = { 街道机关: '机关党支部', 村: '村党支部', 社区: '社区党支部', 小区: '小区党支部', 非公企业: '非公企业党支部', 社会组织: '社会组织党支部' };

function groupOf(row: ComplianceRow, org: TOrg | undefined): Group {
  const kind = org?.kind ?? rowKind(row);
  if (kind === '党工委') return '党工委';
  if (kind === '党小组') return '党小组';
  return (org?.category && CATEGORY_GROUP[org.category]) || '其他党支部';
}

interface Line {
  type: string;
  cells: ComplianceCell[];
}

interface OrgLines {
  row: ComplianceRow;
  group: Group;
  lines: Line[];
  /** Types whose every period is 不适用 (e.g. no committee all year): not drawn, said in a note. */
  hidden: string[];
  missed: number;
}

const TYPE_ORDER = new Map(MEETING_TYPES.map((t, i) => [t.type, i]));
const MONTHS = Array.from({ length: 12 }, (_, i) => i);
const QUARTERS = ['第一季度', '第二季度', '第三季度', '第四季度'];

function linesOf(row: ComplianceRow, group: Group): OrgLines {
  const byType = new Map<string, ComplianceCell[]>();
  for (const c of row.cells) {
    const list = byType.get(c.meetingType) ?? [];
    list.push(c);
    byType.set(c.meetingType, list);
  }
  const lines: Line[] = [];
  const hidden: string[] = [];
  for (const [type, cells] of [...byType.entries()].sort((a, b) => (TYPE_ORDER.get(a[0]) ?? 99) - (TYPE_ORDER.get(b[0]) ?? 99))) {
    cells.sort((a, b) => a.period.localeCompare(b.period));
    if (cells.every((c) => c.status === 'na')) hidden.push(type);
    else lines.push({ type, cells });
  }
  return { row, group, lines, hidden, missed: row.cells.filter((c) => c.status === 'missed').length };
}

/** What a cell says: short in a month, longer where it spans a quarter or the year. */
function cellText(c: ComplianceCell, span: number): string {
  const wide = span > 1;
  switch (c.status) {
    case 'met':
      return wide ? `✓ ${c.held}次` : c.held > 1 ? `✓${c.held}` : '✓';
    case 'missed':
      return wide ? `未落实 ${c.held}/${c.required}` : `${c.held}/${c.required}`;
    case 'due':
      return wide ? `进行中 ${c.held}/${c.required}` : `${c.held}/${c.required}`;
    default:
      return wide ? '不适用' : '—';
  }
}

function cellTitle(orgName: string, c: ComplianceCell): string {
  const s = STATUS_INFO[c.status].label;
  const base = `${orgName} ${periodLabel(c.period)}${c.meetingType}：${s}`;
  if (c.status === 'na') return base;
  return `${base}，应召开${c.required}次，计入${c.held}次${c.notCounted ? `，另有${c.notCounted}次未过半数不计入` : ''}`;
}

function Cell({ org, orgName, c, onOpen }: { org: string; orgName: string; c: ComplianceCell; onOpen: () => void }) {
  const span = periodMonths(c.period).length;
  return (
    <td colSpan={span} className="cmp-cell-td">
      <button
        type="button"
        className={`cmp-cell cmp-${c.status}${span === 12 ? ' cmp-year' : ''}`}
        title={cellTitle(orgName, c)}
        onClick={onOpen}
        data-testid={`cell-${org}-${c.meetingType}-${c.period}`}
        data-status={c.status}
      >
        {cellText(c, span)}
        {c.notCounted ? <sup className="cmp-note">※</sup> : null}
      </button>
    </td>
  );
}

export function CompliancePage() {
  const me = useMe();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const to = useAreaTo();
  const [area] = useAreaParam();
  const [params, setParams] = useSearchParams();
  const phone = Grid.useBreakpoint().md === false;
  const today = todayShanghai();
  const thisYear = Number(today.slice(0, 4));
  const year = /^\d{4}$/.test(params.get('year') ?? '') ? Number(params.get('year')) : thisYear;
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(params.get('asOf') ?? '') ? params.get('asOf')! : today;
  const groupFilter = (params.get('group') ?? '').split(',').filter((g): g is Group => (GROUPS as readonly string[]).includes(g));
  const typeFilter = params.get('type') ?? '';
  const onlyMissed = params.get('show') === 'missed';
  const tab = params.get('tab') === 'findings' ? 'findings' : 'matrix';
  const [query, setQuery] = useState('');
  const [pick, setPick] = useState<CellPick | null>(null);
  const [prefill, setPrefill] = useState<MeetingPrefill | null>(null);
  const [rulesOpen, setRulesOpen] = useState(false);
  const canWrite = canLedger(me.user.role, 'meetings', 'write');

  const { data, loading, error, reload } = useFetch<ComplianceAnswer>(withArea('/api/compliance', area, { year: String(year), asOf }));
  const rules = useFetch<{ items: MeetingRule[] }>('/api/compliance/rules');
  const orgs = useOrgs(true);
  const ruleOf = useMemo(() => new Map((rules.data?.items ?? []).map((r) => [r.meetingType, r])), [rules.data]);

  const setParam = (changes: Record<string, string | null>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === '') next.delete(k);
        else next.set(k, v);
      }
      return next;
    });

  const all = useMemo(() => {
    const rows = (data?.rows ?? []).map((r) => linesOf(r, groupOf(r, orgs.byCode.get(r.org))));
    return rows.sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) || collator.compare(a.row.org, b.row.org));
  }, [data, orgs.byCode]);

  // Filters of kind, type and search; the summary counts what they keep.
  const kept = useMemo(() => {
    const q = query.trim().toLowerCase();
    return all
      .filter((o) => groupFilter.length === 0 || groupFilter.includes(o.group))
      .filter((o) => !q || o.row.orgName.toLowerCase().includes(q) || o.row.org.toLowerCase().includes(q))
      .map((o) => (typeFilter ? { ...o, lines: o.lines.filter((l) => l.type === typeFilter), missed: o.row.cells.filter((c) => c.status === 'missed' && c.meetingType === typeFilter).length } : o))
      .filter((o) => o.lines.length > 0);
  }, [all, groupFilter, typeFilter, query]);
  const shown = useMemo(() => (onlyMissed ? kept.filter((o) => o.missed > 0) : kept), [kept, onlyMissed]);

  const summary = useMemo(() => {
    const counts: Record<CellStatus, number> = { met: 0, missed: 0, due: 0, na: 0 };
    for (const o of kept) for (const l of o.lines) for (const c of l.cells) counts[c.status]++;
    const judged = counts.met + counts.missed;
    return { orgs: kept.length, withMissed: kept.filter((o) => o.missed > 0).length, ...counts, rate: judged ? counts.met / judged : null };
  }, [kept]);

  const findings = useMemo(() => {
    const keptOrgs = new Set(kept.map((o) => o.row.org));
    return (data?.findings ?? []).filter((f) => keptOrgs.has(f.org) && (!typeFilter || f.meetingType === typeFilter));
  }, [data, kept, typeFilter]);
  const findingOf = useMemo(() => new Map((data?.findings ?? []).map((f) => [`${f.org}|${f.meetingType}|${f.period}`, f])), [data]);

  const open = (row: ComplianceRow, c: ComplianceCell) => setPick({ org: row.org, orgName: row.orgName, cell: c });
  const openFinding = (f: Finding) => {
    const row = data?.rows.find((r) => r.org === f.org);
    const c = row?.cells.find((x) => x.meetingType === f.meetingType && x.period === f.period);
    if (row && c) open(row, c);
  };

  const groupCounts = useMemo(() => {
    const m = new Map<Group, number>();
    for (const o of all) m.set(o.group, (m.get(o.group) ?? 0) + 1);
    return m;
  }, [all]);
  const typesPresent = useMemo(() => MEETING_TYPES.filter((t) => all.some((o) => o.lines.some((l) => l.type === t.type))), [all]);

  const years = Array.from({ length: thisYear - 2018 + 2 }, (_, i) => thisYear + 1 - i);

  const toolbar = (
    <div className="cmp-toolbar" data-testid="cmp-toolbar">
      <Space size={6} wrap>
        <span className="cmp-label">年度</span>
        <Select
          value={year}
          onChange={(v: number) => setParam({ year: v === thisYear ? null : String(v) })}
          options={years.map((y) => ({ value: y, label: `${y}年` }))}
          style={{ width: 100 }}
          data-testid="cmp-year"
        />
        <span className="cmp-label">截至</span>
        <DatePicker
          value={dayjs(asOf)}
          format="YYYY-MM-DD"
          allowClear={false}
          inputReadOnly={phone}
          onChange={(d) => d && setParam({ asOf: d.format('YYYY-MM-DD') === today ? null : d.format('YYYY-MM-DD') })}
          style={{ width: 130 }}
          data-testid="cmp-asof"
        />
      </Space>
      <div className="cmp-filters">
        <Select
          mode="multiple"
          allowClear
          maxTagCount="responsive"
          placeholder="全部党组织类别"
          value={groupFilter}
          onChange={(v: Group[]) => setParam({ group: v.length ? v.join(',') : null })}
          options={GROUPS.filter((g) => groupCounts.has(g)).map((g) => ({ value: g, label: `${g}（${groupCounts.get(g)}）` }))}
          className="cmp-f-group"
          popupMatchSelectWidth={false}
          data-testid="cmp-group"
        />
        <Select
          allowClear
          placeholder="全部会议类型"
          value={typeFilter || undefined}
          onChange={(v: string | undefined) => setParam({ type: v ?? null })}
          options={typesPresent.map((t) => ({ value: t.type, label: t.type }))}
          className="cmp-f-type"
          popupMatchSelectWidth={false}
          data-testid="cmp-type"
        />
        <Input.Search allowClear placeholder="搜索党组织名称或编码" value={query} onChange={(e) => setQuery(e.target.value)} className="cmp-f-search" data-testid="cmp-search" />
        <span className="cmp-switch">
          <Switch size="small" checked={onlyMissed} onChange={(v) => setParam({ show: v ? 'missed' : null })} data-testid="cmp-only-missed" /> 只看未落实
        </span>
      </div>
    </div>
  );

  const stats = (
    <div className="cmp-stats" data-testid="cmp-summary">
      <div className="cmp-stat">
        <div className="cmp-stat-label">党组织</div>
        <div className="cmp-stat-value" data-testid="cmp-orgs">
          {summary.orgs}
          <small>个</small>
        </div>
      </div>
      <div className="cmp-stat">
        <div className="cmp-stat-label">有未落实的党组织</div>
        <div className={summary.withMissed ? 'cmp-stat-value cmp-bad' : 'cmp-stat-value'} data-testid="cmp-orgs-missed">
          {summary.withMissed}
          <small>个</small>
        </div>
      </div>
      <div className="cmp-stat">
        <div className="cmp-stat-label">未落实期次</div>
        <div className={summary.missed ? 'cmp-stat-value cmp-bad' : 'cmp-stat-value'} data-testid="cmp-missed">
          {summary.missed}
          <small>期</small>
        </div>
      </div>
      <div className="cmp-stat">
        <div className="cmp-stat-label">已结束期次落实率</div>
        <div className="cmp-stat-value" data-testid="cmp-rate">
          {summary.rate === null ? '—' : `${(Math.floor(summary.rate * 1000) / 10).toFixed(1)}`}
          {summary.rate !== null && <small>%</small>}
        </div>
      </div>
      <div className="cmp-stat cmp-stat-due">
        <div className="cmp-stat-label">进行中期次</div>
        <div className="cmp-stat-value cmp-due-value">
          {summary.due}
          <small>期</small>
        </div>
      </div>
    </div>
  );

  const legend = (
    <div className="cmp-legend">
      {(['met', 'missed', 'due', 'na'] as CellStatus[]).map((s) => (
        <span key={s}>
          <i className={`cmp-swatch cmp-${s}`} />
          {STATUS_INFO[s].label}
        </span>
      ))}
      <span>
        <sup className="cmp-note">※</sup> 有会议到会人数未过半数，不计入
      </span>
      <span className="cmp-legend-hint">季度、年度要求的格子横跨其所在月份；点击格子查看会议或补录</span>
    </div>
  );

  const matrix = (
    <div className="cmp-scroll" data-testid="cmp-matrix">
      <table className={phone ? 'cmp-table cmp-phone' : 'cmp-table'}>
        <colgroup>
          {!phone && <col style={{ width: 220 }} />}
          <col style={{ width: phone ? 74 : 132 }} />
          {MONTHS.map((m) => (
            <col key={m} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {!phone && (
              <th rowSpan={2} className="cmp-sticky cmp-org-th">
                党组织
              </th>
            )}
            <th rowSpan={2} className={phone ? 'cmp-sticky cmp-type-th' : 'cmp-type-th'}>
              会议类型
            </th>
            {QUARTERS.map((q) => (
              <th key={q} colSpan={3} className="cmp-q-th">
                {phone ? q.replace('第', '').replace('季度', '季') : q}
              </th>
            ))}
          </tr>
          <tr>
            {MONTHS.map((m) => (
              <th key={m} className={m % 3 === 2 ? 'cmp-m-th cmp-qend' : 'cmp-m-th'}>
                {m + 1}月
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((o, i) => {
            const headGroup = i === 0 || shown[i - 1]!.group !== o.group;
            const inGroup = headGroup ? shown.filter((x) => x.group === o.group) : [];
            const note = o.hidden.length ? `本年不适用：${o.hidden.map(typeShort).join('、')}` : null;
            return (
              <Fragment key={o.row.org}>
                {headGroup && (
                  <tr className="cmp-group-row">
                    <td colSpan={phone ? 13 : 14}>
                      <span className="cmp-group-name">
                        {o.group}
                        <span className="cmp-group-count">
                          {inGroup.length} 个{inGroup.some((x) => x.missed) ? `，${inGroup.filter((x) => x.missed).length} 个有未落实` : ''}
                        </span>
                      </span>
                    </td>
                  </tr>
                )}
                {phone && (
                  <tr className={o.missed ? 'cmp-org-row cmp-org-missed' : 'cmp-org-row'}>
                    <td colSpan={13}>
                      <div className="cmp-org-sticky" title={`${o.row.orgName}（${o.row.org}）`}>
                        <span className="ellipsis">{o.row.orgName}</span>
                        {o.missed > 0 && <Tag color="error">未落实 {o.missed}</Tag>}
                      </div>
                    </td>
                  </tr>
                )}
                {o.lines.map((l, j) => {
                  const rule = ruleOf.get(l.type);
                  return (
                    <tr key={l.type} className={j === o.lines.length - 1 ? 'cmp-line cmp-last' : 'cmp-line'} data-testid={`line-${o.row.org}-${l.type}`}>
                      {!phone && j === 0 && (
                        <td rowSpan={o.lines.length} className="cmp-sticky cmp-org-td">
                          <div className="cmp-org-name" title={o.row.orgName}>
                            {o.row.orgName}
                          </div>
                          <div className="cmp-org-code">
                            {o.row.org}
                            {o.missed > 0 && (
                              <Tag color="error" className="cmp-org-tag">
                                未落实 {o.missed}
                              </Tag>
                            )}
                          </div>
                          {note && <div className="cmp-org-note">{note}</div>}
                        </td>
                      )}
                      <td className={phone ? 'cmp-sticky cmp-type-td' : 'cmp-type-td'} title={rule?.rule}>
                        <span className="cmp-type-name">{phone ? typeShort(l.type) : l.type}</span>
                        {!phone && rule && (
                          <span className="cmp-type-freq">
                            {PERIOD_WORD[rule.period]}
                            {rule.min}次
                          </span>
                        )}
                      </td>
                      {l.cells.map((c) => (
                        <Cell key={c.period} org={o.row.org} orgName={o.row.orgName} c={c} onOpen={() => open(o.row, c)} />
                      ))}
                    </tr>
                  );
                })}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {shown.length === 0 && !loading && (
        <Empty
          style={{ margin: '32px 0' }}
          description={all.length === 0 ? '本区域没有需要考核组织生活的党组织' : onlyMissed && kept.length ? '所选范围内没有未落实的期次' : '没有符合条件的党组织'}
        />
      )}
    </div>
  );

  const findingList = (
    <List<Finding>
      dataSource={findings}
      data-testid="cmp-findings"
      pagination={findings.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false, showTotal: (t) => `共 ${t} 项` } : false}
      locale={{ emptyText: <Empty description={`${year}年截至${asOf}没有未落实的期次`} /> }}
      renderItem={(f) => (
        <List.Item
          key={`${f.org}|${f.meetingType}|${f.period}`}
          className="cmp-finding"
          actions={[
            <Button key="open" type="link" size="small" onClick={() => openFinding(f)} data-testid={`finding-open-${f.org}-${f.meetingType}-${f.period}`}>
              查看
            </Button>,
          ]}
        >
          <div style={{ minWidth: 0 }}>
            <div className="cmp-finding-msg">{f.message}</div>
            <div className="cmp-finding-rule">
              <Tag color="default" style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
                依据：{f.rule}
              </Tag>
            </div>
          </div>
        </List.Item>
      )}
    />
  );

  return (
    <Card
      className="cmp-card"
      title={
        <span style={{ fontSize: 16 }}>
          组织生活落实情况
          {!phone && (
            <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 'normal', marginInlineStart: 8 }}>
              {year}年 · 截至 {asOf}
            </Typography.Text>
          )}
        </span>
      }
      extra={
        <Button size="small" icon={<SettingOutlined />} onClick={() => setRulesOpen(true)} data-testid="cmp-rules">
          {phone ? '规则' : '考核规则'}
        </Button>
      }
      data-testid="compliance-page"
    >
      {toolbar}
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      {loading && !data ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <>
          {stats}
          <Tabs
            activeKey={tab}
            onChange={(k) => setParam({ tab: k === 'matrix' ? null : k })}
            items={[
              {
                key: 'matrix',
                label: '落实矩阵',
                children: (
                  <>
                    {legend}
                    {matrix}
                  </>
                ),
              },
              {
                key: 'findings',
                label: (
                  <span data-testid="cmp-findings-tab">
                    问题清单 <Tag color={findings.length ? 'error' : 'default'}>{findings.length}</Tag>
                  </span>
                ),
                children: findingList,
              },
            ]}
          />
        </>
      )}
      {pick && (
        <CellDrawer
          pick={pick}
          rule={ruleOf.get(pick.cell.meetingType)}
          findingRule={findingOf.get(`${pick.org}|${pick.cell.meetingType}|${pick.cell.period}`)?.rule}
          asOf={asOf}
          canWrite={canWrite}
          onClose={() => setPick(null)}
          onRecord={() => setPrefill({ org: pick.org, type: pick.cell.meetingType, period: pick.cell.period, date: suggestedDate(pick.cell.period, today) })}
        />
      )}
      {prefill && (
        <MeetingCreateForm
          title="补录会议"
          prefill={prefill}
          onClose={() => setPrefill(null)}
          onSaved={(m) => {
            setPrefill(null);
            setPick(null);
            reload();
            navigate(to(`/meetings/${m.id}`));
          }}
        />
      )}
      {rulesOpen && (
        <RulesModal
          rules={rules.data?.items ?? []}
          canEdit={me.can('settings.manage')}
          onClose={() => setRulesOpen(false)}
          onSaved={() => {
            message.success('已保存考核规则');
            setRulesOpen(false);
            rules.reload();
            reload();
          }}
        />
      )}
    </Card>
  );
}

/** The rules judged, with their sources; the administrator may raise a minimum (never lower it). */
function RulesModal(props: { rules: MeetingRule[]; canEdit: boolean; onClose: () => void; onSaved: () => void }) {
  const [mins, setMins] = useState<Record<string, number>>(() => Object.fromEntries(props.rules.map((r) => [r.meetingType, r.min])));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const phone = Grid.useBreakpoint().md === false;

  async function save() {
    setBusy(true);
    setProblem(null);
    try {
      // The overrides are stored as a whole: keep the street's earlier ones, add what changed here.
      const body = Object.fromEntries(
        props.rules.filter((r) => mins[r.meetingType] !== r.min || r.rule.includes('本街道要求')).map((r) => [r.meetingType, mins[r.meetingType] ?? r.min]),
      );
      await api.put('/api/compliance/rules', body);
      props.onSaved();
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title="组织生活考核规则"
      width={phone ? '100%' : 820}
      onCancel={props.onClose}
      footer={
        props.canEdit
          ? [
              <Button key="c" onClick={props.onClose}>
                取消
              </Button>,
              <Button key="s" type="primary" loading={busy} onClick={() => void save()} data-testid="rules-save">
                保存
              </Button>,
            ]
          : [
              <Button key="c" onClick={props.onClose}>
                关闭
              </Button>,
            ]
      }
      data-testid="rules-modal"
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="rules-problem" />}
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {props.canEdit ? '本街道可以从严要求（调高次数），不能低于党内法规的要求。' : '本街道可以从严要求（调高次数），由管理员设置。'}
        支部党员大会、支部委员会到会人数须过半数才计入；支部党员大会只计正式党员。
      </Typography.Paragraph>
      <Table<MeetingRule>
        size="small"
        rowKey="meetingType"
        pagination={false}
        dataSource={props.rules}
        scroll={{ x: 640 }}
        columns={[
          { key: 't', title: '会议类型', width: 130, render: (_: unknown, r) => r.meetingType },
          { key: 'k', title: '考核对象', width: 110, render: (_: unknown, r) => `${r.orgKind}${r.needsCommittee ? '（设支委会的）' : ''}` },
          {
            key: 'm',
            title: '次数要求',
            width: 150,
            render: (_: unknown, r) =>
              props.canEdit ? (
                <Space size={4}>
                  {PERIOD_WORD[r.period]}
                  <InputNumber size="small" min={1} max={31} precision={0} value={mins[r.meetingType]} onChange={(v) => setMins((m) => ({ ...m, [r.meetingType]: Number(v ?? r.min) }))} style={{ width: 56 }} data-testid={`rule-min-${r.meetingType}`} />次
                </Space>
              ) : (
                `${PERIOD_WORD[r.period]}至少${r.min}次`
              ),
          },
          { key: 'r', title: '依据', render: (_: unknown, r) => <span style={{ fontSize: 12 }}>{r.rule}</span> },
        ]}
      />
    </Modal>
  );
}
