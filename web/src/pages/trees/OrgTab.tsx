/** 党组织树: the Party organizations whose area lies in the chosen area. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Col, DatePicker, Form, Input, Modal, Row, Select, Skeleton, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TOrg } from '../../../../src/shared/schemas.ts';
import { ORG_CATEGORIES, ORG_KINDS, type OrgKind } from '../../../../src/shared/constants.ts';
import { ORG_PARENTS } from '../../../../src/domain/tree.ts';
import { api, errorMessage, withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { useFetch } from '../../lib/useFetch.ts';
import { TreeView, countsText, type TreeItem } from '../../components/TreeView.tsx';
import { areaSearch, useAreaOptions } from '../../components/AreaPicker.tsx';
import { DetailCard, type DetailAction } from './DetailCard.tsx';
import { MoveModal, RetireModal, STALE_MESSAGE, isStale } from './common.tsx';
import { useDetailScroll } from './scroll.ts';
import { TreeToolbar } from './Toolbar.tsx';

type OrgItem = TOrg & TreeItem;

export function orgChildKinds(parentKind: OrgKind | null): OrgKind[] {
  return ORG_KINDS.filter((k) => ORG_PARENTS[k].includes(parentKind));
}

const orgMeta = (o: OrgItem) => countsText([['下级', o.childCount]]);

type Dialog = { kind: 'create'; parent: OrgItem | null } | { kind: 'edit' | 'move' | 'retire'; item: OrgItem } | null;

export function OrgTab({ query, onQuery }: { query: string; onQuery: (q: string) => void }) {
  const me = useMe();
  const [area] = useAreaParam();
  const { data, loading, error, reload } = useFetch<{ items: TOrg[] }>(withArea('/api/orgs', area));
  const [selected, setSelected] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [detailRef, scrollToDetail] = useDetailScroll();

  const items = useMemo<OrgItem[]>(() => (data?.items ?? []).map((o) => ({ ...o, retired: o.dissolvedOn !== null })), [data]);
  const byCode = useMemo(() => new Map(items.map((o) => [o.code, o])), [items]);
  const current = selected ? byCode.get(selected) ?? null : null;
  // When a fresh list arrives: select what was just saved, else keep the selection if it is still there.
  const pending = useRef<string | null>(null);
  useEffect(() => {
    const want = pending.current;
    pending.current = null;
    setSelected((cur) => {
      const c = want ?? cur;
      return c && byCode.has(c) ? c : null;
    });
  }, [byCode]);

  const changed = useCallback(
    (code: string | null) => {
      setDialog(null);
      pending.current = code;
      reload();
    },
    [reload],
  );
  // A dialog closes plainly, or after a stale version: then the tree is reloaded.
  const closeDialog = (stale?: boolean) => (stale ? changed(null) : setDialog(null));

  const noWrite = me.can('tree.write') ? null : '您的角色只能查看，不能修改党组织';
  // A top organization may sit only in the user's own root area (the server says the same).
  const canCreateTop = me.user.areaCode === null || (area ?? me.user.areaCode) === me.user.areaCode;
  const liveChildren = current ? items.filter((o) => o.parentCode === current.code && !o.retired).length : 0;
  const actions: DetailAction[] = current
    ? [
        {
          key: 'create',
          label: '新增下级',
          disabledReason: noWrite ?? (current.retired ? '已撤销的党组织不能新增下级' : orgChildKinds(current.kind).length === 0 ? `“${current.kind}”之下不能再设下级组织` : null),
          onClick: () => setDialog({ kind: 'create', parent: current }),
        },
        { key: 'edit', label: '编辑', disabledReason: noWrite, onClick: () => setDialog({ kind: 'edit', item: current }) },
        {
          key: 'move',
          label: '移动',
          disabledReason: noWrite ?? (current.retired ? '已撤销的党组织不能移动' : ORG_PARENTS[current.kind].every((k) => k === null) ? `“${current.kind}”不能设在其他组织之下` : null),
          onClick: () => setDialog({ kind: 'move', item: current }),
        },
        {
          key: 'retire',
          label: '撤销',
          disabledReason: noWrite ?? (current.retired ? `已于${current.dissolvedOn}撤销` : liveChildren > 0 ? `还有 ${liveChildren} 个未撤销的下级组织，请先撤销或移走` : null),
          onClick: () => setDialog({ kind: 'retire', item: current }),
        },
      ]
    : [];

  if (error) return <Alert type="error" showIcon title="党组织树加载失败" description={error.message} />;

  const parent = current?.parentCode ? byCode.get(current.parentCode) : undefined;

  return (
    <>
      <TreeToolbar
        kind="orgs"
        query={query}
        onQuery={onQuery}
        createTopLabel={canCreateTop ? '新增顶级党组织' : null}
        onCreateTop={() => setDialog({ kind: 'create', parent: null })}
        onImported={() => changed(null)}
      />
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
              meta={orgMeta}
              emptyText="该区域内还没有党组织"
              testId="org-tree"
            />
          )}
        </Col>
        <Col xs={24} lg={10} ref={detailRef}>
          <DetailCard
            testId="org-detail"
            title={current?.name ?? null}
            kind={current?.kind ?? null}
            emptyText="在左侧选择一个党组织查看详情"
            actions={actions}
            rows={
              current
                ? [
                    { label: '编码', value: current.code },
                    { label: '类型', value: current.kind },
                    { label: '类别', value: current.category ?? '—' },
                    { label: '上级组织', value: parent ? `${parent.name}（${parent.code}）` : current.parentCode ?? (current.depth > 0 ? '（在所选区域之外）' : '（无）') },
                    { label: '所在区域', value: `${current.areaName}（${current.areaCode}）` },
                    { label: '成立日期', value: current.foundedOn ?? '—' },
                    { label: '下级数', value: current.childCount },
                    { label: '状态', value: current.dissolvedOn ? `已于${current.dissolvedOn}撤销` : '正常' },
                  ]
                : []
            }
          />
        </Col>
      </Row>
      {dialog?.kind === 'create' && <OrgForm mode="create" parent={dialog.parent} onClose={closeDialog} onDone={(o) => changed(o.code)} />}
      {dialog?.kind === 'edit' && <OrgForm mode="edit" item={dialog.item} onClose={closeDialog} onDone={(o) => changed(o.code)} />}
      {dialog?.kind === 'move' && (
        <MoveModal
          open
          what="党组织"
          item={dialog.item}
          items={items}
          allowedParentKinds={ORG_PARENTS[dialog.item.kind]}
          endpoint="/api/orgs"
          onClose={closeDialog}
          onDone={(o) => changed(o.code)}
        />
      )}
      {dialog?.kind === 'retire' && (
        <RetireModal open what="党组织" item={dialog.item} endpoint="/api/orgs" onClose={closeDialog} onDone={(o) => changed(o.code)} />
      )}
    </>
  );
}

interface OrgValues {
  kind: OrgKind;
  code: string;
  name: string;
  areaCode: string;
  category?: string;
  foundedOn?: Dayjs | null;
}

function OrgForm(props: { mode: 'create'; parent: OrgItem | null; onClose: (stale?: boolean) => void; onDone: (o: TOrg) => void } | { mode: 'edit'; item: OrgItem; onClose: (stale?: boolean) => void; onDone: (o: TOrg) => void }) {
  const me = useMe();
  const [area] = useAreaParam();
  const { message } = App.useApp();
  const [form] = Form.useForm<OrgValues>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const areaOptions = useAreaOptions(useCallback((a: { retiredOn: string | null }) => a.retiredOn !== null, []));
  const kinds = props.mode === 'create' ? orgChildKinds(props.parent?.kind ?? null) : [props.item.kind];

  async function submit() {
    const v = await form.validateFields();
    setBusy(true);
    setProblem(null);
    try {
      const common = {
        name: v.name.trim(),
        areaCode: v.areaCode,
        category: v.category ?? null,
        foundedOn: v.foundedOn ? v.foundedOn.format('YYYY-MM-DD') : null,
      };
      const saved =
        props.mode === 'create'
          ? await api.post<TOrg>('/api/orgs', { ...common, code: v.code.trim(), kind: v.kind, parentCode: props.parent?.code ?? null })
          : await api.patch<TOrg>(`/api/orgs/${encodeURIComponent(props.item.code)}`, {
              ...common,
              ...(v.code.trim() !== props.item.code ? { code: v.code.trim() } : {}),
              version: props.item.version,
            });
      message.success(props.mode === 'create' ? `已新增党组织“${saved.name}”` : `已保存“${saved.name}”`);
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

  const initial: Partial<OrgValues> =
    props.mode === 'edit'
      ? {
          kind: props.item.kind,
          code: props.item.code,
          name: props.item.name,
          areaCode: props.item.areaCode,
          ...(props.item.category ? { category: props.item.category } : {}),
          foundedOn: props.item.foundedOn ? dayjs(props.item.foundedOn) : null,
        }
      : {
          ...(kinds.length === 1 && kinds[0] ? { kind: kinds[0] } : {}),
          // A new organization usually sits in its parent's area; a top one in the chosen area.
          ...(props.parent ? { areaCode: props.parent.areaCode } : { areaCode: me.user.areaCode ?? area ?? me.area?.code }),
        };

  return (
    <Modal
      open
      title={props.mode === 'create' ? (props.parent ? `在“${props.parent.name}”下新增党组织` : '新增顶级党组织') : `编辑党组织“${props.item.name}”`}
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
          <Input maxLength={40} placeholder={props.mode === 'create' && props.parent ? `如 ${props.parent.code}-ZB1` : ''} />
        </Form.Item>
        <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true, message: '请输入名称' }, { max: 100, message: '名称不能超过100个字' }]}>
          <Input maxLength={100} showCount placeholder="如 东湖社区第一党支部" />
        </Form.Item>
        <Form.Item name="areaCode" label="所在区域" rules={[{ required: true, message: '请选择所在区域' }]}>
          <TreeSelect treeData={areaOptions} treeNodeLabelProp="label" showSearch={areaSearch} placeholder="选择所在区域" listHeight={300} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="category" label="类别">
              <Select allowClear options={ORG_CATEGORIES.map((c) => ({ value: c, label: c }))} placeholder="选择类别" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="foundedOn" label="成立日期" extra="不填表示一直存在">
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
