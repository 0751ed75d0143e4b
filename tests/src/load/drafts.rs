//! The drafts and history benchmark: on the paper concept (the automerge-paper trace, 259,778
//! changes, in a section of the template), the server's time to create a draft, compare two
//! distant versions, list the timeline and render the document at 10 past versions, each beside
//! the same operation done with Automerge alone on the same document in this process.

use std::time::Instant;

use anyhow::{Context, ensure};
use automerge::{AutoCommit, Automerge, ChangeHash, ReadDoc};
use kompromiss_shared::heads;
use kompromiss_shared::schema::{FieldPath, read_concept_at};
use serde_json::{Value, json};

use super::percentile;

/// Where the server is and who acts.
pub struct Setup {
    pub sync: String,
    pub http: String,
    /// Seeds the concept and reads it.
    pub editor_token: String,
    /// Starts the drafts.
    pub member_token: String,
    pub rounds: usize,
}

/// The wait before each request (`state::VERSION_OPS_PER_SEC` is 5).
const PACE: std::time::Duration = std::time::Duration::from_millis(250);

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    percentile(&v, 0.5)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Runs the benchmark and returns one JSON row.
pub async fn run(setup: &Setup, mut doc: AutoCommit, field: FieldPath) -> anyhow::Result<Value> {
    let saved = doc.save();
    let text = kompromiss_shared::anchor::text_of(&doc, &field).context("the field's text")?;
    let url = format!("{}?access_token={}", setup.sync, setup.editor_token);
    let (id, _) = super::seed(&url, AutoCommit::load(&saved)?, text.clone()).await?;
    let raw = Automerge::load(&saved)?;
    let changes: Vec<ChangeHash> = raw.get_changes(&[]).iter().map(|c| c.hash()).collect();
    // Ten past versions, evenly spread over the history (each: one change and its ancestors).
    let points: Vec<Vec<ChangeHash>> = (1..=10).map(|k| vec![changes[k * (changes.len() - 1) / 10]]).collect();
    let http = reqwest::Client::new();
    let get = |path: String, token: &str| {
        let (http, url, token) = (http.clone(), format!("{}{path}", setup.http), token.to_owned());
        async move {
            // The server lets one person ask 5 version operations a second: stay under it.
            tokio::time::sleep(PACE).await;
            let t = Instant::now();
            let r = http.get(url).bearer_auth(token).send().await?;
            ensure!(r.status().is_success(), "{}", r.status());
            let body = r.bytes().await?;
            Ok::<_, anyhow::Error>((ms(t), body.len()))
        }
    };

    let (mut create, mut raw_fork) = (Vec::new(), Vec::new());
    for i in 0..setup.rounds {
        tokio::time::sleep(PACE).await;
        let t = Instant::now();
        let r = http
            .post(format!("{}/api/documents/{id}/drafts", setup.http))
            .bearer_auth(&setup.member_token)
            .json(&json!({ "title": format!("Entwurf {i}"), "reason": "Messung" }))
            .send()
            .await?;
        ensure!(r.status().as_u16() == 201, "create: {}", r.status());
        create.push(ms(t));
        // What a fork stored as a document of its own costs Automerge: copy it and save the copy.
        let t = Instant::now();
        let fork = raw.fork();
        let bytes = fork.save();
        raw_fork.push(ms(t));
        drop((fork, bytes));
    }

    let (from, to) = (heads::encode(&points[0]), heads::encode(&points[9]));
    let (mut compare, mut raw_diff) = (Vec::new(), Vec::new());
    let mut compare_bytes = 0;
    for _ in 0..setup.rounds {
        let (t, bytes) = get(format!("/api/documents/{id}/compare?from={from}&to={to}"), &setup.editor_token).await?;
        compare.push(t);
        compare_bytes = bytes;
        // Automerge's own answer to "what changed between these versions": its patches.
        let t = Instant::now();
        let patches = raw.diff(
            &points[0],
            &points[9],
            automerge::patches::TextRepresentation::String(automerge::TextEncoding::UnicodeCodePoint),
        );
        raw_diff.push(ms(t));
        drop(patches);
    }

    let (mut timeline, mut raw_walk) = (Vec::new(), Vec::new());
    for _ in 0..setup.rounds {
        timeline.push(get(format!("/api/documents/{id}/timeline"), &setup.editor_token).await?.0);
        // The raw walk of the history: every change's hash and dependencies, in order.
        let t = Instant::now();
        let walked: usize = raw.get_changes(&[]).iter().map(|c| c.deps().len() + usize::from(c.hash().0[0] == 0)).sum();
        raw_walk.push(ms(t));
        std::hint::black_box(walked);
    }

    let (mut render, mut raw_render) = (Vec::new(), Vec::new());
    for _ in 0..setup.rounds.min(3) {
        for point in &points {
            render
                .push(get(format!("/api/documents/{id}/at?v={}", heads::encode(point)), &setup.editor_token).await?.0);
            // Automerge alone: the text of the trace's field as it was then.
            let t = Instant::now();
            let then = raw.text_at(&text, point)?;
            raw_render.push(ms(t));
            std::hint::black_box(then);
        }
    }
    // The whole concept at a past version, read in this process (our read beside the raw text).
    let t = Instant::now();
    let view = read_concept_at(&raw, Some(&points[4]));
    let concept_at_ms = ms(t);

    let row = |ours: Vec<f64>, raw: Vec<f64>| {
        let (o, r) = (median(ours), median(raw));
        json!({ "server_ms_p50": o, "raw_ms_p50": r, "ratio": o / r.max(0.001) })
    };
    Ok(json!({
        "bench": "drafts",
        "changes": changes.len(),
        "rounds": setup.rounds,
        "create_draft": row(create, raw_fork),
        "compare_distant_versions": { "bytes": compare_bytes, "measured": row(compare, raw_diff) },
        // The first visit computes the timeline; later visits at the same version are answered
        // from the one the server kept (state::MAX_TIMELINES).
        "timeline_first_visit": row(timeline[..1].to_vec(), raw_walk[..1].to_vec()),
        "timeline_again_same_version": if timeline.len() > 1 {
            row(timeline[1..].to_vec(), raw_walk[1..].to_vec())
        } else {
            serde_json::Value::Null
        },
        "render_at_10_points": row(render, raw_render),
        "read_concept_at_in_process_ms": concept_at_ms,
        "sections_at_point_5": view.sections.len(),
    }))
}
