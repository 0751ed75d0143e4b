//! Assembling a year's evaluation: live from the concept, its metrics, history and ballots while
//! it is a draft; from its snapshot once frozen. Its charts are drawn from its own values.

use kompromiss_shared::dto::evaluations::{
    EvaluatedPlatform, EvaluationListed, EvaluationView, Presented, YearChanges,
};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::metrics::Month;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::read_concept;
use kompromiss_shared::template::builtin_or_default;

use super::{EvaluationError, YEARS};
use crate::auth::{Principal, access};
use crate::concepts::ask;
use crate::db::evaluations;
use crate::state::AppState;

/// The year (UTC) of a time in milliseconds.
fn year_of(ms: i64) -> u16 {
    Month::of_millis(ms).year()
}

/// A year's evaluation of a concept, as the caller may see it.
pub async fn view(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    year: u16,
) -> Result<EvaluationView, EvaluationError> {
    if !YEARS.contains(&year) {
        return Err(EvaluationError::Invalid("year"));
    }
    let level = access::require(&state.db, principal, concept, Level::Read).await?;
    if crate::db::drafts::get(&state.db, concept).await?.is_some() {
        return Err(EvaluationError::NotFound);
    }
    let id = concept.to_string();
    let stored = evaluations::get(&state.db, &id, i64::from(year)).await?;
    let years = listed(state, &id, year).await?;
    if let Some(snapshot) = stored.as_ref().and_then(|e| e.snapshot.as_deref()) {
        let mut frozen: EvaluationView =
            serde_json::from_str(snapshot).map_err(|_| EvaluationError::Invalid("snapshot"))?;
        frozen.years = years;
        frozen.can_edit = false;
        frozen.revision = stored.as_ref().map_or(0, |e| e.revision);
        return Ok(frozen);
    }
    let mut live = assemble(state, principal, concept, year).await?;
    if let Some(e) = &stored {
        live.summary = e.summary.clone();
        live.revision = e.revision;
        for (platform, body) in evaluations::commentary(&state.db, &id, i64::from(year)).await? {
            if let Some(p) = live.platforms.iter_mut().find(|p| p.id == platform) {
                p.commentary = body;
            }
        }
    }
    live.stored = stored.is_some();
    live.years = years;
    live.can_edit = level >= Level::Edit;
    Ok(live)
}

/// Every evaluation of the concept, and this year's if it is not stored yet.
async fn listed(state: &AppState, id: &str, year: u16) -> Result<Vec<EvaluationListed>, EvaluationError> {
    let mut out: Vec<EvaluationListed> = evaluations::list(&state.db, id)
        .await?
        .into_iter()
        .filter_map(|(y, on, to)| Some(EvaluationListed { year: u16::try_from(y).ok()?, presented: on.zip(to) }))
        .collect();
    if !out.iter().any(|e| e.year == year) {
        out.push(EvaluationListed { year, presented: None });
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.year));
    Ok(out)
}

/// The evaluation as the concept, its metrics, history and ballots make it now (texts empty).
pub(super) async fn assemble(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    year: u16,
) -> Result<EvaluationView, EvaluationError> {
    let current = ask(&state.registry, concept, |h| async move { h.read(read_concept).await }).await?;
    let criteria = builtin_or_default(&current.template).map(|t| t.assessment).unwrap_or_default();
    let metrics = crate::metrics::view(state, principal, concept, Some(year)).await?;
    let changes = match crate::versions::timeline(state, principal, concept).await {
        Ok(t) => {
            let in_year = |at: Option<i64>| at.is_some_and(|at| year_of(at) == year);
            YearChanges {
                stretches: t.stretches.into_iter().filter(|s| in_year(s.to.or(s.from))).collect(),
                merges: t.merges.into_iter().filter(|m| in_year(Some(m.at))).collect(),
                decisions: t.decisions.into_iter().filter(|d| in_year(Some(d.at))).collect(),
                named: t.named.into_iter().filter(|n| in_year(Some(n.at))).collect(),
                unavailable: false,
            }
        }
        Err(_) => YearChanges { unavailable: true, ..YearChanges::default() },
    };
    // The ballots without their discussion: an evaluation is read by everyone who may read the
    // concept, and a frozen one keeps what its freezer saw (a moderator sees hidden comments).
    let trail = crate::ballots::trail(state, principal, concept).await.map_err(|e| match e {
        crate::ballots::BallotError::Db(e) => EvaluationError::Db(e),
        crate::ballots::BallotError::Concept(e) => EvaluationError::Concept(e),
        _ => EvaluationError::NotFound,
    })?;
    let mut ballots: Vec<_> = trail.ballots.into_iter().filter(|b| year_of(b.opened_at) == year).collect();
    for b in &mut ballots {
        for o in &mut b.options {
            o.threads.clear();
        }
    }
    let platforms = current
        .platforms
        .into_iter()
        .map(|p| EvaluatedPlatform {
            id: p.id,
            name: p.name,
            decision: p.decision,
            target_groups: p.target_groups,
            rationale: p.rationale,
            assessment: p.assessment,
            commentary: String::new(),
        })
        .collect();
    Ok(EvaluationView {
        concept_id: concept.to_string(),
        concept_title: current.title,
        year,
        presented: None::<Presented>,
        summary: String::new(),
        revision: 0,
        criteria,
        platforms,
        metrics,
        changes,
        ballots,
        years: Vec::new(),
        can_edit: false,
        stored: false,
    })
}

/// A chart of the evaluation's values (frozen ones once frozen).
pub async fn chart(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    year: u16,
    figure: &str,
    english: bool,
) -> Result<String, EvaluationError> {
    if !YEARS.contains(&year) {
        return Err(EvaluationError::Invalid("year"));
    }
    access::require(&state.db, principal, concept, Level::Read).await?;
    let stored = evaluations::get(&state.db, &concept.to_string(), i64::from(year)).await?;
    let metrics = match stored.and_then(|e| e.snapshot) {
        Some(snapshot) => {
            serde_json::from_str::<EvaluationView>(&snapshot).map_err(|_| EvaluationError::Invalid("snapshot"))?.metrics
        }
        None => crate::metrics::view(state, principal, concept, Some(year)).await?,
    };
    Ok(crate::metrics::charts::all_platforms(&metrics, figure, english)?)
}
