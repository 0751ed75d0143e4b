// Debian chromium driven by playwright-core, launched the way this machine allows.
import { chromium } from "playwright-core"

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium"

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  })
}

/** Signs in with the development sign-in under a display name and role. */
export async function signIn(page, base, name, role = "editor") {
  await page.goto(`${base}/anmelden`)
  await page.fill('input[name="display_name"]', name)
  await page.selectOption('select[name="role"]', role)
  await Promise.all([page.waitForNavigation(), page.click('[data-testid="dev-sign-in"]')])
}

/**
 * Opens a document page signed in as `name` (an editor) and waits until the live replica is
 * there. With `editAll` (the default) it switches on "Alles bearbeiten", so that every field is
 * an input; without it the page stays the reading view.
 */
export async function openDoc(context, base, id, name = "Gast", editAll = true) {
  const page = await context.newPage()
  page.on("pageerror", e => console.error("pageerror:", e.message))
  await signIn(page, base, name)
  await page.goto(`${base}/d/${id}`)
  await page.waitForSelector('[data-testid="edit-all"]:not([disabled])', { timeout: 20000 })
  if (editAll && (await page.getAttribute('[data-testid="edit-all"]', "aria-pressed")) !== "true") {
    await page.click('[data-testid="edit-all"]')
    await page.waitForSelector('#f-title:not([readonly])', { timeout: 20000 })
  }
  await page.waitForSelector('[data-status="saved"]', { timeout: 20000 })
  return page
}

/** Records every value the status indicator takes, from now on. */
export async function recordStatus(page) {
  await page.evaluate(() => {
    const el = document.querySelector("[data-testid=status]")
    window.__statuses = [el.dataset.status]
    new MutationObserver(() => window.__statuses.push(el.dataset.status)).observe(el, { attributes: true })
  })
}

export const statuses = page => page.evaluate(() => window.__statuses)

export const value = (page, sel) => page.$eval(sel, el => el.value)

/** Waits until the field's value contains every string. */
export async function waitForText(page, sel, parts, timeout = 20000) {
  await page.waitForFunction(
    ([s, ps]) => {
      const el = document.querySelector(s)
      return el && ps.every(p => el.value.includes(p))
    },
    [sel, parts],
    { timeout },
  )
}

/**
 * Signs in through the OpenID provider: opens `next` (redirected to /anmelden), follows the
 * sign-in link, submits `login` on the provider's form, and waits until back on `next`.
 */
export async function signInWithProvider(page, base, login, next = "/", timeout = 20000) {
  await page.goto(`${base}${next}`)
  await page.waitForURL(url => url.pathname === "/anmelden", { timeout })
  await page.click('[data-testid="oidc-sign-in"]', { timeout })
  await page.fill('input[name="login"]', login, { timeout })
  await Promise.all([
    page.waitForURL(url => url.origin === base && url.pathname === next, { timeout }),
    page.click('button:has-text("Anmelden")', { timeout }),
  ])
}

/** Runs axe-core (npm, vendored by `npm install`) on the page; the serious and critical violations. */
export async function axeViolations(page, context = undefined) {
  const { createRequire } = await import("node:module")
  const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js")
  await page.addScriptTag({ path: axePath })
  const result = await page.evaluate(async ctx => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(ctx ?? document, { resultTypes: ["violations"] })
    return r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5) }))
  }, context)
  return result.filter(v => v.impact === "serious" || v.impact === "critical")
}
