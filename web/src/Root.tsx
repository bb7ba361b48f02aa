import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Result, Spin } from 'antd';
import { useAuth, useMe } from './lib/auth.tsx';
import { landingPath } from './lib/nav.ts';
import { LedgersProvider } from './lib/ledgers.tsx';
import { LedgerRoute } from './pages/ledgers/LedgerPage.tsx';
import { PhoneInspectionPage } from './pages/ledgers/PhoneInspection.tsx';
import { AreasProvider } from './lib/areas.tsx';
import { Shell } from './components/Shell.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { ForcedPasswordPage } from './pages/PasswordPages.tsx';
import { EnrollmentPage, mustEnrol } from './pages/TwoFactorPages.tsx';
import { TreesPage } from './pages/TreesPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { ExportLogPage } from './pages/ExportLogPage.tsx';
import { SecurityPage } from './pages/SecurityPage.tsx';
import { BoardPage } from './pages/recruitment/BoardPage.tsx';
import { RemindersPage } from './pages/recruitment/RemindersPage.tsx';
import { TimelinePage } from './pages/recruitment/TimelinePage.tsx';
import { CompliancePage } from './pages/compliance/CompliancePage.tsx';
import { CalendarPage } from './pages/meetings/CalendarPage.tsx';
import { DuePage } from './pages/meetings/DuePage.tsx';
import { MeetingRecordPage } from './pages/meetings/MeetingRecordPage.tsx';
import { ReportPage } from './pages/reports/ReportPage.tsx';
import { CorrectionsPage } from './pages/reports/CorrectionsPage.tsx';
import { StructurePage } from './pages/members/StructurePage.tsx';
import { DashboardPage } from './pages/dashboard/DashboardPage.tsx';
import { TargetsPage } from './pages/targets/TargetsPage.tsx';
import { TemplateEditorPage } from './pages/reports/TemplateEditorPage.tsx';
import { canLedger } from '../../src/domain/policy.ts';
import type { Permission } from './lib/auth.tsx';
import type { ReactNode } from 'react';

export function Root() {
  const { state } = useAuth();
  if (state.status === 'loading') {
    return (
      <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Spin size="large" description="正在加载…" />
      </div>
    );
  }
  if (state.status === 'signedOut') return <LoginPage notice={state.notice} />;
  // Two-factor enrolment first (the session can do nothing else), then a required password change.
  if (mustEnrol(state.me)) return <EnrollmentPage />;
  if (state.me.mustChangePassword) return <ForcedPasswordPage />;
  return (
    <AreasProvider>
      <LedgersProvider role={state.me.user.role}>
        <Shell>
          <Routes>
            <Route path="/" element={<Home />} />
            <Route path="/trees" element={<Guard permission="tree.read"><TreesPage /></Guard>} />
            <Route path="/users" element={<Guard permission="users.read"><UsersPage /></Guard>} />
            <Route path="/audit" element={<Guard permission="audit.read"><AuditPage /></Guard>} />
            <Route path="/audit/exports" element={<Guard permission="audit.read"><ExportLogPage /></Guard>} />
            <Route path="/settings/security" element={<Guard permission="settings.manage"><SecurityPage /></Guard>} />
            <Route path="/ledgers/:key" element={<LedgerRoute />} />
            <Route path="/recruitment" element={<KeepSearch to="/recruitment/board" />} />
            <Route path="/recruitment/board" element={<LedgerGuard ledger="applicants"><BoardPage /></LedgerGuard>} />
            <Route path="/recruitment/reminders" element={<LedgerGuard ledger="applicants"><RemindersPage /></LedgerGuard>} />
            <Route path="/recruitment/:id" element={<LedgerGuard ledger="applicants"><TimelinePage /></LedgerGuard>} />
            <Route path="/meetings" element={<KeepSearch to="/meetings/compliance" />} />
            <Route path="/meetings/compliance" element={<LedgerGuard ledger="meetings"><CompliancePage /></LedgerGuard>} />
            <Route path="/meetings/calendar" element={<LedgerGuard ledger="meetings"><CalendarPage /></LedgerGuard>} />
            <Route path="/meetings/due" element={<LedgerGuard ledger="meetings"><DuePage /></LedgerGuard>} />
            <Route path="/meetings/:id" element={<LedgerGuard ledger="meetings"><MeetingRecordPage /></LedgerGuard>} />
            <Route path="/dashboard" element={<DashboardPage />} />
            <Route path="/targets" element={<TargetsPage />} />
            <Route path="/reports" element={<KeepSearch to="/reports/annual" />} />
            <Route path="/reports/annual" element={<ReportPage />} />
            <Route path="/reports/template" element={<TemplateEditorPage />} />
            <Route path="/reports/corrections" element={<CorrectionsPage />} />
            <Route path="/members" element={<KeepSearch to="/members/structure" />} />
            <Route path="/members/structure" element={<LedgerGuard ledger="members"><StructurePage /></LedgerGuard>} />
            <Route path="/m/inspection" element={<PhoneInspectionPage />} />
            <Route path="*" element={<Result status="404" title="页面不存在" subTitle="请从左侧菜单选择要打开的页面。" />} />
          </Routes>
        </Shell>
      </LedgersProvider>
    </AreasProvider>
  );
}

/** No dashboard yet: the 网格员 lands on the phone inspection page, others on their first page. */
function Home() {
  const me = useMe();
  const { search } = useLocation();
  const first = landingPath({ can: me.can, role: me.user.role });
  if (!first) return <Result status="info" title="暂无可用功能" subTitle="您的角色还没有可以打开的页面，请联系安全管理员。" />;
  return <Navigate to={{ pathname: first, search }} replace />;
}

/** A redirect that keeps the query (the chosen area). */
function KeepSearch({ to }: { to: string }) {
  const { search } = useLocation();
  return <Navigate to={{ pathname: to, search }} replace />;
}

function LedgerGuard({ ledger, children }: { ledger: string; children: ReactNode }) {
  const me = useMe();
  if (!canLedger(me.user.role, ledger, 'read')) return <Result status="403" title="无权访问" subTitle="您的角色不能打开这个页面。" />;
  return children;
}

function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  const me = useMe();
  if (!me.can(permission)) return <Result status="403" title="无权访问" subTitle="您的角色不能打开这个页面。" />;
  return children;
}
