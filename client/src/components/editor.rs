//! The concept page: the document as read (title, outline, sections, platform entries) with its
//! discussion beside it, each part edited in place by those who may; status and presence.

use kompromiss_shared::dto::comments::Discussion;
use kompromiss_shared::dto::documents::DocPage;
use kompromiss_shared::dto::me::Me;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::FieldPath;
use leptos::prelude::*;

use super::ballots::BallotsSection;
use super::discussion::{DiscussionCtx, DiscussionPanel, InlineThreads, Outline, PassageComment, Scope};
use super::drafts::{DraftBanner, DraftsSection};
use super::export_links::{ExportLinks, Exported};
use super::field::TextField;
use super::parts::{EditAllToggle, EditButton, EditCtx};
use super::platforms::PlatformTable;
use super::presence::PresenceList;
use super::reading::{ReadAs, ReadText, highlights};
use super::sections::SectionPart;
use super::status::StatusIndicator;
use crate::i18n::Key;
use crate::i18n::use_lang;
use crate::sync::{PeerPresence, Status, session};

/// The live editor of one document.
#[component]
pub fn Editor(page: DocPage, me: Me) -> impl IntoView {
    let lang = use_lang();
    let view_signal = RwSignal::new(page.view.clone());
    let status = RwSignal::new(Status::Connecting);
    let presence = RwSignal::new(Vec::<PeerPresence>::new());
    let can_edit = page.can_edit;
    // Fields are editable once the live replica is there (after hydration), and only with edit access.
    let live = RwSignal::new(false);
    let local_pending = RwSignal::new(false);
    let waiting = RwSignal::new(0usize);
    let comments_changed = RwSignal::new(0u64);
    let ballots_changed = RwSignal::new(0u64);
    let me_signed_in = me.display_name.is_some();
    let editable = Signal::derive(move || can_edit && live.get());
    let threads = RwSignal::new(page.discussion.clone());
    // Highlights follow the live replica after every sync; until it is there, the server's places.
    let highlighted = Memo::new(move |_| {
        view_signal.track();
        let is_live = live.get();
        threads.with(|d| highlights(d, |a| if is_live { session::place(a) } else { None }))
    });
    let discussion = DiscussionCtx {
        doc_id: StoredValue::new(page.id.clone()),
        discussion: threads,
        view: view_signal,
        can_comment: me.display_name.is_some() && page.level >= Level::Participate,
        can_edit: page.level >= Level::Edit,
        me: StoredValue::new(me.user_id.clone()),
        selected: RwSignal::new(None),
        reading_selection: RwSignal::new(None),
        highlights: highlighted,
        focus: RwSignal::new(None),
    };
    provide_context(discussion);
    // The server-rendered page carried only the first threads' comments: fetch the rest now.
    Effect::new(move |_| {
        if threads.with_untracked(Discussion::is_partial) {
            discussion.refresh();
        }
    });
    let edit = EditCtx::new(editable);
    provide_context(edit);
    #[cfg(feature = "hydrate")]
    super::reading::follow_selection(discussion);
    Effect::new(move |seen: Option<u64>| {
        let now = comments_changed.get();
        if seen.is_some_and(|s| s != now) {
            discussion.refresh();
            if let Some(bell) = use_context::<super::bell::BellVersion>() {
                bell.0.update(|v| *v += 1);
            }
        }
        now
    });
    let doc_id = page.id.clone();
    let name = me.display_name.clone().unwrap_or_else(|| lang.t(Key::You).to_owned());
    Effect::new(move |_| {
        session::open(
            doc_id.clone(),
            name.clone(),
            session::Signals {
                view: view_signal,
                status,
                presence,
                live,
                local_pending,
                waiting,
                comments_changed,
                ballots_changed,
            },
        );
    });
    on_cleanup(session::close);

    let title = Signal::derive(move || view_signal.with(|v| v.title.clone()));
    let section_ids = move || view_signal.with(|v| v.sections.iter().map(|s| s.id.clone()).collect::<Vec<_>>());
    let editing_title = Signal::derive(move || edit.editing("title"));
    let on_text_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            use super::reading::{Clicked, clicked, show_threads};
            let Some(target) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            else {
                return;
            };
            match clicked(&target) {
                Clicked::Threads { ids, part } => show_threads(discussion, ids, part),
                Clicked::Edit { part, field } if editable.get_untracked() => edit.open_part(part, field),
                _ => {}
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <main class="doc" data-doc-id=page.id.clone()>
            <div class="doc-bar">
                <a href="/">{lang.t(Key::Back)}</a>
                <StatusIndicator status local_pending waiting/>
                {(!can_edit).then(|| view! { <span class="badge">{lang.t(Key::ReadOnly)}</span> })}
                {can_edit.then(|| view! { <EditAllToggle/> })}
                <a href=format!("/d/{}/verlauf", page.id) data-testid="history-link">{lang.t(Key::History)}</a>
                {page.draft.is_none().then(|| view! {
                    <a href=format!("/d/{}/kennzahlen", page.id) data-testid="metrics-link">{lang.t(Key::Metrics)}</a>
                })}
                <ExportLinks
                    base=format!("/api/documents/{}", page.id)
                    what=if page.draft.is_some() { Exported::Draft } else { Exported::Concept }
                    testid="export"
                />
                {(page.level == Level::Administer).then(|| view! {
                    <a href=format!("/d/{}/freigaben", page.id) data-testid="sharing-link">{lang.t(Key::Sharing)}</a>
                })}
                {(page.discussion.can_moderate && me_signed_in).then(|| view! {
                    <a href=format!("/d/{}/moderation", page.id) data-testid="moderation-link">{lang.t(Key::Moderation)}</a>
                })}
                <PresenceList presence/>
            </div>
            <div class="doc-layout">
                <article class="doc-text" on:click=on_text_click>
                    {page.draft.clone().map(|detail| view! { <DraftBanner detail view=view_signal/> }.into_any())}
                    <div class="part title-part" data-part="title">
                        <Show when=move || editing_title.get()
                            fallback=move || view! { <ReadText path=FieldPath::Title text=title read_as=ReadAs::Title/> }>
                            <TextField path=FieldPath::Title value=title label=lang.t(Key::Title) class="title-input" editable/>
                        </Show>
                        <div class="part-tools"><EditButton part="title".to_owned() name=title focus=FieldPath::Title.dom_id()/></div>
                        <PassageComment path=FieldPath::Title scope=Scope::Title/>
                        <InlineThreads part="title".to_owned()/>
                    </div>
                    <Outline/>
                    {page.drafts.clone().map(|list| view! { <DraftsSection concept=page.id.clone() list view=view_signal/> }.into_any())}
                    {page.drafts.clone().map(|list| {
                        let open: Vec<(String, String)> = list
                            .drafts
                            .iter()
                            .filter(|d| d.status == kompromiss_shared::dto::drafts::DraftStatus::Open)
                            .map(|d| (d.id.clone(), d.title.clone()))
                            .collect();
                        let can_open = page.level >= kompromiss_shared::perm::Level::Edit;
                        view! { <BallotsSection concept=page.id.clone() drafts=open can_open changed=ballots_changed/> }.into_any()
                    })}
                    {can_edit.then(|| view! { <p class="hint edit-hint">{lang.t(Key::EditHint)}</p> })}
                    <For each=section_ids key=|id| id.clone() children=move |id| view! { <SectionPart id view=view_signal/> }/>
                    <Show when=move || editable.get()>
                        <button class="add" type="button"
                            on:click=move |_| session::add_section(lang.t(Key::NewSection).to_owned())>
                            {lang.t(Key::AddSection)}
                        </button>
                    </Show>
                    <h2 id="platforms">{lang.t(Key::Platforms)}</h2>
                    <PlatformTable view=view_signal/>
                </article>
                <aside class="doc-side">
                    <DiscussionPanel/>
                </aside>
            </div>
        </main>
    }
}
