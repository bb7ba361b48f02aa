/** The selected node: its facts and what may be done with it (buttons greyed out without 'tree.write'). */
import type { ReactNode } from 'react';
import { Button, Card, Descriptions, Empty, Space, Tooltip, Typography } from 'antd';
import { DeleteOutlined, DragOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { KindTag } from '../../components/TreeView.tsx';

export interface DetailAction {
  key: 'create' | 'edit' | 'move' | 'retire';
  label: string;
  disabledReason: string | null;
  onClick: () => void;
}

const ICONS = { create: <PlusOutlined />, edit: <EditOutlined />, move: <DragOutlined />, retire: <DeleteOutlined /> };

export function DetailCard(props: {
  title: string | null;
  kind: string | null;
  rows: Array<{ label: string; value: ReactNode }>;
  actions: DetailAction[];
  emptyText: string;
  testId: string;
}) {
  if (!props.title) {
    return (
      <Card size="small" data-testid={props.testId}>
        <Empty description={props.emptyText} style={{ margin: '24px 0' }} />
      </Card>
    );
  }
  return (
    <Card
      size="small"
      data-testid={props.testId}
      title={
        <span className="tree-title" style={{ whiteSpace: 'normal' }}>
          {props.kind && <KindTag kind={props.kind} />}
          <Typography.Text strong style={{ minWidth: 0, wordBreak: 'break-all' }}>
            {props.title}
          </Typography.Text>
        </span>
      }
    >
      <Descriptions
        size="small"
        column={1}
        bordered
        items={props.rows.map((r) => ({ key: r.label, label: r.label, children: r.value }))}
        styles={{ label: { width: 96, whiteSpace: 'nowrap' }, content: { wordBreak: 'break-all' } }}
      />
      <Space wrap style={{ marginTop: 12 }}>
        {props.actions.map((a) => {
          const button = (
            <Button
              key={a.key}
              icon={ICONS[a.key]}
              danger={a.key === 'retire'}
              type={a.key === 'create' ? 'primary' : 'default'}
              disabled={a.disabledReason !== null}
              onClick={a.onClick}
              data-testid={`node-${a.key}`}
            >
              {a.label}
            </Button>
          );
          return a.disabledReason ? (
            <Tooltip key={a.key} title={a.disabledReason}>
              <span>{button}</span>
            </Tooltip>
          ) : (
            button
          );
        })}
      </Space>
    </Card>
  );
}
