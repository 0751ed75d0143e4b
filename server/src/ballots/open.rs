//! Opening a ballot: the drafts frozen at their versions, the parts they change, who may vote
//! (fixed now), the rules and the tie-break order drawn now.

use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::ballots::{MAX_OPTIONS, MAX_PARTS, Shape, Spec};
use kompromiss_shared::diff;
use kompromiss_shared::dto::ballots::{
    BallotKind, Eligibility, Frozen, FrozenOption, FrozenPart, MAX_GROUP_CHARS, MAX_PERIOD_MS, MAX_TITLE_CHARS,
    NewBallot,
};
use kompromiss_shared::heads;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::read_concept_at;
use rand::seq::SliceRandom;

use super::BallotError;
use crate::auth::{Principal, access, readers};
use crate::concepts::ask;
use crate::db::ballots::{self, MAX_VOTERS};
use crate::db::drafts::{self, Status};
use crate::db::{audit, now_millis, random_id};
use crate::state::AppState;

/// The option that keeps the concept as it is, in German (the list and exports name it so).
pub const KEEP_CURRENT: &str = "Jetzige Fassung beibehalten";

fn title(raw: &str) -> Result<String, BallotError> {
    let title = raw.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS || title.chars().any(char::is_control) {
        return Err(BallotError::Invalid("title"));
    }
    Ok(title.to_owned())
}

fn eligibility(raw: Eligibility) -> Result<Eligibility, BallotError> {
    let group = raw.group.map(|g| g.trim().to_owned()).filter(|g| !g.is_empty());
    if group.as_ref().is_some_and(|g| g.chars().count() > MAX_GROUP_CHARS || g.chars().any(char::is_control)) {
        return Err(BallotError::Invalid("group"));
    }
    Ok(Eligibility { min_role: raw.min_role, group })
}

/// A draft frozen at its version now, with the ids and names of the parts it changes.
async fn freeze(state: &AppState, draft: &drafts::Draft) -> Result<(FrozenOption, Vec<(String, String)>), BallotError> {
    let base = heads::parse(&draft.base_heads).ok_or(BallotError::Conflict("base"))?;
    let (version, changed) = ask(&state.registry, draft.id, move |h| {
        let base = base.clone();
        async move {
            h.read(move |doc| {
                let d = diff::concept_diff(&read_concept_at(doc, Some(&base)), &read_concept_at(doc, None));
                let sections = d.sections.into_iter().map(|s| (s.id, s.heading));
                let changed: Vec<(String, String)> =
                    sections.chain(d.platforms.into_iter().map(|p| (p.id, p.name))).collect();
                (heads::encode(&doc.get_heads()), changed)
            })
            .await
        }
    })
    .await?;
    let option = FrozenOption {
        draft: Some(draft.id.to_string()),
        title: draft.title.clone(),
        version,
        base: draft.base_heads.clone(),
    };
    Ok((option, changed))
}

