/** A record in full — every field, the computed ones too — with edit and (recoverable) delete. */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Grid, Popconfirm, Space, Tag, Tooltip } from 'antd';
import { DeleteOutlined, EditOutlined, NodeIndexOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { FileTextOutlined } from '@ant-design/icons';
import { useAreaParam } from '../../lib/areas.tsx';
import { ApiError, api, errorMessage } from '../../lib/api.ts';
import { formatInstant } from '../../lib/format.ts';
import { shownLabel, type LedgerInfo, type LedgerRecord } from '../../lib/ledgers.tsx';
import { FieldFull, type CodeNames } from './fields.tsx';
import { MemberSection } from '../members/MemberSection.tsx';

export function RecordDetail(props: {
  ledger: LedgerInfo;
  names: CodeNames;
  record: LedgerRecord;
  canWrite: boolean;
  onClose: () => void;
  onEdit: (r: LedgerRecord) => void;
  onDeleted: () => void;
  onStale: () => void;
}) {
  const { ledger, names } = props;
  const { message } = App.useApp();
  const phone = Grid.useBreakpoint().md === false;
  const [record, setRecord] = useState(props.record);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [area] = useAreaParam();

  // The list may be a moment old: read the record (and its version) as it is now.
  useEffect(() => {
    const ctrl = new AbortController();
    setRecord(props.record);
    api
      .get<LedgerRecord>(`/api/ledgers/${ledger.key}/records/${props.record.id}`, ctrl.signal)
      .then(setRecord)
      .catch((e: unknown) => {
        if ((e as Error).name === 'AbortError') return;
        setProblem(errorMessage(e));
      });
    return () => ctrl.abort();
  }, [ledger.key, props.record]);

  async function remove() {
    setBusy(true);
    setProblem(null);
    try {
      await api.del(`/api/ledgers/${ledger.key}/records/${record.id}`, { version: record.version });
      message.success('已删除，可在“回收站”中恢复');
      props.onDeleted();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT') {
        message.warning(e.message);
        props.onStale();
      } else setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const items = [
    ...ledger.fields.map((f) => ({
      key: f.key,
      label: (
        <span>
          {shownLabel(f)}
          {f.derived && (
            <Tooltip title={f.hint ? `系统自动计算：${f.hint}` : '系统自动计算'}>
              <Tag color="blue" style={{ marginInlineStart: 6, fontSize: 11, lineHeight: '16px', paddingInline: 4 }}>
                自动
              </Tag>
            </Tooltip>
          )}
        </span>
      ),
      children: <FieldFull field={f} value={record[f.key]} names={names} />,
    })),
    // The record's area, where no field of its own names it (党员 by their organization, 培训 …).
    ...(ledger.fields.some((f) => f.type === 'area')
      ? []
      : [{ key: '_area', label: '所属区域', children: record.areaName ? `${record.areaName}（${record.areaCode}）` : '—' }]),
    { key: '_created', label: '创建时间', children: formatInstant(record.createdAt) },
    { key: '_updated', label: '最后修改', children: formatInstant(record.updatedAt) },
  ];

  return (
    <Drawer
      open
      title={`${ledger.title}记录`}
      size={phone ? '100%' : 560}
      onClose={props.onClose}
      destroyOnHidden
      data-testid="record-detail"
      extra={
        // 发展党员: the person's steps, rule checks and what is due live on their timeline.
        ledger.key === 'applicants' ? (
          <Link to={{ pathname: `/recruitment/${record.id}`, search: area ? `?area=${encodeURIComponent(area)}` : '' }} data-testid="record-timeline">
            <Button type="primary" ghost size="small" icon={<NodeIndexOutlined />}>
              查看发展时间线
            </Button>
          </Link>
        ) : ledger.key === 'meetings' ? (
          // 组织生活: the meeting's full record — agenda, attendance from the roster, minutes, attachments.
          <Link to={{ pathname: `/meetings/${record.id}`, search: area ? `?area=${encodeURIComponent(area)}` : '' }} data-testid="record-meeting">
            <Button type="primary" ghost size="small" icon={<FileTextOutlined />}>
              完整会议记录
            </Button>
          </Link>
        ) : null
      }
      footer={
        props.canWrite ? (
          <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
            <Popconfirm
              title="删除这条记录？"
              description="删除后可在“回收站”中恢复。"
              okText="删除"
              okButtonProps={{ danger: true, loading: busy }}
              cancelText="取消"
              onConfirm={() => remove()}
            >
              <Button danger icon={<DeleteOutlined />} data-testid="record-delete">
                删除
              </Button>
            </Popconfirm>
            <Button type="primary" icon={<EditOutlined />} onClick={() => props.onEdit(record)} data-testid="record-edit">
              编辑
            </Button>
          </Space>
        ) : null
      }
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Descriptions
        column={1}
        bordered
        size="small"
        items={items}
        styles={{ label: { width: phone ? 110 : 150, whiteSpace: 'normal' }, content: { wordBreak: 'break-word' } }}
      />
      {/* 党员: 组织关系转接 and its history; the administrator's audited reveal of 身份证号 / 手机号. */}
      {ledger.key === 'members' && <MemberSection record={record} onChanged={props.onStale} />}
    </Drawer>
  );
}
