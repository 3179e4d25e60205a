import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandling } from './problem.ts';

describe('the error handler', () => {
  it('answers a saturated connection pool 503 busy with Retry-After, not 500', async () => {
    const app = Fastify({ logger: false });
    registerErrorHandling(app);
    app.get('/busy', () => {
      // What pg's Pool throws when no connection frees up within connectionTimeoutMillis.
      throw new Error('timeout exceeded when trying to connect');
    });
    const res = await app.inject('/busy');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'busy', status: 503, title: 'Service unavailable' });
    await app.close();
  });
});
