//! `kompromiss ballot verify <file>`: recounts a ballot's published list (the JSON download) with
//! the same rules the server used, and says whether it reproduces the published result. Needs no
//! server and no database.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use kompromiss_shared::ballots::{Outcome, Verdict};
use kompromiss_shared::dto::ballots::BallotList;

/// The largest list file read (a ballot with 100,000 papers fits easily).
pub const MAX_LIST_BYTES: u64 = 256 << 20;

#[derive(Debug, Args)]
pub struct BallotArgs {
    #[command(subcommand)]
    pub command: BallotCommand,
}

#[derive(Debug, Subcommand)]
pub enum BallotCommand {
    /// Recounts a published list (JSON) and compares the count with its published result.
    Verify { file: PathBuf },
}

/// Runs a ballot command; an error when the recount differs or the file is not a list.
pub fn run(args: BallotArgs) -> anyhow::Result<()> {
    match args.command {
        BallotCommand::Verify { file } => {
            let report = verify(&file)?;
            println!("{report}");
            Ok(())
        }
    }
}

/// Recounts the list in `file`; a one-paragraph report when it matches.
pub fn verify(file: &std::path::Path) -> anyhow::Result<String> {
    let size = std::fs::metadata(file).with_context(|| format!("reading {}", file.display()))?.len();
    anyhow::ensure!(size <= MAX_LIST_BYTES, "{} is larger than {MAX_LIST_BYTES} bytes", file.display());
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let list: BallotList = serde_json::from_str(&text).context("not a ballot list (the JSON download)")?;
    let outcome = list.verify().map_err(|e| anyhow::anyhow!("{}: {e}", list.title))?;
    Ok(format!(
        "„{}“: {} Stimmzettel nachgezählt, das Ergebnis stimmt. {}",
        list.title,
        list.votes.len(),
        describe(&list, &outcome)
    ))
}

fn describe(list: &BallotList, outcome: &Outcome) -> String {
    let name = |o: usize| list.options.get(o).cloned().unwrap_or_else(|| format!("Option {o}"));
    match outcome {
        Outcome::Proposal { tally, verdict, .. } => {
            let verdict = match verdict {
                Verdict::Adopted => "angenommen",
                Verdict::Rejected => "abgelehnt",
                Verdict::Tied => "Stimmengleichheit, abgelehnt",
                Verdict::QuorumMissed => "Quorum verfehlt",
            };
            format!("Ja {}, Nein {}, Enthaltung {}: {verdict}.", tally.yes, tally.no, tally.abstain)
        }
        Outcome::Ranking { quorum_met, schulze, .. } => {
            let order = schulze.order.iter().map(|&o| name(o)).collect::<Vec<_>>().join(" > ");
            if *quorum_met { format!("Rangfolge (Schulze): {order}.") } else { "Quorum verfehlt.".to_owned() }
        }
        Outcome::Sections { quorum_met, parts, .. } => {
            if *quorum_met {
                let winners = parts.iter().enumerate().map(|(i, p)| {
                    let part = list.parts.get(i).cloned().unwrap_or_else(|| format!("Teil {i}"));
                    format!("{part}: Variante {}", p.winner)
                });
                format!("{}.", winners.collect::<Vec<_>>().join("; "))
            } else {
                "Quorum verfehlt.".to_owned()
            }
        }
    }
}
