//! Entry point: parse the command line, set up logging, bind, and hand over to `run`.

use anyhow::Context;
use clap::Parser;
use kompromiss_server::config::{Cli, Command};
use tokio_util::sync::CancellationToken;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(config) => {
            kompromiss_server::telemetry::init(&config.log_format);
            config.check()?;
            let listener = tokio::net::TcpListener::bind(config.bind)
                .await
                .with_context(|| format!("cannot listen on {}", config.bind))?;
            let shutdown = CancellationToken::new();
            tokio::spawn(kompromiss_server::shutdown::on_signal(shutdown.clone()));
            kompromiss_server::run(*config, listener, shutdown).await
        }
        Command::Health { bind } => kompromiss_server::health::probe(bind).await,
        Command::Admin(args) => kompromiss_server::admin::run(args).await,
    }
}
