/** Pieces the 发展党员 pages share: links that keep the chosen area, the rule-set tag, the people of a stage. */
import { useMemo } from 'react';
import { Link } from 'react-router';
import { Alert, Drawer, Empty, Grid, List, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import type { LedgerRecord, RecordPage } from '../../lib/ledgers.tsx';
import { BOARD_STAGES, boardStageOf, type BoardStage } from '../../lib/recruitment.ts';
import { useFetch } from '../../lib/useFetch.ts';

/** `{pathname, search}` for a link that keeps `?area=`. */
export function useAreaTo(): (pathname: string) => { pathname: string; search: string } {
  const [area] = useAreaParam();
  return (pathname: string) => ({ pathname, search: area ? `?area=${encodeURIComponent(area)}` : '' });
}

export function RuleSetTag({ ruleSet }: { ruleSet: { id: string; title: string; awaitingConfirmation: boolean } }) {
  return (
    <Space size={4} wrap data-testid="rule-set">
      <Tooltip title="记录环节时按此版本的规定检查">
        <Tag color="blue" style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
          {ruleSet.title}
        </Tag>
      </Tooltip>
      {ruleSet.awaitingConfirmation && (
        <Tooltip title="2026年修订版的条文来自二手资料，尚未对照正式文本核实">
          <Tag color="warning" data-testid="rule-set-unconfirmed">
            待核实
          </Tag>
        </Tooltip>
      )}
    </Space>
  );
}

/** The date a stage is reached, for the people list. */
const STAGE_DATE: Record<BoardStage, [string, string]> = {
  applicant: ['appliedOn', '申请'],
  activist: ['activistOn', '确定积极分子'],
  candidate: ['candidateOn', '确定发展对象'],
  probation: ['admittedOn', '接收为预备党员'],
  member: ['confirmedOn', '转正'],
};

/** The people a board cell counts: one branch (or all) at one stage, each linking to their timeline. */
export function PeopleDrawer(props: { org: string | null; orgName: string | null; stage: BoardStage; names?: ReadonlyMap<string, string>; onClose: () => void }) {
  const [area] = useAreaParam();
  const to = useAreaTo();
  const phone = Grid.useBreakpoint().md === false;
  const { data, loading, error } = useFetch<RecordPage>(withArea('/api/ledgers/applicants/records', area, { 'f.org': props.org ?? undefined, pageSize: '500', sort: '-appliedOn' }));
  const people = useMemo(() => (data?.items ?? []).filter((r) => boardStageOf(r) === props.stage), [data, props.stage]);
  const stage = BOARD_STAGES.find((s) => s.key === props.stage)!;
  const [dateKey, dateLabel] = STAGE_DATE[props.stage];
  return (
    <Drawer
      open
      onClose={props.onClose}
      size={phone ? '100%' : 480}
      title={
        <span>
          {props.orgName ?? '全部党组织'} · <span style={{ color: stage.color }}>{stage.label}</span>
        </span>
      }
      data-testid="board-people"
    >
      {error && <Alert type="error" showIcon title={error.message} />}
      {loading && !data ? (
        <Spin style={{ display: 'block', margin: '48px auto' }} />
      ) : (
        <List<LedgerRecord>
          dataSource={people}
          locale={{ emptyText: <Empty description="没有人员" /> }}
          header={<Typography.Text type="secondary">共 {people.length} 人{(data?.total ?? 0) > 500 ? '（仅统计前500条记录）' : ''}</Typography.Text>}
          renderItem={(r) => (
            <List.Item key={r.id} extra={<Link to={to(`/recruitment/${r.id}`)}>发展时间线</Link>}>
              <List.Item.Meta
                title={
                  <Link to={to(`/recruitment/${r.id}`)} data-testid={`person-${r.id}`}>
                    {String(r.name)}
                  </Link>
                }
                description={
                  <span>
                    {r.gender ? `${String(r.gender)} · ` : ''}
                    {dateLabel} {String(r[dateKey] ?? '—')}
                    {!props.org && r.org ? ` · ${props.names?.get(String(r.org)) ?? String(r.org)}` : ''}
                  </span>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Drawer>
  );
}
