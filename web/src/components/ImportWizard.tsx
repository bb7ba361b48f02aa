/**
 * Import wizard for the trees and every ledger: upload a file → dry run (nothing written), with
 * the rows read and checked so far → either the errors, row by row, or the counts that would
 * change and the warnings → confirm, which imports all rows or none → the result.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, App, Button, Col, Modal, Progress, Result, Row, Spin, Statistic, Steps, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { TImportResult } from '../../../src/shared/schemas.ts';
import { api, errorMessage, importFile } from '../lib/api.ts';
import { useAreaParam } from '../lib/areas.tsx';
import { newProgressId } from '../lib/ledgers.tsx';

type Problem = TImportResult['errors'][number];

const TREE_TITLES: Record<string, string> = { areas: '区域', orgs: '党组织' };

function ProblemTable({ rows, testId }: { rows: Problem[]; testId: string }) {
  return (
    <Table<Problem & { key: number }>
      data-testid={testId}
      size="small"
      rowKey="key"
      dataSource={rows.map((r, i) => ({ ...r, key: i }))}
      pagination={rows.length > 8 ? { pageSize: 8, size: 'small', showSizeChanger: false, showTotal: (t) => `共 ${t} 处` } : false}
      tableLayout="fixed"
      columns={[
        { title: '行', dataIndex: 'row', width: 56 },
        { title: '列', dataIndex: 'column', width: 120, render: (c: string) => <span style={{ wordBreak: 'break-all' }}>{c || '—'}</span> },
        { title: '说明', dataIndex: 'message', render: (m: string) => <span style={{ whiteSpace: 'normal', wordBreak: 'break-all' }}>{m}</span> },
      ]}
    />
  );
}

interface ProgressState {
  rowsRead: number;
  rowsChecked: number;
  done: boolean;
}

/** Polls the server's progress of a running import every 500 ms while `id` is set. */
function useImportProgress(id: string | null): ProgressState | null {
  const [state, setState] = useState<ProgressState | null>(null);
  useEffect(() => {
    setState(null);
    if (!id) return;
    let stopped = false;
    const tick = async () => {
      try {
        const p = await api.get<ProgressState>(`/api/imports/progress/${id}`);
        if (!stopped) setState(p);
      } catch {
        // Not registered yet (the upload is still arriving): try again next tick.
      }
    };
    const timer = window.setInterval(() => void tick(), 500);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [id]);
  return state;
}

export function ImportWizard(props: { kind: string; title?: string; onClose: () => void; onImported: () => void }) {
  const { kind, onClose, onImported } = props;
  const [area] = useAreaParam();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [check, setCheck] = useState<TImportResult | null>(null);
  const [done, setDone] = useState<TImportResult | null>(null);
  const [busy, setBusy] = useState<null | 'check' | 'import'>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [progressId, setProgressId] = useState<string | null>(null);
  const progress = useImportProgress(progressId);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const title = props.title ?? TREE_TITLES[kind] ?? kind;
  const step = done ? 2 : check ? 1 : 0;

  async function run(dryRun: boolean) {
    if (!file) return;
    const id = newProgressId();
    setBusy(dryRun ? 'check' : 'import');
    setProblem(null);
    setProgressId(id);
    try {
      const r = await importFile(kind, file, dryRun, area, id);
      if (!mounted.current) return;
      if (dryRun) setCheck(r);
      else if (r.ok) {
        setDone(r);
        message.success(`已导入${title}：新增 ${r.inserted} 条`);
        onImported();
      } else setCheck(r); // refused on import after a clean check (e.g. someone imported the same rows meanwhile)
    } catch (e) {
      if (mounted.current) setProblem(errorMessage(e));
    } finally {
      if (mounted.current) {
        setBusy(null);
        setProgressId(null);
      }
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
      <Button key="c" onClick={onClose} disabled={busy !== null}>
        取消
      </Button>,
      <Button key="n" type="primary" disabled={!file} loading={busy === 'check'} onClick={() => void run(true)} data-testid="import-check">
        检查文件
      </Button>,
    ];
  else if (step === 1)
    footer = [
      <Button key="b" onClick={restart} disabled={busy !== null}>
        重新选择文件
      </Button>,
      <Button key="g" type="primary" disabled={!check?.ok} loading={busy === 'import'} onClick={() => void run(false)} data-testid="import-confirm">
        确认导入
      </Button>,
    ];
  else
    footer = [
      <Button key="d" type="primary" onClick={onClose} data-testid="import-finish">
        完成
      </Button>,
    ];

  const running = busy !== null && (
    <div data-testid="import-progress" style={{ margin: '12px 0' }}>
      <Typography.Text type="secondary">
        <Spin size="small" style={{ marginInlineEnd: 8 }} />
        {busy === 'check' ? '正在检查' : '正在导入'}：{progress ? `已读取 ${progress.rowsRead} 行，已检查 ${progress.rowsChecked} 行` : '正在上传并读取文件…'}
      </Typography.Text>
      {progress && progress.rowsRead > 0 && (
        <Progress percent={Math.min(99, Math.round((progress.rowsChecked / progress.rowsRead) * 100))} status="active" showInfo={false} size="small" />
      )}
    </div>
  );

  return (
    <Modal
      open
      title={`导入${title}`}
      onCancel={busy ? undefined : onClose}
      closable={!busy}
      footer={footer}
      width={760}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Steps
        size="small"
        responsive={false}
        titlePlacement="vertical"
        current={step}
        style={{ marginBottom: 20 }}
        items={[{ title: '上传文件' }, { title: '检查结果' }, { title: '完成' }]}
      />
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="import-problem" />}
      {step === 0 && (
        <>
          <Upload.Dragger
            accept=".xlsx,.csv"
            maxCount={1}
            disabled={busy !== null}
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
          {running}
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            没有模板？
            <Button type="link" size="small" icon={<DownloadOutlined />} href={`/api/imports/${encodeURIComponent(kind)}/template`} download>
              下载{title}导入模板
            </Button>
          </Typography.Paragraph>
        </>
      )}
      {step === 1 && check && (
        <>
          {check.ok ? (
            <Alert
              type="success"
              showIcon
              title="文件检查通过，尚未写入任何数据"
              description={check.warnings.length > 0 ? `有 ${check.warnings.length} 条提醒（见下表），不影响导入。确认后将一次性导入全部行。` : '确认后将一次性导入全部行。'}
              style={{ marginBottom: 12 }}
              data-testid="import-ok"
            />
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
            <Col span={8}>
              <Statistic title="数据行" value={check.rows} />
            </Col>
            <Col span={8}>
              <Statistic title="将新增" value={check.ok ? check.inserted : 0} />
            </Col>
            <Col span={8}>
              <Statistic title="无变化" value={check.unchanged} />
            </Col>
          </Row>
          {running}
          {check.errors.length > 0 && <ProblemTable rows={check.errors} testId="import-error-table" />}
          {check.warnings.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                提醒（不影响导入）
              </Typography.Title>
              <ProblemTable rows={check.warnings} testId="import-warning-table" />
            </>
          )}
        </>
      )}
      {step === 2 && done && (
        <Result
          status="success"
          title="导入完成"
          subTitle={`共 ${done.rows} 行：新增 ${done.inserted} 条，无变化 ${done.unchanged} 条${done.warnings.length ? `，提醒 ${done.warnings.length} 条` : ''}。`}
          data-testid="import-done"
        />
      )}
    </Modal>
  );
}
