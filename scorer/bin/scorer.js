#!/usr/bin/env node
/**
 * `npm run scorer`: starts the TypeScript CLI (scorer/src/cli.ts) without ts-node, through the cached
 * transpile hook in ts-hook.js (a start costs ~0.3 s of CPU instead of ~2 s), with the V8 flags of
 * node-flags.js.
 */
"use strict";
const NODE_FLAGS = require("./node-flags");

/**
 * V8 reads heap sizes only at start: run once more with the scorer's flags, as a child that gets this
 * process's stdio and the signals it receives (Ctrl-C, kill), and whose exit it mirrors.
 */
function restartWithFlags() {
  const { spawn } = require("node:child_process");
  const child = spawn(process.execPath, [...NODE_FLAGS, ...process.execArgv, __filename, ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  const forward = (signal) => child.kill(signal);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, forward);
  child.on("error", (e) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}

function run() {
  require("./ts-hook");
  // Source maps are inlined in the cache but not enabled: parsing them costs ~0.2 s a start. For stack traces
  // with TypeScript lines, run `node --enable-source-maps scorer/bin/scorer.js …`.
  require("../src/cli.ts").runMain();
}

if (NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) run();
else restartWithFlags();
