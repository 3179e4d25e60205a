import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.ts';

describe('in-app notifications', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('shows users only their own notifications and lets them mark them read', async () => {
    const alice = await t.signInAs({ email: 'alice@x.gov', displayName: 'Alice', roles: [] });
    const bob = await t.signInAs({ email: 'bob@x.gov', displayName: 'Bob', roles: [] });
    const ids = await t.p.db.selectFrom('users').select(['id', 'email']).execute();
    const aliceId = ids.find((u) => u.email === 'alice@x.gov')!.id;
    await t.p.notifications.notify(t.p.db, [aliceId], {
      kind: 'deadline',
      title: 'Report due',
      body: 'The 72-hour notification is due.',
      link: '/incidents/1',
    });

    const list = await t.app.inject({ url: '/api/notifications', headers: alice.headers() });
    expect(list.json()).toMatchObject({
      unread: 1,
      items: [{ title: 'Report due', link: '/incidents/1', readAt: null }],
    });
    const id = list.json<{ items: { id: string }[] }>().items[0]!.id;

    expect((await t.app.inject({ url: '/api/notifications', headers: bob.headers() })).json()).toMatchObject({
      unread: 0,
      items: [],
    });
    // Another user's notification is simply not found.
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/notifications/${id}/read`,
          headers: bob.headers(true),
        })
      ).statusCode,
    ).toBe(404);

    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/notifications/${id}/read`,
          headers: alice.headers(true),
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ url: '/api/notifications?unread=1', headers: alice.headers() })).json(),
    ).toMatchObject({ unread: 0, items: [] });
  });

  it('requires a session', async () => {
    expect((await t.app.inject('/api/notifications')).statusCode).toBe(401);
  });
});
