import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { ApiError, errorMessage } from '../lib/api.ts';
import { useAuth } from '../lib/auth.tsx';
import { formatInstant } from '../lib/format.ts';

interface Values {
  username: string;
  password: string;
}

/** Why sign-in failed, in words the user can act on (the server's message, plus the unlock time). */
function describe(e: unknown): { type: 'error' | 'warning'; text: string } {
  if (e instanceof ApiError) {
    if (e.code === 'ACCOUNT_LOCKED') {
      const until = (e.body as { lockedUntil?: string } | null)?.lockedUntil;
      return { type: 'warning', text: until ? `${e.message}（解锁时间：${formatInstant(until)}）` : e.message };
    }
    if (e.code === 'RATE_LIMITED' || e.code === 'ACCOUNT_DISABLED') return { type: 'warning', text: e.message };
  }
  return { type: 'error', text: errorMessage(e) };
}

export function LoginPage({ notice }: { notice: string | null }) {
  const { signIn } = useAuth();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ type: 'error' | 'warning'; text: string } | null>(null);
  const [form] = Form.useForm<Values>();

  async function submit(v: Values) {
    setBusy(true);
    setProblem(null);
    try {
      await signIn(v.username.trim(), v.password);
    } catch (e) {
      setProblem(describe(e));
      form.setFieldValue('password', '');
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <Card className="login-card" styles={{ body: { padding: '32px 28px' } }}>
        <div className="login-title">
          <div className="app-brand" style={{ justifyContent: 'center', fontSize: 20 }}>
            <span className="app-brand-mark" style={{ width: 36, height: 36, fontSize: 20 }}>
              基
            </span>
            <span>基层党建与治理平台</span>
          </div>
          <Typography.Text type="secondary">请使用您的账号登录</Typography.Text>
        </div>
        {notice && !problem && <Alert type="info" showIcon title={notice} style={{ marginBottom: 16 }} data-testid="login-notice" />}
        {problem && <Alert type={problem.type} showIcon title={problem.text} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} size="large" disabled={busy}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" placeholder="用户名" data-testid="login-username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder="密码" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            登录
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 20, marginBottom: 0, fontSize: 12, textAlign: 'center' }}>
          连续输错5次密码，账号将锁定15分钟
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
