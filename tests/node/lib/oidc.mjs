// Starts the test OpenID provider (../oidc/provider.mjs) on 127.0.0.1 for Node-driven tests.
import { spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { resolve } from "node:path"

const SCRIPT = resolve(import.meta.dirname, "..", "oidc", "provider.mjs")
const READY_TIMEOUT_MS = 20000

/** Resolves with the ready line's content; rejects with the collected stderr on exit or timeout. */
function waitReady(proc, stderr) {
  return new Promise((res, rej) => {
    const fail = why => {
      clearTimeout(timer)
      proc.kill("SIGKILL")
      rej(new Error(`OpenID provider ${why}:\n${stderr.join("")}`))
    }
    const timer = setTimeout(() => fail(`not ready after ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS)
    proc.once("exit", code => fail(`exited early with ${code}`))
    createInterface({ input: proc.stdout }).on("line", line => {
      if (!line.startsWith('{"ready"')) return
      clearTimeout(timer)
      proc.removeAllListeners("exit")
      res(JSON.parse(line))
    })
  })
}

/**
 * A provider with one confidential client and the fixed test accounts; `keysFile` shares the
 * signing key between providers.
 */
export async function startProvider({
  redirectUris,
  postLogoutRedirectUris = [],
  clientId = "kompromiss-test",
  clientSecret = "test-secret-not-for-production",
  keysFile,
}) {
  const argv = [SCRIPT, "--port", "0", "--client-id", clientId, "--client-secret", clientSecret]
  for (const uri of redirectUris) argv.push("--redirect-uri", uri)
  for (const uri of postLogoutRedirectUris) argv.push("--post-logout-redirect-uri", uri)
  if (keysFile) argv.push("--keys-file", keysFile)

  const proc = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"] })
  const stderr = []
  proc.stderr.on("data", d => stderr.push(String(d)))
  const { issuer, port } = await waitReady(proc, stderr)

  async function stop() {
    if (proc.exitCode !== null || proc.signalCode !== null) return
    const exited = new Promise(r => proc.once("exit", r))
    proc.kill("SIGTERM")
    await exited
  }
  return { issuer, port, clientId, clientSecret, stop }
}
