import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../test/harness.ts';
import { createServices, registerJobs } from './services.ts';

describe('the composition root', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.close());

  it('registers every background job from the services alone, without an HTTP app', async () => {
    registerJobs(t.p, createServices(t.p));
    // Each handler finds nothing to do on an empty database, and so finishes.
    await t.p.jobs.enqueue(t.p.db, 'compliance.sweep', {});
    await t.p.jobs.enqueue(t.p.db, 'compliance.entity', { entityId: 'none' });
    await t.p.jobs.enqueue(t.p.db, 'assessment.overdue', { campaignId: 'none' });
    await t.p.jobs.runDue(10);
    const jobs = await t.p.db
      .selectFrom('jobs')
      .select(['kind', 'status', 'last_error'])
      .where('kind', 'in', ['compliance.sweep', 'compliance.entity', 'assessment.overdue'])
      .execute();
    // A handler missing would leave its job with an error instead of done.
    for (const kind of ['compliance.sweep', 'compliance.entity', 'assessment.overdue'])
      expect(jobs.filter((j) => j.kind === kind && j.status === 'done')).not.toHaveLength(0);
    expect(jobs.filter((j) => j.last_error)).toEqual([]);
  });
});