/// Opens a ballot on `concept` (its editors); the ballot's id.
pub async fn open(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    new: NewBallot,
) -> Result<String, BallotError> {
    crate::drafts::pace(state, principal).map_err(|_| BallotError::TooFast)?;
    let user = principal.user().ok_or(BallotError::SignIn)?;
    access::require(&state.db, principal, concept, Level::Edit).await?;
    if drafts::get(&state.db, concept).await?.is_some() {
        return Err(BallotError::Invalid("concept"));
    }
    let title = title(&new.title)?;
    let rule = eligibility(new.eligibility)?;
    let now = now_millis();
    let latest = now.saturating_add(MAX_PERIOD_MS);
    let opens = new.opens_at.unwrap_or(now);
    if opens < now || opens > latest {
        return Err(BallotError::Invalid("opens_at"));
    }
    if new.closes_at.is_some_and(|c| c <= opens || c > latest) {
        return Err(BallotError::Invalid("closes_at"));
    }
    let wanted = match new.kind {
        BallotKind::Proposal => 1..=1,
        BallotKind::Ranking | BallotKind::Sections => 1..=MAX_OPTIONS - 1,
    };
    if !wanted.contains(&new.drafts.len()) {
        return Err(BallotError::Invalid("drafts"));
    }
    // The current text first, then each draft as it is now.
    let now_heads =
        ask(&state.registry, concept, |h| async move { h.read(|doc| heads::encode(&doc.get_heads())).await }).await?;
    let current = FrozenOption { draft: None, title: KEEP_CURRENT.into(), version: now_heads.clone(), base: now_heads };
    let mut frozen = Frozen { options: vec![current], parts: Vec::new() };
    for raw in &new.drafts {
        let id: DocumentId = raw.parse().map_err(|_| BallotError::Invalid("drafts"))?;
        let draft =
            drafts::get(&state.db, id).await?.filter(|d| d.concept == concept).ok_or(BallotError::Invalid("drafts"))?;
        if draft.status != Status::Open || frozen.options.iter().any(|o| o.draft.as_deref() == Some(raw.as_str())) {
            return Err(BallotError::Invalid("drafts"));
        }
        let (option, changed) = freeze(state, &draft).await?;
        let index = frozen.options.len();
        frozen.options.push(option);
        for (id, name) in changed {
            match frozen.parts.iter_mut().find(|p| p.id == id) {
                Some(part) => part.variants.push(index),
                None => frozen.parts.push(FrozenPart { id, name, variants: vec![0, index] }),
            }
        }
    }
    let shape = match new.kind {
        BallotKind::Proposal => Shape::Proposal,
        BallotKind::Ranking => Shape::Ranking { options: frozen.options.len() },
        BallotKind::Sections => {
            if frozen.parts.is_empty() || frozen.parts.len() > MAX_PARTS {
                return Err(BallotError::Invalid("parts"));
            }
            Shape::Sections { variants: frozen.parts.iter().map(|p| p.variants.len()).collect() }
        }
    };
    let mut drawn: Vec<usize> = (0..frozen.options.len()).collect();
    drawn.shuffle(&mut rand::rng());
    let spec = Spec {
        shape,
        majority: new.majority,
        quorum: new.quorum,
        drawn: if new.kind == BallotKind::Ranking { drawn } else { Vec::new() },
    };
    spec.check().map_err(|_| BallotError::Invalid("spec"))?;
    // Who may vote: those who take part in the concept now, narrowed by the rule.
    let voters: Vec<String> = readers::at_least(&state.db, &state.auth, concept, Level::Participate)
        .await?
        .into_iter()
        .filter(|(user, role)| {
            let by_role = rule.min_role.is_some_and(|min| role.is_some_and(|r| r >= min));
            let by_group = rule.group.as_ref().is_some_and(|g| user.groups.contains(g));
            (rule.min_role.is_none() && rule.group.is_none()) || by_role || by_group
        })
        .map(|(user, _)| user.id)
        .take(MAX_VOTERS)
        .collect();
    if voters.is_empty() {
        return Err(BallotError::Invalid("eligibility"));
    }
    let id = random_id("b");
    let (spec_json, options_json, rule_json) = (
        serde_json::to_string(&spec).unwrap_or_default(),
        serde_json::to_string(&frozen).unwrap_or_default(),
        serde_json::to_string(&rule).unwrap_or_default(),
    );
    let record = ballots::NewBallot {
        id: &id,
        concept: &concept.to_string(),
        title: &title,
        kind: new.kind.as_str(),
        secret: new.secret,
        changeable: new.changeable,
        spec: &spec_json,
        options: &options_json,
        eligibility: &rule_json,
        voters: &voters,
        opened_at: opens,
        closes_at: new.closes_at,
        created_by: &user.id,
    };
    if !ballots::create(&state.db, record).await? {
        return Err(BallotError::Conflict("ballots"));
    }
    let entry = audit::Record { target: Some(&id), ..audit::Record::by(Some(user), AuditAction::BallotOpened) };
    audit::record_or_log(&state.db, entry).await;
    tracing::info!(ballot = %id, concept = %concept, eligible = voters.len(), "ballot opened");
    super::announce::announce(state, &concept.to_string());
    Ok(id)
}
