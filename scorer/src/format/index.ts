/**
 * The file formats of Like2Earn, one owner each: leaves, the manifest, proof shards, batch-skip reasons,
 * X API page files.
 * Free of Node-only imports: the scorer, the scripts, the tests and the claim page (Vite alias
 * `@like2earn/format`) import it.
 */
export * from "./leaves";
export * from "./manifest";
export * from "./proof-shards";
export * from "./batch-skip";
export * from "./page-file";
