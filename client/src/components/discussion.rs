//! The document's discussion: each platform entry's stance counts and its comment form, and the
//! panel of all threads with replies. Rendered on the server with the page; in the browser it is
//! fetched again whenever the server says the discussion changed.

use kompromiss_shared::comments::{ReportReason, Stance};
use kompromiss_shared::dto::comments::{CommentView, Discussion, ThreadTarget, ThreadView};
use kompromiss_shared::schema::{ConceptView, FieldPath};
use leptos::prelude::*;

use super::comment_text::CommentText;
use crate::api::comments::{
    comment_passage, comment_platform, delete_comment, edit_comment, get_discussion, lock_thread, reply_comment,
    report_comment, resolve_thread,
};
use crate::api::refusal_code;
use crate::i18n::{Key, Lang, use_lang};
use crate::markdown;
use crate::sync::session;
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
    /// The visitor may edit the document (and so resolve any thread).
    pub can_edit: bool,
    /// The visitor's id when signed in.
    pub me: StoredValue<Option<String>>,
    /// The text field (input or textarea) where words were selected last.
    pub selected: RwSignal<Option<FieldPath>>,
    /// Words selected in the reading view: a field and characters of its text.
    pub reading_selection: RwSignal<Option<(FieldPath, usize, usize)>>,
    /// The highlighted runs of each field (open passage threads).
    pub highlights: Memo<std::collections::HashMap<FieldPath, Vec<kompromiss_shared::highlights::Run>>>,
    /// The threads of the highlight clicked last.
    pub focus: RwSignal<Option<Focus>>,
}

/// Threads a reader asked to see by clicking their highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    pub ids: Vec<String>,
    /// Shown under this part of the text (on a phone) rather than in the side panel.
    pub inline: Option<String>,
}

/// Which fields a "comment on the selection" button serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Title,
    Section(String),
    Platform(String),
}

impl Scope {
    fn covers(&self, path: &FieldPath) -> bool {
        match (self, path) {
            (Scope::Title, FieldPath::Title) => true,
            (Scope::Section(s), FieldPath::Section { id, .. })
            | (Scope::Platform(s), FieldPath::Platform { id, .. }) => s == id,
            _ => false,
        }
    }
}

