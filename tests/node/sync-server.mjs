#!/usr/bin/env node
// Launcher for the *official* automerge-repo sync server
// (@automerge/automerge-repo-sync-server), used as a reference/baseline for
// interop tests and benchmarks against Kompromiss.
//
//   PORT=3030 DATA_DIR=/tmp/amrg node sync-server.mjs
//
// Env:
//   PORT      TCP port (default 0 = pick a free port; the real port is printed)
//   DATA_DIR  storage directory (NodeFSStorageAdapter). Default: a fresh temp dir.
//
// Prints exactly one line "listening <port>" on stdout once the server accepts
// connections. Everything else goes to stderr. SIGTERM/SIGINT shut it down.
//
// The official server has no host option: it calls `app.listen(PORT, cb)`,
// which binds all interfaces. We keep its code untouched and only inject the
// host 127.0.0.1 into that single listen() call.
//
// Note: the official server (0.2.8) bundles its own, older stack:
// @automerge/automerge-repo 1.2.1 + @automerge/automerge 2.2.9 (nested
// node_modules). It accepts WebSocket upgrades on *any* path, so clients can use
// ws://127.0.0.1:PORT/sync just like with Kompromiss.

import fs from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"

const HOST = "127.0.0.1"

const port = process.env.PORT === undefined || process.env.PORT === "" ? 0 : Number(process.env.PORT)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`sync-server: invalid PORT=${process.env.PORT}`)
  process.exit(2)
}
process.env.PORT = String(port)

let dataDir = process.env.DATA_DIR
if (!dataDir) {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "am-sync-server-"))
}
// the official server only does a non-recursive mkdir
fs.mkdirSync(dataDir, { recursive: true })
process.env.DATA_DIR = dataDir

// Inject the host into the official server's `app.listen(PORT, cb)`.
let httpServer
const origListen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  net.Server.prototype.listen = origListen // one-shot
  httpServer = this
  if (typeof args[0] === "number" && typeof args[1] !== "string") {
    args.splice(1, 0, HOST)
  } else {
    console.error("sync-server: unexpected listen() signature; cannot force 127.0.0.1", args)
    process.exit(2)
  }
  return origListen.apply(this, args)
}

// The official server logs "Listening on port N" via console.log; keep stdout
// reserved for our single machine-readable line.
const origLog = console.log
console.log = (...a) => console.error(...a)

const { Server } = await import("@automerge/automerge-repo-sync-server/src/server.js")
const server = new Server()
httpServer.on("error", err => {
  console.error(`sync-server: listen failed: ${err.message}`)
  process.exit(1)
})
await server.ready()
console.log = origLog

const actualPort = httpServer.address().port
console.error(`sync-server: official @automerge/automerge-repo-sync-server on ws://${HOST}:${actualPort}/ (any path), DATA_DIR=${dataDir}`)
process.stdout.write(`listening ${actualPort}\n`)

let stopping = false
const stop = sig => {
  if (stopping) return
  stopping = true
  console.error(`sync-server: ${sig}, shutting down`)
  try {
    server.close()
  } catch (e) {
    console.error("sync-server: close error", e)
  }
  // The official server has no flush-on-exit; its Repo saves with a 100 ms
  // throttle. Give pending saves a moment before exiting.
  setTimeout(() => process.exit(0), 500).unref()
}
process.on("SIGTERM", () => stop("SIGTERM"))
process.on("SIGINT", () => stop("SIGINT"))
