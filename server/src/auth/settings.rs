//! Sign-in and permission settings: the OpenID Connect client, claim-to-role mapping, admins, session lifetimes.

use clap::Args;
use kompromiss_shared::perm::Role;
use secrecy::SecretString;

/// Flags and environment variables of sign-in (part of `Config`).
#[derive(Debug, Clone, Args)]
pub struct AuthArgs {
    /// The OpenID Connect issuer URL of the party's sign-in (discovery at `<issuer>/.well-known/openid-configuration`).
    #[arg(long, env = "KOMPROMISS_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,

    /// Client id registered at the provider.
    #[arg(long, env = "KOMPROMISS_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,

    /// Client secret registered at the provider (never logged).
    #[arg(long, env = "KOMPROMISS_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<SecretString>,

    /// Scopes requested at sign-in, separated by spaces.
    #[arg(long, env = "KOMPROMISS_OIDC_SCOPES", default_value = "openid profile email groups")]
    pub oidc_scopes: String,

    /// The ID token claim that lists a person's groups.
    #[arg(long, env = "KOMPROMISS_OIDC_GROUPS_CLAIM", default_value = "groups")]
    pub oidc_groups_claim: String,

    /// Group-to-role mapping: `group=role` pairs separated by commas (roles: member, editor, admin).
    #[arg(
        long,
        env = "KOMPROMISS_ROLE_MAP",
        default_value = "lag-digitales=editor,landesvorstand=editor,mitglieder=member"
    )]
    pub role_map: String,

    /// Admins named by OpenID Connect subject or e-mail, separated by commas (bootstrap).
    #[arg(long, env = "KOMPROMISS_ADMINS", default_value = "")]
    pub admins: String,

    /// Development sign-in (pick a name and role, no password). Default: on only for the embedded
    /// SQLite default served on a loopback address; always off with an OpenID Connect issuer and
    /// in production.
    #[arg(long, env = "KOMPROMISS_DEV_LOGIN")]
    pub dev_login: Option<bool>,

    /// A session ends after this many seconds without activity.
    #[arg(long, env = "KOMPROMISS_SESSION_IDLE_SECS", default_value_t = 7 * 24 * 3600)]
    pub session_idle_secs: u64,

    /// A session ends this many seconds after sign-in, active or not.
    #[arg(long, env = "KOMPROMISS_SESSION_MAX_SECS", default_value_t = 30 * 24 * 3600)]
    pub session_max_secs: u64,
}

impl AuthArgs {
    /// The defaults, as if no flag or variable were given.
    pub fn defaults() -> Self {
        use clap::FromArgMatches;
        let cmd = <Self as Args>::augment_args(clap::Command::new("defaults").no_binary_name(true));
        let matches = cmd.try_get_matches_from(std::iter::empty::<String>()).unwrap_or_default();
        Self::from_arg_matches(&matches).unwrap_or_else(|_| unreachable!("every flag has a default or is optional"))
    }
}

/// A configured OpenID Connect client.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<SecretString>,
    pub scopes: Vec<String>,
}

/// Resolved sign-in settings, shared by every request.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub oidc: Option<OidcSettings>,
    pub groups_claim: String,
    /// Configured group-to-role mapping.
    pub role_map: Vec<(String, Role)>,
    /// Subjects or e-mails (lower-case) that are admins by configuration.
    pub admins: Vec<String>,
    pub dev_login: bool,
    pub session_idle_ms: i64,
    pub session_max_ms: i64,
    /// Cookies carry `Secure` (public URL is https).
    pub secure_cookies: bool,
}

/// A configuration value that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("invalid {0}")]
pub struct SettingsError(pub String);

impl AuthSettings {
    /// Resolves the flags; fails on a malformed role map.
    pub fn resolve(args: &AuthArgs, dev_login: bool, secure_cookies: bool) -> Result<Self, SettingsError> {
        let oidc = match (&args.oidc_issuer, &args.oidc_client_id) {
            (Some(issuer), Some(client_id)) => Some(OidcSettings {
                issuer: issuer.trim_end_matches('/').to_owned(),
                client_id: client_id.clone(),
                client_secret: args.oidc_client_secret.clone(),
                scopes: args.oidc_scopes.split_whitespace().map(str::to_owned).collect(),
            }),
            _ => None,
        };
        Ok(Self {
            oidc,
            groups_claim: args.oidc_groups_claim.clone(),
            role_map: parse_role_map(&args.role_map)?,
            admins: split_list(&args.admins).map(|a| a.to_lowercase()).collect(),
            dev_login,
            session_idle_ms: millis(args.session_idle_secs),
            session_max_ms: millis(args.session_max_secs),
            secure_cookies,
        })
    }
}

fn millis(secs: u64) -> i64 {
    i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX)
}

fn split_list(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// Parses `group=role,group=role`.
pub fn parse_role_map(raw: &str) -> Result<Vec<(String, Role)>, SettingsError> {
    split_list(raw)
        .map(|pair| {
            let (group, role) = pair.split_once('=').ok_or_else(|| SettingsError(format!("role mapping `{pair}`")))?;
            let role = Role::parse(role).ok_or_else(|| SettingsError(format!("role in `{pair}`")))?;
            Ok((group.trim().to_owned(), role))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_maps_parse_and_bad_ones_are_refused() {
        let map = parse_role_map(" lag-digitales=editor, mitglieder = member ,").expect("parses");
        assert_eq!(map, vec![("lag-digitales".into(), Role::Editor), ("mitglieder".into(), Role::Member)]);
        assert!(parse_role_map("x=king").is_err());
        assert!(parse_role_map("novalue").is_err());
    }

    #[test]
    fn defaults_have_no_issuer_and_the_documented_mapping() {
        let args = AuthArgs::defaults();
        assert!(args.oidc_issuer.is_none());
        assert_eq!(args.oidc_groups_claim, "groups");
        assert_eq!(parse_role_map(&args.role_map).expect("default parses").len(), 3);
    }
}