/// Remembers that words were selected in a field (for the comment buttons).
pub fn note_selection(path: &FieldPath) {
    if let Some(ctx) = use_context::<DiscussionCtx>() {
        ctx.selected.set(Some(path.clone()));
    }
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

/// Sends a comment: `sending` while it runs; on success the text is cleared, `then` runs and
/// the discussion is fetched again; on failure `error` says why.
fn send_comment<T: 'static>(
    ctx: DiscussionCtx,
    call: impl std::future::Future<Output = Result<T, ServerFnError>> + 'static,
    (text, sending, error): (RwSignal<String>, RwSignal<bool>, RwSignal<Option<Key>>),
    then: impl FnOnce() + 'static,
) {
    sending.set(true);
    leptos::task::spawn_local(async move {
        match call.await {
            Ok(_) => {
                text.set(String::new());
                error.set(None);
                then();
                ctx.refresh();
            }
            Err(e) => error.set(Some(failure(&e))),
        }
        sending.set(false);
    });
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

/// The newest visible argument for and against a platform entry's decision (its words, cut short).
fn latest_arguments(d: &Discussion, platform: &str) -> [Option<String>; 2] {
    let mut newest: [Option<(i64, String)>; 2] = [None, None];
    let on_platform = d
        .threads
        .iter()
        .filter(|t| matches!(&t.target, ThreadTarget::Platform { platform_id } if platform_id == platform));
    for c in on_platform.flat_map(|t| &t.comments).filter(|c| c.hidden.is_none()) {
        let (Some(body), Some(stance)) = (&c.body, c.stance) else { continue };
        let slot = match stance {
            Stance::For => 0,
            Stance::Against => 1,
            Stance::Neutral => continue,
        };
        if newest[slot].as_ref().is_none_or(|(at, _)| c.created_at >= *at) {
            let short: String = body.chars().take(140).collect();
            let short = if body.chars().count() > 140 { format!("{short} …") } else { short };
            newest[slot] = Some((c.created_at, short));
        }
    }
    newest.map(|n| n.map(|(_, text)| text))
}

/// A platform entry's stance counts and a form to discuss its decision.
#[component]
pub fn PlatformDiscussion(platform_id: String) -> impl IntoView {
    let lang = use_lang();
    let Some(ctx) = use_context::<DiscussionCtx>() else { return ().into_any() };
    let counted = platform_id.clone();
    let counts = move || ctx.discussion.with(|d| stance_counts(d, &counted));
    let argued = platform_id.clone();
    let arguments = move || ctx.discussion.with(|d| latest_arguments(d, &argued));
    let (body, stance, error, sending) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(None::<Key>), RwSignal::new(false));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (doc, platform, text, chosen) = (ctx.doc_id.get_value(), platform_id.clone(), body.get(), stance.get());
        send_comment(ctx, comment_platform(doc, platform, text, chosen), (body, sending, error), || ());
    };
    view! {
        <div class="platform-discussion">
            <p class="stances" data-testid="stance-counts">
                {move || {
                    let [f, a, n] = counts();
                    format!("{f} {} · {a} {} · {n} {}", lang.t(Key::StanceFor), lang.t(Key::StanceAgainst), lang.t(Key::StanceNeutral))
                }}
            </p>
            {move || {
                let [pro, contra] = arguments();
                view! {
                    {pro.map(|t| view! { <p class="argument" data-testid="argument-for"><strong class="stance-for">{lang.t(Key::ArgumentFor)}</strong> " " {t}</p> })}
                    {contra.map(|t| view! { <p class="argument" data-testid="argument-against"><strong class="stance-against">{lang.t(Key::ArgumentAgainst)}</strong> " " {t}</p> })}
                }
            }}
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

/// Comment on the words selected in one of the fields of `scope` (the one selected last there,
/// else `path`).
#[component]
pub fn PassageComment(path: FieldPath, scope: Scope) -> impl IntoView {
    let lang = use_lang();
    let Some(ctx) = use_context::<DiscussionCtx>() else { return ().into_any() };
    if !ctx.can_comment {
        return ().into_any();
    }
    let (anchor, body, error, sending) = (
        RwSignal::new(None::<(String, String)>),
        RwSignal::new(String::new()),
        RwSignal::new(None::<Key>),
        RwSignal::new(false),
    );
    let path = StoredValue::new(path);
    let scope = StoredValue::new(scope);
    // Words selected in this part: in its reading view, or in one of its inputs when editing.
    let chosen = move || -> Option<(FieldPath, Option<(usize, usize)>)> {
        let read = ctx.reading_selection.get().filter(|(p, _, _)| scope.with_value(|s| s.covers(p)));
        if let Some((p, start, end)) = read {
            return Some((p, Some((start, end))));
        }
        ctx.selected.get().filter(|p| scope.with_value(|s| s.covers(p))).map(|p| (p, None))
    };
    let start = move |_| {
        let picked = chosen().unwrap_or_else(|| (path.get_value(), None));
        let made = match picked {
            (p, Some((s, e))) => session::anchor_at(p, s, e),
            (p, None) => session::selection_in_control(&p).and_then(|(s, e)| session::anchor_at(p, s, e)),
        };
        let quoted = made.and_then(|json| {
            let quote = serde_json::from_str::<kompromiss_shared::anchor::Anchor>(&json).ok()?.quote;
            Some((json, quote))
        });
        error.set(quoted.is_none().then_some(Key::SelectWordsFirst));
        anchor.set(quoted);
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((json, _)) = anchor.get() else { return };
        let (doc, text) = (ctx.doc_id.get_value(), body.get());
        send_comment(ctx, comment_passage(doc, json, text), (body, sending, error), move || {
            anchor.set(None);
            ctx.reading_selection.set(None);
            ctx.selected.set(None);
        });
    };
    view! {
        <div class="passage-comment">
            {move || (chosen().is_some() && anchor.with(Option::is_none)).then(|| view! {
                // Pressing the button must not take the selection away.
                <button type="button" class="secondary" on:mousedown=|ev| ev.prevent_default() on:click=start
                    data-testid="comment-selection">
                    {lang.t(Key::CommentSelection)}
                </button>
            })}
            {move || anchor.get().map(|(_, quote)| view! {
                <form class="comment-form" on:submit=send>
                    <p class="quote">{format!("„{quote}“")}</p>
                    <label class="field">
                        <span class="label">{lang.t(Key::NewComment)}</span>
                        <textarea rows="2" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                    </label>
                    <button type="submit" disabled=move || sending.get()>
                        {move || lang.t(if sending.get() { Key::CommentSending } else { Key::SendComment })}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| anchor.set(None)>{lang.t(Key::Cancel)}</button>
                </form>
            })}
            {move || error.get().map(|k| view! { <p class="error" role="alert">{lang.t(k)}</p> })}
        </div>
    }
    .into_any()
}

/// Threads the panel draws at first, and more with each "show older".
const PANEL_PAGE: usize = kompromiss_shared::comments::PANEL_THREADS;

/// Which threads the panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    Open,
    Resolved,
    Mine,
    Platforms,
    All,
}

