import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.ts';
import { detectMediaType } from './magic.ts';
import { safeFileName } from './storage.ts';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('file storage', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform({ env: { QILA_MAX_UPLOAD_MB: '1' } });
  });
  afterAll(() => t.close());

  it('stores content by its SHA-256 and records it', async () => {
    const stored = await t.p.files.store(t.p.db, {
      content: pdf,
      originalName: 'report.pdf',
      allowed: ['application/pdf'],
      createdBy: null,
    });
    expect(stored.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(stored.mediaType).toBe('application/pdf');
    expect(await t.p.files.read(stored.sha256)).toEqual(pdf);
    const row = await t.p.db
      .selectFrom('files')
      .selectAll()
      .where('id', '=', stored.id)
      .executeTakeFirstOrThrow();
    expect(row.size_bytes).toBe(pdf.length);
  });

  it('judges type by magic bytes, not by the name', async () => {
    await expect(
      t.p.files.store(t.p.db, {
        content: png,
        originalName: 'invoice.pdf',
        allowed: ['application/pdf'],
        createdBy: null,
      }),
    ).rejects.toMatchObject({ status: 415, code: 'unsupported_file_type' });
    expect(detectMediaType(Buffer.from('MZ\x90\x00'), 'tool.pdf')).toBeNull();
    expect(detectMediaType(Buffer.from('a,b\n1,2\n'), 'x.csv')).toBe('text/csv');
    expect(detectMediaType(Buffer.from([0xff, 0xfe, 0x00, 0x41]), 'x.txt')).toBeNull();
  });

  it('refuses files over the size limit and empty files', async () => {
    const big = Buffer.concat([pdf, Buffer.alloc(1024 * 1024)]);
    await expect(
      t.p.files.store(t.p.db, {
        content: big,
        originalName: 'big.pdf',
        allowed: ['application/pdf'],
        createdBy: null,
      }),
    ).rejects.toMatchObject({
      status: 413,
      code: 'file_too_large',
    });
    await expect(
      t.p.files.store(t.p.db, {
        content: Buffer.alloc(0),
        originalName: 'e.pdf',
        allowed: ['application/pdf'],
        createdBy: null,
      }),
    ).rejects.toMatchObject({
      status: 400,
    });
  });

  it('strips directories and control characters from file names', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('..\\..\\windows\\system.ini')).toBe('system.ini');
    expect(safeFileName('a\u0000b\nc.pdf')).toBe('abc.pdf');
    expect(safeFileName('...')).toBe('file');
    expect(safeFileName('x'.repeat(500)).length).toBe(200);
  });
});
