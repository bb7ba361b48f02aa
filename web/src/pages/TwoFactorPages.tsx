/**
 * Two-factor sign-in (动态验证码): enrolment with a QR code and the secret in text, the recovery
 * codes shown once (下载 / 复制), and 账号安全 in the user menu (status, new recovery codes,
 * voluntary enrolment). The QR code is drawn here as an SVG image (data: URL; the CSP allows
 * data: images and no inline script).
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Skeleton, Space, Steps, Tag, Typography } from 'antd';
import { CopyOutlined, DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import QRCode from 'qrcode';
import type { TMe } from '../../../src/shared/schemas.ts';
import { api, errorMessage } from '../lib/api.ts';
import { useAuth, useMe } from '../lib/auth.tsx';
import { formatInstant } from '../lib/format.ts';

interface Enrollment {
  secret: string;
  otpauthUrl: string;
}

interface Status {
  enrolled: boolean;
  required: boolean;
  enrolledAt: string | null;
  recoveryCodesLeft: number;
}

/** The otpauth:// URI as a QR code image. */
function QrImage({ url }: { url: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
      .then((svg) => {
        if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      .catch(() => setSrc(null));
    return () => {
      live = false;
    };
  }, [url]);
  if (!src) return <Skeleton.Node active style={{ width: 200, height: 200 }} />;
  return <img src={src} width={200} height={200} alt="两步验证二维码：请用手机验证器扫描" data-testid="totp-qr" style={{ display: 'block', border: '1px solid #f0f0f0', borderRadius: 8 }} />;
}

/** The secret in groups of four, for typing into an app by hand. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The ten recovery codes, shown once, with 下载 and 复制. */
export function RecoveryCodes({ codes, username }: { codes: string[]; username: string }) {
  const { message } = App.useApp();
  const text = `基层党建与治理平台 两步验证恢复码（用户 ${username}）\n每个恢复码只能使用一次，请妥善保管。\n\n${codes.join('\n')}\n`;
  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `恢复码-${username}.txt`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      message.success('恢复码已复制');
    } catch {
      message.warning('浏览器不允许复制，请手动选中恢复码或点击“下载”');
    }
  }
  return (
    <div data-testid="recovery-codes">
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        title="请立即保存这些恢复码"
        description="手机丢失或验证器不可用时，可在登录时用一个恢复码代替动态验证码。每个恢复码只能使用一次；离开本页后将不再显示。"
      />
      <div className="recovery-codes">
        {codes.map((c) => (
          <code key={c}>{c}</code>
        ))}
      </div>
      <Space style={{ marginTop: 12 }}>
        <Button icon={<DownloadOutlined />} onClick={download} data-testid="recovery-download">
          下载
        </Button>
        <Button icon={<CopyOutlined />} onClick={() => void copy()} data-testid="recovery-copy">
          复制
        </Button>
      </Space>
    </div>
  );
}

/** Scan, type the code, get the recovery codes. `onDone` runs after the codes have been seen. */
function EnrollSteps({ onDone, doneText }: { onDone: () => void; doneText: string }) {
  const me = useMe();
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [form] = Form.useForm<{ code: string }>();

  useEffect(() => {
    api
      .post<Enrollment>('/api/auth/totp/enroll')
      .then(setEnrollment)
      .catch((e) => setLoadProblem(errorMessage(e)));
  }, []);

  async function confirm(v: { code: string }) {
    setBusy(true);
    setProblem(null);
    try {
      const r = await api.post<{ recoveryCodes: string[] }>('/api/auth/totp/confirm', { code: v.code.trim() });
      setCodes(r.recoveryCodes);
    } catch (e) {
      setProblem(errorMessage(e));
      form.setFieldValue('code', '');
    } finally {
      setBusy(false);
    }
  }

  if (loadProblem) return <Alert type="error" showIcon title={loadProblem} />;
  return (
    <div>
      <Steps
        size="small"
        current={codes ? 2 : 0}
        style={{ marginBottom: 20 }}
        items={[{ title: '扫描二维码' }, { title: '输入验证码' }, { title: '保存恢复码' }]}
      />
      {codes ? (
        <>
          <RecoveryCodes codes={codes} username={me.user.username} />
          <Button type="primary" block style={{ marginTop: 20 }} onClick={onDone} data-testid="enroll-finish">
            {doneText}
          </Button>
        </>
      ) : !enrollment ? (
        <Skeleton active />
      ) : (
        <>
          <Typography.Paragraph>
            1. 在手机上打开验证器应用（如“腾讯身份验证器”“Microsoft Authenticator”“Google 身份验证器”等），扫描下方二维码：
          </Typography.Paragraph>
          <div style={{ display: 'flex', justifyContent: 'center', marginBottom: 12 }}>
            <QrImage url={enrollment.otpauthUrl} />
          </div>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
            无法扫描时，可在应用中选择“手动输入密钥”，账号填 {me.user.username}，密钥为（基于时间，30秒）：
            <br />
            <Typography.Text code copyable={{ text: enrollment.secret, tooltips: ['复制密钥', '已复制'] }} data-testid="totp-secret" style={{ fontSize: 14 }}>
              {groupSecret(enrollment.secret)}
            </Typography.Text>
          </Typography.Paragraph>
          <Typography.Paragraph>2. 输入验证器中显示的6位数字，完成启用：</Typography.Paragraph>
          {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="enroll-error" />}
          <Form form={form} layout="inline" onFinish={confirm} disabled={busy} style={{ flexWrap: 'nowrap' }}>
            <Form.Item name="code" style={{ flex: 1 }} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: '请输入6位数字' }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={8} placeholder="6位动态验证码" data-testid="enroll-code" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="enroll-submit">
              启用
            </Button>
          </Form>
        </>
      )}
    </div>
  );
}