impl Filter {
    const ALL: [Filter; 5] = [Filter::Open, Filter::Resolved, Filter::Mine, Filter::Platforms, Filter::All];

    fn code(self) -> &'static str {
        match self {
            Filter::Open => "open",
            Filter::Resolved => "resolved",
            Filter::Mine => "mine",
            Filter::Platforms => "platforms",
            Filter::All => "all",
        }
    }

    fn label(self) -> Key {
        match self {
            Filter::Open => Key::FilterOpen,
            Filter::Resolved => Key::FilterResolved,
            Filter::Mine => Key::FilterMine,
            Filter::Platforms => Key::FilterPlatforms,
            Filter::All => Key::FilterAll,
        }
    }

    fn keeps(self, t: &ThreadView, me: Option<&str>) -> bool {
        match self {
            Filter::Open => t.resolved.is_none(),
            Filter::Resolved => t.resolved.is_some(),
            Filter::Mine => me.is_some_and(|me| t.comments.iter().any(|c| c.author.id == me)),
            Filter::Platforms => matches!(t.target, ThreadTarget::Platform { .. }),
            Filter::All => true,
        }
    }
}

/// Open threads per section (by id) and on platform entries, for the outline.
pub fn open_counts(d: &Discussion) -> (std::collections::HashMap<String, usize>, usize) {
    let mut sections = std::collections::HashMap::new();
    let mut platforms = 0;
    for t in d.threads.iter().filter(|t| t.resolved.is_none()) {
        match &t.target {
            ThreadTarget::Passage { anchor } => {
                if let FieldPath::Section { id, .. } = &anchor.field {
                    *sections.entry(id.clone()).or_insert(0) += 1;
                }
            }
            ThreadTarget::Platform { .. } => platforms += 1,
        }
    }
    (sections, platforms)
}

/// The sections with their open threads, to jump to.
#[component]
pub fn Outline() -> impl IntoView {
    let lang = use_lang();
    let Some(ctx) = use_context::<DiscussionCtx>() else { return ().into_any() };
    let rows = move || {
        let (counts, platforms) = ctx.discussion.with(open_counts);
        let mut rows: Vec<(String, String, usize)> = ctx.view.with(|v| {
            v.sections
                .iter()
                .map(|s| (format!("#s-{}", s.id), s.heading.clone(), counts.get(&s.id).copied().unwrap_or(0)))
                .collect()
        });
        rows.push(("#platforms".into(), lang.t(Key::Platforms).to_owned(), platforms));
        rows
    };
    view! {
        <nav class="outline" aria-label=lang.t(Key::Outline)>
            <ol>
                {move || rows().into_iter().map(|(href, heading, open)| view! {
                    <li>
                        <a href=href>{heading}</a>
                        {(open > 0).then(|| view! {
                            " " <span class="badge count" title=lang.t(Key::OpenThreads)>{open}</span>
                        })}
                    </li>
                }).collect_view()}
            </ol>
        </nav>
    }
    .into_any()
}

/// What identifies one rendering of a thread: it is drawn again when any of this changes.
type ThreadKey = (String, usize, bool, bool, i64);

fn thread_key(t: &ThreadView) -> ThreadKey {
    let changes = t
        .comments
        .iter()
        .map(|c| c.edited_at.unwrap_or(0) + i64::from(c.deleted) + i64::from(c.hidden.is_some()))
        .sum::<i64>();
    (t.id.clone(), t.comments.len(), t.resolved.is_some(), t.locked, changes)
}

