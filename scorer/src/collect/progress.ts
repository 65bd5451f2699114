/**
 * Progress of `collect` on stderr: plain lines (posts done, rate-limit waits with the time they end,
 * retries, polls); on a terminal, also a status line rewritten in place (requests, pages, waits).
 */
import type { CollectEvent } from "./collect";

function clock(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function createCollectProgress(stream: NodeJS.WriteStream): { onEvent: (e: CollectEvent) => void; stop: () => void } {
  const tty = Boolean(stream.isTTY);
  let requests = 0;
  let pages = 0;
  let waits = 0;
  let status = "";
  const line = (text: string) => {
    if (tty && status) stream.write("\r\x1b[K");
    stream.write(`${text}\n`);
    if (tty && status) stream.write(status);
  };
  const redraw = (text: string) => {
    if (!tty) return;
    status = text;
    stream.write(`\r\x1b[K${status}`);
  };
  return {
    onEvent(e) {
      switch (e.kind) {
        case "request":
          requests++;
          redraw(`collect: ${requests} requests, ${pages} pages, ${waits} waits · ${e.request.split("?")[0]}`);
          break;
        case "response":
          if (e.status === 200) pages++;
          break;
        case "rate-limited":
          waits++;
          line(`rate limited on ${e.request.split("?")[0]}: waiting ${seconds(e.waitMs)}, resuming at ${clock(e.resumeAt)}`);
          break;
        case "retry":
          waits++;
          line(`retry ${e.attempt} of ${e.request.split("?")[0]} in ${seconds(e.delayMs)}: ${e.reason}`);
          break;
        case "poll":
          line(`poll ${e.poll + 1}${e.polls ? ` of ${e.polls}` : ""} at ${clock(e.at)}`);
          break;
        case "wait-poll":
          line(`next poll (${e.poll + 1}) at ${clock(e.until)}`);
          break;
        case "resume":
          line(`resuming from the saved state (poll ${e.poll + 1})`);
          break;
        case "post":
          line(`post ${e.tweetId} done (${e.done}/${e.total}): ${Object.entries(e.pages).map(([k, v]) => `${k} ${v} page${v === 1 ? "" : "s"}`).join(", ")}`);
          break;
        case "warning":
          line(`warning: ${e.message}`);
          break;
        case "stats":
          break;
      }
    },
    stop() {
      if (tty && status) stream.write("\r\x1b[K");
      status = "";
    },
  };
}
