/**
 * 发展看板: how many people each branch has at each stage of 发展党员 — totals on top, then a
 * compact table (sortable, searchable: readable with 40+ branches) or a stacked bar chart. A
 * count opens the people it counts, each linking to their timeline. The administrator switches
 * the rule set here (2026 marked 待核实).
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Empty, Grid, Input, Modal, Radio, Segmented, Skeleton, Space, Spin, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { BarChartOutlined, SettingOutlined, TableOutlined } from '@ant-design/icons';
import { api, errorMessage, withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { collator } from '../../lib/tree.ts';
import { BOARD_STAGES, type BoardItem, type BoardStage, type StepsAnswer } from '../../lib/recruitment.ts';
import { useFetch } from '../../lib/useFetch.ts';
import { PeopleDrawer, RuleSetTag } from './common.tsx';

const BoardChart = lazy(() => import('./BoardChart.tsx'));

export interface BranchRow {
  org: string;
  orgName: string;
  counts: Record<BoardStage, number>;
  /** People still in the pipeline (not yet converted). */
  open: number;
  total: number;
}

function toRows(items: BoardItem[]): BranchRow[] {
  const byOrg = new Map<string, BranchRow>();
  for (const i of items) {
    let r = byOrg.get(i.org);
    if (!r) {
      r = { org: i.org, orgName: i.orgName, counts: { applicant: 0, activist: 0, candidate: 0, probation: 0, member: 0 }, open: 0, total: 0 };
      byOrg.set(i.org, r);
    }
    r.counts[i.stage] = (r.counts[i.stage] ?? 0) + i.count;
    r.total += i.count;
    if (i.stage !== 'member') r.open += i.count;
  }
  return [...byOrg.values()].sort((a, b) => b.open - a.open || b.total - a.total || collator.compare(a.org, b.org));
}

interface Pick {
  org: string | null;
  orgName: string | null;
  stage: BoardStage;
}

