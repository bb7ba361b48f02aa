/**
 * 会议记录 (`/meetings/:id`): the meeting as the ledger has it (date, organization, type, topic),
 * then its full record — host and recorder, agenda items (one marked 第一议题), attendance taken
 * from the organization's roster on the meeting's day, minutes and decisions — and its
 * attachments. The quorum is worked out live as the server will count it: a 支部党员大会 on full
 * members only (预备党员 have no vote), a 支委会 on the committee; at most half present and the
 * meeting does not count for compliance. Save sends it all; the server sets 应到/实到人数.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Form,
  Grid,
  Input,
  List,
  Popconfirm,
  Radio,
  Result,
  Row,
  Skeleton,
  Space,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import {
  CheckCircleOutlined,
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  FileImageOutlined,
  FilePdfOutlined,
  MinusCircleOutlined,
  PlusOutlined,
  SaveOutlined,
  UploadOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { canLedger } from '../../../../src/domain/policy.ts';
import { api, errorMessage } from '../../lib/api.ts';
import { useMe } from '../../lib/auth.tsx';
import { formatInstant } from '../../lib/format.ts';
import { useLedgers, useOrgs, type LedgerRecord } from '../../lib/ledgers.tsx';
import { useFetch } from '../../lib/useFetch.ts';
import { useCodeNames } from '../ledgers/fields.tsx';
import { RecordForm } from '../ledgers/RecordForm.tsx';
import { QUORUM_TYPES, TypeTag, belowQuorum, formatSize, useAreaTo, type Attachment, type AttendanceStatus, type Attendee, type MeetingRecord } from './common.tsx';
import './meetings.css';

const MAX_BYTES = 10 * 1024 * 1024;
const STATUSES: AttendanceStatus[] = ['出席', '请假', '缺席'];

interface DetailValues {
  host: string;
  recorder: string;
  agenda: Array<{ title: string; firstAgendaItem: boolean }>;
  minutes: string;
  decisions: string;
}

type Marks = Record<number, { status: AttendanceStatus | null; reason: string }>;

function marksOf(a: Attendee[]): Marks {
  return Object.fromEntries(a.map((x) => [x.memberId, { status: x.status, reason: x.reason ?? '' }]));
}

function detailValues(r: MeetingRecord): DetailValues {
  return {
    host: r.details.host ?? '',
    recorder: r.details.recorder ?? '',
    agenda: r.details.agenda.map((a) => ({ ...a })),
    minutes: r.details.minutes ?? '',
    decisions: r.details.decisions ?? '',
  };
}

interface Quorum {
  /** Who should attend, as counted for the quorum. */
  expected: number;
  present: number;
  /** Whether the quorum rule applies to this type. */
  applies: boolean;
  basis: string;
}

/** The quorum as the server will count it from this attendance. */
function quorumOf(type: string, roster: Attendee[], marks: Marks, committee: number | null): Quorum {
  const marked = roster.filter((p) => marks[p.memberId]?.status);
  const came = (p: Attendee) => marks[p.memberId]?.status === '出席';
  if (type === '支部党员大会') {
    const voters = roster.filter((p) => p.category === '正式党员');
    return { expected: voters.length, present: voters.filter(came).length, applies: true, basis: '正式党员' };
  }
  if (type === '支部委员会') {
    return { expected: committee ?? marked.length, present: roster.filter(came).length, applies: true, basis: committee !== null ? '支部委员' : '登记的参会人员' };
  }
  return { expected: roster.length, present: roster.filter(came).length, applies: false, basis: '党员' };
}

export function MeetingRecordPage() {
  const { id = '' } = useParams();
  const valid = /^\d+$/.test(id);
  const me = useMe();
  const canWrite = canLedger(me.user.role, 'meetings', 'write');
  const fetched = useFetch<MeetingRecord>(valid ? `/api/meetings/${id}/record` : null);
  const [record, setRecord] = useState<MeetingRecord | null>(null);
  useEffect(() => {
    if (fetched.data) setRecord(fetched.data);
  }, [fetched.data]);

  if (!valid) return <Result status="404" title="没有这个会议" />;
  if (fetched.error) {
    return (
      <Result
        status={fetched.error.status === 404 ? '404' : fetched.error.status === 403 ? '403' : 'error'}
        title={fetched.error.status === 404 ? '没有找到该会议记录' : '会议记录加载失败'}
        subTitle={fetched.error.status === 404 ? '该会议不存在、已删除，或不在您可以查看的范围内。' : fetched.error.message}
        extra={<Link to="/ledgers/meetings">返回组织生活台账</Link>}
      />
    );
  }
  if (!record) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  }
  return <MeetingRecordView key={record.meeting.id} record={record} canWrite={canWrite} onRecord={setRecord} />;
}

