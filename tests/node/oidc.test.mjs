// Signing in through a real OpenID provider, in real browsers: roles from the provider's groups,
// what editors and members may do, session cookies (flags, rotation, revocation) and logout at
// both ends.
import { test, before, after } from "node:test"
import assert from "node:assert/strict"
import { TestServer, freePort, getJson } from "./lib/server.mjs"
import { launch, recordStatus, signInWithProvider, statuses } from "./lib/browser.mjs"
import { startProvider } from "./lib/oidc.mjs"

const T = 20000
const COOKIE = "kompromiss_session"
let provider, server, browser

before(async () => {
  const port = await freePort()
  const publicUrl = `http://127.0.0.1:${port}`
  provider = await startProvider({
    redirectUris: [`${publicUrl}/auth/callback`],
    postLogoutRedirectUris: [`${publicUrl}/`],
  })
  server = await TestServer.start(
    {
      KOMPROMISS_OIDC_ISSUER: provider.issuer,
      KOMPROMISS_OIDC_CLIENT_ID: provider.clientId,
      KOMPROMISS_OIDC_CLIENT_SECRET: provider.clientSecret,
      KOMPROMISS_PUBLIC_URL: publicUrl,
      KOMPROMISS_ADMINS: "admin",
    },
    { port },
  )
  browser = await launch()
})

after(async () => {
  await browser?.close()
  await server?.close()
  await provider?.stop()
})

/** A fresh browser context and page, with page errors reported. */
async function freshPage() {
  const context = await browser.newContext()
  const page = await context.newPage()
  page.setDefaultTimeout(T)
  page.on("pageerror", e => console.error("pageerror:", e.message))
  return { context, page }
}

async function sessionCookie(context) {
  return (await context.cookies(server.base)).find(c => c.name === COOKIE)
}

/** Asserts that the server treats a request with this session cookie value as signed out. */
async function assertSignedOut(value, why) {
  const r = await fetch(`${server.base}/`, { headers: { cookie: `${COOKIE}=${value}` }, redirect: "manual" })
  assert.equal(r.status, 303, `${why}: status`)
  assert.ok(r.headers.get("location")?.startsWith("/anmelden"), `${why}: location ${r.headers.get("location")}`)
}

async function assertSignedIn(value, why) {
  const r = await fetch(`${server.base}/`, { headers: { cookie: `${COOKIE}=${value}` }, redirect: "manual" })
  assert.equal(r.status, 200, `${why}: status (location ${r.headers.get("location")})`)
}

const title = async id => (await getJson(server.base, `/api/documents/${id}`, server.editorToken)).body

test("an editor signs in through the provider, edits a document, and gets a safe session cookie", async () => {
  const { context, page } = await freshPage()
  await page.goto(`${server.base}/`)
  await page.waitForURL(url => url.pathname === "/anmelden")
  assert.equal(new URL(page.url()).searchParams.get("next"), "/")
  assert.equal(await page.locator('[data-testid="dev-sign-in"]').count(), 0, "no development sign-in with OIDC")
  await page.click('[data-testid="oidc-sign-in"]')
  await page.waitForURL(url => url.origin === provider.issuer && url.pathname.startsWith("/interaction/"))
  await page.fill('input[name="login"]', "editor")
  await Promise.all([
    page.waitForURL(url => url.origin === server.base && url.pathname === "/"),
    page.click('button:has-text("Anmelden")'),
  ])

  await page.waitForSelector('[data-testid="me"]:has-text("Emil Redaktion")')
  const role = page.locator('[data-testid="role"]')
  assert.equal(await role.getAttribute("data-role"), "editor")
  assert.match(await role.innerText(), /Redaktion|editor/i)
  await page.waitForSelector('[data-testid="create"]')

  const cookie = await sessionCookie(context)
  assert.ok(cookie, "session cookie set")
  assert.equal(cookie.httpOnly, true)
  assert.equal(cookie.sameSite, "Lax")
  assert.equal(cookie.path, "/")
  assert.equal(cookie.secure, false, "plain-http public URL: no Secure flag")

  const id = await server.createDocument()
  await page.goto(`${server.base}/d/${id}`)
  // The title is edited in place: its "Bearbeiten" button turns it into a field.
  await page.click('button[data-edit="title"]')
  await page.waitForSelector("#f-title:not([readonly])")
  await page.waitForSelector('[data-status="saved"]')
  await recordStatus(page)
  await page.click("#f-title")
  await page.keyboard.press("End")
  await page.keyboard.type(" (OIDC)")
  await page.waitForFunction(() => document.querySelector("#f-title").value.endsWith(" (OIDC)"))
  await page.waitForFunction(() => window.__statuses.includes("saving") && window.__statuses.at(-1) === "saved")
  const seen = await statuses(page)
  assert.ok(seen.lastIndexOf("saved") > seen.indexOf("saving"), `saving, then saved: ${seen}`)
  const until = Date.now() + T
  while (!JSON.stringify(await title(id)).includes(" (OIDC)")) {
    assert.ok(Date.now() < until, "the server has the edited title")
    await new Promise(r => setTimeout(r, 100))
  }
  await context.close()
})

