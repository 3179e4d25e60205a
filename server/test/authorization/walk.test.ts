import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/demo.ts';
import { startFakeIdp } from '../fake-idp.ts';
import { createTestApp, type TestApp } from '../harness.ts';
import { makeAgent, twoTenants, WHO, type Scopes, type Who } from './agents.ts';
import { RULES, type Rule } from './rules.ts';

interface Route {
  method: string;
  path: string;
}

/** Every route the OpenAPI document publishes, as "METHOD /path/:param". */
function routesOf(doc: { paths: Record<string, Record<string, unknown>> }): Route[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => ({ method: m.toUpperCase(), path: path.replace(/\{(\w+)\}/g, ':$1') })),
  );
}

function expected(rule: Rule, who: Who): 'ok' | 401 | 403 | 404 {
  const allowed =
    rule.allow === 'everyone' ||
    (rule.allow === 'signed-in' ? who !== 'anonymous' : rule.allow.includes(who));
  if (allowed) return 'ok';
  if (who === 'anonymous') return 401;
  return rule.notFound?.includes(who) ? 404 : 403;
}

describe('authorization walk: every route x every caller', () => {
  let t: TestApp;
  let s: Scopes;
  let routes: Route[];
  let idp: Awaited<ReturnType<typeof startFakeIdp>>;
  beforeAll(async () => {
    idp = await startFakeIdp({ id: 'qila', secret: 'walk-secret' });
    t = await createTestApp({
      env: {
        QILA_OIDC_ISSUER: idp.issuer,
        QILA_OIDC_CLIENT_ID: 'qila',
        QILA_OIDC_CLIENT_SECRET: 'walk-secret',
      },
    });
    await loadDemo(t.p, { entities: 80 });
    s = await twoTenants(t.p);
    routes = routesOf((await t.app.inject('/api/openapi.json')).json());
  });
  afterAll(async () => {
    await t.close();
    await idp.close();
  });

  it('has a rule for every published route, and no rule for a route that is gone', () => {
    const published = routes.map((r) => `${r.method} ${r.path}`).sort();
    expect(
      published.filter((k) => !RULES[k]),
      'routes without an authorization rule',
    ).toEqual([]);
    expect(
      Object.keys(RULES).filter((k) => !published.includes(k)),
      'rules for routes that no longer exist',
    ).toEqual([]);
  });

  it('answers each caller as the rules say', async () => {
    const failures: string[] = [];
    let ip = 0;
    for (const route of routes) {
      const rule = RULES[`${route.method} ${route.path}`];
      if (!rule) continue;
      for (const who of WHO) {
        const agent = who === 'anonymous' ? null : await makeAgent(t.p, who, s);
        const req = await rule.request({ p: t.p, s, agent });
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: req.url,
          headers: { ...(agent?.headers(route.method !== 'GET') ?? {}), ...(req.headers ?? {}) },
          // A distinct address per call keeps per-IP throttles out of the walk (they have their own tests).
          remoteAddress: `10.9.${Math.floor(++ip / 250)}.${ip % 250}`,
          ...(req.payload ? { payload: req.payload } : {}),
        });
        const want = expected(rule, who);
        const ok =
          want === 'ok'
            ? rule.okStatus
              ? res.statusCode === rule.okStatus
              : res.statusCode >= 200 && res.statusCode < 300
            : res.statusCode === want;
        if (!ok)
          failures.push(
            `${route.method} ${route.path} as ${who}: expected ${want}, got ${res.statusCode} ${res.body.slice(0, 160)}`,
          );
        if (res.statusCode >= 400) expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
