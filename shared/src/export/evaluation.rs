//! A yearly evaluation as Markdown: status, summary, each platform (decision, assessment, the
//! year's figures, commentary), the year's changes and ballots. Charts are added by the HTML
//! export, which draws them.

use super::{assessment_lines, decision_de, inline};
use crate::dto::evaluations::EvaluationView;
use crate::metrics::Amount;
use crate::metrics::figures::{derived_year, year_figure};
use crate::template::Unit;

/// A figure in German notation, rounded to two decimals.
fn figure(v: f64) -> String {
    let h = (v * 100.0).round();
    if h.is_finite() && h >= 0.0 {
        Amount::from_hundredths(h as i64).map_or_else(|_| "–".to_owned(), Amount::german)
    } else {
        "–".to_owned()
    }
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
        for d in &m.metrics {
            let unit = match d.unit {
                Unit::Hours => " h",
                Unit::Euro => " €",
                Unit::Count => "",
            };
            let v = year_figure(m, &p.id, d, m.year).map_or_else(|| "–".to_owned(), |v| format!("{}{unit}", figure(v)));
            out.push_str(&format!("| {} | {v} |\n", inline(&d.name.de)));
        }
        for d in &m.derived {
            let v = derived_year(m, &p.id, d, m.year).map_or_else(|| "–".to_owned(), figure);
            out.push_str(&format!("| {} | {v} |\n", inline(&d.name.de)));
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
