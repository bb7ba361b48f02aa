/**
 * The signed-in frame: left menu grouped by domain (a Drawer on phones), header with the area
 * picker and the user menu, breadcrumbs above the page.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { Avatar, Breadcrumb, Button, Drawer, Dropdown, Grid, Layout, Menu, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  RiseOutlined,
  FlagOutlined,
  MobileOutlined,
  ProfileOutlined,
  ShopOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuOutlined,
  MenuUnfoldOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { ROLE_LABELS } from '../../../src/shared/constants.ts';
import { useAuth, useMe } from '../lib/auth.tsx';
import { findNav, visibleNav, type NavIcon, type NavItem } from '../lib/nav.ts';
import { useLedgers } from '../lib/ledgers.tsx';
import { AreaPicker } from './AreaPicker.tsx';
import { ChangePasswordModal } from '../pages/PasswordPages.tsx';
import { AccountSecurityModal } from '../pages/TwoFactorPages.tsx';

const ICONS: Record<NavIcon, ReactNode> = {
  apartment: <ApartmentOutlined />,
  team: <TeamOutlined />,
  audit: <AuditOutlined />,
  safety: <SafetyCertificateOutlined />,
  ledger: <ProfileOutlined />,
  flag: <FlagOutlined />,
  alert: <AlertOutlined />,
  shop: <ShopOutlined />,
  mobile: <MobileOutlined />,
  board: <BarChartOutlined />,
  bell: <BellOutlined />,
  rise: <RiseOutlined />,
};

const PHONE_TITLES: Record<string, string> = { '/m/inspection': '安全排查登记' };

const TAB_LABELS: Record<string, Record<string, string>> = {
  '/trees': { areas: '区域树', orgs: '党组织树' },
};

function Brand({ compact }: { compact?: boolean }) {
  return (
    <span className="app-brand">
      <span className="app-brand-mark">基</span>
      {!compact && <span>基层党建与治理</span>}
    </span>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const me = useMe();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [pwOpen, setPwOpen] = useState(false);
  const [securityOpen, setSecurityOpen] = useState(false);

  const ledgers = useLedgers();
  const catalogue = ledgers.loading ? undefined : ledgers.byKey;
  const groups = visibleNav({ can: me.can, role: me.user.role }, catalogue);
  const current = findNav(location.pathname, catalogue);
  // Phone pages (/m/…) are one task each: their title in the header, no breadcrumbs, no area picker.
  const phonePage = location.pathname.startsWith('/m/');
  const testId = (i: NavItem) => `nav-${i.path.slice(1).replace(/\//g, '-')}`;
  const items: MenuProps['items'] = groups.map((g) => ({
    type: 'group',
    key: g.key,
    label: g.label,
    children: g.items.map((i) =>
      i.children
        ? {
            key: i.path,
            icon: ICONS[i.icon],
            label: <span data-testid={`${testId(i)}-menu`}>{i.label}</span>,
            children: i.children.map((c) => ({ key: c.path, icon: ICONS[c.icon], label: c.label, 'data-testid': testId(c) })),
          }
        : { key: i.path, icon: ICONS[i.icon], label: i.label, 'data-testid': testId(i) },
    ),
  }));
  // The sub-menu of the page shown stays open; others open and close as the user clicks.
  const currentParent = current?.parent?.path;
  const [openKeys, setOpenKeys] = useState<string[]>(currentParent ? [currentParent] : []);
  useEffect(() => {
    if (currentParent) setOpenKeys((keys) => (keys.includes(currentParent) ? keys : [...keys, currentParent]));
  }, [currentParent]);

  const go = (path: string) => {
    // The chosen area follows the user from page to page; page-specific keys do not.
    const area = params.get('area');
    navigate({ pathname: path, search: area ? `?area=${encodeURIComponent(area)}` : '' });
    setDrawerOpen(false);
  };

  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={current ? [current.item.path] : []}
      {...(collapsed && !phone ? {} : { openKeys, onOpenChange: setOpenKeys })}
      onClick={(e) => go(e.key)}
      style={{ borderInlineEnd: 'none' }}
    />
  );

  const tab = params.get('tab');
  const tabLabel = current && tab ? TAB_LABELS[current.item.path]?.[tab] : current ? TAB_LABELS[current.item.path]?.areas : undefined;
  const crumbs = current
    ? [
        { title: current.group.label },
        ...(current.parent ? [{ title: current.parent.label }] : []),
        current.page ? { title: current.item.label, onClick: () => go(current.item.path), className: 'crumb-link' } : { title: current.item.label },
        ...(current.page ? [{ title: current.page }] : []),
        ...(tabLabel ? [{ title: tabLabel }] : []),
      ]
    : [{ title: '首页' }];

  const pageTitle = current ? (current.page ?? current.item.label) : null;
  useEffect(() => {
    document.title = pageTitle ? `${pageTitle} - 基层党建与治理平台` : '基层党建与治理平台';
  }, [pageTitle]);

  const userMenu: MenuProps = {
    items: [
      {
        key: 'who',
        disabled: true,
        label: (
          <div style={{ lineHeight: 1.6 }}>
            <div style={{ color: 'rgba(0,0,0,0.88)' }}>{me.user.displayName ?? me.user.username}</div>
            <div style={{ fontSize: 12 }}>
              {ROLE_LABELS[me.user.role]} · {me.area?.name ?? '全部区域'}
            </div>
          </div>
        ),
      },
      { type: 'divider' },
      { key: 'security', icon: <SafetyCertificateOutlined />, label: <span data-testid="account-security">账号安全</span> },
      { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
      { key: 'logout', icon: <LogoutOutlined />, label: '退出', danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'security') setSecurityOpen(true);
      if (key === 'password') setPwOpen(true);
      if (key === 'logout') void signOut().then(() => navigate('/', { replace: true }));
    },
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!phone && (
        <Layout.Sider
          theme="light"
          width={208}
          collapsible
          collapsed={collapsed}
          trigger={null}
          style={{ borderInlineEnd: '1px solid #f0f0f0', position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
        >
          <div className="app-sider-brand" style={collapsed ? { padding: '0 26px' } : undefined}>
            <Brand compact={collapsed} />
          </div>
          {menu}
        </Layout.Sider>
      )}
      {phone && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={240}
          title={<Brand />}
          styles={{ body: { padding: 0 } }}
        >
          {menu}
        </Drawer>
      )}
      <Layout style={{ minWidth: 0 }}>
        <header className="app-header">
          {phone ? (
            <Button type="text" icon={<MenuOutlined />} aria-label="打开菜单" data-testid="menu-toggle" onClick={() => setDrawerOpen(true)} />
          ) : (
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              aria-label={collapsed ? '展开菜单' : '收起菜单'}
              onClick={() => setCollapsed(!collapsed)}
            />
          )}
          <div style={{ flex: '1 1 auto', minWidth: 0, display: 'flex', alignItems: 'center', gap: 8 }}>
            {phonePage ? (
              <Typography.Text strong className="ellipsis" style={{ fontSize: 16 }}>
                {PHONE_TITLES[location.pathname] ?? current?.item.label ?? ''}
              </Typography.Text>
            ) : me.can('tree.read') ? (
              <AreaPicker phone={phone} />
            ) : (
              <Tag style={{ margin: 0 }} className="ellipsis">
                {me.area?.name ?? '全部区域'}
              </Tag>
            )}
          </div>
          <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
            <Button type="text" data-testid="user-menu" style={{ display: 'flex', alignItems: 'center', gap: 6, paddingInline: 6 }}>
              <Avatar size="small" icon={<UserOutlined />} style={{ background: '#c0392b' }} />
              {!phone && (
                <Typography.Text className="ellipsis" style={{ maxWidth: 140 }}>
                  {me.user.displayName ?? me.user.username}
                </Typography.Text>
              )}
            </Button>
          </Dropdown>
        </header>
        <Layout.Content className="app-content">
          {!phonePage && <Breadcrumb items={crumbs} style={{ marginBottom: 12 }} />}
          {children}
        </Layout.Content>
      </Layout>
      <ChangePasswordModal open={pwOpen} onClose={() => setPwOpen(false)} />
      <AccountSecurityModal open={securityOpen} onClose={() => setSecurityOpen(false)} />
    </Layout>
  );
}
