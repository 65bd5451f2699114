"use strict";
/**
 * The V8 flags the scorer runs with (the launcher restarts itself with them; the benchmark's ingest-alone run
 * uses them too, so it measures what the CLI does).
 *
 * --max-semi-space-size=64: ingest and scoring allocate millions of short-lived objects (one per engagement
 * row); with V8's default young generation (16 MiB semi-spaces) the scavenger runs thousands of times and took
 * ~1.3 s of a 7 s score of 1M engagements. 64 MiB semi-spaces cut the wall time by ~1 s (6.1–6.4 s vs
 * 7.0–8.1 s, alternating runs on this 2-core machine) for ~100 MiB more peak RSS (≈ 510 MiB).
 */
module.exports = ["--max-semi-space-size=64"];