function MeetingRecordView({ record, canWrite, onRecord }: { record: MeetingRecord; canWrite: boolean; onRecord: (r: MeetingRecord) => void }) {
  const { message } = App.useApp();
  const me = useMe();
  const phone = Grid.useBreakpoint().md === false;
  const to = useAreaTo();
  const m = record.meeting;
  const orgs = useOrgs(true);
  const ledgers = useLedgers();
  const ledger = ledgers.byKey.get('meetings');
  const names = useCodeNames(ledger);
  const [form] = Form.useForm<DetailValues>();
  const [marks, setMarks] = useState<Marks>(() => marksOf(record.attendance));
  const [saved, setSaved] = useState<{ values: DetailValues; marks: Marks }>(() => ({ values: detailValues(record), marks: marksOf(record.attendance) }));
  const [dirtyForm, setDirtyForm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const committees = useFetch<{ items: Array<{ establishedOn: string; endedOn: string | null; members: number }> }>(
    m.type === '支部委员会' && me.can('tree.read') ? `/api/orgs/${encodeURIComponent(m.org)}/committees` : null,
  );
  const committee = useMemo(() => {
    const c = (committees.data?.items ?? []).filter((x) => x.establishedOn <= m.date && (x.endedOn === null || x.endedOn > m.date)).sort((a, b) => b.establishedOn.localeCompare(a.establishedOn))[0];
    return c ? c.members : null;
  }, [committees.data, m.date]);

  const isCommittee = m.type === '支部委员会';
  // A 支委会 takes attendance of the committee: those with a Party post first.
  const roster = useMemo(
    () => (isCommittee ? [...record.attendance].sort((a, b) => Number(Boolean(b.partyPost)) - Number(Boolean(a.partyPost))) : record.attendance),
    [record.attendance, isCommittee],
  );
  const quorum = quorumOf(m.type, roster, marks, committee);
  const marksDirty = JSON.stringify(marks) !== JSON.stringify(saved.marks);
  const dirty = dirtyForm || marksDirty;
  const orgName = orgs.byCode.get(m.org)?.name ?? null;
  const probationary = roster.filter((p) => p.category === '预备党员').length;
  const counts = STATUSES.map((s) => roster.filter((p) => marks[p.memberId]?.status === s).length);
  const unmarked = roster.length - counts.reduce((a, b) => a + b, 0);
  const hostOptions = useMemo(() => roster.map((p) => ({ value: p.name, label: `${p.name}${p.partyPost ? `（${p.partyPost}）` : ''}` })), [roster]);

  useEffect(() => {
    document.title = `${m.topic} · 会议记录 - 基层党建与治理平台`;
  }, [m.topic]);
  // Closing or reloading the tab with unsaved attendance or minutes asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const setMark = (memberId: number, change: Partial<{ status: AttendanceStatus | null; reason: string }>) =>
    setMarks((prev) => ({ ...prev, [memberId]: { ...(prev[memberId] ?? { status: null, reason: '' }), ...change } }));

  async function save() {
    try {
      await form.validateFields();
    } catch {
      setProblem('请按提示填写议题后再保存');
      return;
    }
    const v = form.getFieldsValue(true) as DetailValues;
    setBusy(true);
    setProblem(null);
    try {
      const body = {
        host: v.host?.trim() || null,
        recorder: v.recorder?.trim() || null,
        // An agenda sets the ledger's 第一议题 (an empty one to 否): sent only when there is one, or
        // one was cleared, so saving attendance alone keeps an imported 第一议题 as it is.
        ...((v.agenda ?? []).length > 0 || saved.values.agenda.length > 0
          ? { agenda: (v.agenda ?? []).map((a) => ({ title: (a.title ?? '').trim(), firstAgendaItem: Boolean(a.firstAgendaItem) })) }
          : {}),
        minutes: v.minutes?.trim() ? v.minutes : null,
        decisions: v.decisions?.trim() ? v.decisions : null,
        attendance: roster
          .filter((p) => marks[p.memberId]?.status)
          .map((p) => {
            const mk = marks[p.memberId]!;
            return { memberId: p.memberId, status: mk.status!, ...(mk.status !== '出席' && mk.reason.trim() ? { reason: mk.reason.trim() } : {}) };
          }),
      };
      const answer = await api.put<MeetingRecord>(`/api/meetings/${m.id}/record`, body);
      message.success('已保存会议记录');
      const values = detailValues(answer);
      const nextMarks = marksOf(answer.attendance);
      form.setFieldsValue(values);
      setMarks(nextMarks);
      setSaved({ values, marks: nextMarks });
      setDirtyForm(false);
      onRecord(answer);
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const counted = !belowQuorum(m);
  const header = (
    <Card className="mtg-head" data-testid="meeting-header">
      <div className="mtg-head-top">
        <TypeTag type={m.type} />
        <span className="num mtg-date">{m.date}</span>
        {QUORUM_TYPES.has(m.type) && m.expected !== null && m.present !== null && (
          <Tag color={counted ? 'success' : 'error'} data-testid="meeting-counted">
            {counted ? '计入落实情况' : '未过半数，不计入落实情况'}
          </Tag>
        )}
        <span style={{ flex: 1 }} />
        {canWrite && ledger && (
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="meeting-edit-basic">
            编辑基本信息
          </Button>
        )}
      </div>
      <Typography.Title level={4} className="mtg-topic" data-testid="meeting-topic">
        {m.topic}
      </Typography.Title>
      <Descriptions
        size="small"
        column={phone ? 1 : 3}
        items={[
          {
            key: 'org',
            label: '党组织',
            children: (
              <span data-testid="meeting-org">
                {orgName ?? m.org}
                <Typography.Text type="secondary">（{m.org}）</Typography.Text>
              </span>
            ),
          },
          { key: 'first', label: '第一议题', children: m.firstAgendaItem === null ? '—' : m.firstAgendaItem ? '是' : '否' },
          {
            key: 'att',
            label: '应到 / 实到',
            children: (
              <span data-testid="meeting-counts">
                {m.expected ?? '—'} / {m.present ?? '—'} 人
              </span>
            ),
          },
        ]}
      />
    </Card>
  );

  const anyMarked = roster.some((p) => marks[p.memberId]?.status);
  const ledgerOk = m.expected !== null && m.present !== null && m.expected > 0 && m.present * 2 > m.expected;
  const quorumLine = !anyMarked ? (
    // Nothing marked yet: the ledger's own counts (as imported or typed), if any.
    <div className={`mtg-quorum ${QUORUM_TYPES.has(m.type) && m.expected !== null && m.present !== null ? (ledgerOk ? 'mtg-quorum-ok' : 'mtg-quorum-bad') : 'mtg-quorum-plain'}`} data-testid="quorum-line">
      <span>
        尚未逐人登记考勤
        {m.expected !== null || m.present !== null ? (
          <>
            ；台账登记应到 <b>{m.expected ?? '—'}</b> 人，实到 <b>{m.present ?? '—'}</b> 人
            {QUORUM_TYPES.has(m.type) && m.expected !== null && m.present !== null ? (
              <b className="mtg-verdict">{ledgerOk ? '，到会人数过半' : '，未过半数，本次会议不计入落实情况'}</b>
            ) : null}
          </>
        ) : (
          '。'
        )}
        {canWrite && <Typography.Text type="secondary">（登记考勤并保存后，应到、实到人数按名册自动计算）</Typography.Text>}
      </span>
    </div>
  ) : (
    <div className={`mtg-quorum ${quorum.applies ? (quorum.expected > 0 && quorum.present * 2 > quorum.expected ? 'mtg-quorum-ok' : 'mtg-quorum-bad') : 'mtg-quorum-plain'}`} data-testid="quorum-line">
      {quorum.applies ? (
        quorum.expected > 0 && quorum.present * 2 > quorum.expected ? (
          <CheckCircleOutlined />
        ) : (
          <WarningOutlined />
        )
      ) : null}
      <span>
        应到{quorum.basis} <b>{quorum.expected}</b> 人，实到 <b>{quorum.present}</b> 人
        {quorum.applies ? (
          quorum.expected > 0 && quorum.present * 2 > quorum.expected ? (
            <b className="mtg-verdict">，到会人数过半</b>
          ) : (
            <b className="mtg-verdict">，未过半数，本次会议不计入落实情况</b>
          )
        ) : (
          <Typography.Text type="secondary">（{m.type}不以到会人数过半作为计入条件）</Typography.Text>
        )}
      </span>
    </div>
  );

  const attendance = (
    <Card
      size="small"
      title={`参会情况（${roster.length}人）`}
      className="mtg-card"
      data-testid="attendance"
      extra={
        canWrite && roster.length > 0 && !isCommittee ? (
          <Space size={4}>
            <Button
              size="small"
              onClick={() => setMarks((prev) => Object.fromEntries(roster.map((p) => [p.memberId, { status: prev[p.memberId]?.status ?? '出席', reason: prev[p.memberId]?.reason ?? '' }])))}
              data-testid="attendance-rest-present"
            >
              其余均出席
            </Button>
          </Space>
        ) : null
      }
    >
      {quorumLine}
      {isCommittee && (
        <div className="mtg-note" data-testid="committee-note">
          支部委员会会议只登记支部委员的出席情况{committee !== null ? `（本届支部委员 ${committee} 人）` : ''}；列席的党员不必登记。
          {committee !== null && quorum.present > committee ? <b>登记出席的 {quorum.present} 人多于支部委员人数，请只登记支部委员。</b> : null}
        </div>
      )}
      {m.type === '支部党员大会' && probationary > 0 && (
        <div className="mtg-note" data-testid="probationary-note">
          预备党员没有表决权，不计入党员大会的应到、实到人数（本支部预备党员 {probationary} 人）。
        </div>
      )}
      <div className="mtg-att-counts">
        出席 {counts[0]} · 请假 {counts[1]} · 缺席 {counts[2]}
        {unmarked > 0 && <span className="mtg-unmarked"> · 未登记 {unmarked}</span>}
      </div>
      {roster.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={`${m.date}该党组织名册中没有党员`} />
      ) : (
        <div className="mtg-att-list">
          {roster.map((p) => {
            const mk = marks[p.memberId] ?? { status: null, reason: '' };
            const needReason = mk.status === '请假' || mk.status === '缺席';
            return (
              <div key={p.memberId} className="mtg-att-row" data-testid={`att-${p.memberId}`}>
                <div className="mtg-att-who">
                  <span className="mtg-att-name">{p.name}</span>
                  {p.category === '预备党员' && (
                    <Tooltip title={m.type === '支部党员大会' ? '预备党员没有表决权，不计入党员大会的到会人数' : '预备党员'}>
                      <Tag color="orange" className="mtg-att-tag">
                        预备党员
                      </Tag>
                    </Tooltip>
                  )}
                  {p.partyPost && <span className="mtg-att-post">{p.partyPost}</span>}
                </div>
                <Radio.Group
                  size="small"
                  optionType="button"
                  buttonStyle="solid"
                  disabled={!canWrite}
                  value={mk.status}
                  onChange={(e) => setMark(p.memberId, { status: e.target.value as AttendanceStatus })}
                  options={STATUSES.map((s) => ({ value: s, label: s, className: `mtg-st-${s}` }))}
                  className="mtg-att-status"
                  data-testid={`att-status-${p.memberId}`}
                />
                {needReason && (
                  <Input
                    size="small"
                    className="mtg-att-reason"
                    placeholder={`${mk.status}原因（必填）`}
                    value={mk.reason}
                    status={mk.reason.trim() ? undefined : 'error'}
                    maxLength={200}
                    disabled={!canWrite}
                    onChange={(e) => setMark(p.memberId, { reason: e.target.value })}
                    data-testid={`att-reason-${p.memberId}`}
                  />
                )}
              </div>
            );
          })}
        </div>
      )}
    </Card>
  );

  return (
    <div className="mtg-page" data-testid="meeting-record">
      {header}
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="meeting-problem" closable={{ onClose: () => setProblem(null) }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={13}>
          <Form<DetailValues>
            form={form}
            layout="vertical"
            initialValues={saved.values}
            disabled={!canWrite}
            onValuesChange={() => setDirtyForm(true)}
            className="mtg-form"
          >
            <Card size="small" title="会议信息" className="mtg-card">
              <Row gutter={12}>
                <Col xs={24} sm={12}>
                  <Form.Item name="host" label="主持人" data-testid="meeting-host">
                    <AutoName options={hostOptions} placeholder="一般为书记，或受委托的副书记、委员" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item name="recorder" label="记录人" data-testid="meeting-recorder">
                    <AutoName options={hostOptions} placeholder="记录人姓名" />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
            <Card size="small" title="议程" className="mtg-card" data-testid="agenda">
              <Form.List name="agenda">
                {(fields, { add, remove }) => (
                  <>
                    {fields.length === 0 && <Typography.Text type="secondary">还没有议题。</Typography.Text>}
                    {fields.map((f, i) => (
                      <div key={f.key} className="mtg-agenda-row" data-testid={`agenda-${i}`}>
                        <span className="mtg-agenda-no">{i + 1}</span>
                        <Form.Item name={[f.name, 'title']} rules={[{ required: true, whitespace: true, message: '请填写议题' }]} className="mtg-agenda-title">
                          <Input placeholder="议题" maxLength={200} data-testid={`agenda-title-${i}`} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'firstAgendaItem']} valuePropName="checked" className="mtg-agenda-first">
                          <Checkbox
                            data-testid={`agenda-first-${i}`}
                            onChange={(e) => {
                              // One item is the 第一议题: checking it unchecks the others.
                              if (e.target.checked) {
                                const list = (form.getFieldValue('agenda') as DetailValues['agenda']) ?? [];
                                form.setFieldValue(
                                  'agenda',
                                  list.map((a, k) => ({ ...a, firstAgendaItem: k === i })),
                                );
                              }
                            }}
                          >
                            第一议题
                          </Checkbox>
                        </Form.Item>
                        {canWrite && (
                          <Button type="text" size="small" className="mtg-agenda-remove" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label="删除议题" data-testid={`agenda-remove-${i}`} />
                        )}
                      </div>
                    ))}
                    {canWrite && (
                      <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ title: '', firstAgendaItem: fields.length === 0 })} data-testid="agenda-add" style={{ marginTop: 8 }}>
                        添加议题
                      </Button>
                    )}
                  </>
                )}
              </Form.List>
            </Card>
            <Card size="small" title="纪要与决议" className="mtg-card">
              <Form.Item name="minutes" label="会议纪要" data-testid="meeting-minutes">
                <Input.TextArea autoSize={{ minRows: 4, maxRows: 16 }} maxLength={20000} placeholder="会议主要内容、发言情况" />
              </Form.Item>
              <Form.Item name="decisions" label="会议决议 / 决定" data-testid="meeting-decisions" style={{ marginBottom: 0 }}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} maxLength={5000} placeholder="形成的决议、决定事项" />
              </Form.Item>
            </Card>
          </Form>
        </Col>
        <Col xs={24} xl={11}>
          {attendance}
          <Attachments meetingId={m.id} initial={record.attachments} canWrite={canWrite} />
        </Col>
      </Row>
      {canWrite && (
        <div className="mtg-savebar">
          <Link to={to('/meetings/compliance', { year: m.date.slice(0, 4) })} className="mtg-back">
            查看落实情况
          </Link>
          <span style={{ flex: 1 }} />
          {dirty && (
            <Typography.Text type="warning" className="mtg-dirty">
              有未保存的修改
            </Typography.Text>
          )}
          <Button type="primary" icon={<SaveOutlined />} loading={busy} onClick={() => void save()} data-testid="meeting-save">
            保存会议记录
          </Button>
        </div>
      )}
      {editing && ledger && (
        <RecordForm
          ledger={ledger}
          names={names}
          record={m as unknown as LedgerRecord}
          onClose={() => setEditing(false)}
          onSaved={(r) => {
            setEditing(false);
            onRecord({ ...record, meeting: { ...m, ...(r as unknown as typeof m) } });
          }}
        />
      )}
    </div>
  );
}

