// The official automerge-repo JS client against Kompromiss: create, edit, a second client
// receives, and the document is found after a server restart.
import { test } from "node:test"
import assert from "node:assert/strict"
import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { TestServer } from "./lib/server.mjs"

const run = promisify(execFile)

test("the official automerge-repo client syncs with Kompromiss and finds its document after a restart", async () => {
  const server = await TestServer.start()
  try {
    const env = { ...process.env, KOMPROMISS_URL: server.base }
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
