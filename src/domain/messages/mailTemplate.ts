/**
 * The invoice email's text when the administration names no Dataverse template (decision 0102): a short,
 * neutral letter in the organisation's language. `%n` is the invoice number, as in a Dataverse template.
 */
import type { Language } from '../types';

export interface MailText {
  subject: string;
  bodyHtml: string;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function defaultMailText(lang: Language, administration: string | null): MailText {
  const from = administration ? esc(administration) : null;
  if (lang === 'nl') {
    return {
      subject: from ? `Factuur %n van ${administration}` : 'Factuur %n',
      bodyHtml: `<p>Geachte heer, mevrouw,</p><p>Bijgaand ontvangt u factuur %n.</p><p>Met vriendelijke groet,<br>${from ?? ''}</p>`,
    };
  }
  return {
    subject: from ? `Invoice %n from ${administration}` : 'Invoice %n',
    bodyHtml: `<p>Dear customer,</p><p>Please find invoice %n attached.</p><p>Kind regards,<br>${from ?? ''}</p>`,
  };
}
