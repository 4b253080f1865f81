/**
 * A DNS server on loopback UDP answering TXT queries from a table (RFC 1035 §4.1 message format): enough
 * for node:dns's resolver in the SPF pre-flight tests. Unknown names answer NXDOMAIN (RCODE 3).
 */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface LoopbackDns {
  server: string;
  close(): Promise<void>;
}

export async function startLoopbackDns(txt: Record<string, string[]>): Promise<LoopbackDns> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, from) => socket.send(answer(msg, txt), from.port, from.address));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const { port } = socket.address() as AddressInfo;
  return { server: `127.0.0.1:${port}`, close: () => new Promise((r) => socket.close(() => r())) };
}

function answer(query: Buffer, txt: Record<string, string[]>): Buffer {
  const labels: string[] = [];
  let at = 12;
  while (query[at]! > 0) {
    labels.push(query.subarray(at + 1, at + 1 + query[at]!).toString('ascii'));
    at += query[at]! + 1;
  }
  const questionEnd = at + 5; // zero byte, QTYPE, QCLASS
  const qtype = query.readUInt16BE(at + 1);
  const records = qtype === 16 ? txt[labels.join('.').toLowerCase()] : undefined;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(records ? 0x8180 : 0x8183, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records?.length ?? 0, 6);
  const rrs = (records ?? []).map((text) => {
    const chunks = text.match(/.{1,255}/g) ?? [''];
    const rdata = Buffer.concat(chunks.map((c) => Buffer.concat([Buffer.from([c.length]), Buffer.from(c)])));
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(16, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, query.subarray(12, questionEnd), ...rrs]);
}
