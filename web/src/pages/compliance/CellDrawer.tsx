/**
 * One cell of the compliance matrix: an organization, a meeting type, a period. Met: the meetings
 * that satisfied it. Missed (or still due): what is missing — required against held, the meetings
 * held but below quorum (not counted), the rule and its source — and 补录会议.
 */
import { Link } from 'react-router';
import { Alert, Button, Descriptions, Drawer, Empty, Grid, List, Skeleton, Space, Tag, Typography } from 'antd';
import { FileTextOutlined, PlusOutlined } from '@ant-design/icons';
import type { RecordPage } from '../../lib/ledgers.tsx';
import { useFetch } from '../../lib/useFetch.ts';
import {
  PERIOD_WORD,
  STATUS_INFO,
  TypeTag,
  belowQuorum,
  periodLabel,
  periodRange,
  useAreaTo,
  type ComplianceCell,
  type MeetingRow,
  type MeetingRule,
} from '../meetings/common.tsx';

export interface CellPick {
  org: string;
  orgName: string;
  cell: ComplianceCell;
}

export function CellDrawer(props: { pick: CellPick; rule: MeetingRule | undefined; findingRule?: string; asOf: string; canWrite: boolean; onRecord: () => void; onClose: () => void }) {
  const { pick, rule } = props;
  const { cell } = pick;
  const phone = Grid.useBreakpoint().md === false;
  const to = useAreaTo();
  const range = periodRange(cell.period);
  const q = new URLSearchParams({ ledger: 'meetings', 'f.党组织编码': pick.org, 'f.会议类型': cell.meetingType, from: range.from, to: range.to, pageSize: '50', sort: 'date' });
  const { data, loading, error } = useFetch<RecordPage>(`/api/metrics/records?${q}`);
  const meetings = (data?.items ?? []) as unknown as MeetingRow[];
  const counted = meetings.filter((m) => !belowQuorum(m));
  const status = STATUS_INFO[cell.status];
  const missing = Math.max(0, cell.required - cell.held);
  const ruleText = props.findingRule ?? rule?.rule ?? null;
  const need = rule ? `${PERIOD_WORD[rule.period]}至少${cell.required || rule.min}次` : `至少${cell.required}次`;

  const verdict = (() => {
    switch (cell.status) {
      case 'missed':
        return (
          <Alert
            type="error"
            showIcon
            data-testid="cell-missing"
            title={`${periodLabel(cell.period)}缺少${missing}次${cell.meetingType}`}
            description={
              <div>
                <div data-testid="cell-required-held">
                  应召开 <b>{cell.required}</b> 次，实际计入 <b>{cell.held}</b> 次
                </div>
                {cell.notCounted ? (
                  <div data-testid="cell-not-counted">
                    另有 <b>{cell.notCounted}</b> 次会议到会人数未过半数，不计入落实情况
                  </div>
                ) : null}
              </div>
            }
          />
        );
      case 'due':
        return (
          <Alert
            type="info"
            showIcon
            title={missing ? `本期尚未结束：还需召开${missing}次，最迟 ${range.to}` : '本期尚未结束'}
            description={
              <span>
                应召开 {cell.required} 次，已计入 {cell.held} 次（截至 {props.asOf}）
                {cell.notCounted ? `；另有${cell.notCounted}次到会人数未过半数，不计入` : ''}
              </span>
            }
          />
        );
      case 'met':
        return <Alert type="success" showIcon title={`已落实：计入 ${cell.held} 次（要求 ${cell.required} 次）`} description={cell.notCounted ? `另有${cell.notCounted}次到会人数未过半数，未计入` : undefined} />;
      default:
        return (
          <Alert
            type="info"
            showIcon
            title="本期不适用"
            description={cell.meetingType === '支部委员会' ? '该支部本期未设支部委员会（党员7人以上才设立），不要求召开支委会。' : '该党组织本期尚未成立或已撤销。'}
          />
        );
    }
  })();

  return (
    <Drawer
      open
      onClose={props.onClose}
      size={phone ? '100%' : 520}
      title={
        <span className="cmp-drawer-title">
          {pick.orgName} · {cell.meetingType}
        </span>
      }
      data-testid="cell-drawer"
      footer={
        props.canWrite && (cell.status === 'missed' || cell.status === 'due') ? (
          <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
            <Button type="primary" icon={<PlusOutlined />} onClick={props.onRecord} data-testid="cell-record">
              {cell.status === 'missed' ? '补录会议' : '记录会议'}
            </Button>
          </Space>
        ) : null
      }
    >
      <Descriptions
        column={1}
        size="small"
        bordered
        styles={{ label: { width: 96 } }}
        items={[
          { key: 'org', label: '党组织', children: <span>{pick.orgName}<Typography.Text type="secondary">（{pick.org}）</Typography.Text></span> },
          { key: 'type', label: '会议类型', children: <TypeTag type={cell.meetingType} /> },
          {
            key: 'period',
            label: '期间',
            children: (
              <span>
                {periodLabel(cell.period)}
                <Typography.Text type="secondary" className="num">
                  {' '}
                  {range.from} 至 {range.to}
                </Typography.Text>
              </span>
            ),
          },
          { key: 'need', label: '要求', children: need },
          {
            key: 'status',
            label: '状态',
            children: (
              <Tag color={status.color} data-testid="cell-status">
                {status.label}
              </Tag>
            ),
          },
        ]}
      />
      <div style={{ marginTop: 12 }}>{verdict}</div>
      {ruleText && (
        <div className="cmp-rule" data-testid="cell-rule">
          <span className="cmp-rule-label">依据</span>
          <span>{ruleText}</span>
        </div>
      )}
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {cell.status === 'met' ? '计入本期的会议' : '本期已召开的会议'}
        {data ? <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>（{meetings.length} 次，计入 {counted.length} 次）</Typography.Text> : null}
      </Typography.Title>
      {error && <Alert type="error" showIcon title={error.message} />}
      {loading && !data ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : (
        <List<MeetingRow>
          size="small"
          dataSource={meetings}
          data-testid="cell-meetings"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本期没有召开该类会议的记录" /> }}
          renderItem={(m) => {
            const below = belowQuorum(m);
            return (
              <List.Item
                key={m.id}
                className={below ? 'cmp-meeting cmp-meeting-below' : 'cmp-meeting'}
                extra={
                  <Link to={to(`/meetings/${m.id}`)} data-testid={`cell-meeting-${m.id}`}>
                    <FileTextOutlined /> 会议记录
                  </Link>
                }
              >
                <div style={{ minWidth: 0 }}>
                  <div>
                    <span className="num" style={{ marginInlineEnd: 8 }}>
                      {m.date}
                    </span>
                    {below ? <Tag color="error">未过半数，不计入</Tag> : <Tag color="success">计入</Tag>}
                  </div>
                  <div className="cmp-meeting-topic">{m.topic}</div>
                  {m.expected !== null || m.present !== null ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      应到 {m.expected ?? '—'} 人，实到 {m.present ?? '—'} 人
                    </Typography.Text>
                  ) : null}
                </div>
              </List.Item>
            );
          }}
        />
      )}
    </Drawer>
  );
}
