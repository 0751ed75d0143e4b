// The official automerge-repo JS client against Kompromiss: create, edit, a second client
// receives, and the document is found after a server restart.
import { test } from "node:test"
import assert from "node:assert/strict"
import { execFile, spawn } from "node:child_process"
import { promisify } from "node:util"
import { TestServer, getJson } from "./lib/server.mjs"

const run = promisify(execFile)

test("the official automerge-repo client syncs with Kompromiss and finds its document after a restart", async () => {
  const server = await TestServer.start()
  try {
    const env = { ...process.env, KOMPROMISS_URL: server.base, KOMPROMISS_TOKEN: server.editorToken }
    const p1 = await run("node", ["interop.mjs", "phase1"], { cwd: import.meta.dirname, env, timeout: 90000 })
    const { url } = JSON.parse(p1.stdout.trim().split("\n").pop())
    assert.match(url, /^automerge:/)
    await server.restart()
    const p2 = await run("node", ["interop.mjs", "phase2", url], { cwd: import.meta.dirname, env, timeout: 90000 })
    assert.equal(JSON.parse(p2.stdout.trim().split("\n").pop()).ok, true)
  } finally {
    await server.close()
  }
})

test("with personal API tokens the official client reads as a member (its edits refused, nothing stored) and writes as an editor", async () => {
  const server = await TestServer.start()
  try {
    const id = await server.createDocument()
    const url = `automerge:${id}`
    const env = { ...process.env, KOMPROMISS_URL: server.base }
    const before = await getJson(server.base, `/api/documents/${id}`, server.editorToken)
    assert.equal(before.status, 200)

    const member = await server.tokenFor("Mia Mitglied", "member")
    const m = await run("node", ["interop-roles.mjs", "member", url, member], { cwd: import.meta.dirname, env, timeout: 60000 })
    const mr = JSON.parse(m.stdout.trim().split("\n").pop())
    assert.equal(mr.title, before.body.view.title, "the member read the document")
    assert.match(mr.refused, /write access/, "the member's change was refused with a protocol error")
    const unchanged = await getJson(server.base, `/api/documents/${id}`, server.editorToken)
    assert.deepEqual(unchanged.body.view, before.body.view, "the document on the server is unchanged")

    const editor = await server.tokenFor("Emil Redaktion", "editor")
    const e = await run("node", ["interop-roles.mjs", "editor", url, editor], { cwd: import.meta.dirname, env, timeout: 60000 })
    const er = JSON.parse(e.stdout.trim().split("\n").pop())
    assert.equal(er.ok, true)
    const changed = await getJson(server.base, `/api/documents/${id}`, server.editorToken)
    assert.equal(changed.body.view.title, "Von der Redaktion geändert", "the editor's change landed")

    // Every change is attributed: the template to the editor who created the concept (through the
    // server), the JS client's change to its token's owner (through the token).
    const history = await getJson(server.base, `/api/documents/${id}/changes`, editor)
    assert.equal(history.status, 200)
    assert.equal(history.body.unattributed, 0, JSON.stringify(history.body))
    const byClient = history.body.runs.filter(r => r.actor === er.actor)
    assert.equal(byClient.length, 1, `one run under the JS client's actor ${er.actor}: ${JSON.stringify(history.body.runs)}`)
    assert.equal(byClient[0].author.name, "Emil Redaktion")
    assert.equal(byClient[0].channel, "token")
    const template = history.body.runs.find(r => r.actor !== er.actor)
    assert.equal(template.author.name, "Node-Redaktion")
    assert.equal(template.channel, "server")

    const audit = await server.admin("users")
    assert.match(audit, /Mia Mitglied/)
  } finally {
    await server.close()
  }
})

