//! The document's discussion: each platform entry's stance counts and its comment form, and the
//! panel of all threads with replies. Rendered on the server with the page; in the browser it is
//! fetched again whenever the server says the discussion changed.

use kompromiss_shared::comments::Stance;
use kompromiss_shared::dto::comments::{CommentView, Discussion, ThreadTarget, ThreadView};
use kompromiss_shared::schema::ConceptView;
use leptos::prelude::*;

use crate::api::comments::{comment_platform, get_discussion, reply_comment};
use crate::api::refusal_code;
use crate::i18n::{Key, Lang, use_lang};
use crate::markdown;
use crate::time::format_ms;

/// What the discussion components share on one page.
#[derive(Clone, Copy)]
pub struct DiscussionCtx {
    pub doc_id: StoredValue<String>,
    pub discussion: RwSignal<Discussion>,
    /// The concept, for the names of platform entries.
    pub view: RwSignal<ConceptView>,
    /// The visitor may write comments.
    pub can_comment: bool,
}

impl DiscussionCtx {
    /// Fetches the discussion again (after one's own comment, or when the server says so).
    pub fn refresh(self) {
        let doc = self.doc_id.get_value();
        leptos::task::spawn_local(async move {
            if let Ok(d) = get_discussion(doc).await {
                self.discussion.set(d);
            }
        });
    }
}

/// The sentence for a failed comment.
fn failure(error: &ServerFnError) -> Key {
    match refusal_code(error).as_deref() {
        Some("invalid:rate") => Key::CommentTooFast,
        Some("invalid:body") => Key::CommentEmpty,
        Some("invalid:locked") => Key::CommentLocked,
        _ => Key::CommentFailed,
    }
}

fn stance_label(lang: Lang, stance: Stance) -> &'static str {
    lang.t(match stance {
        Stance::For => Key::StanceFor,
        Stance::Against => Key::StanceAgainst,
        Stance::Neutral => Key::StanceNeutral,
    })
}

/// Counts of the stances in a platform entry's discussion (visible comments only).
fn stance_counts(d: &Discussion, platform: &str) -> [usize; 3] {
    let mut counts = [0; 3];
    let on_platform = d
        .threads
        .iter()
        .filter(|t| matches!(&t.target, ThreadTarget::Platform { platform_id } if platform_id == platform));
    for c in on_platform.flat_map(|t| &t.comments).filter(|c| c.body.is_some() && c.hidden.is_none()) {
        match c.stance {
            Some(Stance::For) => counts[0] += 1,
            Some(Stance::Against) => counts[1] += 1,
            Some(Stance::Neutral) => counts[2] += 1,
            None => {}
        }
    }
    counts
}

