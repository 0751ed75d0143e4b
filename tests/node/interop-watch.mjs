#!/usr/bin/env node
// The official automerge-repo client holds a document open on one instance and waits for a
// title written elsewhere (through another instance). Usage:
//   KOMPROMISS_URL=http://… node interop-watch.mjs <automerge-url> <token> <expected title>
// Prints "ready" once it holds the document, then a JSON line {"ok":true,"ms":…} when the title
// arrives (ms: from "ready" to the change), or fails after 30 s.
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"

const [docUrl, token, expected] = process.argv.slice(2)
const base = new URL(process.env.KOMPROMISS_URL)
const adapter = new WebSocketClientAdapter(`ws://${base.host}/sync?access_token=${encodeURIComponent(token)}`)
const repo = new Repo({ network: [adapter], peerId: `watch-${Math.random().toString(36).slice(2, 8)}` })
const until = Date.now() + 30000
while (repo.peers.length === 0 && Date.now() < until) await new Promise(r => setTimeout(r, 25))
const handle = await repo.find(docUrl)
const ready = Date.now()
console.log("ready")
while (handle.doc().title !== expected) {
  if (Date.now() > until) {
    console.error(`timeout: the title is still ${JSON.stringify(handle.doc().title)}`)
    process.exit(1)
  }
  await new Promise(r => setTimeout(r, 10))
}
console.log(JSON.stringify({ ok: true, ms: Date.now() - ready }))
process.exit(0)
