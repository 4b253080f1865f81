/**
 * The text a PDF shows, read back with pdf-lib: every page's content streams (Flate-decoded when filtered)
 * and the strings of their text-showing operators (`<hex> Tj` and `(literal) Tj`), in WinAnsi/Latin-1.
 */
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, type PDFObject } from 'pdf-lib';

function streamsOf(doc: PDFDocument, contents: PDFObject | undefined): PDFRawStream[] {
  if (contents instanceof PDFRawStream) return [contents];
  if (contents instanceof PDFArray)
    return contents.asArray().flatMap((ref) => streamsOf(doc, doc.context.lookup(ref)));
  return [];
}

export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  const out: string[] = [];
  for (const page of doc.getPages()) {
    for (const stream of streamsOf(doc, page.node.Contents())) {
      const raw = Buffer.from(stream.contents);
      const filtered = stream.dict.get(PDFName.of('Filter')) !== undefined;
      const ops = (filtered ? inflateSync(raw) : raw).toString('latin1');
      for (const m of ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g))
        out.push(m[1] !== undefined ? Buffer.from(m[1], 'hex').toString('latin1') : m[2]!);
    }
  }
  return out;
}
