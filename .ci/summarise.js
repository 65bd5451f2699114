// Sums mocha's "N passing" / "N failing" lines over every suite in an npm test log and prints
// `N passed, M failed`. A failed run whose failures mocha did not count (a type error, a crash
// before any suite) still counts as one failure, so the line never reads "…, 0 failed" on red.
"use strict";
const fs = require("node:fs");
const [logPath, statusText] = process.argv.slice(2);
const text = fs.readFileSync(logPath, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
let passed = 0;
let failed = 0;
for (const m of text.matchAll(/^\s*(\d+) passing\b/gm)) passed += Number(m[1]);
for (const m of text.matchAll(/^\s*(\d+) failing\b/gm)) failed += Number(m[1]);
if (Number(statusText) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
