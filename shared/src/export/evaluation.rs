//! A yearly evaluation as Markdown: status, summary, each platform (decision, assessment, the
//! year's figures, commentary), the year's changes and ballots. Charts are added by the HTML
//! export, which draws them.

use super::{assessment_lines, decision_de, inline};
use crate::dto::evaluations::EvaluationView;
use crate::metrics::Amount;
use crate::metrics::figures::year_figures;
use crate::template::Unit;

/// A figure in German notation with its unit, rounded to two decimals; "–" if there is none.
fn figure(v: Option<f64>, unit: Unit) -> String {
    v.and_then(Amount::rounded).map_or_else(|| "–".to_owned(), |a| format!("{}{}", a.german(), unit.suffix()))
}

/// A time as its month (`YYYY-MM`, UTC): what a yearly report needs to place it.
fn date(ms: i64) -> String {
    crate::metrics::Month::of_millis(ms).to_string()
}

/// The evaluation as Markdown.
pub fn markdown(ev: &EvaluationView) -> String {
    let mut out = format!("# Evaluation {} – {}\n\n", ev.year, inline(&ev.concept_title));
    match &ev.presented {
        Some(p) => out.push_str(&format!("**Vorgestellt:** {}, {}\n", inline(&p.body), inline(&p.on))),
        None => out.push_str("**Entwurf** – noch nicht festgeschrieben.\n"),
    }
    out.push_str("\n## Zusammenfassung\n\n");
    out.push_str(if ev.summary.trim().is_empty() { "–" } else { ev.summary.trim() });
    out.push('\n');
    let m = &ev.metrics;
    for p in &ev.platforms {
        out.push_str(&format!("\n## {} – {}\n\n", inline(&p.name), decision_de(p.decision)));
        out.push_str(&format!(
            "**Zielgruppen:** {}\n\n**Begründung:** {}\n",
            inline(&p.target_groups),
            inline(&p.rationale)
        ));
        if !ev.criteria.is_empty() {
            out.push_str("\n**Bewertung:**\n\n");
            out.push_str(&assessment_lines(&ev.criteria, &p.assessment));
        }
        out.push_str(&format!("\n**Jahreswerte {}:**\n\n| Kennzahl | Wert |\n|---|---:|\n", m.year));
        for (name, v, unit) in year_figures(m, &m.metrics, &m.derived, &p.id, m.year) {
            out.push_str(&format!("| {} | {} |\n", inline(&name.de), figure(v, unit)));
        }
        out.push_str("\n**Kommentar der Redaktion:**\n\n");
        out.push_str(if p.commentary.trim().is_empty() { "–" } else { p.commentary.trim() });
        out.push('\n');
    }
    out.push_str("\n## Änderungen am Konzept in diesem Jahr\n\n");
    let c = &ev.changes;
    if c.stretches.is_empty() && c.merges.is_empty() && c.decisions.is_empty() && c.named.is_empty() {
        out.push_str("–\n");
    }
    for s in &c.stretches {
        let who = s.author.as_ref().map_or("unbekannt".to_owned(), |p| inline(&p.name));
        let when = s.to.or(s.from).map(date).unwrap_or_default();
        out.push_str(&format!("- {who}: {} Änderungen ({when})\n", s.changes));
    }
    for x in &c.merges {
        out.push_str(&format!("- Entwurf übernommen: {} ({})\n", inline(&x.title), date(x.at)));
    }
    for x in &c.decisions {
        out.push_str(&format!("- Beschluss übernommen: {} ({})\n", inline(&x.title), date(x.at)));
    }
    for x in &c.named {
        out.push_str(&format!("- Fassung benannt: {} ({})\n", inline(&x.name), date(x.at)));
    }
    out.push_str("\n## Abstimmungen in diesem Jahr\n\n");
    if ev.ballots.is_empty() {
        out.push_str("–\n");
    }
    for b in &ev.ballots {
        let (title, when) = (inline(&b.summary.title), date(b.opened_at));
        out.push_str(&format!("- {title} ({when}): {} von {} haben abgestimmt\n", b.summary.voted, b.summary.eligible));
    }
    out
}
