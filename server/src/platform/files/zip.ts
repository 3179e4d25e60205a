import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { AppError, ValidationError } from '../errors.ts';

/** One member of a ZIP archive, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** What the archive claims; the bytes are counted again while unpacking, so a lie gains nothing. */
  uncompressedSize: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * The members of a ZIP archive held in memory, read from its central directory without
 * unpacking anything. Archives this code does not need to read (ZIP64, encrypted, split) are
 * refused as unreadable rather than guessed at.
 */
export function zipEntries(buf: Buffer, unreadable: string): Map<string, ZipEntry> {
  const bad = () => new ValidationError(unreadable, { field: 'file' });
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--)
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw bad();
  const count = buf.readUInt16LE(eocd + 10);
  const dirSize = buf.readUInt32LE(eocd + 12);
  const dirStart = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirStart === 0xffffffff || dirStart + dirSize > eocd) throw bad();
  const entries = new Map<string, ZipEntry>();
  let at = dirStart;
  for (let n = 0; n < count; n++) {
    if (at + 46 > eocd || buf.readUInt32LE(at) !== CENTRAL) throw bad();
    const flags = buf.readUInt16LE(at + 8);
    const nameLength = buf.readUInt16LE(at + 28);
    const entry: ZipEntry = {
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      uncompressedSize: buf.readUInt32LE(at + 24),
      localOffset: buf.readUInt32LE(at + 42),
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
    };
    const encrypted = (flags & 0x1) !== 0;
    if (encrypted || entry.uncompressedSize === 0xffffffff || entry.compressedSize === 0xffffffff)
      throw bad();
    entries.set(entry.name, entry);
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * The unpacked bytes of one member, in chunks, never more than `maxBytes` in total whatever the
 * archive claims: past the limit the read stops with a 413 that names it. Unpacking runs in
 * zlib's thread pool, so other requests are served between chunks.
 */
export async function* unpackEntry(
  buf: Buffer,
  entry: ZipEntry,
  limit: { maxBytes: number; what: string },
): AsyncGenerator<Buffer> {
  const tooLarge = () =>
    new AppError(
      413,
      'file_too_large',
      `${limit.what} unpacks to more than ${Math.floor(limit.maxBytes / 1048576)} MB, the most this import reads.`,
      { field: 'file' },
    );
  if (entry.uncompressedSize > limit.maxBytes) throw tooLarge();
  const at = entry.localOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL)
    throw new ValidationError(`${limit.what} is damaged.`, { field: 'file' });
  const dataStart = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const data = buf.subarray(dataStart, dataStart + entry.compressedSize);
  if (entry.method !== 0 && entry.method !== 8)
    throw new ValidationError(`${limit.what} is packed in a way this import does not read.`, {
      field: 'file',
    });
  const source = Readable.from([data]);
  const stream = entry.method === 8 ? source.pipe(createInflateRaw()) : source;
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit.maxBytes) throw tooLarge();
      yield chunk;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new ValidationError(`${limit.what} is damaged (${(err as Error).message}).`, { field: 'file' });
  } finally {
    source.destroy();
    stream.destroy();
  }
}