test("a member signs in, reads documents without changing them, and is kept out of /admin", async () => {
  const id = await server.createDocument()
  const before = JSON.stringify(await title(id))
  const { context, page } = await freshPage()
  await signInWithProvider(page, server.base, "member")
  await page.waitForSelector('[data-testid="me"]:has-text("Mia Mitglied")')
  assert.equal(await page.locator('[data-testid="role"]').getAttribute("data-role"), "member")
  assert.equal(await page.locator('[data-testid="create"]').count(), 0, "no create form for members")

  await page.goto(`${server.base}/d/${id}`)
  await page.waitForSelector("h1.doc-title")
  await page.waitForSelector("text=Nur lesen")
  await page.waitForSelector('[data-status="saved"]', { timeout: 20000 })
  // A reader gets the document to read: no switch to edit, no edit buttons, and clicking into a
  // section opens no field.
  assert.equal(await page.locator('[data-testid="edit-all"], button[data-edit]').count(), 0)
  await page.click('[data-section="ziele"] .read.markdown')
  assert.equal(await page.locator("#f-s-ziele-body, #f-title").count(), 0, "no field to type into")
  await new Promise(r => setTimeout(r, 500))
  assert.equal(JSON.stringify(await title(id)), before, "the server's document is unchanged")

  const r = await page.goto(`${server.base}/admin`)
  assert.equal(r.status(), 403)
  await page.waitForSelector('[data-testid="forbidden"]')
  assert.equal(await page.locator('[data-testid="user-row"]').count(), 0)
  await context.close()
})

test("signing in again rotates the session cookie and revokes the old one", async () => {
  const { context, page } = await freshPage()
  await signInWithProvider(page, server.base, "board")
  await page.waitForSelector('[data-testid="me"]:has-text("Berta Vorstand")')
  const old = (await sessionCookie(context)).value
  await assertSignedIn(old, "first session")

  // The provider still knows Berta, so this comes straight back without a login form.
  await page.goto(`${server.base}/auth/login?next=/`)
  await page.waitForURL(url => url.origin === server.base && url.pathname === "/")
  await page.waitForSelector('[data-testid="me"]:has-text("Berta Vorstand")')
  const rotated = (await sessionCookie(context)).value
  assert.notEqual(rotated, old, "a new session value after signing in again")
  await assertSignedOut(old, "old session after rotation")
  await assertSignedIn(rotated, "new session")
  await context.close()
})

test("signing out ends the session here and at the provider", async () => {
  const { context, page } = await freshPage()
  await signInWithProvider(page, server.base, "editor")
  await page.waitForSelector('[data-testid="me"]:has-text("Emil Redaktion")')
  const old = (await sessionCookie(context)).value

  const seen = []
  page.on("framenavigated", f => f === page.mainFrame() && seen.push(f.url()))
  await page.click('[data-testid="sign-out"]')
  await page.waitForURL(url => url.origin === server.base && url.pathname === "/anmelden")
  assert.ok(
    seen.some(u => u.startsWith(provider.issuer)),
    `went through the provider's logout: ${seen.join(" → ")}`,
  )
  assert.equal(await sessionCookie(context), undefined, "cookie removed from the browser")
  await assertSignedOut(old, "session after sign-out")

  // The provider's session ended too: signing in asks for the login name again.
  await page.goto(`${server.base}/`)
  await page.waitForURL(url => url.pathname === "/anmelden")
  await page.click('[data-testid="oidc-sign-in"]')
  await page.waitForURL(url => url.origin === provider.issuer && url.pathname.startsWith("/interaction/"))
  await page.waitForSelector('input[name="login"]')
  await context.close()
})

test("an admin named in the configuration sees the people who signed in", async () => {
  // Someone else signs in first, so that this test does not depend on the others.
  const other = await freshPage()
  await signInWithProvider(other.page, server.base, "member")
  await other.context.close()

  const { context, page } = await freshPage()
  await signInWithProvider(page, server.base, "admin")
  await page.waitForSelector('[data-testid="me"]:has-text("Ada Admin")')
  await page.waitForSelector('[data-testid="nav-admin"]')
  const r = await page.goto(`${server.base}/admin`)
  assert.equal(r.status(), 200)
  await page.waitForSelector('[data-testid="user-row"]')
  assert.equal(await page.locator('[data-testid="forbidden"]').count(), 0)
  const rows = page.locator('[data-testid="user-row"]')
  for (const [name, sub, group] of [
    ["Ada Admin", "admin", "kompromiss-admins"],
    ["Mia Mitglied", "member", "mitglieder"],
  ]) {
    const row = rows.filter({ hasText: name })
    assert.equal(await row.count(), 1, `one row for ${name}`)
    const text = await row.innerText()
    assert.ok(text.includes(sub) && text.includes(group), `${name}'s row shows subject and groups: ${text}`)
  }
  assert.equal(await rows.filter({ hasText: "Mia Mitglied" }).getAttribute("data-role"), "member")
  await context.close()
})
