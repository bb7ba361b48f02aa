/**
 * Area scope, applied in the store so no query can forget it: a user sees what lies in their
 * area's subtree, which is one indexed prefix condition on a materialized path.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { escapeLike } from './dialect.ts';

/** The subtree a query may see; `path` null is the whole database. */
export interface Scope {
  path: string | null;
}

export const WHOLE_DATABASE: Scope = { path: null };

/** `column LIKE 'path%'` with the wildcards of the path escaped; always true for the whole database. */
export function inScope(column: string, scope: Scope): Expression<SqlBool> {
  if (scope.path === null) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`${sql.ref(column)} like ${`${escapeLike(scope.path)}%`} escape '\\'`;
}
