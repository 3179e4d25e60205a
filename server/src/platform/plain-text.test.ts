import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.ts';

const SCRIPT = 'Lahore <script>alert(1)</script>';

/** Every module's free text refuses markup with the same sentence, and names the field. */
describe('free text is plain text in every module', () => {
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signInAs({
      email: 'a@x.gov',
      displayName: 'A',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
  });
  afterAll(() => t.close());

  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: admin.headers(true), payload });

  it.each([
    [
      'an entity name (registry)',
      '/api/entities',
      {
        registrationNo: 'PK-TXT-1',
        nameEn: SCRIPT,
        kind: 'cii_operator',
        sector: 'telecom',
        subsector: 'telecom.fixed',
        adminUnit: 'PK-SD',
        size: 'large',
      },
      'body.nameEn',
    ],
    [
      'a campaign description (assessments)',
      '/api/campaigns',
      {
        name: 'Check',
        description: '<img src=x onerror=alert(1)>',
        frameworks: ['pk-ncsa-baseline@2026.1'],
        opensOn: '2026-03-01',
        dueOn: '2026-03-20',
      },
      'body.description',
    ],
    [
      'an API token name (tokens)',
      '/api/tokens',
      { name: 'javascript:alert(1)', permissions: ['entities.read'] },
      'body.name',
    ],
  ])('refuses markup in %s', async (_what, url, payload, field) => {
    const res = await post(url, payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({
      errors: [
        {
          path: field,
          message: 'Use plain text: markup such as HTML tags or scripts is not accepted.',
        },
      ],
    });
  });

  it('keeps ordinary text, trimmed', async () => {
    const res = await post('/api/entities', {
      registrationNo: 'PK-TXT-2',
      nameEn: '  Ravi & Sons (Pvt.) Ltd.  ',
      kind: 'cii_operator',
      sector: 'telecom',
      subsector: 'telecom.fixed',
      adminUnit: 'PK-SD',
      size: 'large',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ nameEn: string }>().nameEn).toBe('Ravi & Sons (Pvt.) Ltd.');
  });
});
