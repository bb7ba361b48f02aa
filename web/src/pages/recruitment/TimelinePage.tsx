/**
 * 个人发展时间线 (`/recruitment/:id`): who the person is and where they stand on the 5 stages,
 * every step recorded (imported milestones marked 导入; steps the history implies shown as such),
 * the probation period, what is due next with its earliest and latest dates (overdue in red), and
 * 记录环节 for the steps now open. After a save the timeline is the server's new one and the
 * rules' warnings show as findings kept on the person.
 */
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Col, Descriptions, Empty, Grid, List, Progress, Result, Row, Skeleton, Space, Steps, Tag, Timeline, Tooltip, Typography } from 'antd';
import { EditOutlined, FileTextOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { canLedger } from '../../../../src/domain/policy.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { todayShanghai } from '../../lib/format.ts';
import { useOrgs } from '../../lib/ledgers.tsx';
import {
  citationText,
  daysBetween,
  describeData,
  doneCodes,
  personStage,
  stageIndex,
  type DueAction,
  type StepsAnswer,
  type Timeline as TimelineData,
  type Violation,
} from '../../lib/recruitment.ts';
import { useFetch } from '../../lib/useFetch.ts';
import { StepForm } from './StepForm.tsx';
import { RuleSetTag, useAreaTo } from './common.tsx';

const STAGE_NO = ['一', '二', '三', '四', '五'];
const STAGE_SHORT = ['申请入党', '入党积极分子', '发展对象', '接收预备党员', '预备期与转正'];

export function TimelinePage() {
  const { id = '' } = useParams();
  const valid = /^\d+$/.test(id);
  const me = useMe();
  const phone = Grid.useBreakpoint().md === false;
  const canWrite = canLedger(me.user.role, 'applicants', 'write');
  const to = useAreaTo();
  const [area] = useAreaParam();
  const defs = useFetch<StepsAnswer>('/api/recruitment/steps');
  const fetched = useFetch<TimelineData>(valid ? `/api/recruitment/${id}/timeline` : null);
  const orgs = useOrgs(true);
  const [timeline, setTimeline] = useState<TimelineData | null>(null);
  const [formFor, setFormFor] = useState<{ code?: string } | null>(null);
  const [findings, setFindings] = useState<{ label: string; warnings: Violation[] } | null>(null);

  useEffect(() => setTimeline(fetched.data), [fetched.data]);
  useEffect(() => {
    if (timeline) document.title = `${timeline.applicant.name} · 发展时间线 - 基层党建与治理平台`;
  }, [timeline]);

  if (!valid) return <Result status="404" title="没有这个人员" />;
  if (fetched.error) {
    return (
      <Result
        status={fetched.error.status === 404 ? '404' : fetched.error.status === 403 ? '403' : 'error'}
        title={fetched.error.status === 404 ? '没有找到该发展党员记录' : '时间线加载失败'}
        subTitle={fetched.error.status === 404 ? '该人员不存在，或不在您可以查看的范围内。' : fetched.error.message}
        extra={<Link to={to('/ledgers/applicants')}>返回发展党员台账</Link>}
      />
    );
  }
  if (!timeline || !defs.data) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }

  const a = timeline.applicant;
  const orgName = orgs.byCode.get(a.org)?.name ?? null;
  const stage = personStage(timeline);
  const closed = timeline.stage === 'member' || timeline.stage === 'cancelled' || timeline.steps.some((s) => s.code === 'archive');

  const head = (
    <Card className="rec-head" data-testid="timeline-head">
      <div className="rec-head-top">
        <div className="rec-head-name">
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="timeline-name">
            {a.name}
          </Typography.Title>
          <Tag color={stage.color} data-testid="timeline-stage" style={{ marginInlineEnd: 0 }}>
            {stage.label}
          </Tag>
        </div>
        <Space wrap size={8}>
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormFor({})} data-testid="record-step">
              记录环节
            </Button>
          )}
          <Link to={{ pathname: '/ledgers/applicants', search: `?${new URLSearchParams({ ...(area ? { area } : {}), q: a.name })}` }}>
            <Button icon={<FileTextOutlined />}>台账记录</Button>
          </Link>
        </Space>
      </div>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 4 }}
        style={{ marginTop: 12 }}
        items={[
          { key: 'org', label: '党组织', children: <span data-testid="timeline-org">{orgName ? `${orgName}（${a.org}）` : a.org}</span> },
          { key: 'gender', label: '性别', children: a.gender ?? '—' },
          { key: 'id', label: '公民身份号码', children: a.idNumber ?? '—' },
          { key: 'applied', label: '申请入党日期', children: a.appliedOn ?? '—' },
          { key: 'rules', label: '规则版本', span: { xs: 1, sm: 2, lg: 4 }, children: <RuleSetTag ruleSet={timeline.ruleSet} /> },
        ]}
      />
    </Card>
  );

  return (
    <Space orientation="vertical" size={12} style={{ display: 'flex' }} data-testid="recruitment-timeline">
      {head}
      {findings && (
        <Alert
          type="warning"
          showIcon
          closable={{ onClose: () => setFindings(null) }}
          data-testid="timeline-findings"
          title={`已记录“${findings.label}”，有${findings.warnings.length}条提示已作为问题记录在该人员名下`}
          description={
            <ul className="rule-list">
              {findings.warnings.map((w, i) => (
                <li key={i}>
                  {w.message}
                  <span className="rule-citation-inline">（{citationText(w.citation)}）</span>
                </li>
              ))}
            </ul>
          }
        />
      )}
      <StageBar timeline={timeline} defs={defs.data} phone={phone} />
      <Row gutter={[12, 12]}>
        <Col xs={{ span: 24, order: 2 }} lg={{ span: 15, order: 1 }}>
          <History timeline={timeline} defs={defs.data} />
        </Col>
        <Col xs={{ span: 24, order: 1 }} lg={{ span: 9, order: 2 }}>
          <NextSteps due={timeline.due} closed={closed} canWrite={canWrite} onRecord={(code) => setFormFor({ code })} />
        </Col>
      </Row>
      {formFor && (
        <StepForm
          timeline={timeline}
          defs={defs.data}
          orgName={orgName}
          due={timeline.due}
          {...(formFor.code ? { initialCode: formFor.code } : {})}
          onClose={() => setFormFor(null)}
          onSaved={(t, warnings, label) => {
            setTimeline(t);
            setFormFor(null);
            setFindings(warnings.length ? { label, warnings } : null);
          }}
        />
      )}
    </Space>
  );
}

