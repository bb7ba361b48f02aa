/** Changing one's password: forced after a reset or at first sign-in, or by choice from the user menu. */
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Typography } from 'antd';
import { api, errorMessage } from '../lib/api.ts';
import { useAuth, useMe } from '../lib/auth.tsx';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

const RULE_HINT = '至少8位，包含大写字母、小写字母、数字、符号中的至少3类，不能包含用户名，不能与当前密码相同。';

function PasswordForm({ onDone, onCancel, submitText }: { onDone: () => void; onCancel?: () => void; submitText: string }) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(v: Values) {
    setBusy(true);
    setProblem(null);
    try {
      await api.post('/api/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      form.resetFields();
      onDone();
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} data-testid="password-error" />}
      <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label="新密码" extra={RULE_HINT} rules={[{ required: true, message: '请输入新密码' }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="确认新密码"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: (_, value) => (!value || getFieldValue('newPassword') === value ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
        {onCancel && <Button onClick={onCancel}>取消</Button>}
        <Button type="primary" htmlType="submit" loading={busy}>
          {submitText}
        </Button>
      </div>
    </Form>
  );
}

export function ForcedPasswordPage() {
  const me = useMe();
  const { refresh, signOut } = useAuth();
  const { message } = App.useApp();
  return (
    <div className="login-page">
      <Card className="login-card" title="请修改密码" extra={<Button type="link" onClick={() => void signOut()}>退出</Button>}>
        <Typography.Paragraph>
          {me.user.displayName ?? me.user.username}，您正在使用初始密码或密码已过期。为保障账号安全，请先设置新密码再继续使用。
        </Typography.Paragraph>
        <PasswordForm
          submitText="修改并进入系统"
          onDone={() => {
            message.success('密码已修改');
            void refresh();
          }}
        />
      </Card>
    </div>
  );
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  return (
    <Modal open={open} title="修改密码" footer={null} onCancel={onClose} destroyOnHidden>
      <PasswordForm
        submitText="确定修改"
        onCancel={onClose}
        onDone={() => {
          message.success('密码已修改，其他设备上的登录已退出');
          onClose();
        }}
      />
    </Modal>
  );
}
