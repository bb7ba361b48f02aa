import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
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
  // Second step, when the server answers TOTP_REQUIRED: the password stays in memory only for it.
  const [pending, setPending] = useState<Values | null>(null);
  const [recovery, setRecovery] = useState(false);
  const [totpForm] = Form.useForm<{ totp: string }>();

  async function submit(v: Values) {
    setBusy(true);
    setProblem(null);
    try {
      await signIn(v.username.trim(), v.password);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'TOTP_REQUIRED') {
        setPending({ username: v.username.trim(), password: v.password });
        setRecovery(false);
      } else {
        setProblem(describe(e));
        form.setFieldValue('password', '');
      }
      setBusy(false);
    }
  }

  async function submitTotp(v: { totp: string }) {
    if (!pending) return;
    setBusy(true);
    setProblem(null);
    try {
      await signIn(pending.username, pending.password, v.totp.trim());
    } catch (e) {
      setProblem(describe(e));
      totpForm.setFieldValue('totp', '');
      // Locked, or the password no longer holds: start again from the first step.
      if (!(e instanceof ApiError) || (e.code !== 'TOTP_INVALID' && e.code !== 'TOTP_REQUIRED' && e.code !== 'RATE_LIMITED')) {
        setPending(null);
        form.setFieldValue('password', '');
      }
      setBusy(false);
    }
  }

  function back() {
    setPending(null);
    setProblem(null);
    form.setFieldValue('password', '');
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
          <Typography.Text type="secondary">{pending ? '两步验证' : '请使用您的账号登录'}</Typography.Text>
        </div>
        {notice && !problem && <Alert type="info" showIcon title={notice} style={{ marginBottom: 16 }} data-testid="login-notice" />}
        {problem && <Alert type={problem.type} showIcon title={problem.text} style={{ marginBottom: 16 }} data-testid="login-error" />}
        {pending ? (
          <Form form={totpForm} layout="vertical" onFinish={submitTotp} requiredMark={false} size="large" disabled={busy} key={recovery ? 'recovery' : 'totp'}>
            <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
              {recovery
                ? `请输入 ${pending.username} 的一个恢复码（形如 ABCD-EFGH-JKMN，每个只能使用一次）。`
                : `请打开手机上的验证器，输入 ${pending.username} 当前显示的6位动态验证码。`}
            </Typography.Paragraph>
            <Form.Item
              name="totp"
              label={recovery ? '恢复码' : '动态验证码'}
              rules={[
                { required: true, whitespace: true, message: recovery ? '请输入恢复码' : '请输入6位动态验证码' },
                ...(recovery ? [] : [{ pattern: /^\s*\d{6}\s*$/, message: '动态验证码为6位数字' }]),
              ]}
            >
              <Input
                prefix={<SafetyCertificateOutlined />}
                inputMode={recovery ? 'text' : 'numeric'}
                autoComplete="one-time-code"
                maxLength={recovery ? 20 : 8}
                placeholder={recovery ? '恢复码' : '6位数字'}
                data-testid="login-totp"
                autoFocus
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-totp-submit">
              验证并登录
            </Button>
            <div style={{ display: 'flex', justifyContent: 'space-between', marginTop: 12 }}>
              <Button type="link" size="small" style={{ paddingInline: 0 }} onClick={back}>
                返回
              </Button>
              <Button type="link" size="small" style={{ paddingInline: 0 }} onClick={() => setRecovery((r) => !r)} data-testid="login-use-recovery">
                {recovery ? '使用动态验证码' : '手机不在身边？使用恢复码'}
              </Button>
            </div>
          </Form>
        ) : (
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
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 20, marginBottom: 0, fontSize: 12, textAlign: 'center' }}>
          连续输错5次密码或验证码，账号将锁定15分钟
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
