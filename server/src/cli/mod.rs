//! The command line of the `kompromiss` binary: `serve`, `admin`, `backup`/`restore` and the `health` probe.

pub mod admin;
pub mod backup;
pub mod ballot;
pub mod health_probe;
pub mod serve;

use std::net::SocketAddr;

use clap::{Parser, Subcommand};

use crate::config::Config;

/// Command line of the `kompromiss` binary.
#[derive(Debug, Parser)]
#[command(name = "kompromiss", version, about = "Kompromiss: gemeinsam Konzepte schreiben / co-write policy concepts")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// What the binary does.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the server.
    Serve(Box<Config>),
    /// Exits 0 when the server at `--bind` answers `/healthz` (for container health checks).
    Health {
        #[arg(long, env = "KOMPROMISS_BIND", default_value = "127.0.0.1:3000")]
        bind: SocketAddr,
    },
    /// Administration for bootstrap and automation: people, roles and API tokens.
    Admin(admin::AdminArgs),
    /// Ballots: recount a published list (`ballot verify <file>`).
    Ballot(ballot::BallotArgs),
    /// Writes everything (documents with their history, comments, drafts, ballots, metrics, people,
    /// grants, audit log) to one archive, while the server keeps running.
    Backup(backup::BackupArgs),
    /// Rebuilds an empty instance from an archive (either backend; migrates the target first).
    Restore(backup::BackupArgs),
}

impl Cli {
    /// Runs the chosen command to its end.
    pub async fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Serve(config) => serve::serve(*config).await,
            Command::Health { bind } => health_probe::probe(bind).await,
            Command::Admin(args) => admin::run(args).await,
            Command::Ballot(args) => ballot::run(args),
            Command::Backup(args) => backup::run_backup(args).await,
            Command::Restore(args) => backup::run_restore(args).await,
        }
    }
}
