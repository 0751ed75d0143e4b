#!/usr/bin/env node
// The official automerge-repo client with personal API tokens: a member reads but cannot write,
// an editor writes. Usage: KOMPROMISS_URL=… node interop-roles.mjs <role> <automerge-url> <token>
//   role "member": finds the document, tries to change it; expects a protocol error (refused).
//   role "editor": finds the document, changes the title; expects the server to acknowledge it.
// Last stdout line is JSON: {"ok":true,"title":…,"refused":…,"actor":…} (the editor's actor id).
// Progress goes to stderr.
import { Repo, cbor } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import * as Automerge from "@automerge/automerge"

const [role, docUrl, token] = process.argv.slice(2)
const WAIT_MS = 20000
const log = (...a) => console.error(`[roles ${role}]`, ...a)

class Adapter extends WebSocketClientAdapter {
  errors = []
  receiveMessage(bytes) {
    try {
      const m = cbor.decode(new Uint8Array(bytes))
      if (m?.type === "error") this.errors.push(m.message)
    } catch {}
    return super.receiveMessage(bytes)
  }
}

async function waitFor(what, cond) {
  const until = Date.now() + WAIT_MS
  while (Date.now() < until) {
    if (await cond()) return
    await new Promise(r => setTimeout(r, 25))
  }
  throw new Error(`timeout: ${what}`)
}

const base = new URL(process.env.KOMPROMISS_URL)
// A sync ticket (kst_…, from POST /api/sync-tickets) keeps the long-lived token out of the URL.
const param = token.startsWith("kst_") ? "ticket" : "access_token"
const ws = `ws://${base.host}/sync?${param}=${encodeURIComponent(token)}`
const adapter = new Adapter(ws)
const repo = new Repo({ network: [adapter], peerId: `roles-${role}-${Math.random().toString(36).slice(2, 8)}` })
let serverHeads = null
repo.synchronizer.on("sync-state", ({ peerId, syncState }) => {
  if (peerId === adapter.remotePeerId && syncState.theirHeads) serverHeads = syncState.theirHeads
})
const sameHeads = (a, b) => !!a && !!b && a.length === b.length && [...a].sort().join() === [...b].sort().join()

try {
  await waitFor("connection", () => repo.peers.length > 0)
  const handle = await repo.find(docUrl)
  const title = handle.doc().title
  log(`read the document: ${title}`)
  if (role === "member") {
    handle.change(d => {
      d.title = "Von einem Mitglied überschrieben"
    })
    await waitFor("the server to refuse the change", () => adapter.errors.length > 0)
    log(`refused: ${adapter.errors[0]}`)
    console.log(JSON.stringify({ ok: true, title, refused: adapter.errors[0] }))
  } else {
    handle.change(d => {
      d.title = "Von der Redaktion geändert"
    })
    await waitFor("the server to acknowledge the change", () => sameHeads(serverHeads, Automerge.getHeads(handle.doc())))
    if (adapter.errors.length) throw new Error(`unexpected errors: ${adapter.errors.join("; ")}`)
    console.log(JSON.stringify({ ok: true, title, refused: null, actor: Automerge.getActorId(handle.doc()) }))
  }
  await Promise.race([repo.shutdown(), new Promise(r => setTimeout(r, 1000))])
  process.exit(0)
} catch (e) {
  log(`FAILED: ${e.message}`)
  process.exit(1)
}
