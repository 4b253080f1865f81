/**
 * The invoice PDF a print makes (PrintedSalesInvoices: "Based on this layout a PDF is created and attached to
 * an Exact Online document", round2-facts §4.1), drawn with pdf-lib from what the sandbox holds: number, date,
 * customer, lines and total, the layout's name, in the layout's language (Dutch or English labels).
 * Deterministic: the same snapshot gives the same bytes (metadata dates are the invoice date, no producer
 * clock). The layout of the page itself is the sandbox's [choice]; Exact's own layouts are not reproduced.
 */
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';

export type PdfLanguage = 'NL' | 'EN';

export interface PdfLine {
  description: string;
  quantity: number;
  unitPrice: number | null;
  amount: number;
}

/** What the document shows, taken when the invoice was printed. */
export interface InvoicePdfInput {
  invoiceNumber: number;
  /** YYYY-MM-DD */
  invoiceDate: string;
  customer: string;
  creditNote: boolean;
  lines: PdfLine[];
  total: number;
  currency: string;
  layoutName: string;
  language: PdfLanguage;
  extraText: string | null;
}

const LABELS = {
  NL: {
    invoice: 'Factuur',
    creditNote: 'Creditfactuur',
    number: 'Factuurnummer',
    date: 'Factuurdatum',
    customer: 'Klant',
    description: 'Omschrijving',
    quantity: 'Aantal',
    price: 'Prijs',
    amount: 'Bedrag',
    total: 'Totaal',
    layout: 'Lay-out',
    language: 'Taal',
    languageName: 'Nederlands',
  },
  EN: {
    invoice: 'Invoice',
    creditNote: 'Credit note',
    number: 'Invoice number',
    date: 'Invoice date',
    customer: 'Customer',
    description: 'Description',
    quantity: 'Quantity',
    price: 'Price',
    amount: 'Amount',
    total: 'Total',
    layout: 'Layout',
    language: 'Language',
    languageName: 'English',
  },
} as const;

/** The document's title ("Factuur 25000001"), also its `Subject` and the attachment's file name. */
export function documentTitle(language: PdfLanguage, creditNote: boolean, invoiceNumber: number): string {
  const l = LABELS[language];
  return `${creditNote ? l.creditNote : l.invoice} ${invoiceNumber}`;
}

const money = (language: PdfLanguage, v: number): string =>
  new Intl.NumberFormat(language === 'NL' ? 'nl-NL' : 'en-GB', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(v);

/** Helvetica is WinAnsi: anything it cannot show becomes '?' rather than failing the print. */
const printable = (s: string): string => s.replace(/[^\x20-\x7e\u00a0-\u00ff€]/g, '?');

export async function renderInvoicePdf(input: InvoicePdfInput): Promise<Buffer> {
  const l = LABELS[input.language];
  const title = documentTitle(input.language, input.creditNote, input.invoiceNumber);
  const doc = await PDFDocument.create({ updateMetadata: false });
  const at = new Date(`${input.invoiceDate}T00:00:00Z`);
  doc.setTitle(title);
  doc.setLanguage(input.language === 'NL' ? 'nl-NL' : 'en-GB');
  doc.setCreator('Exact Online sandbox');
  doc.setProducer('pdf-lib');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([595, 842]);
  const text = (s: string, x: number, y: number, f: PDFFont = font, size = 10) =>
    page.drawText(printable(s), { x, y, size, font: f });

  text(title, 50, 780, bold, 18);
  const facts: [string, string][] = [
    [l.number, String(input.invoiceNumber)],
    [l.date, input.invoiceDate],
    [l.customer, input.customer],
    [l.layout, input.layoutName],
    [l.language, l.languageName],
  ];
  facts.forEach(([k, v], i) => {
    text(`${k}:`, 50, 745 - i * 16, bold);
    text(v, 170, 745 - i * 16);
  });
  const y = drawLines(page, input, font, bold, 640);
  text(`${l.total} ${input.currency}`, 330, y - 10, bold);
  text(money(input.language, input.total), 480, y - 10, bold);
  if (input.extraText) text(input.extraText, 50, y - 40);
  return Buffer.from(await doc.save());
}

function drawLines(page: PDFPage, input: InvoicePdfInput, font: PDFFont, bold: PDFFont, top: number): number {
  const l = LABELS[input.language];
  const cols = [50, 330, 400, 480];
  const text = (s: string, x: number, y: number, f: PDFFont) =>
    page.drawText(printable(s), { x, y, size: 10, font: f });
  [l.description, l.quantity, l.price, l.amount].forEach((h, i) => text(h, cols[i]!, top, bold));
  let y = top - 18;
  for (const line of input.lines.slice(0, 30)) {
    text(line.description.slice(0, 50), cols[0]!, y, font);
    text(String(line.quantity), cols[1]!, y, font);
    text(line.unitPrice === null ? '' : money(input.language, line.unitPrice), cols[2]!, y, font);
    text(money(input.language, line.amount), cols[3]!, y, font);
    y -= 16;
  }
  return y;
}
