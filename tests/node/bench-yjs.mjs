// Fan-out benchmark against a Yjs server, driven by that server's own official client
// (scripts/bench-yjs.sh runs it; docs in the script's header).
//
//   node bench-yjs.mjs <hocuspocus|ysweet> <server url> <server pid> <readers> <edits> <label>
//
// hocuspocus: the url is the WebSocket URL (ws://127.0.0.1:PORT), clients are @hocuspocus/provider.
// ysweet: the url is the y-sweet connection string (ys://127.0.0.1:PORT, no auth); the document and
// its token come from @y-sweet/sdk, clients are @y-sweet/client.
//
// One writer and N readers on a fresh document, all in this process. The writer appends one
// character to a Y.Text per edit at RATE edits/s (default 50, on a fixed schedule) and notes when
// it made edit k; a reader that sees the text reach length k has received edit k (one writer,
// appends only: the length counts the edits applied, whatever the server batches). Edits still
// missing GRACE_MS (default 10000) after the last edit are lost. Server CPU (utime+stime from
// /proc/PID/stat) is read just before the first edit and when the last reader has everything
// (or the grace has passed); memory (VmRSS, VmHWM) then, before any client disconnects.
// Clients keep their official defaults except awareness: each gets an Awareness with no local
// state, so no presence renewals run alongside the edits (AWARENESS=1 keeps the client's own).
// Prints one JSON line.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const require = createRequire(new URL("./yjs/package.json", import.meta.url));
const Y = require("yjs");
const WebSocket = require("ws");
const { Awareness } = require("y-protocols/awareness");

const [kind, url, pidArg, readersArg, editsArg, label = kind] = process.argv.slice(2);
if (!["hocuspocus", "ysweet"].includes(kind) || !url || !pidArg || !readersArg || !editsArg) {
  console.error("usage: node bench-yjs.mjs <hocuspocus|ysweet> <server url> <server pid> <readers> <edits> <label>");
  process.exit(2);
}
const pid = Number(pidArg);
const readers = Number(readersArg);
const edits = Number(editsArg);
const rate = Number(process.env.RATE ?? 50);
const graceMs = Number(process.env.GRACE_MS ?? 10000);
const connectTimeoutMs = Number(process.env.CONNECT_TIMEOUT_MS ?? 60000);
const keepAwareness = process.env.AWARENESS === "1";

function cpuSeconds(p) {
  const stat = readFileSync(`/proc/${p}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100/s)
}
function memMiB(p) {
  const status = readFileSync(`/proc/${p}/status`, "utf8");
  const field = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+)`, "m"))[1]) / 1024;
  return { rss: field("VmRSS"), hwm: field("VmHWM") };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const withTimeout = (p, ms, what) =>
  Promise.race([p, sleep(ms).then(() => { throw new Error(`timed out: ${what}`); })]);
const round = (x, d = 3) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

const docName = `bench-${label}-${process.pid}-${Date.now()}`.replace(/[^A-Za-z0-9_-]/g, "-");

// ---- clients -------------------------------------------------------------------------------
// connect(doc) -> { synced: Promise, destroy() }
let connect;
if (kind === "hocuspocus") {
  const { HocuspocusProvider } = require("@hocuspocus/provider");
  connect = (doc) => {
    let provider;
    const synced = new Promise((resolve, reject) => {
      provider = new HocuspocusProvider({
        url,
        name: docName,
        document: doc,
        WebSocketPolyfill: WebSocket,
        ...(keepAwareness ? {} : { awareness: quietAwareness(doc) }),
        onSynced: () => resolve(),
        onAuthenticationFailed: ({ reason }) => reject(new Error(`authentication failed: ${reason}`)),
      });
    });
    return { synced, destroy: () => provider.destroy() };
  };
} else {
  const { DocumentManager } = require("@y-sweet/sdk");
  const { createYjsProvider } = require("@y-sweet/client");
  const manager = new DocumentManager(url);
  await manager.createDoc(docName);
  const token = await manager.getClientToken(docName); // dev server without --auth: no secret in it
  connect = (doc) => {
    const provider = createYjsProvider(doc, docName, async () => token, {
      WebSocketPolyfill: WebSocket,
      initialClientToken: token,
      showDebuggerLink: false,
      ...(keepAwareness ? {} : { awareness: quietAwareness(doc) }),
    });
    const synced = new Promise((resolve) => {
      if (provider.status === "connected") resolve();
      provider.on("connection-status", (s) => s === "connected" && resolve());
    });
    return { synced, destroy: () => provider.destroy() };
  };
}
function quietAwareness(doc) {
  const a = new Awareness(doc);
  a.setLocalState(null);
  return a;
}

