/**
 * Without `Accept: application/json` Exact answers in XML (Atom for data, the OData error element for
 * errors): reference §3 "Headers" ("Mandatory; otherwise XML/Atom comes back", CE, BU). The sandbox renders
 * its JSON answer in the OData v2 Atom form, so a client that forgets the header cannot read it as JSON.
 */
import type { Reply } from './http';

const NS =
  'xmlns="http://www.w3.org/2005/Atom" xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"';
const esc = (v: unknown): string =>
  String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function entry(row: Record<string, unknown>): string {
  const meta = (row.__metadata ?? {}) as { uri?: string; type?: string };
  const props = Object.entries(row)
    .filter(([k, v]) => k !== '__metadata' && (v === null || typeof v !== 'object'))
    .map(([k, v]) => (v === null ? `<d:${k} m:null="true" />` : `<d:${k}>${esc(v)}</d:${k}>`))
    .join('');
  return `<entry><id>${esc(meta.uri ?? '')}</id><category term="${esc(meta.type ?? '')}" scheme="http://schemas.microsoft.com/ado/2007/08/dataservices/scheme" /><content type="application/xml"><m:properties>${props}</m:properties></content></entry>`;
}

export function asXml(reply: Reply): Reply {
  const body = reply.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return reply;
  const headers = { ...reply.headers, 'Content-Type': 'application/atom+xml;type=feed;charset=utf-8' };
  const head = '<?xml version="1.0" encoding="utf-8"?>';
  const error = body.error as { message?: { value?: string } } | undefined;
  if (error) {
    const text = `${head}<error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><code></code><message xml:lang="">${esc(error.message?.value ?? '')}</message></error>`;
    return {
      ...reply,
      headers: { ...reply.headers, 'Content-Type': 'application/xml;charset=utf-8' },
      body: text,
    };
  }
  const d = body.d as Record<string, unknown> | Array<Record<string, unknown>> | undefined;
  const rows = Array.isArray(d)
    ? d
    : Array.isArray(d?.results)
      ? (d.results as Array<Record<string, unknown>>)
      : null;
  if (!rows)
    return {
      ...reply,
      headers: { ...headers, 'Content-Type': 'application/atom+xml;type=entry;charset=utf-8' },
      body: `${head}${entry((d ?? {}) as Record<string, unknown>).replace('<entry>', `<entry ${NS}>`)}`,
    };
  const next =
    !Array.isArray(d) && typeof d?.__next === 'string' ? `<link rel="next" href="${esc(d.__next)}" />` : '';
  return { ...reply, headers, body: `${head}<feed ${NS}>${rows.map(entry).join('')}${next}</feed>` };
}
