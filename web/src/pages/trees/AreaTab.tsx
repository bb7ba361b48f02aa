/** 区域树: the governance tree of the chosen area, with its counts, detail and changes. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, AutoComplete, Col, Form, Input, Modal, Row, Select, Skeleton } from 'antd';
import type { TArea } from '../../../../src/shared/schemas.ts';
import { AREA_KINDS, GRID_TYPES, type AreaKind } from '../../../../src/shared/constants.ts';
import { AREA_PARENTS } from '../../../../src/domain/tree.ts';
import { api, errorMessage, withArea } from '../../lib/api.ts';
import { useAreaParam, useAreas } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { useFetch } from '../../lib/useFetch.ts';
import { TreeView, countsText, type TreeItem } from '../../components/TreeView.tsx';
import { DetailCard, type DetailAction } from './DetailCard.tsx';
import { MoveModal, RetireModal, STALE_MESSAGE, isStale } from './common.tsx';
import { useDetailScroll } from './scroll.ts';
import { TreeToolbar } from './Toolbar.tsx';

type AreaItem = TArea & TreeItem;

/** Kinds that may sit directly under a node of `parentKind` (null: as a root). */
export function childKinds(parentKind: AreaKind | null): AreaKind[] {
  return AREA_KINDS.filter((k) => AREA_PARENTS[k].includes(parentKind));
}

const areaMeta = (a: AreaItem) => countsText([['下级', a.childCount], ['党组织', a.orgCount]]);

type Dialog = { kind: 'create'; parent: AreaItem | null } | { kind: 'edit' | 'move' | 'retire'; item: AreaItem } | null;

