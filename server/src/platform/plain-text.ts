import { z } from 'zod';

// Tags, event handlers and script URLs. Free text is shown in the web app, in e-mails, PDFs and
// exports; refusing markup at the door keeps every one of them safe and says why.
const MARKUP = /<\s*\/?\s*[a-z!?][^>]*>|javascript\s*:|\bon[a-z]+\s*=/i;

/** Free text a person types (names, notes, comments, reasons): trimmed, bounded, and markup refused. */
export const PlainText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !MARKUP.test(s), {
      message: 'Use plain text: markup such as HTML tags or scripts is not accepted.',
    });
