/** 安全设置: the security policy. The server refuses loosening below its defaults and says why. */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Form, InputNumber, Row, Skeleton } from 'antd';
import { DEFAULT_TWO_FACTOR_ROLES, ROLE_LABELS, ROLES, type Role } from '../../../src/shared/constants.ts';
import { api, errorMessage } from '../lib/api.ts';
import { useFetch } from '../lib/useFetch.ts';

interface Policy {
  passwordMinLength: number;
  passwordMinClasses: number;
  passwordMaxAgeDays: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  idleTimeoutMinutes: number;
  loginRatePerMinute: number;
  twoFactorRoles: Role[];
}

const FIELDS: Array<{ key: Exclude<keyof Policy, 'twoFactorRoles'>; label: string; unit: string; help: string }> = [
  { key: 'passwordMinLength', label: '密码最短长度', unit: '位', help: '新密码至少的字符数' },
  { key: 'passwordMinClasses', label: '密码字符类别', unit: '类', help: '大写、小写、数字、符号中至少包含几类' },
  { key: 'passwordMaxAgeDays', label: '密码有效期', unit: '天', help: '到期后登录时须修改密码' },
  { key: 'lockoutThreshold', label: '锁定阈值', unit: '次', help: '连续输错几次密码后锁定账号' },
  { key: 'lockoutMinutes', label: '锁定时长', unit: '分钟', help: '账号锁定多久后自动解锁' },
  { key: 'idleTimeoutMinutes', label: '空闲超时', unit: '分钟', help: '多久无操作后自动退出' },
  { key: 'loginRatePerMinute', label: '登录频率上限', unit: '次/分钟', help: '同一地址每分钟最多尝试登录的次数' },
];

export function SecurityPage() {
  const { message } = App.useApp();
  const { data, loading, error, reload } = useFetch<Policy>('/api/settings/security');
  const [form] = Form.useForm<Policy>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (data) form.setFieldsValue(data);
  }, [data, form]);

  async function save(v: Policy) {
    setBusy(true);
    setProblem(null);
    try {
      const saved = await api.put<Policy>('/api/settings/security', v);
      form.setFieldsValue(saved);
      message.success('安全设置已保存');
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="安全设置" style={{ maxWidth: 880 }}>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title="只能比默认设置更严格，不能放宽。每次修改都记入审计日志。" />
      {error && <Alert type="error" showIcon title="安全设置加载失败" description={error.message} style={{ marginBottom: 16 }} />}
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} data-testid="settings-error" />}
      {loading && !data ? (
        <Skeleton active />
      ) : (
        <Form form={form} layout="vertical" onFinish={save} disabled={busy || !data}>
          <Row gutter={24}>
            {FIELDS.map((f) => (
              <Col xs={24} sm={12} key={f.key}>
                <Form.Item name={f.key} label={f.label} extra={f.help} rules={[{ required: true, message: `请填写${f.label}` }]}>
                  <InputNumber min={1} precision={0} suffix={f.unit} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Form.Item
            name="twoFactorRoles"
            label="须使用两步验证的角色"
            extra="这些角色的用户登录时除密码外还须输入手机验证器上的动态验证码（等保三级“两种或两种以上组合的鉴别技术”）。默认角色不能取消，可以增加。"
          >
            <Checkbox.Group
              data-testid="two-factor-roles"
              options={ROLES.map((r) => ({
                value: r,
                label: ROLE_LABELS[r],
                // A default role that is on can only stay on (the server refuses removing it too).
                disabled: DEFAULT_TWO_FACTOR_ROLES.includes(r) && (data?.twoFactorRoles ?? []).includes(r),
              }))}
            />
          </Form.Item>
          <div style={{ display: 'flex', gap: 8 }}>
            <Button type="primary" htmlType="submit" loading={busy}>
              保存
            </Button>
            <Button
              onClick={() => {
                setProblem(null);
                reload();
              }}
            >
              放弃修改
            </Button>
          </div>
        </Form>
      )}
    </Card>
  );
}
