import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../errors.ts';

/** The path of the first string containing a NUL character, or null. Bounded depth. */
function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.includes('\u0000')) return `${path}.${k.split('\u0000').join('\\0')}`;
    const found = findNul(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Text never carries NUL characters: PostgreSQL refuses them outright and no form produces them,
 * so they are refused before validation with the field named, on every route and both databases.
 */
export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (req: FastifyRequest) => {
    for (const [part, value] of [
      ['params', req.params],
      ['querystring', req.query],
      ['body', req.body],
    ] as const) {
      const at = findNul(value, part);
      if (at)
        throw new ValidationError(`${at} contains a NUL character, which text may not contain.`, {
          field: at.replace(/^body\./, ''),
        });
    }
  });
}

/**
 * The uploaded file of a multipart request. A malformed body (no boundary, cut short) is the
 * client's mistake and answers 400 instead of surfacing the parser's error as a 500.
 */
export async function readUpload(req: FastifyRequest): Promise<{ content: Buffer; fileName: string }> {
  let file: Awaited<ReturnType<FastifyRequest['file']>>;
  let content: Buffer;
  try {
    file = await req.file();
    if (!file) throw new ValidationError('Attach the file in the "file" field.', { field: 'file' });
    content = await file.toBuffer();
  } catch (err) {
    if (err instanceof ValidationError || (err as { statusCode?: number }).statusCode) throw err;
    throw new ValidationError(`The upload is not a readable multipart body (${(err as Error).message}).`, {
      field: 'file',
    });
  }
  return { content, fileName: file.filename };
}
