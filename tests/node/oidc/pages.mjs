// The HTML pages of the test OpenID provider: login form, logout confirmation, errors.

const escape = s =>
  String(s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c])

function layout(title, body) {
  return `<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body>
<main>
<h1>${escape(title)}</h1>
${body}
</main>
</body>
</html>`
}

/** The login form; `error` (if any) is shown above it. */
export function loginPage(uid, error) {
  const alert = error ? `<p class="error" role="alert">${escape(error)}</p>` : ""
  return layout(
    "Anmeldung beim Test-Anbieter",
    `${alert}
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login">
<label>Anmeldename <input name="login" autofocus autocomplete="username"></label>
<button type="submit">Anmelden</button>
</form>`,
  )
}

/**
 * The logout confirmation. `form` is the provider's hidden form `op.logoutForm` (with its xsrf
 * token); the script adds `logout=yes` and submits it, the button does the same without script.
 */
export function logoutPage(form) {
  return layout(
    "Abmelden",
    `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Abmelden</button>
<script>
(function () {
  var f = document.getElementById("op.logoutForm");
  var i = document.createElement("input");
  i.type = "hidden"; i.name = "logout"; i.value = "yes";
  f.appendChild(i);
  f.submit();
})();
</script>`,
  )
}

export function logoutDonePage() {
  return layout("Abgemeldet", "<p>Sie sind beim Test-Anbieter abgemeldet.</p>")
}

/** `out` holds `error` and `error_description`, both safe to show. */
export function errorPage(out) {
  const rows = Object.entries(out)
    .map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v)}</dd>`)
    .join("")
  return layout("Fehler beim Test-Anbieter", `<dl>${rows}</dl>`)
}
