/**
 * Bench phase: memory growth of the process while one client POSTs 1 GiB without a key to the webhook
 * of the local host and keeps sending whatever it is answered (issue 12.4: this took the host to 4.3 GB).
 * The body is streamed from one reused 64 KiB buffer, never allocated; RSS is sampled every 10 ms.
 */
import net from 'node:net';

export interface BodyCapResult {
  status: number;
  /** Bytes the client had handed to the socket when the answer arrived. */
  sentBeforeAnswerMb: number;
  /** Bytes the client got rid of before the host cut the connection (or it finished). */
  sentTotalMb: number;
  rssGrowthMb: number;
  seconds: number;
}

const MiB = 1024 * 1024;

export async function measureBodyCap(baseUrl: string, totalBytes = 1024 * MiB): Promise<BodyCapResult> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t0 = performance.now();
  try {
    const r = await post(new URL('/api/dataverse/webhook', baseUrl), totalBytes);
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      status: r.status,
      sentBeforeAnswerMb: round(r.sentBeforeAnswer / MiB),
      sentTotalMb: round(r.sent / MiB),
      rssGrowthMb: round((peak - baseline) / MiB),
      seconds: round((performance.now() - t0) / 1000),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** A raw socket, so the client really keeps sending after the answer (an HTTP library would stop). */
function post(url: URL, total: number): Promise<{ status: number; sentBeforeAnswer: number; sent: number }> {
  return new Promise((resolve) => {
    const data = Buffer.alloc(64 * 1024, 0x20);
    const frame = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
    let sent = 0;
    let status = 0;
    let sentBeforeAnswer = -1;
    let over = false;
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    const finish = () => {
      if (over) return;
      over = true;
      socket.destroy();
      resolve({ status, sentBeforeAnswer: sentBeforeAnswer < 0 ? sent : sentBeforeAnswer, sent });
    };
    socket.on('data', (d: Buffer) => {
      if (status !== 0) return;
      status = Number(/^HTTP\/1\.1 (\d{3})/.exec(d.toString('latin1'))?.[1] ?? -1);
      sentBeforeAnswer = sent;
    });
    socket.on('error', finish);
    socket.on('close', finish);
    const pump = () => {
      while (!over && sent < total) {
        sent += data.length;
        if (!socket.write(frame)) return void socket.once('drain', pump);
      }
      if (!over) socket.end('0\r\n\r\n');
    };
    socket.once('connect', () => {
      socket.write(
        `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      pump();
    });
  });
}

const round = (n: number): number => Number(n.toFixed(1));
