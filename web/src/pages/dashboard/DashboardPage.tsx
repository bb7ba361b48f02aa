/**
 * 工作台: the year's key figures with last year beside them, 组织生活 compliance, targets, petition
 * and hotline trends by month, inspections by community and member structure — every tile, bar and
 * slice opens the records behind it (each item carries its metric query).
 */
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Col, Empty, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, CheckCircleOutlined, ClockCircleOutlined, CloseCircleOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { formatNumber } from '../../lib/ledgers.tsx';
import { useFetch } from '../../lib/useFetch.ts';
import { RecordsDrawer, type RecordsTarget } from '../reports/RecordsDrawer.tsx';
import type { Group } from './Charts.tsx';
import { useYearParam, YearPicker } from './year.tsx';
import '../reports/report.css';
import './dashboard.css';

const GroupChart = lazy(() => import('./Charts.tsx').then((m) => ({ default: m.GroupChart })));
const PieChartGroups = lazy(() => import('./Charts.tsx').then((m) => ({ default: m.PieChartGroups })));

interface Figure {
  key: string;
  label: string;
  value: number | string;
  unit: string | null;
  lastYear: number | string;
  query: string;
}
interface Grouped {
  groups: Group[];
  query: string;
  unit?: string | null;
}
export interface Dashboard {
  area: string;
  year: number;
  figures: Figure[];
  compliance: { organizations: number; met: number; missed: number; due: number; findings: Array<{ org: string; message: string; rule: string }>; query: string };
  targets: Array<{ id: number; title: string; status: string; statusLabel: string; value: number | string; threshold: number; query: string }>;
  trends: { petitions: Grouped; hotline: Grouped };
  inspectionsByCommunity: Grouped;
  members: { gender: Grouped; age: Grouped };
}

export const STATUS_COLORS: Record<string, string> = { met: 'success', missed: 'error', onTrack: 'processing', atRisk: 'warning', notStarted: 'default' };

function num(v: number | string): number {
  return typeof v === 'number' ? v : Number(v);
}

/** A rate (measure rate:…) reads as a percentage; other figures as numbers. */
function isRate(query: string): boolean {
  return /[?&]measure=rate/.test(query);
}

function shown(v: number | string, rate: boolean): string {
  if (rate) return `${Math.round(num(v) * 1000) / 10}%`;
  return formatNumber(v);
}

/** The query of a group: the chart's query with the group's own filter (and no groupBy). */
function groupQuery(query: string, g: Group): string | null {
  const q = new URLSearchParams(query.slice(query.indexOf('?') + 1));
  const by = q.get('groupBy') ?? '';
  q.delete('groupBy');
  if (by === 'month') {
    const m = dayjs(`${g.key}-01`);
    if (!m.isValid()) return null;
    q.set('from', m.format('YYYY-MM-DD'));
    q.set('to', m.endOf('month').format('YYYY-MM-DD'));
  } else if (by.startsWith('area:')) {
    q.set('area', g.key);
  } else if (by.startsWith('age:')) {
    const m = /^(\d+)(?:-(\d+)|\+)$/.exec(g.key);
    const asOf = q.get('to');
    if (!m || !asOf) return null;
    const to = dayjs(asOf).subtract(Number(m[1]), 'year').format('YYYY-MM-DD');
    const from = m[2] === undefined ? '' : dayjs(asOf).subtract(Number(m[2]) + 1, 'year').add(1, 'day').format('YYYY-MM-DD');
    q.set(`f.${by.slice(4)}`, `${from}..${to}`);
  } else if (by) {
    q.set(`f.${by}`, g.key);
  }
  return `/api/metrics/query?${q}`;
}

function Change({ now, last, rate }: { now: number; last: number; rate: boolean }) {
  if (!Number.isFinite(now) || !Number.isFinite(last)) return null;
  const d = rate ? Math.round((now - last) * 1000) / 10 : Math.round((now - last) * 100) / 100;
  if (d === 0) return <Typography.Text type="secondary">持平</Typography.Text>;
  const pct = last ? ` ${Math.abs(Math.round((d / last) * 1000) / 10)}%` : '';
  const up = d > 0;
  return (
    <span className={up ? 'dash-up' : 'dash-down'} data-testid="tile-change">
      {up ? <ArrowUpOutlined /> : <ArrowDownOutlined />}
      {rate ? `${Math.abs(d)}百分点` : pct || formatNumber(Math.abs(d))}
    </span>
  );
}

