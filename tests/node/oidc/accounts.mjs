// The fixed test accounts of the test OpenID provider (account id = login name) and their claims.

/** Login name → profile. `groups` drives role mapping in the relying party. */
export const ACCOUNTS = {
  admin: { name: "Ada Admin", email: "ada@example.org", groups: ["kompromiss-admins"] },
  editor: { name: "Emil Redaktion", email: "emil@example.org", groups: ["lag-digitales"] },
  board: { name: "Berta Vorstand", email: "berta@example.org", groups: ["landesvorstand"] },
  member: { name: "Mia Mitglied", email: "mia@example.org", groups: ["mitglieder"] },
  outsider: { name: "Otto Extern", email: "otto@example.org", groups: [] },
}

/** Scope → claims it releases; the provider filters `claims()` output by granted scope. */
export const CLAIMS = {
  openid: ["sub"],
  profile: ["name"],
  email: ["email", "email_verified"],
  groups: ["groups"],
}

export const isKnownLogin = login => Object.hasOwn(ACCOUNTS, login)

/** oidc-provider's `findAccount`: unknown ids yield `undefined`, which ends the session. */
export async function findAccount(_ctx, id) {
  if (!isKnownLogin(id)) return undefined
  const { name, email, groups } = ACCOUNTS[id]
  return {
    accountId: id,
    async claims() {
      return { sub: id, name, email, email_verified: true, groups: [...groups] }
    },
  }
}
