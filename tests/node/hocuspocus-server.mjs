// A Hocuspocus server (the official @hocuspocus/server, default settings) for scripts/bench-yjs.sh.
// Env: PORT (default 1234), DATA_DIR: when set, documents persist through the official SQLite
// extension into DATA_DIR/hocuspocus.sqlite (Hocuspocus's default store debounce: 2 s after the
// last change, at most 10 s while changes keep coming; better-sqlite3's defaults: rollback
// journal, synchronous=FULL). Without DATA_DIR the documents live in memory only.
// The packages come from tests/node/yjs (installed by scripts/bench-yjs.sh), loaded through
// require so the server, its extension and yjs are one copy each.
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(new URL("./yjs/package.json", import.meta.url));
const { Server } = require("@hocuspocus/server");

const port = Number(process.env.PORT || 1234);
const extensions = [];
if (process.env.DATA_DIR) {
  const { SQLite } = require("@hocuspocus/extension-sqlite");
  extensions.push(new SQLite({ database: join(process.env.DATA_DIR, "hocuspocus.sqlite") }));
}

const server = new Server({ port, address: "127.0.0.1", quiet: true, extensions });
await server.listen();
console.log(JSON.stringify({ listening: `ws://127.0.0.1:${port}`, persistence: process.env.DATA_DIR ? "sqlite" : "memory" }));
