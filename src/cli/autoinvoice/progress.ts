/**
 * A batch's progress: a bar on a terminal (cli-progress), plain lines otherwise (a log, a pipe, CI). The ETA
 * is the connector's, from the administration's remaining Exact budget.
 */
import { SingleBar } from 'cli-progress';
import type { Progress } from './client';
import { duration, type Out } from './format';

export interface ProgressView {
  update(p: Progress): void;
  stop(): void;
}

export function progressView(stream: NodeJS.WritableStream & { isTTY?: boolean }, out: Out): ProgressView {
  if (stream.isTTY) return barView(stream);
  let last = -1;
  return {
    update(p) {
      if (p.done === last) return;
      last = p.done;
      out(`progress ${p.done}/${p.total} (${p.percent} %)${eta(p)}`);
    },
    stop: () => undefined,
  };
}

function barView(stream: NodeJS.WritableStream): ProgressView {
  const bar = new SingleBar({
    stream,
    format: '{bar} {percentage} % | {value}/{total} invoices |{etaText}',
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: false,
    clearOnComplete: false,
    fps: 20,
  });
  let started = false;
  return {
    update(p) {
      const payload = { etaText: eta(p) || ' done' };
      if (!started) {
        bar.start(p.total, p.done, payload);
        started = true;
      } else bar.update(p.done, payload);
      if (p.done === p.total) bar.render();
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function eta(p: Progress): string {
  if (p.done >= p.total) return '';
  const beyond =
    p.eta.beyondDailyBudget > 0 ? `; ${p.eta.beyondDailyBudget} wait for tomorrow's Exact budget` : '';
  return ` ETA ${duration(p.eta.seconds)}${beyond}`;
}
