//! Entry point: parse the command line and run the command (`serve` binds and calls `run`).

use clap::Parser;
use kompromiss_server::cli::Cli;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    Cli::parse().run().await
}
