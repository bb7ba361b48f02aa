/** Dialogs both trees share: move under a new parent, and retire (撤销) as of a date. */
import { useMemo, useState } from 'react';
import { Alert, App, DatePicker, Form, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, api, errorMessage } from '../../lib/api.ts';

/** A stale `version`: someone changed the node meanwhile; reload rather than retry blindly. */
export function isStale(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'CONFLICT';
}
export const STALE_MESSAGE = '该记录刚被他人修改，已重新加载，请核对后再操作';
import { todayShanghai } from '../../lib/format.ts';
import { collator, subtreeCodes } from '../../lib/tree.ts';
import type { TreeItem } from '../../components/TreeView.tsx';

interface Versioned extends TreeItem {
  version: number;
}

export function MoveModal<T extends Versioned>(props: {
  open: boolean;
  what: string;
  item: T;
  items: readonly T[];
  allowedParentKinds: ReadonlyArray<string | null>;
  endpoint: string;
  onClose: (stale?: boolean) => void;
  onDone: (moved: T) => void;
}) {
  const { item, items, allowedParentKinds } = props;
  const { message } = App.useApp();
  const [parent, setParent] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // Only nodes of an allowed parent kind, not the node itself or below it, not retired; a flat
  // list (with each candidate's own parent for context) reads better than a mostly greyed tree.
  const options = useMemo(() => {
    const own = subtreeCodes(items, item.code);
    const byCode = new Map(items.map((t) => [t.code, t]));
    return items
      .filter((t) => allowedParentKinds.includes(t.kind) && !own.has(t.code) && !t.retired && t.code !== item.parentCode)
      .map((t) => {
        const up = t.parentCode ? byCode.get(t.parentCode)?.name : undefined;
        return {
          value: t.code,
          label: `${t.name}（${t.code}）`,
          search: `${t.name} ${t.code} ${up ?? ''}`.toLowerCase(),
          title: up ? `${up} / ${t.name}` : t.name,
          up,
          kind: t.kind,
        };
      })
      .sort((a, b) => collator.compare(a.value, b.value));
  }, [items, item, allowedParentKinds]);
  const any = options.length > 0;

  async function submit() {
    if (!parent) {
      setProblem('请选择新的上级');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const moved = await api.post<T>(`${props.endpoint}/${encodeURIComponent(item.code)}/move`, { parentCode: parent, version: item.version });
      message.success(`已将“${item.name}”移动到新的上级之下`);
      props.onDone(moved);
    } catch (e) {
      if (isStale(e)) {
        message.warning(STALE_MESSAGE);
        props.onClose(true);
        return;
      }
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const kinds = allowedParentKinds.filter((k): k is string => k !== null);
  return (
    <Modal open={props.open} title={`移动${props.what}`} okText="移动" onOk={submit} confirmLoading={busy} onCancel={() => props.onClose()} destroyOnHidden>
      <Typography.Paragraph>
        将“<b>{item.name}</b>”（{item.kind}）连同其全部下级移动到新的上级之下。
        {kinds.length > 0 ? `上级只能是：${kinds.join('、')}。` : `“${item.kind}”不能设在其他节点之下。`}
      </Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      {!any && kinds.length > 0 && <Alert type="info" showIcon title="当前范围内没有可作为上级的节点。" style={{ marginBottom: 12 }} />}
      <Form layout="vertical">
        <Form.Item label="新的上级" required>
          <Select
            value={parent}
            onChange={(v: string) => setParent(v)}
            options={options}
            optionRender={(o) => (
              <div style={{ display: 'flex', gap: 6, alignItems: 'center', minWidth: 0 }}>
                <span className="ellipsis">{o.data.label}</span>
                {o.data.up && <span className="tree-title-meta ellipsis">{o.data.up}</span>}
              </div>
            )}
            showSearch={{ filterOption: (input, o) => String(o?.search ?? '').includes(input.trim().toLowerCase()) }}
            placeholder={any ? `选择新的上级（共 ${options.length} 个可选）` : '没有可选的上级'}
            disabled={!any}
            listHeight={320}
            data-testid="move-parent"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function RetireModal<T extends Versioned>(props: {
  open: boolean;
  what: string;
  item: T;
  endpoint: string;
  onClose: (stale?: boolean) => void;
  onDone: (retired: T) => void;
}) {
  const { item } = props;
  const { message } = App.useApp();
  const [date, setDate] = useState<Dayjs | null>(dayjs(todayShanghai()));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit() {
    if (!date) {
      setProblem('请选择撤销日期');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const done = await api.post<T>(`${props.endpoint}/${encodeURIComponent(item.code)}/retire`, { date: date.format('YYYY-MM-DD'), version: item.version });
      message.success(`已撤销“${item.name}”`);
      props.onDone(done);
    } catch (e) {
      if (isStale(e)) {
        message.warning(STALE_MESSAGE);
        props.onClose(true);
        return;
      }
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={props.open}
      title={`撤销${props.what}`}
      okText="撤销"
      okButtonProps={{ danger: true }}
      onOk={submit}
      confirmLoading={busy}
      onCancel={() => props.onClose()}
      destroyOnHidden
    >
      <Typography.Paragraph>
        撤销“<b>{item.name}</b>”后，它和历史记录仍然保留，可在树中看到“已撤销”标记，但不能再在其下新增下级。
      </Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form layout="vertical">
        <Form.Item label="撤销日期" required>
          <DatePicker value={date} onChange={setDate} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
