/**
 * A require hook for the scorer's TypeScript sources: each .ts module is transpiled once (TypeScript's
 * transpileModule, no type check — `npx tsc --noEmit` does that) and the JS kept in
 * node_modules/.cache/like2earn-scorer/, keyed by a hash of the source and the compiler version, so later
 * starts load plain JS and never load the TypeScript compiler. Editing a source changes its hash: there
 * is no build step to forget and no stale output. L2E_SCORER_CACHE moves the cache. Used by
 * scorer/bin/scorer.js and by the tree's worker threads (L2E_SCORER_TS_HOOK names this file to them).
 */
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const cacheDir = process.env.L2E_SCORER_CACHE || path.join(root, "node_modules", ".cache", "like2earn-scorer");
const tsVersion = require(path.join(root, "node_modules", "typescript", "package.json")).version;
let ts; // loaded on the first cache miss only

function compile(source, filename) {
  ts ??= require("typescript");
  return ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      resolveJsonModule: true,
      inlineSourceMap: true,
    },
  }).outputText;
}

require.extensions[".ts"] = function loadTs(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const key = createHash("sha1").update(tsVersion).update("\0").update(filename).update("\0").update(source).digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  let js;
  try {
    js = fs.readFileSync(cached, "utf8");
  } catch {
    js = compile(source, filename);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, js);
      fs.renameSync(tmp, cached); // atomic: a concurrent start never reads half a file
    } catch {
      /* a read-only cache only costs speed */
    }
  }
  module._compile(js, filename);
};

process.env.L2E_SCORER_TS_HOOK = __filename;
