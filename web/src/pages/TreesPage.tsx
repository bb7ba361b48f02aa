import { useState } from 'react';
import { Card, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { AreaTab } from './trees/AreaTab.tsx';
import { OrgTab } from './trees/OrgTab.tsx';

export function TreesPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'orgs' ? 'orgs' : 'areas';
  // Each tree keeps its own search text while the user flips between tabs.
  const [areaQuery, setAreaQuery] = useState('');
  const [orgQuery, setOrgQuery] = useState('');
  const area = params.get('area') ?? '';

  return (
    <Card styles={{ body: { paddingTop: 4 } }}>
      <Tabs
        activeKey={tab}
        onChange={(key) =>
          setParams((prev) => {
            const next = new URLSearchParams(prev);
            if (key === 'orgs') next.set('tab', 'orgs');
            else next.delete('tab');
            return next;
          })
        }
        items={[
          { key: 'areas', label: '区域树', children: <AreaTab key={area} query={areaQuery} onQuery={setAreaQuery} /> },
          { key: 'orgs', label: '党组织树', children: <OrgTab key={area} query={orgQuery} onQuery={setOrgQuery} /> },
        ]}
        destroyOnHidden
      />
    </Card>
  );
}