// ---- setup -----------------------------------------------------------------------------------
const writerDoc = new Y.Doc();
const writerText = writerDoc.getText("text");
const writer = connect(writerDoc);
await withTimeout(writer.synced, connectTimeoutMs, "writer sync");

const sentAt = new Float64Array(edits + 1); // sentAt[k]: when edit k (1-based) was made
let firstEditAt = Infinity;
const latencies = [];
let complete = 0; // readers that have all edits
let allDone;
const allDonePromise = new Promise((r) => (allDone = r));
let deadline = Infinity; // after it, arrivals no longer count

const clients = [];
for (let r = 0; r < readers; r++) {
  const doc = new Y.Doc();
  const text = doc.getText("text");
  let seen = 0;
  text.observe(() => {
    const now = performance.now();
    const len = text.length;
    if (now > deadline || now < firstEditAt) { seen = Math.max(seen, len); return; }
    for (let k = seen + 1; k <= len && k <= edits; k++) latencies.push(now - sentAt[k]);
    if (len >= edits && seen < edits && ++complete === readers) allDone();
    seen = Math.max(seen, len);
  });
  clients.push(connect(doc));
  if (r % 20 === 19) await sleep(50); // connect in small waves
}
await withTimeout(Promise.all(clients.map((c) => c.synced)), connectTimeoutMs, "readers sync");
if (readers === 0) allDone();
await sleep(500); // let the handshakes' last messages settle

// ---- edits -----------------------------------------------------------------------------------
const cpuBefore = cpuSeconds(pid);
const ownBefore = process.cpuUsage();
const started = performance.now();
firstEditAt = started;
const interval = rate > 0 ? 1000 / rate : 0;
for (let k = 1; k <= edits; k++) {
  const due = started + (k - 1) * interval;
  const wait = due - performance.now();
  if (wait > 1) await sleep(wait);
  else if (interval === 0 && k % 50 === 0) await sleep(0); // let readers run
  sentAt[k] = performance.now();
  writerText.insert(writerText.length, "x");
}
deadline = performance.now() + graceMs;
await Promise.race([allDonePromise, sleep(graceMs)]);
const ended = performance.now();
const cpuAfter = cpuSeconds(pid);
const own = process.cpuUsage(ownBefore);
const mem = memMiB(pid);

latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.round((latencies.length - 1) * p)] : NaN);
const seconds = (ended - started) / 1000;
const serverCpu = cpuAfter - cpuBefore;
console.log(JSON.stringify({
  label,
  server: kind,
  readers,
  edits,
  rate,
  deliveries: latencies.length,
  lost: readers * edits - latencies.length,
  p50_ms: round(pct(0.5)),
  p95_ms: round(pct(0.95)),
  p99_ms: round(pct(0.99)),
  max_ms: round(pct(1)),
  seconds: round(seconds),
  server_cpu_seconds: round(serverCpu, 2),
  server_cpu_pct: round((serverCpu / seconds) * 100, 1),
  cpu_us_per_delivery: latencies.length ? round((serverCpu / latencies.length) * 1e6, 1) : null,
  server_rss_mib: round(mem.rss, 1),
  server_peak_rss_mib: round(mem.hwm, 1),
  driver_cpu_pct: round(((own.user + own.system) / 1e6 / seconds) * 100, 1),
  awareness: keepAwareness ? "client default" : "no local state",
}));

for (const c of [writer, ...clients]) {
  try { c.destroy(); } catch { /* closing anyway */ }
}
await sleep(200);
process.exit(0);
