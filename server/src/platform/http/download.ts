import type { FastifyReply } from 'fastify';

/**
 * Answers with a stored file as a download. Uploaded files go out as opaque bytes (never rendered
 * by the browser, whatever they claim to be), under their own name in RFC 6266 form with a plain
 * ASCII fallback for old clients.
 */
export function sendStoredFile(reply: FastifyReply, file: { content: Buffer; fileName: string }) {
  const ascii = file.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return reply
    .header('content-type', 'application/octet-stream')
    .header('x-content-type-options', 'nosniff')
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    )
    .send(file.content);
}
