/**
 * Media type from the first bytes of a file, never from its name or the client's claim.
 * Office documents are ZIP containers; their extension picks the OOXML type once the
 * container itself is confirmed.
 */
export type MediaType =
  | 'application/pdf'
  | 'image/png'
  | 'image/jpeg'
  | 'image/gif'
  | 'application/zip'
  | 'application/gzip'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  | 'application/json'
  | 'text/csv'
  | 'text/plain';

const startsWith = (buf: Buffer, sig: number[], offset = 0): boolean =>
  buf.length >= offset + sig.length && sig.every((b, i) => buf[offset + i] === b);

function isUtf8Text(buf: Buffer): boolean {
  if (buf.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

/** No NUL bytes and no control characters other than tab, CR, LF and form feed. */
function looksLikeText(buf: Buffer): boolean {
  for (const b of buf.subarray(0, 64 * 1024))
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return false;
  return true;
}

export function detectMediaType(buf: Buffer, fileName: string): MediaType | null {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(buf, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (startsWith(buf, [0x1f, 0x8b])) return 'application/gzip';
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04]) || startsWith(buf, [0x50, 0x4b, 0x05, 0x06])) {
    if (ext === 'docx') return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (ext === 'xlsx') return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    return 'application/zip';
  }
  // A CSV in a legacy encoding is still a CSV: the importer reports its bad rows by number.
  if (ext === 'csv' && buf.length > 0 && looksLikeText(buf)) return 'text/csv';
  if (buf.length > 0 && isUtf8Text(buf)) {
    if (ext === 'json') {
      try {
        JSON.parse(buf.toString('utf8'));
        return 'application/json';
      } catch {
        return null;
      }
    }
    return ext === 'csv' ? 'text/csv' : 'text/plain';
  }
  return null;
}
