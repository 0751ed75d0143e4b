//! The discussion benchmark: a concept as large as the automerge-paper trace with 1,000 passage
//! threads (5,000 comments) against its twin without comments: how long the server takes to
//! render the page, and how fast a comment event reaches 100 open connections beside a plain
//! edit's fan-out, in the same run.

use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use automerge::sync;
use automerge::{AutoCommit, ChangeHash, ReadDoc};
use futures::{SinkExt, StreamExt, stream};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::protocol::{self, Message};
use kompromiss_shared::schema::FieldPath;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::percentile;
use crate::client::SyncClient;

/// Where the server is and who acts.
pub struct Setup {
    /// `ws://…/sync` (tokens are added as `access_token`).
    pub sync: String,
    /// `http://…`
    pub http: String,
    /// An editor: seeds and edits the documents, reads the pages.
    pub editor_token: String,
    /// Members who comment; each writes at most [`PER_PERSON`] comments (the server's limit
    /// per person and minute).
    pub commenters: Vec<String>,
}

/// What one run does.
pub struct Plan {
    pub threads: usize,
    pub replies_per_thread: usize,
    pub page_rounds: usize,
    pub listeners: usize,
    pub fanout_rounds: usize,
}

/// Comments one person may write per minute (`shared::comments::MAX_COMMENTS_PER_MINUTE`).
const PER_PERSON: usize = kompromiss_shared::comments::MAX_COMMENTS_PER_MINUTE as usize;

fn summary(mut v: Vec<f64>) -> Value {
    v.sort_by(f64::total_cmp);
    json!({ "n": v.len(), "p50": percentile(&v, 0.5), "p95": percentile(&v, 0.95), "p99": percentile(&v, 0.99), "max": v.last() })
}