test("the official client writes a draft with its author's token; another member's edit of it is refused and the draft stays as it was", async () => {
  const server = await TestServer.start()
  try {
    const concept = await server.createDocument()
    const env = { ...process.env, KOMPROMISS_URL: server.base }
    const author = await server.tokenFor("Ada Autorin", "member")
    const other = await server.tokenFor("Max Mitlesend", "member")
    const created = await fetch(`${server.base}/api/documents/${concept}/drafts`, {
      method: "POST",
      headers: { authorization: `Bearer ${author}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "Kürzerer Titel", reason: "Lesbarer" }),
    })
    assert.equal(created.status, 201)
    const { id: draft } = await created.json()
    const url = `automerge:${draft}`
    const before = await getJson(server.base, `/api/documents/${draft}`, other)
    assert.equal(before.status, 200, "a member reads the draft")

    const m = await run("node", ["interop-roles.mjs", "member", url, other], { cwd: import.meta.dirname, env, timeout: 60000 })
    const mr = JSON.parse(m.stdout.trim().split("\n").pop())
    assert.match(mr.refused, /write access/, "a non-author's change is refused")
    const unchanged = await getJson(server.base, `/api/documents/${draft}`, other)
    assert.deepEqual(unchanged.body.view, before.body.view, "the draft is unchanged")

    const a = await run("node", ["interop-roles.mjs", "editor", url, author], { cwd: import.meta.dirname, env, timeout: 60000 })
    assert.equal(JSON.parse(a.stdout.trim().split("\n").pop()).ok, true)
    const changed = await getJson(server.base, `/api/drafts/${draft}`, other)
    assert.equal(changed.body.diff.title.map(p => p.kind === "Deleted" ? "" : p.text).join(""), "Von der Redaktion geändert", "the author's change is the draft's own")
    const concept_after = await getJson(server.base, `/api/documents/${concept}`, other)
    assert.equal(concept_after.body.view.title, before.body.view.title, "the concept is untouched")
  } finally {
    await server.close()
  }
})

test("a script opens the socket with a single-use sync ticket, and the ticket never appears in the server's log", async () => {
  const server = await TestServer.start({ RUST_LOG: "debug" })
  try {
    const id = await server.createDocument()
    const editor = await server.tokenFor("Skript Redaktion", "editor")
    const res = await fetch(`${server.base}/api/sync-tickets`, { method: "POST", headers: { authorization: `Bearer ${editor}` } })
    assert.equal(res.status, 201)
    const { ticket } = await res.json()
    const env = { ...process.env, KOMPROMISS_URL: server.base }
    const e = await run("node", ["interop-roles.mjs", "editor", `automerge:${id}`, ticket], { cwd: import.meta.dirname, env, timeout: 60000 })
    assert.equal(JSON.parse(e.stdout.trim().split("\n").pop()).ok, true)
    const changed = await getJson(server.base, `/api/documents/${id}`, server.editorToken)
    assert.equal(changed.body.view.title, "Von der Redaktion geändert", "the script's change landed")
    const log = server.log.join("")
    assert.ok(log.includes("sync connection opened"), "debug logs were captured")
    assert.ok(!log.includes(ticket), "the ticket is not in the log")
    assert.ok(!log.includes(editor), "nor the token")
  } finally {
    await server.close()
  }
})

test("the official client on instance A sees an edit made through instance B (two instances, one PostgreSQL)", async () => {
  const base = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres"
  const name = `kompromiss_node_${Math.random().toString(36).slice(2, 10)}`
  try {
    await run("psql", [base, "-qc", `CREATE DATABASE ${name}`], { timeout: 30000 })
  } catch (e) {
    if (process.env.KOMPROMISS_REQUIRE_POSTGRES === "1") throw e
    console.error(`!!! no PostgreSQL at ${base}: skipping the two-instance interop test`)
    return
  }
  const url = base.replace(/\/[^/]*$/, `/${name}`)
  const a = await TestServer.start({ DATABASE_URL: url, KOMPROMISS_DEV_LOGIN: "false" })
  const b = await TestServer.start({ DATABASE_URL: url, KOMPROMISS_DEV_LOGIN: "false" })
  try {
    const id = await a.createDocument()
    const doc = `automerge:${id}`
    // The watcher on A: the official client, holding the document open.
    const watcher = spawn("node", ["interop-watch.mjs", doc, a.editorToken, "Von der Redaktion geändert"], {
      cwd: import.meta.dirname,
      env: { ...process.env, KOMPROMISS_URL: a.base },
      stdio: ["ignore", "pipe", "inherit"],
    })
    let out = ""
    const done = new Promise((resolve, reject) => {
      watcher.stdout.on("data", d => (out += d))
      watcher.on("exit", code => (code === 0 ? resolve() : reject(new Error(`watcher exited with ${code}: ${out}`))))
    })
    const until = Date.now() + 30000
    while (!out.includes("ready") && Date.now() < until) await new Promise(r => setTimeout(r, 25))
    assert.ok(out.includes("ready"), "the watcher holds the document on A")
    // The edit, through B, by the official client as well.
    const editor = await b.tokenFor("Bea Redaktion", "editor")
    const env = { ...process.env, KOMPROMISS_URL: b.base }
    await run("node", ["interop-roles.mjs", "editor", doc, editor], { cwd: import.meta.dirname, env, timeout: 60000 })
    await done
    const seen = JSON.parse(out.trim().split("\n").pop())
    assert.equal(seen.ok, true)
    console.error(`the client on A saw B's edit ${seen.ms} ms after it held the document`)
  } finally {
    await a.close()
    await b.close()
    await run("psql", [base, "-qc", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { timeout: 30000 }).catch(() => {})
  }
})
