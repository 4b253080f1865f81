/**
 * The SML as a DNS server on loopback, UDP and TCP (RFC 1035 §4.2; TCP messages carry a two-byte length).
 * It is authoritative for one zone: a configured participant's U-NAPTR name answers its `Meta:SMP` NAPTR
 * record, any other name in the zone NXDOMAIN, a name outside it REFUSED. Sources: README.md.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import * as packet from 'dns-packet';

/** What the server does for one DNS name. */
export type DnsBehaviour = { kind: 'naptr'; smpUrl: string } | { kind: 'servfail' } | { kind: 'timeout' };

export interface DnsSandbox {
  /** `127.0.0.1:<port>`, for `Resolver.setServers`. */
  server: string;
  port: number;
  /** Queries answered (or dropped), by name. */
  queries: string[];
  close(): Promise<void>;
}

export async function startDnsServer(
  zone: string,
  behaviourOf: (name: string) => DnsBehaviour | undefined,
): Promise<DnsSandbox> {
  const queries: string[] = [];
  const answer = (query: Buffer): Buffer | null => {
    let q: packet.Packet;
    try {
      q = packet.decode(query);
    } catch {
      return null;
    }
    const question = q.questions?.[0];
    if (!question) return null;
    const name = question.name.toLowerCase();
    queries.push(name);
    const behaviour = behaviourOf(name);
    if (behaviour?.kind === 'timeout') return null;
    return packet.encode(reply(q, question, zone.toLowerCase(), behaviour));
  };
  const { udp, tcp, port } = await bindBoth(
    (msg, rinfo, socket) => {
      const out = answer(msg);
      if (out) socket.send(out, rinfo.port, rinfo.address);
    },
    (socket) => serveTcp(socket, answer),
  );
  return {
    server: `127.0.0.1:${port}`,
    port,
    queries,
    close: async () => {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

/**
 * UDP and TCP on one port number. The UDP port is free when bound, but the same TCP port may be taken (by
 * another process's ephemeral port, as seen in CI), so a pair that does not fit is released and tried again.
 */
async function bindBoth(
  onMessage: (msg: Buffer, rinfo: dgram.RemoteInfo, socket: dgram.Socket) => void,
  onConnection: (socket: net.Socket) => void,
): Promise<{ udp: dgram.Socket; tcp: net.Server; port: number }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = dgram.createSocket('udp4');
    udp.on('message', (msg, rinfo) => onMessage(msg, rinfo, udp));
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const port = udp.address().port;
    const tcp = net.createServer(onConnection);
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, '127.0.0.1', resolve);
      });
      return { udp, tcp, port };
    } catch (err) {
      lastError = err;
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  throw lastError;
}

function reply(
  q: packet.Packet,
  question: packet.Question,
  zone: string,
  behaviour: DnsBehaviour | undefined,
): packet.Packet {
  const name = question.name.toLowerCase();
  const base = { id: q.id, type: 'response' as const, questions: [question] };
  const flags = (rcode: number, authoritative: boolean): number =>
    (authoritative ? packet.AUTHORITATIVE_ANSWER : 0) | ((q.flags ?? 0) & packet.RECURSION_DESIRED) | rcode;
  const inZone = name === zone || name.endsWith(`.${zone}`);
  if (!inZone) return { ...base, flags: flags(5, false) }; // REFUSED: not this server's zone
  if (behaviour?.kind === 'servfail') return { ...base, flags: flags(2, false) }; // SERVFAIL
  if (behaviour === undefined) return { ...base, flags: flags(3, true), authorities: [soa(zone)] }; // NXDOMAIN
  if (behaviour.kind !== 'naptr' || question.type !== 'NAPTR')
    return { ...base, flags: flags(0, true), authorities: [soa(zone)] }; // NODATA
  const naptr: packet.NaptrAnswer = {
    type: 'NAPTR',
    name: question.name,
    ttl: 60,
    class: 'IN',
    data: {
      order: 100,
      preference: 10,
      flags: 'U',
      services: 'Meta:SMP',
      regexp: `!^.*$!${behaviour.smpUrl}!`,
      replacement: '',
    },
  };
  return { ...base, flags: flags(0, true), answers: [naptr] };
}

function soa(zone: string): packet.Answer {
  return {
    type: 'SOA',
    name: zone,
    ttl: 60,
    class: 'IN',
    data: {
      mname: `ns.${zone}`,
      rname: `hostmaster.${zone}`,
      serial: 1,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum: 60,
    },
  };
}

/** TCP: each message is preceded by its two-byte length (RFC 1035 §4.2.2). */
function serveTcp(socket: net.Socket, answer: (q: Buffer) => Buffer | null): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const length = buffered.readUInt16BE(0);
      if (buffered.length < 2 + length) break;
      const out = answer(buffered.subarray(2, 2 + length));
      buffered = buffered.subarray(2 + length);
      if (out) {
        const framed = Buffer.alloc(2 + out.length);
        framed.writeUInt16BE(out.length, 0);
        out.copy(framed, 2);
        socket.write(framed);
      }
    }
  });
  socket.on('error', () => socket.destroy());
}
