#!/usr/bin/env node
// Interop test: the official automerge-repo JS client against a sync server
// speaking the automerge-repo WebSocket protocol (Kompromiss, or the official
// @automerge/automerge-repo-sync-server as a reference).
//
//   KOMPROMISS_URL=http://127.0.0.1:3000 node interop.mjs phase1
//       -> last stdout line: {"url":"automerge:..."}
//   (restart the server)
//   KOMPROMISS_URL=http://127.0.0.1:3000 node interop.mjs phase2 automerge:...
//
// Env:
//   KOMPROMISS_URL      server base URL (http/https/ws/wss); the client connects
//                       to <base>/sync. Default http://127.0.0.1:3000
//   KOMPROMISS_TOKEN    optional; appended as ?access_token=<token> to the ws URL
//   KOMPROMISS_TIMEOUT  per-wait timeout in ms (default 15000)
//   KOMPROMISS_TRACE=1  log every protocol message (decoded CBOR) to stderr
//
// Progress goes to stderr; stdout only carries the final JSON line.
// Exit code 0 = pass, 1 = failure (message on stderr), 2 = usage error.

import { Repo, cbor } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import * as Automerge from "@automerge/automerge"

const WAIT_MS = Number(process.env.KOMPROMISS_TIMEOUT || 15000)
const TRACE = !!process.env.KOMPROMISS_TRACE && process.env.KOMPROMISS_TRACE !== "0"

const TITLE = "Social-Media-Konzept"
const A_EDIT = "[A-edit]"
const B_EDIT = "[B-edit]"
const A_CONC = "[A-concurrent]"
const B_CONC = "[B-concurrent]"
const UPDATED_GOAL = "Reichweite auf Instagram und LinkedIn steigern"

const t0 = Date.now()
const log = (...a) => console.error(`[interop +${((Date.now() - t0) / 1000).toFixed(2)}s]`, ...a)

class Failure extends Error {}
const fail = msg => {
  throw new Failure(msg)
}

// ---------------------------------------------------------------- helpers

function wsUrl() {
  const base = (process.env.KOMPROMISS_URL || "http://127.0.0.1:3000").trim()
  let u
  try {
    u = new URL(base)
  } catch {
    fail(`KOMPROMISS_URL is not a valid URL: ${base}`)
  }
  if (u.protocol === "http:") u.protocol = "ws:"
  else if (u.protocol === "https:") u.protocol = "wss:"
  else if (u.protocol !== "ws:" && u.protocol !== "wss:") fail(`unsupported scheme in KOMPROMISS_URL: ${u.protocol}`)
  u.pathname = u.pathname.replace(/\/+$/, "") + "/sync"
  u.search = ""
  u.hash = ""
  const token = process.env.KOMPROMISS_TOKEN
  if (token) u.searchParams.set("access_token", token)
  return u.toString()
}

const redact = url => url.replace(/access_token=[^&]*/, "access_token=***")

/** Poll `cond` until truthy; reject after `ms` with a message describing what we waited for. */
async function waitFor(what, cond, ms = WAIT_MS, detail = () => "") {
  const deadline = Date.now() + ms
  for (;;) {
    let v
    try {
      v = await cond()
    } catch (e) {
      fail(`while waiting for ${what}: ${e?.message ?? e}`)
    }
    if (v) return v
    if (Date.now() > deadline) {
      const d = detail()
      fail(`timeout after ${ms} ms waiting for ${what}${d ? ` (${d})` : ""}`)
    }
    await new Promise(r => setTimeout(r, 20))
  }
}

