//! Who wrote each character of a document: the actor of the operation that inserted it, and the
//! person that actor id belongs to (recorded at ingestion, `actor_owners`), as runs per field.

use std::collections::HashMap;

use automerge::{ObjId, ObjType, ROOT, ReadDoc, Value};
use kompromiss_shared::dto::history::Person;
use kompromiss_shared::dto::timeline::{Authorship, FieldAuthors};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::{self, FieldPath};

use crate::auth::{Principal, access};
use crate::concepts::ask;
use crate::db::{attribution, users};
use crate::drafts::{DraftError, pace};
use crate::state::AppState;

/// Characters one answer describes at most; a longer document is described up to here.
pub const MAX_CHARS: usize = 2_000_000;

/// The text objects of the concept's fields, with their paths.
fn fields(doc: &automerge::Automerge) -> Vec<(FieldPath, ObjId)> {
    let text = |obj: &ObjId, key: &str| match doc.get(obj, key) {
        Ok(Some((Value::Object(ObjType::Text), id))) => Some(id),
        _ => None,
    };
    let mut out: Vec<(FieldPath, ObjId)> =
        text(&ROOT, schema::KEY_TITLE).map(|t| (FieldPath::Title, t)).into_iter().collect();
    for obj in schema::list_items(doc, schema::KEY_SECTIONS) {
        let id = schema::read_string(doc, &obj, schema::KEY_ID);
        for key in [schema::KEY_HEADING, schema::KEY_BODY] {
            if let Some(t) = text(&obj, key) {
                out.push((FieldPath::Section { id: id.clone(), field: key.into() }, t));
            }
        }
    }
    for obj in schema::list_items(doc, schema::KEY_PLATFORMS) {
        let id = schema::read_string(doc, &obj, schema::KEY_ID);
        for key in [schema::KEY_NAME, schema::KEY_TARGET_GROUPS, schema::KEY_RATIONALE] {
            if let Some(t) = text(&obj, key) {
                out.push((FieldPath::Platform { id: id.clone(), field: key.into() }, t));
            }
        }
    }
    out
}

/// Who wrote what in the document now (anyone who may read it).
pub async fn of(state: &AppState, principal: &Principal, id: DocumentId) -> Result<Authorship, DraftError> {
    pace(state, principal)?;
    access::require(&state.db, principal, id, Level::Read).await?;
    read(state, id).await
}

/// Who wrote what in the document now, for a caller already allowed and paced (an export).
pub(crate) async fn read(state: &AppState, id: DocumentId) -> Result<Authorship, DraftError> {
    // Per field: its text and the actor (hex) of each character, as runs.
    let read = ask(&state.registry, id, |h| async move {
        h.read(|doc| {
            let mut budget = MAX_CHARS;
            fields(doc)
                .into_iter()
                .map(|(path, obj)| {
                    let mut text = String::new();
                    let mut runs: Vec<(u32, u32, String)> = Vec::new();
                    for (i, (value, at)) in doc.values(&obj).take(budget).enumerate() {
                        if let Value::Scalar(s) = &value
                            && let automerge::ScalarValue::Str(c) = s.as_ref()
                        {
                            text.push_str(c);
                        }
                        let actor = match &at {
                            automerge::ObjId::Id(_, actor, _) => actor.to_hex_string(),
                            automerge::ObjId::Root => String::new(),
                        };
                        match runs.last_mut() {
                            Some(last) if last.2 == actor => last.1 = i as u32 + 1,
                            _ => runs.push((i as u32, i as u32 + 1, actor)),
                        }
                    }
                    budget = budget.saturating_sub(text.chars().count());
                    (path, text, runs)
                })
                .collect::<Vec<_>>()
        })
        .await
    })
    .await?;
    let mut actors: Vec<String> = read.iter().flat_map(|(_, _, runs)| runs.iter().map(|r| r.2.clone())).collect();
    actors.sort();
    actors.dedup();
    let owners = attribution::owners(&state.db, &actors).await?;
    let mut people: Vec<Person> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    for user in owners.values() {
        if index.contains_key(user) {
            continue;
        }
        let name = users::by_id(&state.db, user).await?.map_or_else(|| user.clone(), |u| u.display_name);
        index.insert(user.clone(), people.len() as u32);
        people.push(Person { id: user.clone(), name });
    }
    let fields = read
        .into_iter()
        .map(|(field, text, runs)| {
            let mut merged: Vec<(u32, u32, Option<u32>)> = Vec::new();
            for (start, end, actor) in runs {
                let who = owners.get(&actor).and_then(|u| index.get(u)).copied();
                match merged.last_mut() {
                    Some(last) if last.2 == who && last.1 == start => last.1 = end,
                    _ => merged.push((start, end, who)),
                }
            }
            FieldAuthors { field, text, runs: merged }
        })
        .collect();
    Ok(Authorship { people, fields })
}
