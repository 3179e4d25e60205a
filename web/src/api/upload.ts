import { ApiError, csrfHeaders, problemToError } from './client';

/** What the server accepts as an attachment (it checks the bytes too): documents, images, logs, archives. */
export const ATTACHMENT_ACCEPT = '.pdf,.png,.jpg,.jpeg,.gif,.txt,.log,.csv,.json,.zip,.gz,.docx,.xlsx';

/**
 * Sends one file as the multipart field "file" and answers the server's JSON. A refusal becomes an
 * ApiError with the problem's detail and field, like any other call.
 */
export async function uploadFile<T>(url: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...csrfHeaders() },
    });
  } catch {
    throw new ApiError({ status: 0, code: 'network_error', detail: null });
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw problemToError(res, body);
  return body as T;
}