/** Promise with timeout. */
function withTimeout(what, promise, ms = WAIT_MS) {
  let timer
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Failure(`timeout after ${ms} ms: ${what}`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

const sameHeads = (a, b) => !!a && !!b && a.length === b.length && [...a].sort().join() === [...b].sort().join()

/** JSON with sorted object keys (key order differs between replicas). */
const stableJson = v =>
  JSON.stringify(v, (_, x) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map(k => [k, x[k]])) : x
  )

function summarize(msg) {
  if (!msg || typeof msg !== "object") return msg
  const out = {}
  for (const [k, v] of Object.entries(msg)) {
    if (v instanceof Uint8Array) {
      let extra = ""
      if (k === "data" && (msg.type === "sync" || msg.type === "request")) {
        try {
          const d = Automerge.decodeSyncMessage(v)
          extra = ` heads=${d.heads.length} need=${d.need.length} have=${d.have.length} changes=${d.changes.length}`
        } catch {}
      }
      out[k] = `<${v.byteLength} bytes 0x${Buffer.from(v.subarray(0, 1)).toString("hex")}..${extra}>`
    } else out[k] = v
  }
  return out
}

/** WebSocketClientAdapter with optional protocol tracing and error capture. */
class TestAdapter extends WebSocketClientAdapter {
  constructor(url, name) {
    super(url)
    this.name = name
    this.errors = []
  }
  send(message) {
    if (TRACE) log(`${this.name} -> ${JSON.stringify(summarize(message))}`)
    return super.send(message)
  }
  receiveMessage(bytes) {
    let decoded
    try {
      decoded = cbor.decode(new Uint8Array(bytes))
    } catch (e) {
      log(`${this.name} <- undecodable frame (${bytes?.byteLength} bytes): ${e.message}`)
    }
    if (TRACE && decoded) log(`${this.name} <- ${JSON.stringify(summarize(decoded))}`)
    if (decoded?.type === "error") {
      this.errors.push(decoded.message)
      log(`${this.name} received protocol error from server: ${JSON.stringify(decoded.message)}`)
    }
    return super.receiveMessage(bytes)
  }
}

const repos = []

function makeRepo(name) {
  const adapter = new TestAdapter(wsUrl(), name)
  const peerId = `interop-${name}-${Math.random().toString(36).slice(2, 8)}`
  const repo = new Repo({ network: [adapter], peerId }) // no storage => isEphemeral: true
  // Track what the server told us about its heads, per document (from the
  // automerge sync state: theirHeads = heads in the server's last sync message).
  const serverHeads = new Map()
  repo.synchronizer.on("sync-state", ({ peerId: p, documentId, syncState }) => {
    if (p === adapter.remotePeerId && syncState.theirHeads) serverHeads.set(documentId, syncState.theirHeads)
  })
  const r = { name, repo, adapter, serverHeads }
  repos.push(r)
  return r
}

async function connected(r) {
  await waitFor(
    `${r.name} to connect to ${redact(r.adapter.url)} (join -> peer handshake)`,
    () => r.repo.peers.length > 0,
    WAIT_MS,
    () => (r.adapter.errors.length ? `server errors: ${r.adapter.errors.join("; ")}` : "no 'peer' message received")
  )
  log(`${r.name} connected as ${r.repo.peerId}; server peerId = ${r.adapter.remotePeerId}`)
}

/** Wait until the server has acknowledged (via its sync messages) exactly our current heads. */
async function serverHasOurHeads(r, handle, what) {
  await waitFor(
    `server to acknowledge ${what} (${r.name}'s view)`,
    () => sameHeads(r.serverHeads.get(handle.documentId), Automerge.getHeads(handle.doc())),
    WAIT_MS,
    () =>
      `local heads ${JSON.stringify(Automerge.getHeads(handle.doc()))}, server heads ${JSON.stringify(
        r.serverHeads.get(handle.documentId) ?? null
      )}`
  )
}

async function find(r, url) {
  const ac = new AbortController()
  try {
    return await withTimeout(`${r.name}: repo.find(${url})`, r.repo.find(url, { signal: ac.signal }))
  } catch (e) {
    ac.abort()
    if (e instanceof Failure) throw e
    fail(`${r.name}: repo.find(${url}) failed: ${e?.message ?? e}`)
  }
}

function sectionText(doc) {
  return (doc.sections || []).map(s => `${s.heading}: ${s.body}`).join("\n")
}

async function shutdown() {
  await Promise.race([
    Promise.allSettled(repos.map(r => r.repo.shutdown())),
    new Promise(r => setTimeout(r, 2000)),
  ])
}

// ---------------------------------------------------------------- phases

async function phase1() {
  log(`phase1 against ${redact(wsUrl())}`)
  const A = makeRepo("A")
  await connected(A)

  // 1. create + structured fields via handle.change
  const handleA = A.repo.create()
  handleA.change(d => {
    d.title = TITLE
    d.sections = [
      { heading: "Ziele", body: "Reichweite steigern" },
      { heading: "Kanäle", body: "Instagram, LinkedIn" },
      { heading: "Redaktionsplan", body: "Zwei Beiträge pro Woche" },
    ]
  })
  const url = handleA.url
  log(`A created ${url}`)

  // 2. text edits: splice (insert) + updateText (diff-based replace)
  handleA.change(d => {
    Automerge.splice(d, ["sections", 1, "body"], 0, 0, `${A_EDIT} `)
    Automerge.updateText(d, ["sections", 0, "body"], UPDATED_GOAL)
  })
  await serverHasOurHeads(A, handleA, "A's document")

  // 3. a second, independent client finds the doc through the server
  const B = makeRepo("B")
  await connected(B)
  const handleB = await find(B, url)
  await waitFor(
    "B to see A's edits",
    () => {
      const d = handleB.doc()
      return d?.title === TITLE && d.sections?.[1]?.body?.includes(A_EDIT) && d.sections?.[0]?.body === UPDATED_GOAL
    },
    WAIT_MS,
    () => `B has ${JSON.stringify(handleB.doc())}`
  )
  log("B sees A's edits")

  // 4. B edits, A must receive it (A <- server <- B)
  handleB.change(d => {
    const body = d.sections[2].body
    Automerge.splice(d, ["sections", 2, "body"], body.length, 0, ` ${B_EDIT}`)
  })
  await waitFor(
    "A to see B's edit",
    () => handleA.doc()?.sections?.[2]?.body?.includes(B_EDIT),
    WAIT_MS,
    () => `A has ${JSON.stringify(handleA.doc())}`
  )
  log("A sees B's edit")

  // 5. concurrent edits on the same text from both sides must converge
  handleA.change(d => Automerge.splice(d, ["sections", 1, "body"], 0, 0, `${A_CONC} `))
  handleB.change(d => Automerge.splice(d, ["sections", 1, "body"], 0, 0, `${B_CONC} `))
  await waitFor(
    "A and B to converge after concurrent edits",
    () => {
      const a = handleA.doc(),
        b = handleB.doc()
      return (
        sameHeads(Automerge.getHeads(a), Automerge.getHeads(b)) &&
        a.sections[1].body.includes(A_CONC) &&
        a.sections[1].body.includes(B_CONC) &&
        stableJson(a) === stableJson(b)
      )
    },
    WAIT_MS,
    () =>
      `A: heads ${JSON.stringify(Automerge.getHeads(handleA.doc()))} ${JSON.stringify(handleA.doc())}; ` +
      `B: heads ${JSON.stringify(Automerge.getHeads(handleB.doc()))} ${JSON.stringify(handleB.doc())}`
  )
  log("concurrent edits converged")

  // 6. the server must hold the final state before we leave
  await serverHasOurHeads(A, handleA, "the final state")
  await serverHasOurHeads(B, handleB, "the final state")

  const doc = handleA.doc()
  log(`final document:\n  title: ${doc.title}\n  ${sectionText(doc).replace(/\n/g, "\n  ")}`)
  await shutdown()
  return { url, heads: Automerge.getHeads(doc) }
}

async function phase2(url) {
  if (!url || !url.startsWith("automerge:")) fail(`phase2 needs an automerge URL argument, got ${JSON.stringify(url)}`)
  log(`phase2 against ${redact(wsUrl())}, url ${url}`)
  const C = makeRepo("C")
  await connected(C)
  const handleC = await find(C, url)
  const checks = [
    ["title", d => d.title === TITLE],
    ["3 sections", d => Array.isArray(d.sections) && d.sections.length === 3],
    ["A's updateText edit", d => d.sections?.[0]?.body === UPDATED_GOAL],
    ["A's splice edit", d => d.sections?.[1]?.body?.includes(A_EDIT)],
    ["B's edit", d => d.sections?.[2]?.body?.includes(B_EDIT)],
    ["A's concurrent edit", d => d.sections?.[1]?.body?.includes(A_CONC)],
    ["B's concurrent edit", d => d.sections?.[1]?.body?.includes(B_CONC)],
  ]
  // find() resolves on the first received changes; wait for the complete state.
  await waitFor(
    "C to receive the complete document",
    () => checks.every(([, f]) => f(handleC.doc() ?? {})),
    WAIT_MS,
    () =>
      `missing: ${checks
        .filter(([, f]) => !f(handleC.doc() ?? {}))
        .map(([n]) => n)
        .join(", ")}; C has ${JSON.stringify(handleC.doc())}`
  )
  const doc = handleC.doc()
  log(`C sees the persisted document:\n  title: ${doc.title}\n  ${sectionText(doc).replace(/\n/g, "\n  ")}`)
  await shutdown()
  return { ok: true, url, heads: Automerge.getHeads(doc) }
}

// ---------------------------------------------------------------- main

process.on("uncaughtException", e => {
  // e.g. the ws client adapter rethrows non-ECONNREFUSED socket errors
  // ("Unexpected server response: 401", ECONNRESET, ...)
  console.error(`interop: FAIL (uncaught): ${e?.stack ?? e}`)
  process.exit(1)
})
process.on("unhandledRejection", e => {
  console.error(`interop: FAIL (unhandled rejection): ${e?.stack ?? e}`)
  process.exit(1)
})

const [phase, arg] = process.argv.slice(2)
const hardTimeout = setTimeout(() => {
  console.error(`interop: FAIL: overall timeout`)
  process.exit(1)
}, WAIT_MS * 8)
hardTimeout.unref()

try {
  let result
  if (phase === "phase1") result = await phase1()
  else if (phase === "phase2") result = await phase2(arg)
  else {
    console.error("usage: node interop.mjs phase1 | phase2 <automerge-url>")
    process.exit(2)
  }
  log(`${phase}: PASS`)
  process.stdout.write(JSON.stringify(result) + "\n")
  process.exit(0)
} catch (e) {
  console.error(`interop: ${phase}: FAIL: ${e instanceof Failure ? e.message : e?.stack ?? e}`)
  await shutdown().catch(() => {})
  process.exit(1)
}