/// All threads of the document, oldest first, with their replies. Threads opened from their
/// highlight show whatever the filter, unless they are open under their passage.
#[component]
pub fn DiscussionPanel() -> impl IntoView {
    let lang = use_lang();
    let Some(ctx) = use_context::<DiscussionCtx>() else { return ().into_any() };
    let filter = RwSignal::new(Filter::Open);
    let shown = RwSignal::new(PANEL_PAGE);
    // The filtered threads: the newest `shown` of them (and any asked for), and how many older
    // ones wait behind the "show older" button.
    let listed = Memo::new(move |_| {
        let me = ctx.me.get_value();
        let f = filter.get();
        let focus = ctx.focus.get();
        let asked = |t: &ThreadView| focus.as_ref().is_some_and(|x| x.ids.contains(&t.id));
        let inline = focus.as_ref().is_some_and(|x| x.inline.is_some());
        let limit = shown.get();
        ctx.discussion.with(|d| {
            let kept: Vec<&ThreadView> =
                d.threads.iter().filter(|t| (f.keeps(t, me.as_deref()) || asked(t)) && !(inline && asked(t))).collect();
            let cut = kept.len().saturating_sub(limit);
            let older = kept[..cut].iter().filter(|t| !asked(t)).count();
            let threads = kept.iter().enumerate().filter(|(i, t)| *i >= cut || asked(t)).map(|(_, t)| (*t).clone());
            (threads.collect::<Vec<_>>(), older)
        })
    });
    let threads = move || listed.with(|(t, _)| t.clone());
    let older = move || listed.with(|(_, n)| *n);
    view! {
        <section class="discussion" aria-labelledby="discussion-heading" data-testid="discussion">
            <h2 id="discussion-heading">{lang.t(Key::Discussion)}</h2>
            <div class="filters" role="group" aria-label=lang.t(Key::ShowThreads)>
                {Filter::ALL.map(|f| view! {
                    <button type="button" class="filter" data-filter=f.code()
                        aria-pressed=move || if filter.get() == f { "true" } else { "false" }
                        on:click=move |_| filter.set(f)>
                        {lang.t(f.label())}
                    </button>
                }).collect_view()}
            </div>
            {move || threads().is_empty().then(|| view! { <p class="notice">{lang.t(Key::NoThreads)}</p> })}
            {move || ctx.discussion.with(|d| d.older.is_some()).then(|| view! { <p class="notice">{lang.t(Key::OlderThreadsLeftOut)}</p> })}
            {move || (older() > 0).then(|| view! {
                <button type="button" class="secondary show-older" on:click=move |_| shown.update(|n| *n += PANEL_PAGE)>
                    {lang.older_threads(older())}
                </button>
            })}
            <For each=threads key=thread_key children=move |t| view! { <Thread thread=t/> }/>
        </section>
    }
    .into_any()
}

/// On a phone: the threads of a highlight clicked in this part, right under it.
#[component]
pub fn InlineThreads(part: String) -> impl IntoView {
    let lang = use_lang();
    let Some(ctx) = use_context::<DiscussionCtx>() else { return ().into_any() };
    let open_here = move || ctx.focus.with(|f| f.as_ref().is_some_and(|f| f.inline.as_deref() == Some(part.as_str())));
    let threads = move || {
        let ids = ctx.focus.with(|f| f.as_ref().map(|f| f.ids.clone()).unwrap_or_default());
        ctx.discussion.with(|d| d.threads.iter().filter(|t| ids.contains(&t.id)).cloned().collect::<Vec<_>>())
    };
    view! {
        <Show when=open_here>
            <aside class="thread-inline" aria-label=lang.t(Key::ThreadsHere)>
                <For each=threads key=thread_key children=move |t| view! { <Thread thread=t/> }/>
                <button type="button" class="secondary" on:click=move |_| ctx.focus.set(None)>{lang.t(Key::CloseThreads)}</button>
            </aside>
        </Show>
    }
    .into_any()
}