export function DashboardPage() {
  const [area] = useAreaParam();
  const [year, setYear] = useYearParam();
  const { data, loading, error } = useFetch<Dashboard>(withArea('/api/dashboard', area, { year: String(year) }));
  const [target, setTarget] = useState<RecordsTarget | null>(null);

  const openGroup = (title: string, grouped: Grouped, unit: string) => (g: Group) => {
    const query = groupQuery(grouped.query, g);
    if (query) setTarget({ label: `${title}：${g.label}`, value: <b>{formatNumber(g.value)} {unit}</b>, query });
  };

  const chartCard = (title: string, extra: ReactNode, body: ReactNode, testId: string) => (
    <Card size="small" title={title} extra={extra} className="dash-card" data-testid={testId}>
      <Suspense fallback={<Skeleton active />}>{body}</Suspense>
    </Card>
  );
  const empty = (groups: Group[]) => groups.length === 0 || groups.every((g) => g.value === 0);

  return (
    <div data-testid="dashboard-page">
      <div className="dash-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          工作台
        </Typography.Title>
        <Space>
          <YearPicker year={year} onChange={setYear} testId="dashboard-year" />
        </Space>
      </div>
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      {loading && !data && <Skeleton active paragraph={{ rows: 8 }} />}
      {data && (
        <>
          <Row gutter={[12, 12]} data-testid="dashboard-tiles">
            {data.figures.map((f) => {
              const rate = isRate(f.query);
              return (
              <Col key={f.key} xs={12} sm={8} lg={6} xl={4}>
                <Card size="small" hoverable className="dash-tile" data-testid={`tile-${f.key}`} onClick={() => setTarget({ label: `${year}年 ${f.label}`, value: <b>{shown(f.value, rate)}{rate ? '' : ` ${f.unit ?? ''}`}</b>, note: `上年 ${shown(f.lastYear, rate)}`, query: f.query })}>
                  <Statistic title={f.label} value={shown(f.value, rate)} styles={{ content: { fontSize: 22, color: '#c41d1d' } }} />
                  <div className="dash-last">
                    <Typography.Text type="secondary">上年 {shown(f.lastYear, rate)}</Typography.Text> <Change now={num(f.value)} last={num(f.lastYear)} rate={rate} />
                  </div>
                </Card>
              </Col>
              );
            })}
          </Row>
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            <Col xs={24} lg={10}>
              <Card size="small" title="组织生活落实情况" className="dash-card" extra={<Link to={{ pathname: '/meetings/compliance', search: `?${new URLSearchParams({ ...(area ? { area } : {}), year: String(year) })}` }} data-testid="compliance-link">查看矩阵</Link>} data-testid="dashboard-compliance">
                <Row gutter={8}>
                  <Col span={8}>
                    <Statistic title={<><CheckCircleOutlined style={{ color: '#52c41a' }} /> 已落实</>} value={data.compliance.met} />
                  </Col>
                  <Col span={8}>
                    <Statistic title={<><CloseCircleOutlined style={{ color: '#c41d1d' }} /> 未落实</>} value={data.compliance.missed} styles={{ content: { color: data.compliance.missed ? '#c41d1d' : undefined } }} />
                  </Col>
                  <Col span={8}>
                    <Statistic title={<><ClockCircleOutlined style={{ color: '#d4a017' }} /> 待召开</>} value={data.compliance.due} />
                  </Col>
                </Row>
                <Typography.Paragraph type="secondary" style={{ margin: '8px 0 4px' }}>
                  {data.compliance.organizations} 个党组织的应开会议（按期计）
                </Typography.Paragraph>
                <ul className="dash-findings">
                  {data.compliance.findings.slice(0, 4).map((f) => (
                    <li key={f.message}>{f.message}</li>
                  ))}
                  {data.compliance.findings.length > 4 && <li>……</li>}
                </ul>
              </Card>
            </Col>
            <Col xs={24} lg={14}>
              <Card size="small" title="目标责任" className="dash-card" extra={<Link to={{ pathname: '/targets', search: `?${new URLSearchParams({ ...(area ? { area } : {}), year: String(year) })}` }}>全部目标</Link>} data-testid="dashboard-targets">
                {data.targets.length === 0 ? (
                  <Empty description="本年度没有目标" image={Empty.PRESENTED_IMAGE_SIMPLE} />
                ) : (
                  <ul className="dash-targets">
                    {data.targets.map((t) => (
                      <li key={t.id} onClick={() => setTarget({ label: t.title, value: <b>{formatNumber(t.value)} / {formatNumber(t.threshold)}</b>, note: <Tag color={STATUS_COLORS[t.status]}>{t.statusLabel}</Tag>, query: t.query })} data-testid={`dash-target-${t.id}`}>
                        <Tag color={STATUS_COLORS[t.status]}>{t.statusLabel}</Tag>
                        <span className="dash-target-title">{t.title}</span>
                        <Typography.Text type="secondary">
                          {formatNumber(t.value)} / {formatNumber(t.threshold)}
                        </Typography.Text>
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
            </Col>
          </Row>
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            <Col xs={24} lg={12}>
              {chartCard('信访（按月）', null, empty(data.trends.petitions.groups) ? <Empty /> : <GroupChart kind="line" groups={data.trends.petitions.groups} short={(g) => `${Number(g.key.slice(5))}月`} unit="件" testId="chart-petitions" onPick={openGroup('信访', data.trends.petitions, '件')} />, 'card-petitions')}
            </Col>
            <Col xs={24} lg={12}>
              {chartCard('热线工单（按月）', null, empty(data.trends.hotline.groups) ? <Empty /> : <GroupChart groups={data.trends.hotline.groups} color="#d4a017" short={(g) => `${Number(g.key.slice(5))}月`} unit="件" testId="chart-hotline" onPick={openGroup('热线工单', data.trends.hotline, '件')} />, 'card-hotline')}
            </Col>
            <Col xs={24} lg={12}>
              {chartCard('安全排查（按社区）', null, empty(data.inspectionsByCommunity.groups) ? <Empty /> : <GroupChart kind="hbar" groups={data.inspectionsByCommunity.groups} color="#1677ff" unit="户次" testId="chart-inspections" onPick={openGroup('安全排查', data.inspectionsByCommunity, '户次')} />, 'card-inspections')}
            </Col>
            <Col xs={24} lg={5}>
              {chartCard('党员性别', null, <PieChartGroups groups={data.members.gender.groups} unit="人" testId="chart-gender" onPick={openGroup('党员性别', data.members.gender, '人')} />, 'card-gender')}
            </Col>
            <Col xs={24} lg={7}>
              {chartCard('党员年龄', null, <GroupChart groups={data.members.age.groups} short={(g) => g.key.replace(/^00-(\d+)$/, '≤$1').replace(/^(\d+)\+$/, '≥$1')} unit="人" testId="chart-age" onPick={openGroup('党员年龄', data.members.age, '人')} />, 'card-age')}
            </Col>
          </Row>
        </>
      )}
      {target && <RecordsDrawer target={target} onClose={() => setTarget(null)} />}
    </div>
  );
}
