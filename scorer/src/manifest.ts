/**
 * The manifest's Node edge: hashing files, the scorer's version, reading `manifest.json` from disk. The format
 * itself (schema, load, dump, version check) is `format/manifest.ts`.
 */
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ManifestError } from "./errors";
import { loadManifest, type Manifest } from "./format/manifest";

/** SHA-256 of a file, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash("sha256");
    createReadStream(path)
      .on("data", (d) => h.update(d))
      .on("error", fail)
      .on("end", () => ok(h.digest("hex")));
  });
}

export function sha256Text(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The scorer's version, from the repository's package.json. */
export function scorerVersion(): string {
  try {
    return (JSON.parse(readFileSync(resolve(__dirname, "../../package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Reads and checks `path` (a manifest.json). Throws {@link ManifestError}; `what` prefixes a read failure. */
export async function readManifestFile(path: string, what = ""): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new ManifestError(`${what}cannot read ${path} (${(e as Error).message})`, { cause: e });
  }
  return loadManifest(text, path);
}
