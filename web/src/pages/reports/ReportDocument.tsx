/**
 * The report set like a document: centred title, the opening, 一、成绩清单 by theme with every
 * figure a link to its records, 二、问题清单 with the evidence of each problem and the causes,
 * 三、下一步工作思路. The same component shows the live report and the finalized one.
 */
import { Fragment, useMemo } from 'react';
import { Link } from 'react-router';
import { Drawer, Empty, Grid, List, Table, Tag, Typography } from 'antd';
import { useOrgs } from '../../lib/ledgers.tsx';
import { useAreaTo } from '../recruitment/common.tsx';
import { fullValue, splitParagraph, type AnnualReport, type FindingItem, type MissedTarget, type OverdueItem, type ReportFigure, type ReportTemplate, type TargetView } from './figures.ts';
import type { RecordsTarget } from './RecordsDrawer.tsx';

type Problem = AnnualReport['problems'][number];

export function figureTarget(f: ReportFigure, text: string | null, note?: RecordsTarget['note']): RecordsTarget {
  // 12 reads “12 条” in full; 123.45万元 also as “1,234,500.00 元”.
  const full = fullValue(f);
  if (text && full.replace(/[,\s]/g, '').startsWith(text)) text = null;
  return {
    label: f.label,
    value: (
      <span>
        {text && (
          <Typography.Text strong style={{ fontSize: 16 }}>
            {text}
          </Typography.Text>
        )}
        <Typography.Text type={text ? 'secondary' : undefined} style={text ? { marginInlineStart: 8 } : undefined}>
          {text ? `（${fullValue(f)}）` : fullValue(f)}
        </Typography.Text>
      </span>
    ),
    query: f.query,
    ...(note ? { note } : {}),
  };
}

function isFinding(x: unknown): x is FindingItem {
  return typeof x === 'object' && x !== null && 'message' in x && 'period' in x;
}
function isOverdue(x: unknown): x is OverdueItem {
  return typeof x === 'object' && x !== null && 'applicantId' in x;
}
function isMissedTarget(x: unknown): x is MissedTarget {
  return typeof x === 'object' && x !== null && 'threshold' in x && 'query' in x;
}

const CMP: Record<TargetView['comparison'], string> = { '>=': '不少于', '<=': '不超过', '=': '等于' };
const STATUS_COLOR: Record<string, string> = { met: 'success', missed: 'error', onTrack: 'processing', atRisk: 'warning', notStarted: 'default' };

/** How a problem's evidence is opened, in words. */
function evidenceLabel(p: Problem): string | null {
  const items = p.evidence.items ?? [];
  if (items.length && items.every(isFinding)) return `查看未按规定召开的会议（${items.length}项）`;
  if (items.length && items.every(isOverdue)) return `查看逾期环节（${items.length}个）`;
  if (items.length && items.every(isMissedTarget)) return `查看未完成的目标（${items.length}项）`;
  if (p.evidence.query?.startsWith('/api/metrics/')) return '查看相关记录';
  if (items.length) return `查看明细（${items.length}项）`;
  return null;
}

export function ReportDocument(props: {
  report: AnnualReport;
  onFigure: (t: RecordsTarget) => void;
  onEvidence: (p: Problem) => void;
  /** A line under a figure's value in its drawer (the finalized value, …). */
  figureNote?: (f: ReportFigure) => RecordsTarget['note'] | undefined;
  /** The template the text was written from (to find each figure in it). */
  template?: ReportTemplate | undefined;
  testId?: string;
}) {
  const { report, template } = props;
  const open = (f: ReportFigure, text: string) => props.onFigure(figureTarget(f, text, props.figureNote?.(f)));
  return (
    <article className="report-paper" data-testid={props.testId ?? 'report-doc'}>
      <h1 className="report-title" data-testid="report-title">
        {report.title}
      </h1>
      <p className="report-p">{report.opening}</p>

      <h2 className="report-h1">一、成绩清单</h2>
      {report.sections.map((s, si) => (
        <section key={si}>
          <h3 className="report-h2">{s.title}</h3>
          {s.paragraphs.map((p, pi) => {
            const { pieces, missing } = splitParagraph(p, template);
            return (
              <p className="report-p" key={pi}>
                {pieces.map((x, i) =>
                  x.kind === 'text' ? (
                    <Fragment key={i}>{x.text}</Fragment>
                  ) : (
                    <a
                      key={i}
                      role="button"
                      tabIndex={0}
                      className="report-fig"
                      title={`${x.figure.label}：点击查看背后的记录`}
                      data-testid={`fig-${x.figure.key}`}
                      onClick={() => open(x.figure, x.text)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          open(x.figure, x.text);
                        }
                      }}
                    >
                      {x.text}
                    </a>
                  ),
                )}
                {missing.length > 0 && (
                  <span className="report-fig-extra">
                    {missing.map((f) => (
                      <Tag key={f.key} color="red" style={{ cursor: 'pointer' }} onClick={() => open(f, fullValue(f, template))} data-testid={`fig-${f.key}`}>
                        {f.label} {fullValue(f, template)}
                      </Tag>
                    ))}
                  </span>
                )}
              </p>
            );
          })}
        </section>
      ))}

      <h2 className="report-h1">二、问题清单</h2>
      {report.problems.length === 0 ? (
        <p className="report-p report-muted">从记录中未发现需要列出的问题（组织生活、信访与热线办理时效、发展党员环节均按规定完成）。</p>
      ) : (
        report.problems.map((p, i) => {
          const label = evidenceLabel(p);
          return (
            <p className="report-p" key={i} data-testid={`problem-${i}`}>
              {CN_ORDINAL[i] ? `${CN_ORDINAL[i]}是` : `${i + 1}. `}
              {p.text}
              {label && (
                <a role="button" tabIndex={0} className="report-evidence" onClick={() => props.onEvidence(p)} onKeyDown={(e) => e.key === 'Enter' && props.onEvidence(p)} data-testid={`problem-evidence-${i}`}>
                  {label}
                </a>
              )}
            </p>
          );
        })
      )}
      {report.causes.length > 0 && (
        <>
          <p className="report-p report-lead">原因主要有以下方面：</p>
          {report.causes.map((c, i) => (
            <p className="report-p" key={i}>
              {c}
            </p>
          ))}
        </>
      )}

      <h2 className="report-h1">三、下一步工作思路</h2>
      {report.plans.map((p, i) => (
        <p className="report-p" key={i}>
          {p.text}
          {p.target && (
            <a
              role="button"
              tabIndex={0}
              className="report-evidence"
              data-testid={`plan-target-${i}`}
              onClick={() => props.onFigure(targetRecords(p.target!))}
              onKeyDown={(e) => e.key === 'Enter' && props.onFigure(targetRecords(p.target!))}
            >
              目标{CMP[p.target.comparison]}
              {p.target.threshold}，截至目前{p.target.value}（{p.target.statusLabel}）
            </a>
          )}
        </p>
      ))}
    </article>
  );
}