/** The full-page enrolment a user whose role requires two-factor sign-in sees until they have enrolled. */
export function EnrollmentPage() {
  const me = useMe();
  const { refresh, signOut } = useAuth();
  return (
    <div className="login-page">
      <Card
        className="login-card enroll-card"
        title={
          <span>
            <SafetyCertificateOutlined style={{ color: '#c0392b', marginInlineEnd: 8 }} />
            启用两步验证
          </span>
        }
        extra={
          <Button type="link" onClick={() => void signOut()}>
            退出
          </Button>
        }
      >
        <Typography.Paragraph>
          {me.user.displayName ?? me.user.username}，按照安全策略，您的账号登录时除密码外还须输入手机验证器上的动态验证码。请先完成启用，再使用系统。
        </Typography.Paragraph>
        <EnrollSteps doneText="我已保存恢复码，进入系统" onDone={() => void refresh()} />
      </Card>
    </div>
  );
}

/** 账号安全: two-factor status, new recovery codes, and voluntary enrolment. */
export function AccountSecurityModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useMe();
  const { refresh } = useAuth();
  const [status, setStatus] = useState<Status | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [enrolling, setEnrolling] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ code: string }>();

  useEffect(() => {
    if (!open) return;
    setStatus(null);
    setProblem(null);
    setEnrolling(false);
    setCodes(null);
    api
      .get<Status>('/api/auth/totp')
      .then(setStatus)
      .catch((e) => setProblem(errorMessage(e)));
  }, [open]);

  async function regenerate(v: { code: string }) {
    setBusy(true);
    setProblem(null);
    try {
      const r = await api.post<{ recoveryCodes: string[] }>('/api/auth/totp/recovery-codes', { code: v.code.trim() });
      setCodes(r.recoveryCodes);
      form.resetFields();
      setStatus((s) => (s ? { ...s, recoveryCodesLeft: r.recoveryCodes.length } : s));
    } catch (e) {
      setProblem(errorMessage(e));
      form.setFieldValue('code', '');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open={open} title="账号安全" footer={null} onCancel={onClose} destroyOnHidden width={520}>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="security-error" />}
      {!status ? (
        <Skeleton active />
      ) : enrolling ? (
        <EnrollSteps
          doneText="完成"
          onDone={() => {
            void refresh();
            onClose();
          }}
        />
      ) : (
        <>
          <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label="账号">{me.user.displayName ? `${me.user.displayName}（${me.user.username}）` : me.user.username}</Descriptions.Item>
            <Descriptions.Item label="两步验证">
              <span data-testid="totp-status">
                {status.enrolled ? <Tag color="green">已启用</Tag> : <Tag>未启用</Tag>}
                {status.required && <Tag color="red">安全策略要求</Tag>}
              </span>
            </Descriptions.Item>
            {status.enrolled && <Descriptions.Item label="启用时间">{status.enrolledAt ? formatInstant(status.enrolledAt) : '—'}</Descriptions.Item>}
            {status.enrolled && <Descriptions.Item label="剩余恢复码">{`${status.recoveryCodesLeft} 个`}</Descriptions.Item>}
          </Descriptions>
          {codes ? (
            <RecoveryCodes codes={codes} username={me.user.username} />
          ) : status.enrolled ? (
            <>
              <Typography.Paragraph>重新生成恢复码后，原有恢复码全部作废。请输入验证器中当前的6位动态验证码：</Typography.Paragraph>
              <Form form={form} layout="inline" onFinish={regenerate} disabled={busy} style={{ flexWrap: 'nowrap' }}>
                <Form.Item name="code" style={{ flex: 1 }} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: '请输入6位数字' }]}>
                  <Input inputMode="numeric" autoComplete="one-time-code" maxLength={8} placeholder="6位动态验证码" data-testid="regenerate-code" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy} data-testid="regenerate-submit">
                  重新生成恢复码
                </Button>
              </Form>
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
                更换手机或验证器时，请联系安全管理员重置两步验证，然后重新启用。
              </Typography.Paragraph>
            </>
          ) : (
            <>
              <Typography.Paragraph>启用后，登录时除密码外还需输入手机验证器上的动态验证码，账号更安全。</Typography.Paragraph>
              <Button type="primary" onClick={() => setEnrolling(true)} data-testid="start-enroll">
                启用两步验证
              </Button>
            </>
          )}
        </>
      )}
    </Modal>
  );
}

/** Whether the signed-in user must enrol before anything else. */
export function mustEnrol(me: TMe): boolean {
  return me.twoFactor.required && !me.twoFactor.enrolled;
}
