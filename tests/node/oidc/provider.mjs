// A real OpenID Connect provider (oidc-provider) for tests, on 127.0.0.1, with fixed accounts.
//
// node provider.mjs --port <p> --client-id <id> --client-secret <s> --redirect-uri <url>...
//   [--post-logout-redirect-uri <url>...] [--keys-file <path>]
// Prints one line `{"ready":true,"issuer":...,"port":...}` on stdout once it listens.
import { createServer } from "node:http"
import { parseArgs } from "node:util"
import { CLAIMS, findAccount, isKnownLogin } from "./accounts.mjs"
import { loadJwks } from "./keys.mjs"
import { errorPage, loginPage, logoutDonePage, logoutPage } from "./pages.mjs"

// stdout carries only the ready line; oidc-provider's notices go to stderr, and the two
// warnings that are expected here (in-memory adapter, Node 20) are dropped.
const EXPECTED_WARNINGS = [/in-memory adapter/, /Unsupported runtime/]
const warn = console.warn.bind(console)
console.warn = (...args) => {
  if (!EXPECTED_WARNINGS.some(re => re.test(String(args[0])))) warn(...args)
}
console.log = console.info = console.error.bind(console)
const { default: Provider } = await import("oidc-provider")

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    "client-id": { type: "string" },
    "client-secret": { type: "string" },
    "redirect-uri": { type: "string", multiple: true, default: [] },
    "post-logout-redirect-uri": { type: "string", multiple: true, default: [] },
    "keys-file": { type: "string" },
  },
})
if (!args["client-id"] || !args["client-secret"] || args["redirect-uri"].length === 0) {
  console.error("usage: provider.mjs --port <p> --client-id <id> --client-secret <s> --redirect-uri <url>...")
  process.exit(2)
}

const SCOPES = Object.keys(CLAIMS)

/** Every request of our first-party client is consented to: a grant for all scopes. */
async function loadExistingGrant(ctx) {
  const { client, session, result } = ctx.oidc
  const grantId = result?.consent?.grantId || session.grantIdFor(client.clientId)
  if (grantId) return ctx.oidc.provider.Grant.find(grantId)
  const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId })
  grant.addOIDCScope(SCOPES.join(" "))
  await grant.save()
  return grant
}

function configuration(jwks) {
  return {
    clients: [
      {
        client_id: args["client-id"],
        client_secret: args["client-secret"],
        redirect_uris: args["redirect-uri"],
        post_logout_redirect_uris: args["post-logout-redirect-uri"],
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks,
    findAccount,
    claims: CLAIMS,
    scopes: SCOPES,
    responseTypes: ["code"],
    // The relying party reads name, email and groups from the ID token, not from userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    loadExistingGrant,
    cookies: { keys: ["kompromiss-test-cookie-key-not-secret"] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => html(ctx, logoutPage(form)),
        postLogoutSuccessSource: async ctx => html(ctx, logoutDonePage()),
      },
    },
    renderError: async (ctx, out) => html(ctx, errorPage(out)),
  }
}

function html(ctx, body) {
  ctx.type = "html"
  ctx.body = body
}

function send(res, status, body) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
  res.end(body)
}

async function readForm(req) {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"))
}

/** Our own interaction routes: GET shows the login form, POST …/login checks the login name. */
async function handleInteraction(provider, req, res, uid, action) {
  let details
  try {
    details = await provider.interactionDetails(req, res)
  } catch {
    return send(res, 400, errorPage({ error: "Anmeldevorgang abgelaufen oder unbekannt" }))
  }
  if (details.uid !== uid) return send(res, 400, errorPage({ error: "Anmeldevorgang passt nicht" }))
  const { prompt, params, session } = details

  if (req.method === "GET" && !action && prompt.name === "login") return send(res, 200, loginPage(uid))
  if (req.method === "GET" && !action && prompt.name === "consent") {
    // Only reached if the grant lacks something loadExistingGrant did not add (e.g. claims).
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id })
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(" "))
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims)
    const result = { consent: { grantId: await grant.save() } }
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true })
  }
  if (req.method === "POST" && action === "login" && prompt.name === "login") {
    const login = ((await readForm(req)).get("login") || "").trim()
    if (!isKnownLogin(login)) return send(res, 403, loginPage(uid, `Unbekannter Anmeldename: ${login}`))
    const result = { login: { accountId: login } }
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false })
  }
  send(res, 404, errorPage({ error: "Unbekannter Schritt" }))
}

const INTERACTION = /^\/interaction\/([^/]+)(?:\/(login))?$/

const server = createServer()
server.listen(Number(args.port), "127.0.0.1", () => {
  const { port } = server.address()
  const issuer = `http://127.0.0.1:${port}`
  const provider = new Provider(issuer, configuration(loadJwks(args["keys-file"])))
  const callback = provider.callback()
  server.on("request", (req, res) => {
    const match = INTERACTION.exec(new URL(req.url, issuer).pathname)
    if (!match) return callback(req, res)
    handleInteraction(provider, req, res, match[1], match[2]).catch(err => {
      console.error("interaction failed:", err)
      if (!res.headersSent) send(res, 500, errorPage({ error: "Interner Fehler" }))
    })
  })
  process.stdout.write(`${JSON.stringify({ ready: true, issuer, port })}\n`)
})

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close()
    process.exit(0)
  })
}
