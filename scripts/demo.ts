/**
 * `npm run demo`: the whole Like2Earn story on the in-process chain (or `--network localhost` against
 * `npx hardhat node`), printed step by step and reconciled to the wei. The flow lives in
 * scripts/lib/demo-flow.ts, which the e2e test runs too.
 *
 *   npm run demo
 *   npx hardhat node &  npx hardhat run scripts/demo.ts --network localhost
 *
 * Environment: L2E_DEMO_OUT (default out/demo), L2E_SAMPLE_DIR (default data/sample).
 */
import hre from "hardhat";
import { runDemo } from "./lib/demo-flow";
import { Like2EarnError } from "./lib/errors";

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`Like2Earn demo on network "${hre.network.name}"`);
  const result = await runDemo(hre, {
    outDir: process.env.L2E_DEMO_OUT ?? "out/demo",
    sampleDir: process.env.L2E_SAMPLE_DIR,
    log: console.log,
  });
  console.log(
    `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s: event ${result.eventId} and channel ${result.channelId} paid out and settled; every wei accounted for.`,
  );
  if (hre.network.name === "localhost") {
    console.log("Try the user commands against the node, e.g.:");
    console.log(`  npx hardhat status --network localhost --account ${result.wallets.find((w) => w.label.startsWith("user"))?.account} --dir out/demo`);
  }
}

main().catch((err) => {
  if (err instanceof Like2EarnError) console.error(`\ndemo failed: ${err.message}`);
  else console.error(err);
  process.exitCode = 1;
});
