// Starts the real `kompromiss` binary for Node-driven tests (interop, browser) on 127.0.0.1.
import { execFile, spawn } from "node:child_process"
import { promisify } from "node:util"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const ROOT = resolve(import.meta.dirname, "..", "..", "..")
export const BIN = process.env.KOMPROMISS_BIN || join(ROOT, "target", "debug", "kompromiss")
export const SITE = process.env.LEPTOS_SITE_ROOT || join(ROOT, "target", "site")

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer()
    s.once("error", rej)
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address()
      s.close(() => res(port))
    })
  })
}

async function waitReady(base, proc, ms = 30000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`server exited early with ${proc.exitCode}`)
    try {
      const r = await fetch(`${base}/readyz`)
      if (r.ok) return
    } catch {}
    await new Promise(r => setTimeout(r, 50))
  }
  throw new Error("server did not become ready")
}

/** A server with its own data directory; `restart()` keeps data and port. */
export class TestServer {
  /** `port` (optional) is used instead of a fresh free one, e.g. one reserved with `freePort()`. */
  static async start(env = {}, { port } = {}) {
    const s = new TestServer()
    s.dataDir = mkdtempSync(join(tmpdir(), "kompromiss-node-"))
    s.port = port ?? (await freePort())
    s.env = env
    await s.launch()
    s.editorToken = await s.tokenFor("Node-Redaktion", "editor")
    return s
  }

  /** Runs `kompromiss admin …` on this server's database; returns its output. */
  async admin(...args) {
    const { stdout } = await promisify(execFile)(BIN, ["admin", ...args], { env: this.childEnv(), timeout: 30000 })
    return stdout.trim()
  }

  /** A new account (with a role, or none) and an API token for it. */
  async tokenFor(name, role) {
    const id = await this.admin("create-user", "--name", name, ...(role ? ["--role", role] : []))
    return this.admin("create-token", id, "--name", "node-test")
  }

  childEnv() {
    return {
      ...process.env,
      KOMPROMISS_BIND: `127.0.0.1:${this.port}`,
      KOMPROMISS_DATA_DIR: this.dataDir,
      LEPTOS_SITE_ROOT: SITE,
      RUST_LOG: process.env.RUST_LOG || "warn",
      ...this.env,
    }
  }

  get base() {
    return `http://127.0.0.1:${this.port}`
  }

  async launch() {
    this.log = []
    this.proc = spawn(BIN, ["serve"], {
      env: this.childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    })
    for (const stream of [this.proc.stdout, this.proc.stderr]) stream.on("data", d => this.log.push(String(d)))
    await waitReady(this.base, this.proc)
  }

  /** Graceful stop (SIGTERM), or a crash (SIGKILL). */
  async stop(signal = "SIGTERM") {
    if (!this.proc || this.proc.exitCode !== null) return
    const exited = new Promise(r => this.proc.once("exit", r))
    this.proc.kill(signal)
    await exited
  }

  async restart(signal = "SIGTERM") {
    await this.stop(signal)
    await this.launch()
  }

  async close() {
    await this.stop()
    rmSync(this.dataDir, { recursive: true, force: true })
  }

  /** Creates a document from the built-in template (as the editor, or with `token`); returns its id. */
  async createDocument(token = this.editorToken) {
    const r = await fetch(`${this.base}/api/documents`, {
      method: "POST",
      headers: {
        accept: "application/json",
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Bearer ${token}`,
      },
      body: "template=social-media-konzept",
    })
    if (r.status !== 201) throw new Error(`create failed: ${r.status}`)
    return (await r.json()).id
  }
}

/** GET a JSON API path with a token; returns { status, body }. */
export async function getJson(base, path, token) {
  const r = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  const text = await r.text()
  let body = null
  try {
    body = JSON.parse(text)
  } catch {}
  return { status: r.status, body }
}
