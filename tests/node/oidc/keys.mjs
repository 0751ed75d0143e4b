// Signing keys of the test OpenID provider: a private RSA JWK set, in memory or shared via a file.
import { createHash, generateKeyPairSync } from "node:crypto"
import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs"

/** RFC 7638 thumbprint, so the key id is stable for the same key. */
function thumbprint({ e, kty, n }) {
  return createHash("sha256").update(JSON.stringify({ e, kty, n })).digest("base64url")
}

function generateJwks() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
  const jwk = privateKey.export({ format: "jwk" })
  return { keys: [{ ...jwk, kid: thumbprint(jwk), alg: "RS256", use: "sig" }] }
}

function readJwks(path) {
  return JSON.parse(readFileSync(path, "utf8"))
}

/**
 * The JWKS in `path`, created there if missing. The new file is linked into place, which fails
 * if another provider got there first; then that provider's keys win, so both sign alike.
 */
function sharedJwks(path) {
  try {
    return readJwks(path)
  } catch (e) {
    if (e.code !== "ENOENT") throw e
  }
  const jwks = generateJwks()
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(jwks), { mode: 0o600 })
  try {
    linkSync(tmp, path)
    return jwks
  } catch (e) {
    if (e.code !== "EEXIST") throw e
    return readJwks(path)
  } finally {
    unlinkSync(tmp)
  }
}

/** The provider's private JWKS: from/into `keysFile` if given, else fresh in memory. */
export function loadJwks(keysFile) {
  return keysFile ? sharedJwks(keysFile) : generateJwks()
}
