/**
 * 用户与角色. Three separate administrators (三员分立): the 系统管理员 creates accounts, disables,
 * unlocks and resets passwords; the 安全管理员 sets roles and area scopes. Each button appears only
 * for the right one; the server checks again.
 */
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { Alert, App, Badge, Button, Card, Empty, Form, Grid, Input, Modal, Pagination, Popconfirm, Select, Space, Spin, Table, Tag, TreeSelect, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { TUser } from '../../../src/shared/schemas.ts';
import { ROLE_LABELS, type Role } from '../../../src/shared/constants.ts';
import { grantableRoles } from '../../../src/domain/policy.ts';
import { api, errorMessage, withArea } from '../lib/api.ts';
import { useAreaParam } from '../lib/areas.tsx';
import { useMe } from '../lib/auth.tsx';
import { formatInstant } from '../lib/format.ts';
import { useFetch } from '../lib/useFetch.ts';
import { areaSearch, useAreaOptions } from '../components/AreaPicker.tsx';

const isLocked = (u: TUser) => u.lockedUntil !== null && Date.parse(u.lockedUntil) > Date.now();

function Status({ u }: { u: TUser }) {
  if (u.disabled) return <Badge status="default" text="已停用" />;
  if (isLocked(u)) return <Badge status="error" text={`已锁定至 ${formatInstant(u.lockedUntil).slice(5, 16)}`} />;
  if (u.mustChangePassword) return <Badge status="warning" text="待修改密码" />;
  return <Badge status="success" text="正常" />;
}

/** Whether the user signs in with a second factor. */
function TwoFactorTag({ u }: { u: TUser }) {
  return u.twoFactor ? (
    <Tag color="green" style={{ marginInlineEnd: 0 }}>
      已启用
    </Tag>
  ) : (
    <Tag style={{ marginInlineEnd: 0 }}>未启用</Tag>
  );
}

/** A password shown once: after creation or a reset. */
function usePasswordNotice() {
  const { modal } = App.useApp();
  return useCallback(
    (username: string, password: string, what: string) => {
      modal.success({
        title: `${what}：${username}`,
        width: 440,
        content: (
          <div data-testid="first-password">
            <Typography.Paragraph>初始密码（只显示这一次，请立即交给本人）：</Typography.Paragraph>
            <Typography.Paragraph copyable={{ text: password, tooltips: ['复制', '已复制'] }} code style={{ fontSize: 18 }}>
              {password}
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              用户首次登录时必须修改此密码。
            </Typography.Paragraph>
          </div>
        ),
        okText: '我已记下',
      });
    },
    [modal],
  );
}

export function UsersPage() {
  const me = useMe();
  const [area] = useAreaParam();
  const { message } = App.useApp();
  const { data, loading, error, reload } = useFetch<{ items: TUser[] }>(withArea('/api/users', area));
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<TUser | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const showPassword = usePasswordNotice();
  const phone = Grid.useBreakpoint().md === false;
  const canManage = me.can('users.manage');
  const canGrant = me.can('users.grant');

  const rows = useMemo(() => {
    const s = q.trim().toLowerCase();
    const all = data?.items ?? [];
    if (!s) return all;
    return all.filter((u) => `${u.username} ${u.displayName ?? ''} ${u.areaName ?? ''} ${ROLE_LABELS[u.role]}`.toLowerCase().includes(s));
  }, [data, q]);

  async function resetTwoFactor(u: TUser) {
    setBusyId(u.id);
    try {
      await api.post(`/api/users/${u.id}/totp/reset`);
      message.success(`已重置“${u.username}”的两步验证，其登录已全部退出`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusyId(null);
      reload();
    }
  }

  async function patch(u: TUser, body: Record<string, unknown>, done: string) {
    setBusyId(u.id);
    try {
      const r = await api.patch<{ user: TUser; password?: string }>(`/api/users/${u.id}`, { ...body, version: u.version });
      if (r.password) showPassword(u.username, r.password, '已重置密码');
      else message.success(done);
      reload();
    } catch (e) {
      message.error(errorMessage(e));
      reload();
    } finally {
      setBusyId(null);
    }
  }

  const actionsFor = (u: TUser) => {
    const self = u.id === me.user.id;
    const busy = busyId === u.id;
    return (
      <Space size={0} wrap>
        {canGrant && !self && (
          <Button type="link" size="small" onClick={() => setGranting(u)} disabled={busy}>
            调整角色/区域
          </Button>
        )}
        {canManage && !self && (
          <Popconfirm
            title={u.disabled ? `启用账号“${u.username}”？` : `停用账号“${u.username}”？`}
            description={u.disabled ? undefined : '停用后该账号立即不能登录。'}
            okText={u.disabled ? '启用' : '停用'}
            okButtonProps={{ danger: !u.disabled }}
            onConfirm={() => patch(u, { disabled: !u.disabled }, u.disabled ? '已启用' : '已停用')}
          >
            <Button type="link" size="small" danger={!u.disabled} disabled={busy}>
              {u.disabled ? '启用' : '停用'}
            </Button>
          </Popconfirm>
        )}
        {canManage && isLocked(u) && (
          <Button type="link" size="small" disabled={busy} onClick={() => void patch(u, { unlock: true }, `已解锁“${u.username}”`)}>
            解锁
          </Button>
        )}
        {canManage && !self && (
          <Popconfirm
            title={`重置“${u.username}”的密码？`}
            description="将生成新的随机密码，用户下次登录时必须修改。"
            okText="重置"
            onConfirm={() => patch(u, { resetPassword: true }, '已重置密码')}
          >
            <Button type="link" size="small" disabled={busy}>
              重置密码
            </Button>
          </Popconfirm>
        )}
        {canGrant && !self && u.twoFactor && (
          <Popconfirm
            title={`重置“${u.username}”的两步验证？`}
            description="原验证器和恢复码立即作废，该用户的登录全部退出，下次登录时须重新启用。"
            okText="重置"
            okButtonProps={{ danger: true }}
            onConfirm={() => resetTwoFactor(u)}
          >
            <Button type="link" size="small" disabled={busy} data-testid={`reset-totp-${u.username}`}>
              重置两步验证
            </Button>
          </Popconfirm>
        )}
        {self && <Typography.Text type="secondary" style={{ fontSize: 12, paddingInline: 8 }}>（本人）</Typography.Text>}
      </Space>
    );
  };

  const columns: TableColumnsType<TUser> = [
    {
      title: '用户',
      key: 'user',
      fixed: 'left',
      render: (_, u) => (
        <div style={{ minWidth: 96, maxWidth: 200 }}>
          <div className="ellipsis" title={u.displayName ?? undefined}>{u.displayName || u.username}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{u.username}</Typography.Text>
        </div>
      ),
    },
    { title: '角色', dataIndex: 'role', render: (r: Role) => <Tag color={['sysadmin', 'secadmin', 'auditor'].includes(r) ? 'purple' : r === 'admin' ? 'red' : 'blue'}>{ROLE_LABELS[r]}</Tag> },
    { title: '管辖区域', dataIndex: 'areaName', render: (n: string | null, u) => <span title={u.areaCode ?? ''}>{n ?? '全部区域'}</span> },
    { title: '状态', key: 'status', render: (_, u) => <Status u={u} /> },
    { title: '两步验证', key: 'twoFactor', render: (_, u) => <TwoFactorTag u={u} /> },
    { title: '最近登录', dataIndex: 'lastLoginAt', render: (t: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{t ? formatInstant(t) : '从未登录'}</span> },
    {
      title: '操作',
      key: 'actions',
      render: (_, u) => actionsFor(u),
    },
  ];

  return (
    <Card
      title="用户与角色"
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新" />
          {canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
              新增用户
            </Button>
          )}
        </Space>
      }
    >
      {!canManage && !canGrant && <Alert type="info" showIcon title="您只能查看用户列表。" style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon title="用户列表加载失败" description={error.message} style={{ marginBottom: 12 }} />}
      <Input.Search allowClear placeholder="按用户名、姓名、区域或角色搜索" value={q} onChange={(e) => setQ(e.target.value)} style={{ maxWidth: 360, marginBottom: 12 }} />
      {phone ? (
        <UserCards rows={rows} loading={loading} empty={q ? '没有符合条件的用户' : '该区域内还没有用户'} actionsFor={actionsFor} />
      ) : (
        <Table<TUser>
          data-testid="users-table"
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={rows}
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 个用户` }}
          locale={{ emptyText: q ? '没有符合条件的用户' : '该区域内还没有用户' }}
        />
      )}
      {creating && (
        <CreateUser
          onClose={() => setCreating(false)}
          onDone={(u, pw) => {
            setCreating(false);
            showPassword(u.username, pw, '已创建用户');
            reload();
          }}
        />
      )}
      {granting && (
        <GrantUser
          user={granting}
          onClose={() => setGranting(null)}
          onDone={() => {
            setGranting(null);
            message.success('已调整角色和管辖区域');
            reload();
          }}
        />
      )}
    </Card>
  );
}

/** On a phone each user is a small card instead of a wide table row. */
function UserCards({ rows, loading, empty, actionsFor }: { rows: TUser[]; loading: boolean; empty: string; actionsFor: (u: TUser) => ReactNode }) {
  const [page, setPage] = useState(1);
  const size = 10;
  if (!loading && rows.length === 0) return <Empty description={empty} />;
  return (
    <Spin spinning={loading}>
      <div data-testid="users-cards">
        {rows.slice((page - 1) * size, page * size).map((u) => (
          <Card key={u.id} size="small" className="user-card" styles={{ body: { padding: 12 } }}>
            <div style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
              <Typography.Text strong className="ellipsis">{u.displayName || u.username}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12, flex: 'none' }}>{u.username}</Typography.Text>
              <span style={{ flex: 1 }} />
              <Tag style={{ marginInlineEnd: 0, flex: 'none' }}>{ROLE_LABELS[u.role]}</Tag>
            </div>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: '2px 12px', marginTop: 6, fontSize: 13 }}>
              <span className="ellipsis" style={{ maxWidth: '100%' }}>区域：{u.areaName ?? '全部区域'}</span>
              <Status u={u} />
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              最近登录：{u.lastLoginAt ? formatInstant(u.lastLoginAt) : '从未登录'}
            </Typography.Text>
            <div style={{ marginTop: 4, marginInline: -7 }}>{actionsFor(u)}</div>
          </Card>
        ))}
        {rows.length > size && (
          <Pagination simple current={page} pageSize={size} total={rows.length} onChange={setPage} style={{ marginTop: 12, textAlign: 'center' }} />
        )}
      </div>
    </Spin>
  );
}

interface CreateValues {
  username: string;
  displayName?: string;
  role: Role;
  areaCode: string;
}

function CreateUser({ onClose, onDone }: { onClose: () => void; onDone: (u: TUser, password: string) => void }) {
  const me = useMe();
  const [area] = useAreaParam();
  const [form] = Form.useForm<CreateValues>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const areaOptions = useAreaOptions(useCallback((a: { retiredOn: string | null }) => a.retiredOn !== null, []));
  const roles = grantableRoles(me.user.role);

  async function submit() {
    const v = await form.validateFields();
    setBusy(true);
    setProblem(null);
    try {
      const r = await api.post<{ user: TUser; password: string }>('/api/users', {
        username: v.username.trim(),
        displayName: v.displayName?.trim() || null,
        role: v.role,
        areaCode: v.areaCode,
      });
      onDone(r.user, r.password);
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open title="新增用户" okText="创建" onOk={submit} confirmLoading={busy} onCancel={onClose} destroyOnHidden>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ ...(roles.length === 1 && roles[0] ? { role: roles[0] } : {}), areaCode: area ?? me.area?.code }}
      >
        <Form.Item
          name="username"
          label="用户名"
          extra="2至40位字母、数字、“.”“-”“_”，登录时使用"
          rules={[
            { required: true, whitespace: true, message: '请输入用户名' },
            { pattern: /^[A-Za-z0-9._-]{2,40}$/, message: '用户名只能由2至40位字母、数字、“.”“-”“_”组成' },
          ]}
        >
          <Input autoComplete="off" maxLength={40} />
        </Form.Item>
        <Form.Item name="displayName" label="姓名或职务">
          <Input maxLength={40} placeholder="如 东湖社区书记" />
        </Form.Item>
        <Form.Item
          name="role"
          label="角色"
          rules={[{ required: true, message: '请选择角色' }]}
          extra={roles.length === 1 ? '系统管理员创建的账号为只读用户，权限由安全管理员调整。' : undefined}
        >
          <Select options={roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
        </Form.Item>
        <Form.Item name="areaCode" label="管辖区域" rules={[{ required: true, message: '请选择管辖区域' }]}>
          <TreeSelect treeData={areaOptions} treeNodeLabelProp="label" showSearch={areaSearch} listHeight={300} placeholder="选择管辖区域" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function GrantUser({ user, onClose, onDone }: { user: TUser; onClose: () => void; onDone: () => void }) {
  const me = useMe();
  const [form] = Form.useForm<{ role: Role; areaCode: string }>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const areaOptions = useAreaOptions(useCallback((a: { retiredOn: string | null }) => a.retiredOn !== null, []));
  const roles = grantableRoles(me.user.role);
  const roleOptions = [...new Set([...roles, user.role])].map((r) => ({ value: r, label: ROLE_LABELS[r], disabled: !roles.includes(r) }));

  async function submit() {
    const v = await form.validateFields();
    setBusy(true);
    setProblem(null);
    try {
      await api.patch(`/api/users/${user.id}`, {
        ...(v.role !== user.role ? { role: v.role } : {}),
        ...(v.areaCode && v.areaCode !== user.areaCode ? { areaCode: v.areaCode } : {}),
        version: user.version,
      });
      onDone();
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open title={`调整“${user.displayName || user.username}”的角色和管辖区域`} okText="保存" onOk={submit} confirmLoading={busy} onCancel={onClose} destroyOnHidden>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ role: user.role, ...(user.areaCode ? { areaCode: user.areaCode } : {}) }}>
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={roleOptions} />
        </Form.Item>
        <Form.Item name="areaCode" label="管辖区域" rules={[{ required: true, message: '请选择管辖区域' }]}>
          <TreeSelect treeData={areaOptions} treeNodeLabelProp="label" showSearch={areaSearch} listHeight={300} placeholder="选择管辖区域" />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        变更立即生效，并记入审计日志。
      </Typography.Paragraph>
    </Modal>
  );
}