/// Runs the benchmark on `doc` (the paper concept) and returns one JSON row.
pub async fn run(setup: &Setup, mut doc: AutoCommit, field: FieldPath, plan: &Plan) -> anyhow::Result<Value> {
    let posts_needed = plan.threads * (1 + plan.replies_per_thread) + plan.fanout_rounds;
    if setup.commenters.len() * PER_PERSON < posts_needed {
        bail!("{posts_needed} comments need {} commenters", posts_needed.div_ceil(PER_PERSON));
    }
    let url = format!("{}?access_token={}", setup.sync, setup.editor_token);
    let saved = doc.save();
    let text = kompromiss_shared::anchor::text_of(&doc, &field).context("the field's text")?;
    let (with, heads) = super::seed(&url, AutoCommit::load(&saved)?, text.clone()).await?;
    let (without, _) = super::seed(&url, AutoCommit::load(&saved)?, text.clone()).await?;
    let http = reqwest::Client::new();
    let mut tokens = setup.commenters.iter().flat_map(|t| std::iter::repeat_n(t.clone(), PER_PERSON));

    // 1,000 passages spread over the text, 24 characters each, with their replies.
    let started = Instant::now();
    let len = doc.length(&text);
    let anchors: Vec<Value> = (0..plan.threads)
        .map(|i| {
            let start = i * (len - 30) / plan.threads;
            let anchor = kompromiss_shared::anchor::create(&doc, &heads, &field, start, start + 24)
                .map_err(|e| anyhow!("anchor {i}: {e}"))?;
            Ok(serde_json::to_value(anchor)?)
        })
        .collect::<anyhow::Result<_>>()?;
    let base = format!("{}/api/documents/{with}/comments", setup.http);
    let opened: Vec<(String, String)> =
        anchors.into_iter().map(|a| (tokens.next().expect("counted"), a.to_string())).collect();
    let thread_ids: Vec<String> = stream::iter(opened)
        .map(|(token, anchor)| {
            let (http, base) = (http.clone(), base.clone());
            async move {
                let body = format!(r#"{{"target":{{"kind":"passage","anchor":{anchor}}},"body":"Warum gerade diese Stelle? Bitte mit Quelle."}}"#);
                post(&http, &base, &token, body).await
            }
        })
        .buffered(16)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(|r| r.and_then(|v| v["id"].as_str().map(str::to_owned).context("thread id")))
        .collect::<anyhow::Result<_>>()?;
    let replies: Vec<(String, String)> = thread_ids
        .iter()
        .flat_map(|t| std::iter::repeat_n(t.clone(), plan.replies_per_thread))
        .map(|t| (tokens.next().expect("counted"), t))
        .collect();
    stream::iter(replies)
        .map(|(token, thread)| {
            let (http, base) = (http.clone(), base.clone());
            async move {
                let body = r#"{"body":"Sehe ich ähnlich, @Redaktion – das gehört in die Evaluation."}"#.to_owned();
                post(&http, &format!("{base}/{thread}/replies"), &token, body).await
            }
        })
        .buffer_unordered(16)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<Vec<_>>>()?;
    let seeding_seconds = started.elapsed().as_secs_f64();

    // The page, with and without the discussion, alternating.
    let page = |id: DocumentId| {
        let (http, url, token) = (http.clone(), format!("{}/d/{id}", setup.http), setup.editor_token.clone());
        async move {
            let t = Instant::now();
            let r = http.get(url).bearer_auth(token).send().await?;
            anyhow::ensure!(r.status().is_success(), "page: {}", r.status());
            let html = r.text().await?;
            Ok::<_, anyhow::Error>((t.elapsed().as_secs_f64() * 1000.0, html))
        }
    };
    let (_, html) = page(with).await?;
    let marks = html.matches("<mark class=\"hl\"").count();
    let comments_shown = html.matches("class=\"comment\"").count();
    let page_bytes = (html.len(), page(without).await?.1.len());
    let (mut page_with, mut page_without, mut api_with) = (Vec::new(), Vec::new(), Vec::new());
    let api_url = format!("{}/api/documents/{with}/comments", setup.http);
    for _ in 0..plan.page_rounds {
        page_with.push(page(with).await?.0);
        page_without.push(page(without).await?.0);
        let t = Instant::now();
        let r = http.get(&api_url).bearer_auth(&setup.editor_token).send().await?;
        anyhow::ensure!(r.status().is_success(), "comments: {}", r.status());
        r.bytes().await?;
        api_with.push(t.elapsed().as_secs_f64() * 1000.0);
    }

    // Fan-out: listeners that hold the document as the server has it (they say so in their
    // request) and only note when something arrives.
    let (tx, mut arrivals) = tokio::sync::mpsc::unbounded_channel::<(usize, bool, Instant)>();
    let mut listeners = Vec::new();
    for n in 0..plan.listeners {
        listeners.push(listen(&url, with, heads.clone(), n, tx.clone()).await?);
    }
    drop(tx);
    let mut writer = SyncClient::connect(&url, "writer").await?;
    writer.create(with, AutoCommit::load(&saved)?).await?;
    writer.wait_until(Duration::from_secs(60), |c| c.is_saved(with)).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    while arrivals.try_recv().is_ok() {}
    let reply_url = format!("{base}/{}/replies", thread_ids[0]);
    let (mut edit_ms, mut comment_ms, mut post_ms) = (Vec::new(), Vec::new(), Vec::new());
    let mut missing = 0usize;
    for round in 0..plan.fanout_rounds * 2 {
        let comment = round % 2 == 1;
        let t0 = Instant::now();
        if comment {
            let token = tokens.next().expect("counted");
            post(&http, &reply_url, &token, r#"{"body":"Noch ein Gedanke."}"#.to_owned()).await?;
            post_ms.push(t0.elapsed().as_secs_f64() * 1000.0);
        } else {
            let at = writer.doc(with).length(&text);
            writer
                .edit(with, |d| drop(automerge::transaction::Transactable::splice_text(d, &text, at, 0, "x")))
                .await?;
        }
        let mut seen = vec![false; plan.listeners];
        let deadline = t0 + Duration::from_secs(5);
        while seen.iter().any(|s| !s) {
            match tokio::time::timeout_at(deadline.into(), arrivals.recv()).await {
                Ok(Some((n, ephemeral, at))) if ephemeral == comment && at >= t0 && !seen[n] => {
                    seen[n] = true;
                    let ms = at.duration_since(t0).as_secs_f64() * 1000.0;
                    if comment { comment_ms.push(ms) } else { edit_ms.push(ms) }
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        missing += seen.iter().filter(|s| !**s).count();
        // Let the writer answer the server, and the round settle.
        let settle = Instant::now() + Duration::from_millis(200);
        while let Ok(Some(_)) = writer.next_event(settle.saturating_duration_since(Instant::now())).await {}
        while arrivals.try_recv().is_ok() {}
    }
    for l in listeners {
        l.abort();
    }
    let (w, wo) = (summary(page_with.clone()), summary(page_without.clone()));
    let ratio = w["p50"].as_f64().unwrap_or(f64::NAN) / wo["p50"].as_f64().unwrap_or(f64::NAN);
    Ok(json!({
        "label": "comments",
        "threads": plan.threads,
        "comments": plan.threads * (1 + plan.replies_per_thread),
        "text_chars": len,
        "seeding_seconds": seeding_seconds,
        "page": { "with_ms": w, "without_ms": wo, "ratio_p50": ratio, "comments_api_ms": summary(api_with), "marks": marks, "comments_shown": comments_shown,
                  "bytes_with": page_bytes.0, "bytes_without": page_bytes.1 },
        "fanout": { "listeners": plan.listeners, "rounds": plan.fanout_rounds, "edit_ms": summary(edit_ms),
                    "comment_ms": summary(comment_ms), "comment_post_ms": summary(post_ms), "missing": missing },
    }))
}

async fn post(http: &reqwest::Client, url: &str, token: &str, body: String) -> anyhow::Result<Value> {
    let r = http
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("origin", url.split("/api/").next().unwrap_or_default())
        .body(body)
        .send()
        .await?;
    let status = r.status();
    let text = r.text().await?;
    anyhow::ensure!(status.is_success(), "POST {url}: {status} {text}");
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A connection that asks for the document saying it already has `heads`, then reports each
/// frame's arrival: `(listener, is_ephemeral, when)`.
async fn listen(
    url: &str,
    id: DocumentId,
    heads: Vec<ChangeHash>,
    n: usize,
    tx: tokio::sync::mpsc::UnboundedSender<(usize, bool, Instant)>,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let crate::client::Joined { mut sink, mut stream, peer_id, server_peer } =
        crate::client::join(url, &format!("zuhoerer-{n}")).await?;
    let data = sync::Message {
        heads: heads.clone(),
        need: Vec::new(),
        have: vec![sync::Have { last_sync: heads, bloom: sync::BloomFilter::default() }],
        changes: sync::ChunkList::from(Vec::<Vec<u8>>::new()),
        supported_capabilities: None,
        version: sync::MessageVersion::V1,
    }
    .encode();
    let m = Message::Request { sender_id: peer_id, target_id: server_peer, document_id: id, data };
    sink.send(WsMessage::Binary(protocol::encode(&m).into())).await?;
    Ok(tokio::spawn(async move {
        let _sink = sink;
        while let Some(Ok(frame)) = stream.next().await {
            let WsMessage::Binary(b) = frame else { continue };
            let at = Instant::now();
            let kind = match protocol::decode(&b) {
                Ok(Message::Ephemeral { data, .. }) if kompromiss_shared::doc_events::decode(&data).is_some() => true,
                Ok(Message::Sync { .. }) => false,
                _ => continue,
            };
            if tx.send((n, kind, at)).is_err() {
                break;
            }
        }
    }))
}