/// A platform entry's stance counts and a form to discuss its decision.
#[component]
pub fn PlatformDiscussion(platform_id: String) -> impl IntoView {
    let lang = use_lang();
    let Some(ctx) = use_context::<DiscussionCtx>() else { return ().into_any() };
    let counted = platform_id.clone();
    let counts = move || ctx.discussion.with(|d| stance_counts(d, &counted));
    let (body, stance, error, sending) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(None::<Key>), RwSignal::new(false));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (doc, platform, text, chosen) = (ctx.doc_id.get_value(), platform_id.clone(), body.get(), stance.get());
        sending.set(true);
        leptos::task::spawn_local(async move {
            match comment_platform(doc, platform, text, chosen).await {
                Ok(_) => {
                    body.set(String::new());
                    error.set(None);
                    ctx.refresh();
                }
                Err(e) => error.set(Some(failure(&e))),
            }
            sending.set(false);
        });
    };
    view! {
        <div class="platform-discussion">
            <p class="stances" data-testid="stance-counts">
                {move || {
                    let [f, a, n] = counts();
                    format!("{f} {} · {a} {} · {n} {}", lang.t(Key::StanceFor), lang.t(Key::StanceAgainst), lang.t(Key::StanceNeutral))
                }}
            </p>
            {ctx.can_comment.then(|| view! {
                <details class="discuss">
                <summary>{lang.t(Key::DiscussPlatform)}</summary>
                <form class="comment-form" on:submit=send>
                    <label class="field">
                        <span class="label">{lang.t(Key::NewComment)}</span>
                        <textarea rows="2" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                    </label>
                    <label class="field">
                        <span class="label">{lang.t(Key::StanceLabel)}</span>
                        <select class="stance" prop:value=move || stance.get() on:change=move |ev| stance.set(event_target_value(&ev))>
                            <option value="">{lang.t(Key::StanceNone)}</option>
                            {[Stance::For, Stance::Against, Stance::Neutral].map(|s| view! {
                                <option value=s.as_str()>{stance_label(lang, s)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" disabled=move || sending.get()>
                        {move || lang.t(if sending.get() { Key::CommentSending } else { Key::SendComment })}
                    </button>
                    {move || error.get().map(|k| view! { <p class="error" role="alert">{lang.t(k)}</p> })}
                </form>
                </details>
            })}
        </div>
    }
    .into_any()
}

/// All threads of the document, oldest first, with their replies.
#[component]
pub fn DiscussionPanel() -> impl IntoView {
    let lang = use_lang();
    let Some(ctx) = use_context::<DiscussionCtx>() else { return ().into_any() };
    let threads = move || ctx.discussion.with(|d| d.threads.clone());
    view! {
        <section class="discussion" aria-labelledby="discussion-heading" data-testid="discussion">
            <h2 id="discussion-heading">{lang.t(Key::Discussion)}</h2>
            {move || threads().is_empty().then(|| view! { <p class="notice">{lang.t(Key::NoThreads)}</p> })}
            <For each=threads key=|t| (t.id.clone(), t.comments.len(), t.resolved.is_some(), t.locked, t.comments.iter().map(|c| c.edited_at.unwrap_or(0) + i64::from(c.deleted) + i64::from(c.hidden.is_some())).sum::<i64>())
                children=move |t| view! { <Thread thread=t/> }/>
        </section>
    }
    .into_any()
}

#[component]
fn Thread(thread: ThreadView) -> impl IntoView {
    let lang = use_lang();
    let Some(ctx) = use_context::<DiscussionCtx>() else { return ().into_any() };
    let about = match &thread.target {
        ThreadTarget::Passage { anchor } => format!("„{}“", anchor.quote),
        ThreadTarget::Platform { platform_id } => {
            let name = ctx.view.with_untracked(|v| {
                v.platforms.iter().find(|p| &p.id == platform_id).map(|p| p.name.clone()).unwrap_or_default()
            });
            format!("{} {}", lang.t(Key::OnPlatform), name)
        }
    };
    let platform_name = match &thread.target {
        ThreadTarget::Platform { platform_id } => Some(platform_id.clone()),
        ThreadTarget::Passage { .. } => None,
    };
    let (reply, error, sending) = (RwSignal::new(String::new()), RwSignal::new(None::<Key>), RwSignal::new(false));
    let thread_id = thread.id.clone();
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (doc, id, text) = (ctx.doc_id.get_value(), thread_id.clone(), reply.get());
        sending.set(true);
        leptos::task::spawn_local(async move {
            match reply_comment(doc, id, text).await {
                Ok(_) => {
                    reply.set(String::new());
                    error.set(None);
                    ctx.refresh();
                }
                Err(e) => error.set(Some(failure(&e))),
            }
            sending.set(false);
        });
    };
    let open_for_replies = ctx.can_comment && !thread.locked;
    let reply_id = format!("reply-{}", thread.id);
    view! {
        <article class="thread" id=format!("thread-{}", thread.id) data-platform=platform_name
            class:resolved=thread.resolved.is_some()>
            <p class="about">{about}
                {thread.resolved.is_some().then(|| view! { <span class="badge">{lang.t(Key::ThreadResolved)}</span> })}
                {thread.locked.then(|| view! { <span class="badge">{lang.t(Key::ThreadLocked)}</span> })}
            </p>
            {thread.comments.into_iter().map(|c| view! { <Comment comment=c/> }).collect_view()}
            {open_for_replies.then(|| view! {
                <form class="reply-form" on:submit=send>
                    <label class="field" for=reply_id.clone()>
                        <span class="label">{lang.t(Key::ReplyLabel)}</span>
                        <textarea id=reply_id.clone() rows="2" prop:value=move || reply.get() on:input=move |ev| reply.set(event_target_value(&ev))></textarea>
                    </label>
                    <button type="submit" disabled=move || sending.get()>
                        {move || lang.t(if sending.get() { Key::CommentSending } else { Key::SendReply })}
                    </button>
                    {move || error.get().map(|k| view! { <p class="error" role="alert">{lang.t(k)}</p> })}
                </form>
            })}
        </article>
    }
    .into_any()
}

#[component]
fn Comment(comment: CommentView) -> impl IntoView {
    let lang = use_lang();
    let text = if comment.deleted {
        view! { <p class="placeholder">{lang.t(Key::CommentDeleted)}</p> }.into_any()
    } else {
        let hidden = comment.hidden.clone().map(|reason| {
            view! {
                <p class="placeholder">{format!("{} {reason}", lang.t(Key::HiddenByModeration))}</p>
            }
        });
        let words =
            comment.body.as_deref().map(|b| view! { <div class="markdown" inner_html=markdown::render(b)></div> });
        view! { {hidden}{words} }.into_any()
    };
    view! {
        <div class="comment" id=format!("comment-{}", comment.id)>
            <p class="meta">
                <strong>{comment.author.name.clone()}</strong>
                " · "<time>{format_ms(comment.created_at)}</time>
                {comment.edited_at.is_some().then(|| view! { " · " <span>{lang.t(Key::Edited)}</span> })}
                {comment.stance.map(|s| view! { " · " <span class=format!("stance stance-{}", s.as_str())>{stance_label(lang, s)}</span> })}
            </p>
            {text}
        </div>
    }
}
