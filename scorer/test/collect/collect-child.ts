/**
 * A collector in a child process, for the kill test: `collect-child.ts <collect.json> <out> <api-base> <clock ms>`,
 * token from X_BEARER_TOKEN, the clock standing still at <clock ms> (so runs are comparable byte for byte).
 */
import { runCollect } from "../../src/collect/collect";

const [configPath, outDir, apiBase, clock] = process.argv.slice(2);
runCollect({
  configPath,
  outDir,
  apiBase,
  bearerToken: process.env.X_BEARER_TOKEN ?? "",
  now: () => Number(clock),
  retry: { baseDelayMs: 5, maxDelayMs: 40, resetSlackMs: 0 },
}).then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  },
);