/** A name typed freely, or picked from the organization's roster. */
function AutoName(props: { value?: string; onChange?: (v: string) => void; options: Array<{ value: string; label: string }>; placeholder: string; disabled?: boolean; id?: string }) {
  return (
    <AutoComplete
      id={props.id}
      value={props.value ?? ''}
      onChange={(v: string) => props.onChange?.(v)}
      options={props.options}
      placeholder={props.placeholder}
      disabled={props.disabled}
      showSearch={{ filterOption: (input, o) => String(o?.label ?? '').includes(input.trim()) }}
      allowClear
      style={{ width: '100%' }}
    />
  );
}

function Attachments({ meetingId, initial, canWrite }: { meetingId: number; initial: Attachment[]; canWrite: boolean }) {
  const { message } = App.useApp();
  const [items, setItems] = useState(initial);
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const busy = useRef(0);

  async function refresh() {
    const r = await api.get<MeetingRecord>(`/api/meetings/${meetingId}/record`);
    setItems(r.attachments);
  }

  async function upload(file: File) {
    setProblem(null);
    if (file.size > MAX_BYTES) {
      setProblem(`“${file.name}”超过10MB，不能上传`);
      return;
    }
    busy.current++;
    setUploading(true);
    try {
      const fd = new FormData();
      fd.append('file', file, file.name);
      await api.post(`/api/meetings/${meetingId}/attachments`, fd);
      message.success(`已上传“${file.name}”`);
      await refresh();
    } catch (e) {
      setProblem(`“${file.name}”上传失败：${errorMessage(e)}`);
    } finally {
      busy.current--;
      if (busy.current === 0) setUploading(false);
    }
  }

  async function remove(a: Attachment) {
    setProblem(null);
    try {
      await api.del(`/api/meetings/${meetingId}/attachments/${a.id}`);
      message.success(`已删除“${a.fileName}”`);
      setItems((xs) => xs.filter((x) => x.id !== a.id));
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  return (
    <Card
      size="small"
      title={`附件（${items.length}）`}
      className="mtg-card"
      data-testid="attachments"
      extra={
        canWrite ? (
          <Upload
            accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
            multiple
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file as unknown as File);
              return false;
            }}
          >
            <Button size="small" icon={<UploadOutlined />} loading={uploading} data-testid="attachment-upload">
              上传
            </Button>
          </Upload>
        ) : null
      }
    >
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        会议照片、签到表、纪要扫描件：JPG、PNG 或 PDF，单个不超过10MB。
      </Typography.Text>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginTop: 8 }} data-testid="attachment-problem" />}
      <List<Attachment>
        size="small"
        dataSource={items}
        data-testid="attachment-list"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有附件" /> }}
        renderItem={(a) => (
          <List.Item
            key={a.id}
            actions={[
              <a key="d" href={`/api/meetings/${meetingId}/attachments/${a.id}`} download={a.fileName} aria-label={`下载${a.fileName}`}>
                <DownloadOutlined />
              </a>,
              ...(canWrite
                ? [
                    <Popconfirm key="x" title={`删除“${a.fileName}”？`} okText="删除" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => void remove(a)}>
                      <a className="mtg-danger" aria-label={`删除${a.fileName}`} data-testid={`attachment-delete-${a.id}`}>
                        <DeleteOutlined />
                      </a>
                    </Popconfirm>,
                  ]
                : []),
            ]}
          >
            <List.Item.Meta
              avatar={a.mime === 'application/pdf' ? <FilePdfOutlined className="mtg-file-icon" /> : <FileImageOutlined className="mtg-file-icon" />}
              title={
                <a href={`/api/meetings/${meetingId}/attachments/${a.id}`} download={a.fileName} className="mtg-file-name" data-testid={`attachment-${a.id}`}>
                  {a.fileName}
                </a>
              }
              description={
                <span style={{ fontSize: 12 }}>
                  {formatSize(a.size)} · {formatInstant(a.createdAt)}
                </span>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
