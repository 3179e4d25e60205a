import { expect } from 'vitest';
import type { TestPlatform } from './harness.ts';

/**
 * Checks that the request behind `res` left exactly one audit record of `want.action`, naming the
 * object it read and a signed-in actor, under the request ID the response carries.
 */
export async function expectAudited(
  t: TestPlatform,
  res: { headers: Record<string, unknown> },
  want: { action: string; objectType: string; objectId: string | null },
): Promise<void> {
  const requestId = String(res.headers['x-request-id']);
  const rows = await t.p.db
    .selectFrom('audit_log')
    .select(['action', 'object_type', 'object_id', 'actor_id', 'request_id'])
    .where('request_id', '=', requestId)
    .where('action', '=', want.action)
    .execute();
  expect(rows).toEqual([
    {
      action: want.action,
      object_type: want.objectType,
      object_id: want.objectId,
      actor_id: expect.any(String) as string,
      request_id: requestId,
    },
  ]);
}
