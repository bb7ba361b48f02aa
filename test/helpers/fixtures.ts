/**
 * A small street for integration tests, made through the same create code as users' imports:
 * 街道 JD → 村 CUN1 (网格 CUN1-WG1), 社区 SQ1 (小区 SQ1-XQ1 with 网格 SQ1-XQ1-WG1, 网格 SQ1-WG1),
 * 社区 SQ2 (网格 SQ2-WG1); organizations DGW → 党委 SQ1-DW → 党支部 SQ1-ZB1, 党支部 SQ2-ZB1, CUN1-ZB1.
 * Users (password FIXTURE_PASSWORD): admin (whole database), clerk (JD), sq1 (clerk of SQ1), leader (JD), grid (SQ1).
 * Two-factor sign-in is off (an empty set of roles that require it), as in the demo; the default
 * policy is covered by test/api/two-factor.test.ts.
 */
import type { Role } from '../../src/shared/constants.ts';
import type { Store } from '../../src/store/db.ts';
import { createUser, getSecurityPolicy, writeSecurityPolicyUnchecked } from '../../src/store/auth.ts';
import { WHOLE_DATABASE } from '../../src/store/scope.ts';
import { createArea, createOrg } from '../../src/store/trees.repository.ts';
import { SYSTEM_ACTOR, withWrite } from '../../src/store/unit-of-work.ts';

export const FIXTURE_PASSWORD = 'Fixture#2026';

export async function smallStreet(store: Store): Promise<void> {
  await withWrite(store, SYSTEM_ACTOR, async (w) => {
    const s = WHOLE_DATABASE;
    const areas: Array<[string, string, '街道' | '村' | '社区' | '小区' | '网格', string | null, string?]> = [
      ['JD', '测试街道', '街道', null],
      ['CUN1', '一村', '村', 'JD'],
      ['CUN1-WG1', '一村网格', '网格', 'CUN1', '农村网格'],
      ['SQ1', '一社区', '社区', 'JD'],
      ['SQ1-XQ1', '一小区', '小区', 'SQ1'],
      ['SQ1-XQ1-WG1', '一小区网格', '网格', 'SQ1-XQ1', '小区网格'],
      ['SQ1-WG1', '一社区网格', '网格', 'SQ1', '城镇社区网格'],
      ['SQ2', '二社区', '社区', 'JD'],
      ['SQ2-WG1', '二社区网格', '网格', 'SQ2', '城镇社区网格'],
    ];
    for (const [code, name, kind, parentCode, gridType] of areas) await createArea(w, s, { code, name, kind, parentCode, gridType: gridType ?? null });
    await createOrg(w, s, { code: 'DGW', name: '测试街道党工委', kind: '党工委', parentCode: null, areaCode: 'JD' });
    await createOrg(w, s, { code: 'SQ1-DW', name: '一社区党委', kind: '党委', parentCode: 'DGW', areaCode: 'SQ1' });
    await createOrg(w, s, { code: 'SQ1-ZB1', name: '一社区第一党支部', kind: '党支部', parentCode: 'SQ1-DW', areaCode: 'SQ1' });
    await createOrg(w, s, { code: 'SQ2-ZB1', name: '二社区党支部', kind: '党支部', parentCode: 'DGW', areaCode: 'SQ2' });
    await createOrg(w, s, { code: 'CUN1-ZB1', name: '一村党支部', kind: '党支部', parentCode: 'DGW', areaCode: 'CUN1' });
    const users: Array<[string, Role, string | null]> = [
      ['admin', 'admin', null],
      ['clerk', 'clerk', 'JD'],
      ['sq1', 'clerk', 'SQ1'],
      ['leader', 'leader', 'JD'],
      ['grid', 'grid', 'SQ1'],
    ];
    for (const [username, role, areaCode] of users) await createUser(w, s, { username, role, areaCode, password: FIXTURE_PASSWORD });
    await writeSecurityPolicyUnchecked(w, { ...(await getSecurityPolicy(w.trx)), twoFactorRoles: [] }, 'test fixture');
  });
}
