//! `kompromiss admin`: people, roles and API tokens from the command line (bootstrap and automation).

use clap::{Args, Subcommand};
use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::perm::Role;

use crate::auth::tokens::issue;
use crate::db::settings::DbArgs;
use crate::db::users::{self, User};
use crate::db::{Db, audit, roles, tokens};

/// Name recorded in the audit log for changes made on the command line.
const CLI_ACTOR: &str = "Kommandozeile";

/// `kompromiss admin …`
#[derive(Debug, Args)]
pub struct AdminArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: AdminCommand,
}

/// What to administer.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Lists people with their directly held roles.
    Users,
    /// Creates an account without a sign-in provider (for scripts and bots); prints its id.
    CreateUser {
        /// Display name.
        #[arg(long)]
        name: String,
        /// Role to grant right away (member, editor, admin).
        #[arg(long)]
        role: Option<String>,
    },
    /// Grants a role to a person, named by id, OpenID Connect subject or e-mail.
    Grant { user: String, role: String },
    /// Revokes a directly held role.
    Revoke { user: String, role: String },
    /// Creates an API token for a person and prints it (it is shown only this once).
    CreateToken {
        user: String,
        #[arg(long, default_value = "Kommandozeile")]
        name: String,
    },
    /// Revokes an API token by its id.
    RevokeToken { id: String },
}

/// Runs an admin command, printing results to stdout.
pub async fn run(args: AdminArgs) -> anyhow::Result<()> {
    let db = args.db.connect().await?;
    let result = execute(&db, args.command).await;
    db.close().await;
    println!("{}", result?);
    Ok(())
}

/// Executes a command; returns what to print.
pub async fn execute(db: &Db, command: AdminCommand) -> anyhow::Result<String> {
    match command {
        AdminCommand::Users => {
            let held = roles::held(db, None).await?;
            let mut out = String::new();
            for u in users::list(db).await? {
                let roles: Vec<&str> = held.iter().filter(|h| h.user_id == u.id).map(|h| h.role.as_str()).collect();
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\tgroups={}\troles={}\n",
                    u.id,
                    u.display_name,
                    u.subject,
                    u.email.as_deref().unwrap_or("-"),
                    u.groups.join(","),
                    roles.join(",")
                ));
            }
            Ok(out.trim_end().to_owned())
        }
        AdminCommand::CreateUser { name, role } => {
            let user = users::create_local(db, users::LOCAL_ISSUER, name.trim()).await?;
            if let Some(role) = role {
                grant(db, &user, parse_role(&role)?).await?;
            }
            Ok(user.id)
        }
        AdminCommand::Grant { user, role } => {
            let user = one_user(db, &user).await?;
            let role = parse_role(&role)?;
            grant(db, &user, role).await?;
            Ok(format!("{} ist jetzt {} / now holds {}", user.display_name, role.as_str(), role.as_str()))
        }
        AdminCommand::Revoke { user, role } => {
            let user = one_user(db, &user).await?;
            let role = parse_role(&role)?;
            if !roles::revoke(db, &user.id, role).await? {
                anyhow::bail!(
                    "{} hält die Rolle {} nicht direkt / does not hold it directly",
                    user.display_name,
                    role.as_str()
                );
            }
            let record = cli_record(AuditAction::RoleRevoked, Some(&user.display_name), Some(role.as_str()));
            audit::record(db, record).await?;
            Ok(format!("{}: {} entzogen / revoked", user.display_name, role.as_str()))
        }
        AdminCommand::CreateToken { user, name } => {
            let user = one_user(db, &user).await?;
            let (_, secret) = issue(db, &user, name.trim(), CLI_ACTOR).await?;
            Ok(secret)
        }
        AdminCommand::RevokeToken { id } => match tokens::revoke(db, &id, None).await? {
            Some(_) => {
                audit::record(db, cli_record(AuditAction::TokenRevoked, Some(&id), None)).await?;
                Ok(format!("Token {id} widerrufen / revoked"))
            }
            None => anyhow::bail!("kein aktives Token {id} / no live token {id}"),
        },
    }
}

fn cli_record<'a>(action: AuditAction, target: Option<&'a str>, detail: Option<&'a str>) -> audit::Record<'a> {
    audit::Record { actor_id: None, actor_name: Some(CLI_ACTOR), action, target, detail }
}

fn parse_role(raw: &str) -> anyhow::Result<Role> {
    Role::parse(raw).ok_or_else(|| anyhow::anyhow!("unbekannte Rolle / unknown role `{raw}` (member, editor, admin)"))
}

async fn grant(db: &Db, user: &User, role: Role) -> anyhow::Result<()> {
    roles::grant(db, &user.id, role, Some(CLI_ACTOR)).await?;
    audit::record(db, cli_record(AuditAction::RoleGranted, Some(&user.display_name), Some(role.as_str()))).await?;
    Ok(())
}

/// Exactly one person named by id, subject or e-mail.
async fn one_user(db: &Db, key: &str) -> anyhow::Result<User> {
    let mut found = users::find(db, key.trim()).await?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => anyhow::bail!("niemand mit id, subject oder e-mail `{key}` / nobody found"),
        _ => anyhow::bail!("`{key}` passt auf mehrere Personen; nimm die id / matches several people; use the id"),
    }
}
