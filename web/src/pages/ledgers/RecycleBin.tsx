/** 回收站: the ledger's deleted records in the chosen area, each restorable. */
import { useState } from 'react';
import { Alert, App, Button, Grid, Modal, Table } from 'antd';
import { UndoOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { api, errorMessage, withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { formatInstant } from '../../lib/format.ts';
import { formFields, shownLabel, type LedgerInfo, type LedgerRecord, type RecordPage } from '../../lib/ledgers.tsx';
import { useFetch } from '../../lib/useFetch.ts';
import { FieldCell, columnWidth, type CodeNames } from './fields.tsx';

export function RecycleBin(props: { ledger: LedgerInfo; names: CodeNames; onClose: () => void; onRestored: () => void }) {
  const { ledger, names } = props;
  const { message } = App.useApp();
  const [area] = useAreaParam();
  const [page, setPage] = useState(1);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const phone = Grid.useBreakpoint().md === false;
  const path = withArea(`/api/ledgers/${ledger.key}/records`, area, { deleted: 'true', page: String(page), pageSize: '10' });
  const { data, loading, error, reload } = useFetch<RecordPage>(path);

  async function restore(r: LedgerRecord) {
    setBusyId(r.id);
    setProblem(null);
    try {
      await api.post(`/api/ledgers/${ledger.key}/records/${r.id}/restore`);
      message.success('已恢复');
      reload();
      props.onRestored();
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusyId(null);
    }
  }

  const shown = formFields(ledger)
    .filter((f) => f.type !== 'longtext')
    .slice(0, phone ? 2 : 4);
  const columns: ColumnsType<LedgerRecord> = [
    ...shown.map((f) => ({
      key: f.key,
      title: shownLabel(f),
      dataIndex: f.key,
      width: columnWidth(f),
      ellipsis: { showTitle: false },
      align: (f.type === 'amount' || f.type === 'integer' || f.type === 'quantity' ? 'right' : 'left') as 'right' | 'left',
      render: (v: unknown) => <FieldCell field={f} value={v} names={names} />,
    })),
    { key: 'deletedAt', title: '删除时间', dataIndex: 'deletedAt', width: 170, render: (v: string) => formatInstant(v) },
    {
      key: 'op',
      title: '操作',
      width: 90,
      fixed: 'right',
      render: (_: unknown, r) => (
        <Button size="small" icon={<UndoOutlined />} loading={busyId === r.id} onClick={() => void restore(r)} data-testid={`restore-${r.id}`}>
          恢复
        </Button>
      ),
    },
  ];

  return (
    <Modal open title={`回收站 · ${ledger.title}`} onCancel={props.onClose} footer={null} width={phone ? '100%' : 900} destroyOnHidden>
      {(problem || error) && <Alert type="error" showIcon title={problem ?? error?.message} style={{ marginBottom: 12 }} />}
      <Table<LedgerRecord>
        data-testid="recycle-table"
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '回收站是空的：没有已删除的记录' }}
        pagination={{ current: page, pageSize: 10, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (t) => `共 ${t} 条`, size: 'small' }}
      />
    </Modal>
  );
}
