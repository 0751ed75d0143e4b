//! The published list as CSV for spreadsheets: one row per ballot paper, one column per option
//! (ranks) or part (the chosen variant). The JSON list is the one `kompromiss ballot verify` reads.

use kompromiss_shared::ballots::{Answer, Choice, Shape};
use kompromiss_shared::dto::ballots::{BallotList, Frozen};

/// A CSV field: quoted when needed; a leading `=`, `+`, `-` or `@` is defused so that no
/// spreadsheet reads a voter's name as a formula.
fn field(raw: &str) -> String {
    let safe = if raw.starts_with(['=', '+', '-', '@']) { format!("'{raw}") } else { raw.to_owned() };
    if safe.contains([',', '"', '\n', '\r']) { format!("\"{}\"", safe.replace('"', "\"\"")) } else { safe }
}

fn row(fields: impl IntoIterator<Item = String>) -> String {
    let mut line = fields.into_iter().map(|f| field(&f)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// The list as CSV; `frozen` names the options and parts.
pub fn csv(list: &BallotList, frozen: &Frozen) -> String {
    let secret = list.votes.iter().all(|v| v.receipt.is_some());
    let who = if secret { "Quittung" } else { "Stimme von" };
    let columns: Vec<String> = match &list.spec.shape {
        Shape::Proposal => vec!["Antwort".to_owned()],
        Shape::Ranking { .. } => frozen.options.iter().map(|o| format!("Rang: {}", o.title)).collect(),
        Shape::Sections { .. } => frozen.parts.iter().map(|p| p.name.clone()).collect(),
    };
    let mut out = row(std::iter::once(who.to_owned()).chain(columns));
    for vote in &list.votes {
        let first = vote.receipt.clone().or_else(|| vote.voter.clone()).unwrap_or_default();
        let rest: Vec<String> = match &vote.choice {
            Choice::Answer(a) => vec![
                match a {
                    Answer::Yes => "Ja",
                    Answer::No => "Nein",
                    Answer::Abstain => "Enthaltung",
                }
                .to_owned(),
            ],
            Choice::Ranking(ranks) => ranks.iter().map(|r| r.map(|r| r.to_string()).unwrap_or_default()).collect(),
            Choice::Parts(parts) => parts
                .iter()
                .zip(&frozen.parts)
                .map(|(c, part)| {
                    c.and_then(|v| part.variants.get(v as usize))
                        .and_then(|&o| frozen.options.get(o))
                        .map(|o| o.title.clone())
                        .unwrap_or_default()
                })
                .collect(),
        };
        out.push_str(&row(std::iter::once(first).chain(rest)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("Anna"), "Anna");
        assert_eq!(field("Müller, Anna"), "\"Müller, Anna\"");
        assert_eq!(field("Sag \"Ja\""), "\"Sag \"\"Ja\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1"), "'-1");
    }
}