#[component]
fn Thread(thread: ThreadView) -> impl IntoView {
    let lang = use_lang();
    let Some(ctx) = use_context::<DiscussionCtx>() else { return ().into_any() };
    // A passage thread asks the live replica after every change whether its words are still there.
    let passage = match &thread.target {
        ThreadTarget::Passage { anchor } => Some(StoredValue::new(anchor.clone())),
        ThreadTarget::Platform { .. } => None,
    };
    // Until the live replica answers, the server's finding stands.
    let removed_on_server = thread.removed;
    let removed = move || {
        ctx.view.track();
        passage
            .is_some_and(|a| a.with_value(|a| session::place(a).map_or(removed_on_server, |placed| placed.is_none())))
    };
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
        send_comment(ctx, reply_comment(doc, id, text), (reply, sending, error), || ());
    };
    let open_for_replies = ctx.can_comment && !thread.locked;
    let reply_id = format!("reply-{}", thread.id);
    let mine = ctx.me.with_value(|me| me.as_deref() == Some(thread.created_by.id.as_str()));
    let may_resolve = ctx.can_edit || (mine && ctx.can_comment);
    let resolved = thread.resolved.is_some();
    let resolve_id = thread.id.clone();
    let action_error = RwSignal::new(None::<Key>);
    let toggle = move |_| {
        let (doc, id) = (ctx.doc_id.get_value(), resolve_id.clone());
        leptos::task::spawn_local(async move {
            match resolve_thread(doc, id, !resolved).await {
                Ok(()) => ctx.refresh(),
                Err(_) => action_error.set(Some(Key::ActionFailed)),
            }
        });
    };
    let thread_id_for_comments = thread.id.clone();
    let focus_id = thread.id.clone();
    let focused = move || ctx.focus.with(|f| f.as_ref().is_some_and(|f| f.ids.contains(&focus_id)));
    let (lock_id, locked) = (thread.id.clone(), thread.locked);
    let toggle_lock = move |_| {
        let (doc, id) = (ctx.doc_id.get_value(), lock_id.clone());
        leptos::task::spawn_local(async move {
            match lock_thread(doc, id, !locked).await {
                Ok(()) => ctx.refresh(),
                Err(_) => action_error.set(Some(Key::ActionFailed)),
            }
        });
    };
    view! {
        <article class="thread" id=format!("thread-{}", thread.id) data-platform=platform_name tabindex="-1"
            class:resolved=thread.resolved.is_some() class:focused=focused>
            <p class="about">{about}
                {move || removed().then(|| view! { " " <span class="badge removed" data-testid="passage-removed">{lang.t(Key::PassageRemoved)}</span> })}
            </p>
            {move || {
                let then = removed().then(|| passage.and_then(|a| a.with_value(session::text_then))).flatten();
                then.map(|text| view! {
                    <details class="text-then" data-testid="text-then">
                        <summary>{lang.t(Key::TextAsItWas)}</summary>
                        <p>{text}</p>
                    </details>
                })
            }}
            <p class="about-badges">
                {thread.resolved.is_some().then(|| view! { <span class="badge">{lang.t(Key::ThreadResolved)}</span> })}
                {thread.locked.then(|| view! { <span class="badge">{lang.t(Key::ThreadLocked)}</span> })}
            </p>
            {thread.comments.into_iter().map(|c| view! { <Comment comment=c thread_id=thread_id_for_comments.clone()/> }).collect_view()}
            {may_resolve.then(|| view! {
                <button type="button" class="secondary" on:click=toggle>
                    {lang.t(if resolved { Key::ReopenThread } else { Key::ResolveThread })}
                </button>
            })}
            {move || ctx.discussion.with(|d| d.can_moderate).then(|| view! {
                " "
                <button type="button" class="secondary" on:click=toggle_lock.clone()>
                    {lang.t(if locked { Key::UnlockThread } else { Key::LockThread })}
                </button>
            })}
            {move || action_error.get().map(|k| view! { <p class="error" role="alert">{lang.t(k)}</p> })}
            {open_for_replies.then(|| view! {
                <form class="reply-form" on:submit=send>
                    <CommentText doc=ctx.doc_id value=reply label=lang.t(Key::ReplyLabel) id=reply_id.clone()/>
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

fn reason_label(lang: Lang, reason: ReportReason) -> &'static str {
    lang.t(match reason {
        ReportReason::Insult => Key::ReasonInsult,
        ReportReason::Hate => Key::ReasonHate,
        ReportReason::Threat => Key::ReasonThreat,
        ReportReason::Disinformation => Key::ReasonDisinformation,
        ReportReason::Spam => Key::ReasonSpam,
        ReportReason::Other => Key::ReasonOther,
    })
}

#[component]
fn Comment(comment: CommentView, thread_id: String) -> impl IntoView {
    let lang = use_lang();
    let ctx = use_context::<DiscussionCtx>();
    let signed_in = ctx.is_some_and(|c| c.me.with_value(Option::is_some));
    let own = ctx.is_some_and(|c| c.me.with_value(|me| me.as_deref() == Some(comment.author.id.as_str())));
    let live = !comment.deleted;
    let (action_error, reported) = (RwSignal::new(None::<Key>), RwSignal::new(false));
    let report_opened = RwSignal::new(false);
    let (editing, new_words) = (RwSignal::new(false), RwSignal::new(comment.body.clone().unwrap_or_default()));
    let (reason, note) = (RwSignal::new(ReportReason::Insult.as_str().to_owned()), RwSignal::new(String::new()));
    let ids = StoredValue::new((thread_id, comment.id.clone()));
    let remove = move |_| {
        let Some(ctx) = ctx else { return };
        let ((thread, comment), doc) = (ids.get_value(), ctx.doc_id.get_value());
        leptos::task::spawn_local(async move {
            match delete_comment(doc, thread, comment).await {
                Ok(()) => ctx.refresh(),
                Err(_) => action_error.set(Some(Key::ActionFailed)),
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(ctx) = ctx else { return };
        let ((thread, comment), doc, text) = (ids.get_value(), ctx.doc_id.get_value(), new_words.get());
        leptos::task::spawn_local(async move {
            match edit_comment(doc, thread, comment, text).await {
                Ok(()) => {
                    editing.set(false);
                    ctx.refresh();
                }
                Err(e) => action_error.set(Some(failure(&e))),
            }
        });
    };
    let report = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(ctx) = ctx else { return };
        let ((thread, comment), doc) = (ids.get_value(), ctx.doc_id.get_value());
        let (why, text) = (reason.get(), note.get());
        leptos::task::spawn_local(async move {
            match report_comment(doc, thread, comment, why, text).await {
                Ok(()) => reported.set(true),
                Err(_) => action_error.set(Some(Key::ActionFailed)),
            }
        });
    };
    let actions = view! {
        {(live && own).then(|| view! {
            <button type="button" class="link" on:click=move |_| editing.update(|e| *e = !*e)>{lang.t(Key::EditComment)}</button>
            " "
            <button type="button" class="link" on:click=remove>{lang.t(Key::DeleteComment)}</button>
            {move || editing.get().then(|| view! {
                <form class="comment-form" on:submit=save>
                    <label class="field">
                        <span class="label">{lang.t(Key::NewComment)}</span>
                        <textarea rows="3" prop:value=move || new_words.get() on:input=move |ev| new_words.set(event_target_value(&ev))></textarea>
                    </label>
                    <button type="submit">{lang.t(Key::SaveComment)}</button>
                </form>
            })}
        })}
        {(live && signed_in && !own).then(|| view! {
            // The form is drawn when first opened: a page with thousands of comments stays light.
            <details class="report" on:toggle=move |_| report_opened.set(true)>
                <summary>{lang.t(Key::ReportComment)}</summary>
                {move || if !report_opened.get() {
                    ().into_any()
                } else if reported.get() {
                    view! { <p class="notice" role="status">{lang.t(Key::Reported)}</p> }.into_any()
                } else {
                    view! {
                        <form class="report-form" on:submit=report>
                            <label class="field">
                                <span class="label">{lang.t(Key::ReportReasonLabel)}</span>
                                <select prop:value=move || reason.get() on:change=move |ev| reason.set(event_target_value(&ev))>
                                    {ReportReason::ALL.map(|r| view! { <option value=r.as_str()>{reason_label(lang, r)}</option> }).collect_view()}
                                </select>
                            </label>
                            <label class="field">
                                <span class="label">{lang.t(Key::ReportNote)}</span>
                                <textarea rows="2" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                            </label>
                            <button type="submit">{lang.t(Key::SendReport)}</button>
                        </form>
                    }.into_any()
                }}
            </details>
        })}
        {move || action_error.get().map(|k| view! { <p class="error" role="alert">{lang.t(k)}</p> })}
    };
    let text = if comment.deleted {
        view! { <p class="placeholder">{lang.t(Key::CommentDeleted)}</p> }.into_any()
    } else {
        let hidden = comment.hidden.clone().map(|reason| {
            view! {
                <p class="placeholder">{format!("{} {reason}", lang.t(Key::HiddenByModeration))}</p>
            }
        });
        let words = comment
            .body
            .as_deref()
            .map(|b| view! { <div class="markdown" inner_html=markdown::render_cached(b).to_string()></div> });
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
            {actions}
        </div>
    }
}
