/**
 * Import wizard: upload a file → dry run (nothing written) → either the errors, row by row, or
 * the counts that would change → confirm, which imports all rows or none.
 */
import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Col, Modal, Result, Row, Statistic, Steps, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { TImportResult } from '../../../src/shared/schemas.ts';
import { errorMessage, importFile } from '../lib/api.ts';
import { useAreaParam } from '../lib/areas.tsx';

type Problem = TImportResult['errors'][number];

const TITLES = { areas: '区域', orgs: '党组织' } as const;

function ProblemTable({ rows, testId }: { rows: Problem[]; testId: string }) {
  return (
    <Table<Problem & { key: number }>
      data-testid={testId}
      size="small"
      rowKey="key"
      dataSource={rows.map((r, i) => ({ ...r, key: i }))}
      pagination={rows.length > 8 ? { pageSize: 8, size: 'small', showSizeChanger: false } : false}
      tableLayout="fixed"
      columns={[
        { title: '行', dataIndex: 'row', width: 52 },
        { title: '列', dataIndex: 'column', width: 96, render: (c: string) => <span style={{ wordBreak: 'break-all' }}>{c || '—'}</span> },
        { title: '说明', dataIndex: 'message', render: (m: string) => <span style={{ whiteSpace: 'normal', wordBreak: 'break-all' }}>{m}</span> },
      ]}
    />
  );
}

export function ImportWizard({ kind, onClose, onImported }: { kind: 'areas' | 'orgs'; onClose: () => void; onImported: () => void }) {
  const [area] = useAreaParam();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [check, setCheck] = useState<TImportResult | null>(null);
  const [done, setDone] = useState<TImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const title = TITLES[kind];
  const step = done ? 2 : check ? 1 : 0;

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const r = await importFile(kind, file, dryRun, area);
      if (dryRun) setCheck(r);
      else if (r.ok) {
        setDone(r);
        message.success(`已导入${title}：新增 ${r.inserted} 条`);
        onImported();
      } else setCheck(r); // refused on import after a clean check (e.g. someone changed the tree meanwhile)
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  function restart() {
    setFile(null);
    setCheck(null);
    setDone(null);
    setProblem(null);
  }

  let footer: ReactNode[];
  if (step === 0)
    footer = [
      <Button key="c" onClick={onClose}>取消</Button>,
      <Button key="n" type="primary" disabled={!file} loading={busy} onClick={() => void run(true)} data-testid="import-check">检查文件</Button>,
    ];
  else if (step === 1)
    footer = [
      <Button key="b" onClick={restart}>重新选择文件</Button>,
      <Button key="g" type="primary" disabled={!check?.ok} loading={busy} onClick={() => void run(false)} data-testid="import-confirm">
        确认导入
      </Button>,
    ];
  else footer = [<Button key="d" type="primary" onClick={onClose}>完成</Button>];

  return (
    <Modal open title={`导入${title}`} onCancel={onClose} footer={footer} width={720} destroyOnHidden mask={{ closable: false }}>
      <Steps
        size="small"
        responsive={false}
        titlePlacement="vertical"
        current={step}
        style={{ marginBottom: 20 }}
        items={[{ title: '上传文件' }, { title: '检查结果' }, { title: '完成' }]}
      />
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      {step === 0 && (
        <>
          <Upload.Dragger
            accept=".xlsx,.csv"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              setProblem(null);
              return false;
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或拖动文件到此处</p>
            <p className="ant-upload-hint">支持 .xlsx 和 .csv（UTF-8 或 GBK）。第1行为表头，全部行检查无误才会导入。</p>
          </Upload.Dragger>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            没有模板？
            <Button type="link" size="small" icon={<DownloadOutlined />} href={`/api/imports/${kind}/template`} download>
              下载{title}导入模板
            </Button>
          </Typography.Paragraph>
        </>
      )}
      {step === 1 && check && (
        <>
          {check.ok ? (
            <Alert type="success" showIcon title="文件检查通过，尚未写入任何数据" description="确认后将一次性导入全部行。" style={{ marginBottom: 12 }} />
          ) : (
            <Alert
              type="error"
              showIcon
              title={`文件中有 ${check.errors.length} 处错误，未导入任何数据`}
              description="请按下表改正文件后重新上传。“行”是表格中显示的行号（表头为第1行）。"
              style={{ marginBottom: 12 }}
              data-testid="import-errors"
            />
          )}
          <Row gutter={16} style={{ marginBottom: 12 }}>
            <Col span={8}><Statistic title="数据行" value={check.rows} /></Col>
            <Col span={8}><Statistic title="将新增" value={check.ok ? check.inserted : 0} /></Col>
            <Col span={8}><Statistic title="无变化" value={check.unchanged} /></Col>
          </Row>
          {check.errors.length > 0 && <ProblemTable rows={check.errors} testId="import-error-table" />}
          {check.warnings.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>提醒（不影响导入）</Typography.Title>
              <ProblemTable rows={check.warnings} testId="import-warning-table" />
            </>
          )}
        </>
      )}
      {step === 2 && done && (
        <Result status="success" title="导入完成" subTitle={`共 ${done.rows} 行：新增 ${done.inserted} 条，无变化 ${done.unchanged} 条。`} />
      )}
    </Modal>
  );
}