export function BoardPage() {
  const [area] = useAreaParam();
  const [params, setParams] = useSearchParams();
  const phone = Grid.useBreakpoint().md === false;
  const me = useMe();
  const { data, loading, error } = useFetch<{ items: BoardItem[] }>(withArea('/api/recruitment/board', area));
  const steps = useFetch<StepsAnswer>('/api/recruitment/steps');
  const [query, setQuery] = useState('');
  const [pick, setPick] = useState<Pick | null>(null);
  const [ruleOpen, setRuleOpen] = useState(false);
  const view = params.get('view') === 'chart' ? 'chart' : 'table';

  const rows = useMemo(() => toRows(data?.items ?? []), [data]);
  const names = useMemo(() => new Map(rows.map((r) => [r.org, r.orgName])), [rows]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? rows.filter((r) => r.orgName.toLowerCase().includes(q) || r.org.toLowerCase().includes(q)) : rows;
  }, [rows, query]);
  const totals = useMemo(() => {
    const t: Record<BoardStage, number> = { applicant: 0, activist: 0, candidate: 0, probation: 0, member: 0 };
    for (const r of rows) for (const s of BOARD_STAGES) t[s.key] += r.counts[s.key];
    return t;
  }, [rows]);

  const countCell = (r: BranchRow, stage: BoardStage) => {
    const n = r.counts[stage];
    if (!n) return <span className="board-zero">0</span>;
    return (
      <Button type="link" size="small" className="board-count" data-testid={`board-${r.org}-${stage}`} onClick={() => setPick({ org: r.org, orgName: r.orgName, stage })}>
        {n}
      </Button>
    );
  };

  // Phones: short headings, no sorters and no 在培养 column, so the five stages fit the width.
  const orgWidth = phone ? 120 : 280;
  const stageWidth = phone ? 44 : 110;
  const columns: ColumnsType<BranchRow> = [
    {
      key: 'org',
      title: '党组织',
      fixed: 'left',
      width: orgWidth,
      ...(phone ? {} : { sorter: (a: BranchRow, b: BranchRow) => collator.compare(a.orgName, b.orgName) }),
      render: (_: unknown, r) => (
        <div className="board-org" title={`${r.orgName}（${r.org}）`}>
          <span className="ellipsis">{r.orgName || r.org}</span>
          {!phone && <span className="board-org-code">{r.org}</span>}
        </div>
      ),
    },
    ...BOARD_STAGES.map((s) => ({
      key: s.key,
      title: (
        <span className="board-stage-title" title={s.label}>
          <i style={{ background: s.color }} />
          {phone ? s.short : s.label}
        </span>
      ),
      width: stageWidth,
      align: 'center' as const,
      ...(phone
        ? {}
        : { sorter: (a: BranchRow, b: BranchRow) => a.counts[s.key] - b.counts[s.key], sortDirections: ['descend' as const, 'ascend' as const] }),
      render: (_: unknown, r: BranchRow) => countCell(r, s.key),
    })),
    ...(phone
      ? []
      : [
          {
            key: 'open',
            title: '在培养',
            width: 90,
            align: 'center' as const,
            sorter: (a: BranchRow, b: BranchRow) => a.open - b.open,
            sortDirections: ['descend' as const, 'ascend' as const],
            render: (_: unknown, r: BranchRow) => <b className="num">{r.open}</b>,
          },
        ]),
  ];

  const ruleSet = steps.data?.ruleSet;

  return (
    <Space orientation="vertical" size={12} style={{ display: 'flex' }} data-testid="recruitment-board">
      <Card
        size="small"
        title={<span style={{ fontSize: 16 }}>发展看板</span>}
        extra={
          <Space size={6} wrap style={{ justifyContent: 'flex-end' }}>
            {ruleSet && !phone && <RuleSetTag ruleSet={ruleSet} />}
            {me.can('settings.manage') && ruleSet && (
              <Button size="small" icon={<SettingOutlined />} onClick={() => setRuleOpen(true)} data-testid="rule-set-switch">
                规则版本
              </Button>
            )}
          </Space>
        }
      >
        {ruleSet && phone && (
          <div style={{ marginBottom: 10 }}>
            <RuleSetTag ruleSet={ruleSet} />
          </div>
        )}
        {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
        <div className="board-totals" data-testid="board-totals">
          {BOARD_STAGES.map((s) => (
            <button
              type="button"
              key={s.key}
              className="board-total"
              style={{ borderTopColor: s.color }}
              disabled={!totals[s.key]}
              onClick={() => setPick({ org: null, orgName: null, stage: s.key })}
              data-testid={`board-total-${s.key}`}
            >
              <span className="board-total-label">{s.label}</span>
              <span className="board-total-value">{loading && !data ? '—' : totals[s.key]}</span>
            </button>
          ))}
        </div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          按台账中的各阶段日期统计；点击人数可查看人员名单。
        </Typography.Text>
      </Card>

      <Card
        size="small"
        title={`各党组织（${rows.length}个）`}
        extra={
          <Segmented
            size="small"
            value={view}
            onChange={(v) =>
              setParams((prev) => {
                const next = new URLSearchParams(prev);
                if (v === 'chart') next.set('view', 'chart');
                else next.delete('view');
                return next;
              })
            }
            options={[
              { value: 'table', label: '表格', icon: <TableOutlined /> },
              { value: 'chart', label: '图表', icon: <BarChartOutlined /> },
            ]}
            data-testid="board-view"
          />
        }
      >
        {view === 'table' ? (
          <>
            <Input.Search allowClear placeholder="搜索党组织名称或编码" value={query} onChange={(e) => setQuery(e.target.value)} style={{ maxWidth: 320, marginBottom: 10 }} />
            <Table<BranchRow>
              data-testid="board-table"
              className="board-table"
              rowKey="org"
              size="small"
              loading={loading}
              columns={columns}
              dataSource={shown}
              pagination={shown.length > 50 ? { pageSize: 50, showSizeChanger: false, size: 'small' } : false}
              scroll={{ x: orgWidth + BOARD_STAGES.length * stageWidth + (phone ? 0 : 90) }}
              sticky={{ offsetHeader: 56 }}
              locale={{ emptyText: loading ? <div style={{ height: 80 }} /> : <Empty description={query ? '没有符合条件的党组织' : '本区域还没有发展党员记录'} /> }}
              summary={() =>
                shown.length > 1 ? (
                  <Table.Summary>
                    <Table.Summary.Row className="board-sum">
                      <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                      {BOARD_STAGES.map((s, i) => (
                        <Table.Summary.Cell index={i + 1} key={s.key} align="center">
                          <span className="num">{shown.reduce((n, r) => n + r.counts[s.key], 0)}</span>
                        </Table.Summary.Cell>
                      ))}
                      {!phone && (
                        <Table.Summary.Cell index={BOARD_STAGES.length + 1} align="center">
                          <b className="num">{shown.reduce((n, r) => n + r.open, 0)}</b>
                        </Table.Summary.Cell>
                      )}
                    </Table.Summary.Row>
                  </Table.Summary>
                ) : null
              }
            />
          </>
        ) : loading && !data ? (
          <Skeleton active />
        ) : rows.length === 0 ? (
          <Empty description="本区域还没有发展党员记录" />
        ) : (
          <Suspense fallback={<Spin style={{ display: 'block', margin: '48px auto' }} description="正在加载图表…" />}>
            <BoardChart rows={rows} phone={phone} onPick={(org, stage) => setPick({ org, orgName: names.get(org) ?? org, stage })} />
          </Suspense>
        )}
      </Card>

      {pick && <PeopleDrawer org={pick.org} orgName={pick.orgName} stage={pick.stage} names={names} onClose={() => setPick(null)} />}
      {ruleOpen && ruleSet && (
        <RuleSetModal
          current={ruleSet.id}
          onClose={() => setRuleOpen(false)}
          onChanged={() => {
            setRuleOpen(false);
            steps.reload();
          }}
        />
      )}
    </Space>
  );
}

/** The administrator's switch between the 2014 rules and the (unconfirmed) 2026 revision. */
function RuleSetModal({ current, onClose, onChanged }: { current: '2014' | '2026'; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const [value, setValue] = useState(current);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function save() {
    setBusy(true);
    setProblem(null);
    try {
      await api.put('/api/recruitment/rule-set', { id: value });
      message.success('规则版本已切换');
      onChanged();
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title="发展党员规则版本" onCancel={onClose} onOk={() => void save()} okText="切换" okButtonProps={{ disabled: value === current, loading: busy }} cancelText="取消">
      <Radio.Group value={value} onChange={(e) => setValue(e.target.value as '2014' | '2026')} style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
        <Radio value="2014">《中国共产党发展党员工作细则》(2014)</Radio>
        <Radio value="2026">
          2026年5月修订版 <Typography.Text type="warning">（待核实）</Typography.Text>
        </Radio>
      </Radio.Group>
      {value === '2026' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          title="2026年修订版的条文来自二手资料，尚未对照正式文本核实"
          description="启用后：确定发展对象前须公示不少于5个工作日；预审后1个月内召开支部大会；审批后1个月内入党宣誓。引用的条款号可能与正式文本不同。"
        />
      )}
      {problem && <Alert type="error" showIcon title={problem} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