export function AreaTab({ query, onQuery }: { query: string; onQuery: (q: string) => void }) {
  const me = useMe();
  const [area] = useAreaParam();
  const areas = useAreas();
  const { data, loading, error, reload } = useFetch<{ items: TArea[] }>(withArea('/api/areas', area));
  const [selected, setSelected] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [detailRef, scrollToDetail] = useDetailScroll();

  const items = useMemo<AreaItem[]>(() => (data?.items ?? []).map((a) => ({ ...a, retired: a.retiredOn !== null })), [data]);
  const byCode = useMemo(() => new Map(items.map((a) => [a.code, a])), [items]);
  // A node may move anywhere in the user's scope, not only inside the chosen area.
  const scopeItems = useMemo<AreaItem[]>(() => areas.items.map((a) => ({ ...a, retired: a.retiredOn !== null })), [areas.items]);
  const found = selected ? byCode.get(selected) ?? null : null;
  // The top of a chosen area comes without its parent; the user's whole scope knows it.
  const current = found && !found.parentCode ? { ...found, parentCode: areas.byCode.get(found.code)?.parentCode ?? null } : found;
  // When a fresh list arrives: select what was just saved, else keep the selection, else the
  // root (a freshly chosen area shows its own facts at once).
  const pending = useRef<string | null>(null);
  useEffect(() => {
    const want = pending.current;
    pending.current = null;
    const root = items.find((a) => !a.parentCode || !byCode.has(a.parentCode))?.code ?? null;
    setSelected((cur) => {
      const c = want ?? cur;
      return c && byCode.has(c) ? c : root;
    });
  }, [items, byCode]);

  const changed = useCallback(
    (code: string | null) => {
      setDialog(null);
      pending.current = code;
      reload();
      areas.reload();
    },
    [reload, areas],
  );
  // A dialog closes plainly, or after a stale version: then the tree is reloaded.
  const closeDialog = (stale?: boolean) => (stale ? changed(null) : setDialog(null));

  const canWrite = me.can('tree.write');
  const noWrite = canWrite ? null : '您的角色只能查看，不能修改区域';
  const isScopeRoot = current !== null && me.user.areaCode === current.code;

  const liveChildren = current ? items.filter((a) => a.parentCode === current.code && !a.retired).length : 0;
  const actions: DetailAction[] = current
    ? [
        {
          key: 'create',
          label: '新增下级',
          disabledReason: noWrite ?? (current.retired ? '已撤销的区域不能新增下级' : childKinds(current.kind).length === 0 ? `“${current.kind}”之下不能再设下级区域` : null),
          onClick: () => setDialog({ kind: 'create', parent: current }),
        },
        { key: 'edit', label: '编辑', disabledReason: noWrite, onClick: () => setDialog({ kind: 'edit', item: current }) },
        {
          key: 'move',
          label: '移动',
          disabledReason: noWrite ?? (current.retired ? '已撤销的区域不能移动' : isScopeRoot || !current.parentCode ? '不能移动您管辖范围的根区域' : null),
          onClick: () => setDialog({ kind: 'move', item: current }),
        },
        {
          key: 'retire',
          label: '撤销',
          disabledReason:
            noWrite ??
            (current.retired
              ? `已于${current.retiredOn}撤销`
              : isScopeRoot || !current.parentCode
                ? '不能撤销您管辖范围的根区域'
                : liveChildren > 0
                  ? `还有 ${liveChildren} 个未撤销的下级区域，请先撤销或移走`
                  : null),
          onClick: () => setDialog({ kind: 'retire', item: current }),
        },
      ]
    : [];

  if (error) return <Alert type="error" showIcon title="区域树加载失败" description={error.message} />;

  const parent = current?.parentCode ? byCode.get(current.parentCode) ?? areas.byCode.get(current.parentCode) : undefined;

  return (
    <>
      <TreeToolbar
        kind="areas"
        query={query}
        onQuery={onQuery}
        createTopLabel={me.user.areaCode === null ? '新增顶级区域' : null}
        onCreateTop={() => setDialog({ kind: 'create', parent: null })}
        onImported={() => changed(null)}
      />
      {me.user.areaCode === null && canWrite && items.length === 0 && !loading && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="还没有任何区域"
          description="可以导入区域表格，或新增顶级区域（区或街道）。"
          action={<a onClick={() => setDialog({ kind: 'create', parent: null })}>新增顶级区域</a>}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          {loading && !data ? (
            <Skeleton active paragraph={{ rows: 8 }} />
          ) : (
            <TreeView
              items={items}
              query={query}
              selected={selected}
              onSelect={(c) => {
                setSelected(c);
                if (c) scrollToDetail();
              }}
              meta={areaMeta}
              emptyText="该范围内还没有区域"
              testId="area-tree"
            />
          )}
        </Col>
        <Col xs={24} lg={10} ref={detailRef}>
          <DetailCard
            testId="area-detail"
            title={current?.name ?? null}
            kind={current?.kind ?? null}
            emptyText="在左侧选择一个区域查看详情"
            actions={actions}
            rows={
              current
                ? [
                    { label: '编码', value: current.code },
                    { label: '类型', value: current.kind },
                    { label: '上级', value: parent ? `${parent.name}（${parent.code}）` : current.parentCode ?? '（无）' },
                    ...(current.kind === '网格' ? [{ label: '网格类型', value: current.gridType ?? '—' }] : []),
                    { label: '下级数', value: current.childCount },
                    { label: '党组织数', value: current.orgCount },
                    { label: '用户数', value: current.userCount },
                    { label: '状态', value: current.retiredOn ? `已于${current.retiredOn}撤销` : '正常' },
                  ]
                : []
            }
          />
        </Col>
      </Row>
      {dialog?.kind === 'create' && <AreaForm mode="create" parent={dialog.parent} onClose={closeDialog} onDone={(a) => changed(a.code)} />}
      {dialog?.kind === 'edit' && <AreaForm mode="edit" item={dialog.item} onClose={closeDialog} onDone={(a) => changed(a.code)} />}
      {dialog?.kind === 'move' && (
        <MoveModal
          open
          what="区域"
          item={dialog.item}
          items={scopeItems}
          allowedParentKinds={AREA_PARENTS[dialog.item.kind]}
          endpoint="/api/areas"
          onClose={closeDialog}
          onDone={(a) => changed(a.code)}
        />
      )}
      {dialog?.kind === 'retire' && (
        <RetireModal open what="区域" item={dialog.item} endpoint="/api/areas" onClose={closeDialog} onDone={(a) => changed(a.code)} />
      )}
    </>
  );
}

interface AreaValues {
  kind: AreaKind;
  code: string;
  name: string;
  gridType?: string;
}

function AreaForm(props: { mode: 'create'; parent: AreaItem | null; onClose: (stale?: boolean) => void; onDone: (a: TArea) => void } | { mode: 'edit'; item: AreaItem; onClose: (stale?: boolean) => void; onDone: (a: TArea) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<AreaValues>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const kinds = props.mode === 'create' ? childKinds(props.parent?.kind ?? null) : [props.item.kind];
  const kind = Form.useWatch('kind', form);

  async function submit() {
    const v = await form.validateFields();
    setBusy(true);
    setProblem(null);
    try {
      const gridType = v.kind === '网格' ? v.gridType?.trim() || null : undefined;
      const saved =
        props.mode === 'create'
          ? await api.post<TArea>('/api/areas', { code: v.code.trim(), name: v.name.trim(), kind: v.kind, parentCode: props.parent?.code ?? null, ...(gridType !== undefined ? { gridType } : {}) })
          : await api.patch<TArea>(`/api/areas/${encodeURIComponent(props.item.code)}`, {
              ...(v.code.trim() !== props.item.code ? { code: v.code.trim() } : {}),
              name: v.name.trim(),
              ...(gridType !== undefined ? { gridType } : {}),
              version: props.item.version,
            });
      message.success(props.mode === 'create' ? `已新增区域“${saved.name}”` : `已保存“${saved.name}”`);
      props.onDone(saved);
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

  const initial: Partial<AreaValues> =
    props.mode === 'edit'
      ? { kind: props.item.kind, code: props.item.code, name: props.item.name, ...(props.item.gridType ? { gridType: props.item.gridType } : {}) }
      : kinds.length === 1 && kinds[0]
        ? { kind: kinds[0] }
        : {};

  return (
    <Modal
      open
      title={props.mode === 'create' ? (props.parent ? `在“${props.parent.name}”下新增区域` : '新增顶级区域') : `编辑区域“${props.item.name}”`}
      okText="保存"
      onOk={submit}
      confirmLoading={busy}
      onCancel={() => props.onClose()}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="form-error" />}
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
          <Select options={kinds.map((k) => ({ value: k, label: k }))} disabled={props.mode === 'edit'} placeholder="选择类型" />
        </Form.Item>
        <Form.Item
          name="code"
          label="编码"
          extra="字母、数字、“-”和“_”，区域和党组织的编码不能重复"
          rules={[
            { required: true, whitespace: true, message: '请输入编码' },
            { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, message: '编码只能由字母、数字、“-”和“_”组成，长度1至40位' },
          ]}
        >
          <Input placeholder={props.mode === 'create' && props.parent ? `如 ${props.parent.code}-01` : '如 DH'} maxLength={40} />
        </Form.Item>
        <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true, message: '请输入名称' }, { max: 100, message: '名称不能超过100个字' }]}>
          <Input placeholder="如 东湖社区" maxLength={100} showCount />
        </Form.Item>
        {kind === '网格' && (
          <Form.Item name="gridType" label="网格类型">
            <AutoComplete options={GRID_TYPES.map((g) => ({ value: g }))} placeholder="选择或输入网格类型" allowClear />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