/** A target's records: the metric query of its year's value. */
export function targetRecords(t: { title: string; value: number; threshold: number; query: string; comparison?: TargetView['comparison']; statusLabel?: string; status?: string }): RecordsTarget {
  return {
    label: t.title,
    value: (
      <span>
        <b style={{ fontSize: 16 }}>{t.value}</b>
        <span style={{ color: 'rgba(0,0,0,0.55)', marginInlineStart: 8 }}>
          目标{t.comparison ? CMP[t.comparison] : ''}
          {t.threshold}
        </span>
        {t.statusLabel && (
          <Tag color={STATUS_COLOR[t.status ?? ''] ?? 'default'} style={{ marginInlineStart: 8 }}>
            {t.statusLabel}
          </Tag>
        )}
      </span>
    ),
    query: t.query,
  };
}

const CN_ORDINAL = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** A problem's evidence that is not a records query: the findings, or the overdue 发展党员 steps. */
export function EvidenceDrawer({ problem, onClose, onRecords }: { problem: Problem; onClose: () => void; onRecords: (t: RecordsTarget) => void }) {
  const phone = Grid.useBreakpoint().md === false;
  const to = useAreaTo();
  const items = useMemo(() => problem.evidence.items ?? [], [problem]);
  const orgs = useOrgs(items.some(isOverdue));
  const findings = items.filter(isFinding);
  const overdue = items.filter(isOverdue);
  const missedTargets = items.filter(isMissedTarget);
  return (
    <Drawer open onClose={onClose} size={phone ? '100%' : 760} title="问题的依据" data-testid="evidence-drawer">
      <Typography.Paragraph>{problem.text}</Typography.Paragraph>
      {problem.evidence.query && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          查询：
          <Typography.Text code style={{ wordBreak: 'break-all', fontSize: 12 }}>
            {decodeURIComponent(problem.evidence.query)}
          </Typography.Text>
        </Typography.Paragraph>
      )}
      {findings.length > 0 && (
        <Table<FindingItem>
          data-testid="evidence-findings"
          size="small"
          rowKey={(r) => `${r.org}|${r.meetingType}|${r.period}`}
          dataSource={findings}
          pagination={findings.length > 20 ? { pageSize: 20, size: 'small' } : false}
          scroll={{ x: phone ? 560 : undefined }}
          columns={[
            { key: 'period', dataIndex: 'period', title: '期间', width: 90 },
            { key: 'type', dataIndex: 'meetingType', title: '会议类型', width: 120 },
            { key: 'message', dataIndex: 'message', title: '问题' },
            {
              key: 'rule',
              dataIndex: 'rule',
              title: '依据',
              width: 200,
              render: (v: string) => (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {v}
                </Typography.Text>
              ),
            },
          ]}
        />
      )}
      {overdue.length > 0 && (
        <List<OverdueItem>
          data-testid="evidence-overdue"
          dataSource={overdue}
          renderItem={(o) => (
            <List.Item key={`${o.applicantId}-${o.step}`} extra={<Link to={to(`/recruitment/${o.applicantId}`)}>发展时间线</Link>}>
              <List.Item.Meta title={<Link to={to(`/recruitment/${o.applicantId}`)}>{o.name}</Link>} description={`${o.step}：最迟应于${o.latest}办理 · ${orgs.byCode.get(o.org)?.name ?? o.org}`} />
            </List.Item>
          )}
        />
      )}
      {missedTargets.length > 0 && (
        <List<MissedTarget>
          data-testid="evidence-targets"
          dataSource={missedTargets}
          renderItem={(t) => (
            <List.Item key={t.title} extra={<a onClick={() => onRecords(targetRecords(t))}>查看记录</a>}>
              <List.Item.Meta
                title={t.title}
                description={
                  <span>
                    目标 {t.threshold}，实际 {t.value}
                    {t.periods.some((p) => p.status === 'missed') ? `；未达到的期间：${t.periods.filter((p) => p.status === 'missed').map((p) => p.period).join('、')}` : ''}
                  </span>
                }
              />
            </List.Item>
          )}
        />
      )}
      {findings.length === 0 && overdue.length === 0 && missedTargets.length === 0 && items.length > 0 && (
        <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>{JSON.stringify(items, null, 2)}</pre>
      )}
      {items.length === 0 && !problem.evidence.query && <Empty description="没有明细" />}
    </Drawer>
  );
}