/** The 5 stages, the date each began, and the probation period. */
function StageBar({ timeline, defs, phone }: { timeline: TimelineData; defs: StepsAnswer; phone: boolean }) {
  const current = stageIndex(timeline, defs.stages);
  const stageOf = useMemo(() => new Map(defs.steps.map((s) => [s.code, s.stage])), [defs]);
  const started = (key: string) =>
    timeline.steps
      .filter((s) => stageOf.get(s.code) === key)
      .map((s) => s.date)
      .sort()[0];
  const cancelled = timeline.stage === 'cancelled';
  const items = defs.stages.map((st, i) => {
    const date = i === 4 ? (timeline.applicant.approvedOn ?? started(st.key)) : started(st.key);
    const status: 'finish' | 'process' | 'wait' | 'error' = i < current ? 'finish' : i === current ? (cancelled ? 'error' : current >= defs.stages.length ? 'finish' : 'process') : 'wait';
    return {
      key: st.key,
      title: <Tooltip title={st.label}>{STAGE_SHORT[i] ?? st.label}</Tooltip>,
      content: <span className="num">{date ?? ''}</span>,
      status,
    };
  });
  return (
    <Card size="small" title="发展阶段" data-testid="timeline-stages">
      <Steps size="small" current={Math.min(current, defs.stages.length - 1)} items={items} orientation={phone ? 'vertical' : 'horizontal'} className="rec-steps" />
      {timeline.probation && <ProbationBar probation={timeline.probation} confirmedOn={timeline.applicant.confirmedOn} cancelled={cancelled} />}
    </Card>
  );
}

function ProbationBar({ probation, confirmedOn, cancelled }: { probation: NonNullable<TimelineData['probation']>; confirmedOn: string | null; cancelled: boolean }) {
  const today = todayShanghai();
  const total = Math.max(1, daysBetween(probation.start, probation.end));
  const gone = Math.min(total, Math.max(0, daysBetween(probation.start, confirmedOn ?? today)));
  const left = daysBetween(today, probation.end);
  const state = confirmedOn
    ? { text: `已于${confirmedOn}转正`, color: '#3f8f5a' }
    : cancelled
      ? { text: '已取消预备党员资格', color: 'rgba(0,0,0,0.45)' }
      : left > 0
        ? { text: `还有${left}天期满`, color: '#c0392b' }
        : { text: left === 0 ? '今天期满' : `已期满${-left}天，应及时讨论转正`, color: '#d4380d' };
  return (
    <div className="rec-probation" data-testid="timeline-probation">
      <div className="rec-probation-head">
        <span>
          预备期 <b className="num">{probation.start}</b> 至 <b className="num">{probation.end}</b>
          {probation.extended && (
            <Tag color="orange" style={{ marginInlineStart: 6 }}>
              已延长
            </Tag>
          )}
        </span>
        <span style={{ color: state.color }}>{state.text}</span>
      </div>
      <Progress percent={Math.round((gone / total) * 100)} showInfo={false} strokeColor={confirmedOn ? '#3f8f5a' : '#c0392b'} size="small" />
    </div>
  );
}

