/** Search, add-a-root, import and template download above each tree. */
import { useState } from 'react';
import { Button, Input, Space, Tooltip } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMe } from '../../lib/auth.tsx';
import { ImportWizard } from '../../components/ImportWizard.tsx';

export function TreeToolbar(props: {
  kind: 'areas' | 'orgs';
  query: string;
  onQuery: (q: string) => void;
  createTopLabel: string | null;
  onCreateTop: () => void;
  onImported: () => void;
}) {
  const me = useMe();
  const [importing, setImporting] = useState(false);
  const canWrite = me.can('tree.write');
  const what = props.kind === 'areas' ? '区域' : '党组织';
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12, alignItems: 'center' }}>
      <Input.Search
        allowClear
        placeholder={`按名称或编码搜索${what}`}
        value={props.query}
        onChange={(e) => props.onQuery(e.target.value)}
        style={{ flex: '1 1 220px', maxWidth: 360 }}
        data-testid={`${props.kind}-search`}
      />
      <Space wrap size={8}>
        {props.createTopLabel && (
          <Button icon={<PlusOutlined />} disabled={!canWrite} onClick={props.onCreateTop}>
            {props.createTopLabel}
          </Button>
        )}
        <Tooltip title={canWrite ? null : `您的角色不能导入${what}`}>
          <Button icon={<UploadOutlined />} disabled={!canWrite} onClick={() => setImporting(true)} data-testid={`${props.kind}-import`}>
            导入
          </Button>
        </Tooltip>
        <Button icon={<DownloadOutlined />} href={`/api/imports/${props.kind}/template`} download>
          下载模板
        </Button>
      </Space>
      {importing && (
        <ImportWizard
          kind={props.kind}
          onClose={() => setImporting(false)}
          onImported={() => {
            props.onImported();
          }}
        />
      )}
    </div>
  );
}
