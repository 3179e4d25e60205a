// Review finding: a person holding an observer role beside another role could read any entity's
// compliance page and any sector's board, because the scope was taken from "some national role"
// instead of from the roles that grant supervision. Both answers now follow the reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/demo.ts';
import { createTestApp, type TestApp } from '../harness.ts';

describe('an observer role adds no supervision reach', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.p, { entities: 20, incidents: false });
  });
  afterAll(async () => t?.close());

  it('an entity member who is also an observer still cannot open another entity’s compliance', async () => {
    const [x, y] = await t.p.db.selectFrom('entities').select('id').orderBy('id').limit(2).execute();
    const both = await t.signInAs({
      email: 'two@x.pk',
      displayName: 'Two',
      roles: [
        { role: 'entity_member', scopeKind: 'entity', scopeValue: x!.id },
        { role: 'observer', scopeKind: 'national', scopeValue: null },
      ],
    });
    const own = await t.app.inject({
      url: `/api/supervision/entities/${x!.id}/compliance`,
      headers: both.headers(),
    });
    expect(own.statusCode, own.body).toBe(200);
    const other = await t.app.inject({
      url: `/api/supervision/entities/${y!.id}/compliance`,
      headers: both.headers(),
    });
    expect(other.statusCode).toBe(404);
  });

  it('a regulator who is also an observer sees only their own sector’s board', async () => {
    const reg = await t.signInAs({
      email: 'reg@x.pk',
      displayName: 'Reg',
      roles: [
        { role: 'sector_regulator', scopeKind: 'sector', scopeValue: 'telecom' },
        { role: 'observer', scopeKind: 'national', scopeValue: null },
      ],
    });
    expect(
      (await t.app.inject({ url: '/api/supervision/board?sector=telecom', headers: reg.headers() }))
        .statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ url: '/api/supervision/board?sector=health', headers: reg.headers() }))
        .statusCode,
    ).toBe(403);
  });
});