/** Each stage with its steps in date order. */
function History({ timeline, defs }: { timeline: TimelineData; defs: StepsAnswer }) {
  const done = doneCodes(defs.steps, timeline.steps);
  const onTimeline = new Set(timeline.steps.map((s) => s.code));
  const byCode = new Map(defs.steps.map((s) => [s.code, s]));
  const current = stageIndex(timeline, defs.stages);
  return (
    <Card size="small" title="发展历程" data-testid="timeline-history">
      {defs.stages.map((st, i) => {
        const steps = timeline.steps.filter((s) => byCode.get(s.code)?.stage === st.key).sort((x, y) => x.date.localeCompare(y.date) || x.id - y.id);
        const implied = defs.steps.filter((s) => s.stage === st.key && done.has(s.code) && !onTimeline.has(s.code));
        const items = steps.map((s) => {
          const def = byCode.get(s.code);
          const lines = describeData(s.code, s.data);
          return {
            key: `${s.code}-${s.id}-${s.date}`,
            color: s.recorded ? 'red' : 'gray',
            content: (
              <div className="rec-step" data-testid={`tl-${s.code}`}>
                <div className="rec-step-head">
                  <span className="rec-date num">{s.date}</span>
                  <span className="rec-step-label">
                    {def?.no ? <span className="rec-step-no">{def.no}</span> : null}
                    {s.label}
                  </span>
                  {!s.recorded && (
                    <Tooltip title="来自台账中导入的日期，不是逐环节记录的">
                      <Tag className="rec-imported">导入</Tag>
                    </Tooltip>
                  )}
                </div>
                {lines.map((l, j) => (
                  <div key={j} className="rec-step-data">
                    {l}
                  </div>
                ))}
              </div>
            ),
          };
        });
        if (implied.length) {
          items.push({
            key: `implied-${st.key}`,
            color: 'gray',
            content: (
              <div className="rec-step rec-implied">
                视为已完成（历史数据未单独记载日期）：{implied.map((s) => s.label).join('、')}
              </div>
            ),
          });
        }
        return (
          <section key={st.key} className={`rec-stage${i > current ? ' rec-stage-future' : ''}`} data-testid={`history-${st.key}`}>
            <h4 className="rec-stage-title">
              <span className="rec-stage-no">{STAGE_NO[i]}</span>
              {st.label}
            </h4>
            {items.length ? (
              <Timeline items={items} className="rec-timeline" />
            ) : (
              <Typography.Text type="secondary" className="rec-stage-empty">
                {i > current ? '尚未开始' : '暂无记录'}
              </Typography.Text>
            )}
          </section>
        );
      })}
    </Card>
  );
}

function NextSteps({ due, closed, canWrite, onRecord }: { due: DueAction[]; closed: boolean; canWrite: boolean; onRecord: (code: string) => void }) {
  const today = todayShanghai();
  const overdue = due.filter((d) => d.overdue).length;
  return (
    <Card
      size="small"
      title={
        <span>
          下一步
          {overdue > 0 && (
            <Tag color="error" icon={<WarningOutlined />} style={{ marginInlineStart: 8 }}>
              {overdue}项逾期
            </Tag>
          )}
        </span>
      }
      data-testid="timeline-due"
    >
      {due.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={closed ? '发展程序已完成' : '暂无待办环节'} />
      ) : (
        <List
          size="small"
          dataSource={due}
          renderItem={(d) => {
            const soon = !d.overdue && d.latest !== null && daysBetween(today, d.latest) <= 31;
            const notYet = d.earliest !== null && d.earliest > today;
            return (
              <List.Item
                key={d.code}
                className={d.overdue ? 'due-item due-overdue' : 'due-item'}
                data-testid={`due-${d.code}`}
                actions={canWrite ? [<Button key="r" size="small" icon={<EditOutlined />} onClick={() => onRecord(d.code)} data-testid={`due-record-${d.code}`}>记录</Button>] : []}
              >
                <div className="due-body">
                  <div className="due-title">
                    <b>{d.label}</b>
                    {d.overdue ? (
                      <Tag color="error">已逾期{daysBetween(d.latest!, today)}天</Tag>
                    ) : soon ? (
                      <Tag color="warning">{daysBetween(today, d.latest!)}天内到期</Tag>
                    ) : notYet ? (
                      <Tag>未到时间</Tag>
                    ) : null}
                  </div>
                  <div className="due-dates">
                    {d.earliest && (
                      <span>
                        最早 <span className="num">{d.earliest}</span>
                      </span>
                    )}
                    {d.latest && (
                      <span className={d.overdue ? 'due-late' : undefined}>
                        最迟 <span className="num">{d.latest}</span>
                      </span>
                    )}
                  </div>
                  {d.note && <div className="due-note">{d.note}</div>}
                </div>
              </List.Item>
            );
          }}
        />
      )}
    </Card>
  );
}
