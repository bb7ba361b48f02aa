/** The security administrator's side of two-factor sign-in: resetting a user's enrolment. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZUser } from '../../shared/schemas.ts';
import type { Store } from '../../store/db.ts';
import { resetTwoFactor } from '../../store/two-factor.ts';
import { withWrite } from '../../store/unit-of-work.ts';
import { principalOf } from '../http.ts';

export function twoFactorRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/users/:id/totp/reset', { config: { access: 'users.grant' }, schema: { tags: ['users'], summary: '重置用户的两步验证（安全管理员）：用户须重新启用，其会话全部结束', params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: z.object({ user: ZUser }) } } }, async (request) => {
    const p = principalOf(request);
    return { user: await withWrite(store, p.actor, (w) => resetTwoFactor(w, p.scope, request.params.id)) };
  });
}
