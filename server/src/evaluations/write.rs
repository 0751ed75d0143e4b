//! Writing an evaluation (editors): the summary or a platform's commentary on the revision one
//! read, and freezing it as presented; a frozen evaluation refuses every write.

use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::dto::evaluations::{
    EvaluationEdit, Freeze, MAX_BODY_CHARS, MAX_COMMENTARY_CHARS, MAX_SUMMARY_CHARS, Presented,
};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::read_concept;

use super::{EvaluationError, MAX_SNAPSHOT_BYTES, YEARS};
use crate::auth::{Principal, access};
use crate::db::evaluations::{self, Edited, Stamp};
use crate::db::{audit, now_millis};
use crate::state::AppState;

/// The editor writing, after the usual checks.
async fn editor<'a>(
    state: &AppState,
    principal: &'a Principal,
    concept: DocumentId,
    year: u16,
) -> Result<&'a crate::db::users::User, EvaluationError> {
    crate::drafts::pace(state, principal).map_err(|_| EvaluationError::TooFast)?;
    let user = principal.user().ok_or(EvaluationError::SignIn)?;
    access::require(&state.db, principal, concept, Level::Edit).await?;
    if !YEARS.contains(&year) {
        return Err(EvaluationError::Invalid("year"));
    }
    if crate::db::drafts::get(&state.db, concept).await?.is_some() {
        return Err(EvaluationError::NotFound);
    }
    Ok(user)
}

fn outcome(edited: Edited) -> Result<i64, EvaluationError> {
    match edited {
        Edited::Stored(revision) => Ok(revision),
        Edited::Stale => Err(EvaluationError::Stale),
        Edited::Frozen => Err(EvaluationError::Frozen),
    }
}

/// Stores the summary or a platform's commentary; the new revision.
pub async fn edit(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    year: u16,
    edit: EvaluationEdit,
) -> Result<i64, EvaluationError> {
    let user = editor(state, principal, concept, year).await?;
    let max = if edit.platform.is_some() { MAX_COMMENTARY_CHARS } else { MAX_SUMMARY_CHARS };
    if edit.text.chars().count() > max {
        return Err(EvaluationError::Invalid("text"));
    }
    if let Some(platform) = &edit.platform {
        let wanted = platform.clone();
        let known = crate::concepts::ask(&state.registry, concept, move |h| {
            let wanted = wanted.clone();
            async move { h.read(move |doc| read_concept(doc).platforms.iter().any(|p| p.id == wanted)).await }
        })
        .await?;
        if !known {
            return Err(EvaluationError::Invalid("platform"));
        }
    }
    let stamp = Stamp {
        concept: &concept.to_string(),
        year: i64::from(year),
        revision: edit.revision,
        by: &user.id,
        at: now_millis(),
    };
    outcome(evaluations::edit(&state.db, &stamp, edit.platform.as_deref(), &edit.text).await?)
}

/// A `YYYY-MM-DD` date in a plausible range.
fn date(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let mut parts = raw.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    if ![y, m, d].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let (y, m, d): (u16, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400));
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (YEARS.contains(&y) && (1..=12).contains(&m) && (1..=days).contains(&d)).then(|| raw.to_owned())
}

/// Freezes the evaluation as presented on a date to a body: its content now becomes its snapshot.
pub async fn freeze(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    year: u16,
    freeze: Freeze,
) -> Result<(), EvaluationError> {
    let user = editor(state, principal, concept, year).await?;
    let on = date(&freeze.on).ok_or(EvaluationError::Invalid("date"))?;
    let body = freeze.body.trim();
    if body.is_empty() || body.chars().count() > MAX_BODY_CHARS || body.chars().any(char::is_control) {
        return Err(EvaluationError::Invalid("body"));
    }
    let mut view = super::view(state, principal, concept, year).await?;
    if view.presented.is_some() {
        return Err(EvaluationError::Frozen);
    }
    if view.revision != freeze.revision {
        return Err(EvaluationError::Stale);
    }
    // Never freeze a report that lacks its year's history: try again a moment later.
    if view.changes.unavailable {
        return Err(EvaluationError::TooFast);
    }
    let at = now_millis();
    view.presented = Some(Presented {
        on: on.clone(),
        body: body.to_owned(),
        frozen_at: at,
        frozen_by: crate::drafts::person(&state.db, Some(&user.id)).await?,
    });
    view.can_edit = false;
    view.metrics.can_edit = false;
    view.years = Vec::new();
    view.stored = true;
    let snapshot = serde_json::to_string(&view).map_err(|_| EvaluationError::Invalid("snapshot"))?;
    if snapshot.len() > MAX_SNAPSHOT_BYTES {
        return Err(EvaluationError::Invalid("too-large"));
    }
    let stamp =
        Stamp { concept: &concept.to_string(), year: i64::from(year), revision: freeze.revision, by: &user.id, at };
    outcome(evaluations::freeze(&state.db, &stamp, &on, body, &snapshot).await?)?;
    let detail = format!("{year}: {body}, {on}");
    let target = concept.to_string();
    let entry = audit::Record {
        target: Some(&target),
        detail: Some(&detail),
        ..audit::Record::by(Some(user), AuditAction::EvaluationFrozen)
    };
    audit::record_or_log(&state.db, entry).await;
    tracing::info!(%concept, year, "evaluation frozen");
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_presentation_date_is_a_real_day() {
        assert_eq!(super::date(" 2027-03-14 ").as_deref(), Some("2027-03-14"));
        assert_eq!(super::date("2028-02-29").as_deref(), Some("2028-02-29"));
        for bad in ["2027-02-29", "2027-04-31", "2027-+3-+1", "14.03.2027", "2027-3-14", "1999-01-01", "2027-13-01", ""]
        {
            assert_eq!(super::date(bad), None, "{bad}");
        }
    }
}
