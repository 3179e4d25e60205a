import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AppInstance } from '../../platform/http/app-instance.ts';
import { csvLine, type CsvValue } from '../../platform/export/csv.ts';
import { jurisdictionToday } from '../../platform/jurisdiction/today.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Services } from '../../services.ts';
import { AuditQuery, AuditRecord } from './audit.service.ts';

const COLUMNS = [
  'seq',
  'at',
  'actorLabel',
  'actorId',
  'onBehalfOf',
  'action',
  'objectType',
  'objectId',
  'before',
  'after',
  'ip',
  'requestId',
  'hash',
] as const;

export function auditRoutes(app: AppInstance, p: Platform, s: Services): void {
  const { audit } = s.audit;
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first, filtered',
        querystring: AuditQuery,
        response: { 200: z.object({ items: z.array(AuditRecord), nextBefore: z.number().nullable() }) },
      },
    },
    async (req) => audit.list(req.ctx, req.query),
  );

  app.get(
    '/api/audit/export',
    {
      schema: {
        tags: ['audit'],
        summary: 'Export the filtered audit trail as CSV or JSON (at most 100,000 records)',
        querystring: AuditQuery.omit({ before: true, limit: true }).extend({
          format: z.enum(['csv', 'json']).default('csv'),
        }),
        produces: ['text/csv', 'application/json'],
      },
    },
    async (req, reply) => {
      const { format, ...filters } = req.query;
      const records = audit.export(req.ctx, filters);
      // Pull the first record now, so a permission failure is still a proper problem response.
      const first = await records.next();
      const stamp = jurisdictionToday(p.clock, p.catalog.profile);
      async function* body() {
        if (format === 'csv') yield csvLine([...COLUMNS]);
        else yield '[';
        let n = 0;
        for (let r = first; !r.done; r = await records.next()) {
          const rec = r.value;
          yield format === 'csv'
            ? csvLine(COLUMNS.map((c) => rec[c] as CsvValue))
            : `${n++ ? ',' : ''}\n${JSON.stringify(rec)}`;
        }
        if (format === 'json') yield '\n]\n';
      }
      return reply
        .header(
          'content-type',
          format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        )
        .header('content-disposition', `attachment; filename="qila-audit-${stamp}.${format}"`)
        .send(Readable.from(body()));
    },
  );
}
