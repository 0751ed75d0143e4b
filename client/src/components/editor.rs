//! The concept editor: title, sections with Markdown preview, platforms, status and presence.

use kompromiss_shared::dto::documents::DocPage;
use kompromiss_shared::dto::me::Me;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::{ConceptView, FieldPath, KEY_BODY, KEY_HEADING, KEY_SECTIONS};
use leptos::prelude::*;

use super::discussion::{DiscussionCtx, DiscussionPanel, Outline, PassageComment, Scope};
use super::field::TextField;
use super::platforms::PlatformTable;
use super::presence::PresenceList;
use super::status::StatusIndicator;
use crate::i18n::Key;
use crate::i18n::use_lang;
use crate::markdown;
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
    let me_signed_in = me.display_name.is_some();
    let editable = Signal::derive(move || can_edit && live.get());
    let discussion = DiscussionCtx {
        doc_id: StoredValue::new(page.id.clone()),
        discussion: RwSignal::new(page.discussion.clone()),
        view: view_signal,
        can_comment: me.display_name.is_some() && page.level >= Level::Participate,
        can_edit: page.level >= Level::Edit,
        me: StoredValue::new(me.user_id.clone()),
        selected: RwSignal::new(None),
    };
    provide_context(discussion);
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
            session::Signals { view: view_signal, status, presence, live, local_pending, waiting, comments_changed },
        );
    });
    on_cleanup(session::close);

    let title = Signal::derive(move || view_signal.with(|v| v.title.clone()));
    let section_ids = move || view_signal.with(|v| v.sections.iter().map(|s| s.id.clone()).collect::<Vec<_>>());
    view! {
        <main class="doc" data-doc-id=page.id.clone()>
            <div class="doc-bar">
                <a href="/">{lang.t(Key::Back)}</a>
                <StatusIndicator status local_pending waiting/>
                {(!can_edit).then(|| view! { <span class="badge">{lang.t(Key::ReadOnly)}</span> })}
                {(page.level == Level::Administer).then(|| view! {
                    <a href=format!("/d/{}/freigaben", page.id) data-testid="sharing-link">{lang.t(Key::Sharing)}</a>
                })}
                {(page.level >= Level::Edit && me_signed_in).then(|| view! {
                    <a href=format!("/d/{}/moderation", page.id) data-testid="moderation-link">{lang.t(Key::Moderation)}</a>
                })}
                <PresenceList presence/>
            </div>
            <TextField path=FieldPath::Title value=title label=lang.t(Key::Title) class="title-input" editable/>
            <PassageComment path=FieldPath::Title scope=Scope::Title/>
            <Outline/>
            <h2>{lang.t(Key::Sections)}</h2>
            <For each=section_ids key=|id| id.clone() children=move |id| view! { <SectionEditor id view=view_signal editable/> }/>
            <button class="add" type="button" disabled=move || !editable.get()
                on:click=move |_| session::add_section(lang.t(Key::NewSection).to_owned())>
                {lang.t(Key::AddSection)}
            </button>
            <h2 id="platforms">{lang.t(Key::Platforms)}</h2>
            <PlatformTable view=view_signal editable/>
            <DiscussionPanel/>
        </main>
    }
}

fn section_field(view: RwSignal<ConceptView>, id: String, body: bool) -> Signal<String> {
    Signal::derive(move || {
        view.with(|v| {
            v.sections
                .iter()
                .find(|s| s.id == id)
                .map(|s| if body { s.body.clone() } else { s.heading.clone() })
                .unwrap_or_default()
        })
    })
}

#[component]
fn SectionEditor(id: String, view: RwSignal<ConceptView>, editable: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let heading = section_field(view, id.clone(), false);
    let body = section_field(view, id.clone(), true);
    let preview = move || markdown::render(&body.get());
    let remove_id = id.clone();
    view! {
        <section class="section" id=format!("s-{id}") data-section=id.clone()>
            <TextField path=FieldPath::Section { id: id.clone(), field: KEY_HEADING.into() } value=heading
                label=lang.t(Key::Heading) class="heading-input" editable/>
            <TextField path=FieldPath::Section { id: id.clone(), field: KEY_BODY.into() } value=body
                label=lang.t(Key::Body) multiline=true class="body-input" editable/>
            <PassageComment path=FieldPath::Section { id: id.clone(), field: KEY_BODY.into() } scope=Scope::Section(id.clone())/>
            <details class="preview" open>
                <summary>{lang.t(Key::Preview)}</summary>
                <div class="markdown" inner_html=preview></div>
            </details>
            <button class="remove" type="button" disabled=move || !editable.get()
                on:click=move |_| session::remove(KEY_SECTIONS, remove_id.clone())>
                {lang.t(Key::RemoveSection)}
            </button>
        </section>
    }
}
