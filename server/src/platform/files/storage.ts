import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../clock.ts';
import { AppError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Executor } from '../jobs/jobs.ts';
import { detectMediaType, type MediaType } from './magic.ts';

export interface StoredFile {
  id: string;
  sha256: string;
  sizeBytes: number;
  mediaType: MediaType;
  originalName: string;
}

export interface StoreRequest {
  content: Buffer;
  originalName: string;
  allowed: readonly MediaType[];
  createdBy: string | null;
}

/** Keeps only a safe base name: no directories, no control characters, bounded length. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/\p{Cc}/gu, '')
    // Direction overrides can make "evil.exe.pdf" display as something else.
    .replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'file';
}

export interface FileStore {
  /** Writes the bytes (content-addressed, so duplicates share storage) and records them in `ex`. */
  store(ex: Executor, req: StoreRequest): Promise<StoredFile>;
  read(sha256: string): Promise<Buffer>;
}

export function createFileStore(deps: { root: string; maxBytes: number; clock: Clock }): FileStore {
  const keyFor = (sha: string) => path.join(sha.slice(0, 2), sha.slice(2, 4), sha);
  return {
    async store(ex, req) {
      if (req.content.length === 0) throw new ValidationError('The file is empty.');
      if (req.content.length > deps.maxBytes) {
        throw new AppError(
          413,
          'file_too_large',
          `The file is ${(req.content.length / 1048576).toFixed(1)} MB; the limit is ${Math.floor(deps.maxBytes / 1048576)} MB.`,
        );
      }
      const originalName = safeFileName(req.originalName);
      const mediaType = detectMediaType(req.content, originalName);
      if (!mediaType || !req.allowed.includes(mediaType)) {
        throw new AppError(
          415,
          'unsupported_file_type',
          `The content of ${originalName} is not one of the accepted types (${req.allowed.join(', ')}).`,
        );
      }
      const sha256 = createHash('sha256').update(req.content).digest('hex');
      const key = keyFor(sha256);
      const full = path.join(deps.root, key);
      await mkdir(path.dirname(full), { recursive: true });
      // Write then rename, so a crash never leaves a half-written file under the final name.
      const tmp = `${full}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, req.content, { flag: 'wx' });
      await rename(tmp, full);
      const now = deps.clock.now();
      const id = newId(now.getTime());
      await ex
        .insertInto('files')
        .values({
          id,
          sha256,
          size_bytes: req.content.length,
          media_type: mediaType,
          original_name: originalName,
          storage_key: key,
          created_by: req.createdBy,
          created_at: now.toISOString(),
        })
        .execute();
      return { id, sha256, sizeBytes: req.content.length, mediaType, originalName };
    },
    async read(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ValidationError('Not a SHA-256 digest.');
      return readFile(path.join(deps.root, keyFor(sha256)));
    },
  };
}
