//! `/d/:id/verlauf`: a concept's history: stretches of work by author, merged drafts and named
//! versions; any version opened read-only, any two compared; editors name versions and restore
//! a section's earlier wording.

use kompromiss_shared::diff::ConceptDiff;
use kompromiss_shared::dto::timeline::Timeline;
use kompromiss_shared::schema::ConceptView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::history::{compare_versions, get_authorship, get_timeline, get_version, name_version, restore_wording};
use crate::api::me::get_me;
use crate::components::authorship::AuthorshipView;
use crate::components::drafts::DiffView;
use crate::components::header::Header;
use crate::components::notice::{Refused, refusal_text};
use crate::i18n::{Key, Lang, use_lang};
use crate::time::format_ms;
use kompromiss_shared::dto::timeline::Authorship;

/// The history page of one document.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let me = Resource::new(|| (), |_| get_me());
    let changed = RwSignal::new(0u32);
    let data = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), changed.get()),
        |(id, _)| async move { (get_timeline(id.clone()).await, id) },
    );
    view! {
        <Title text=lang.t(Key::History)/>
        <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                let me = me.await.unwrap_or_default();
                let body = match data.await {
                    (Ok(timeline), doc) => view! { <HistoryBody timeline doc changed lang/> }.into_any(),
                    (Err(error), _) => view! { <Refused error/> }.into_any(),
                };
                view! { <Header me/> {body} }
            })}
        </Transition>
    }
}

/// A version's label in the pickers: the person and time of the stretch that ended there.
fn label(lang: Lang, who: Option<&str>, at: Option<i64>) -> String {
    let who = who.unwrap_or(lang.t(Key::UnknownAuthor));
    match at {
        Some(at) => format!("{} · {who}", format_ms(at)),
        None => who.to_owned(),
    }
}

#[component]
fn HistoryBody(timeline: Timeline, doc: String, changed: RwSignal<u32>, lang: Lang) -> impl IntoView {
    let doc = StoredValue::new(doc);
    let can_edit = timeline.can_edit;
    let now = timeline.version.clone();
    // The versions one can pick: now, every stretch's end, named versions, merges, the start.
    let mut choices: Vec<(String, String)> = vec![(now.clone(), lang.t(Key::VersionNow).to_owned())];
    for s in &timeline.stretches {
        choices.push((s.version.clone(), label(lang, s.author.as_ref().map(|p| p.name.as_str()), s.to)));
    }
    for n in &timeline.named {
        choices.push((n.version.clone(), format!("„{}“", n.name)));
    }
    choices.push((String::new(), lang.t(Key::VersionStart).to_owned()));
    let mut seen = std::collections::HashSet::new();
    choices.retain(|(v, _)| seen.insert(v.clone()));
    let from = RwSignal::new(timeline.stretches.get(1).map(|s| s.version.clone()).unwrap_or_default());
    let to = RwSignal::new(now.clone());
    let shown = RwSignal::new(None::<(String, ConceptView)>);
    let diff = RwSignal::new(None::<ConceptDiff>);
    let error = RwSignal::new(None::<&'static str>);
    let note = RwSignal::new(None::<&'static str>);
    let open = move |version: String| {
        error.set(None);
        leptos::task::spawn_local(async move {
            match get_version(doc.get_value(), version.clone()).await {
                Ok(view) => shown.set(Some((version, view))),
                Err(e) => error.set(Some(refusal_text(lang, &e))),
            }
        });
    };
    let compare = move |_| {
        error.set(None);
        leptos::task::spawn_local(async move {
            match compare_versions(doc.get_value(), from.get_untracked(), to.get_untracked()).await {
                Ok(d) => diff.set(Some(d)),
                Err(e) => error.set(Some(refusal_text(lang, &e))),
            }
        });
    };
    let name_input = NodeRef::<leptos::html::Input>::new();
    let name_now = {
        let now = now.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(name) = name_input.get().map(|i| i.value()) else { return };
            let now = now.clone();
            leptos::task::spawn_local(async move {
                match name_version(doc.get_value(), name, now).await {
                    Ok(()) => changed.update(|c| *c += 1),
                    Err(e) => error.set(Some(refusal_text(lang, &e))),
                }
            });
        }
    };
    let restore = move |version: String, item: String| {
        leptos::task::spawn_local(async move {
            match restore_wording(doc.get_value(), version, item).await {
                Ok(()) => note.set(Some(lang.t(Key::Restored))),
                Err(e) => error.set(Some(refusal_text(lang, &e))),
            }
        });
    };
    let picker = move |signal: RwSignal<String>, key: Key, test: &'static str| {
        let choices = choices.clone();
        view! {
            <label class="field inline">
                <span class="label">{lang.t(key)}</span>
                <select data-testid=test on:change=move |ev| signal.set(event_target_value(&ev))>
                    {choices.into_iter().map(|(v, l)| {
                        let selected = signal.get_untracked() == v;
                        view! { <option value=v selected=selected>{l}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    };
    let rows = timeline
        .stretches
        .iter()
        .map(|s| {
            let who = s.author.as_ref().map_or(lang.t(Key::UnknownAuthor).to_owned(), |p| p.name.clone());
            let when = match (s.from, s.to) {
                (Some(a), Some(b)) if a != b => format!("{} – {}", format_ms(a), format_ms(b)),
                (_, Some(b)) => format_ms(b),
                _ => String::new(),
            };
            let parts = s.parts.clone().filter(|p| !p.is_empty()).map(|p| view! { <span class="parts">" · " {p.join(", ")}</span> });
            let version = s.version.clone();
            view! {
                <li data-testid="stretch">
                    <strong>{who}</strong> " · " <span class="when">{when}</span> " · " {lang.changes_count(s.changes)} {parts}
                    " " <button type="button" class="toggle" on:click=move |_| open(version.clone())>{lang.t(Key::ViewVersion)}</button>
                </li>
            }
        })
        .collect_view();
    let merges = (!timeline.merges.is_empty()).then(|| {
        view! {
            <h2>{lang.t(Key::MergedDrafts)}</h2>
            <ul class="rows">
                {timeline.merges.iter().map(|m| {
                    let version = m.version.clone();
                    view! {
                        <li><a href=format!("/d/{}", m.draft_id)>{m.title.clone()}</a> " · " {format_ms(m.at)}
                            {m.by.as_ref().map(|p| format!(" · {}", p.name))}
                            " " <button type="button" class="toggle" on:click=move |_| open(version.clone())>{lang.t(Key::ViewVersion)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    });
    let doc_id = doc.get_value();
    let decisions = (!timeline.decisions.is_empty()).then(|| {
        view! {
            <h2>{lang.t(Key::Decisions)}</h2>
            <ul class="rows" data-testid="history-decisions">
                {timeline.decisions.iter().map(|d| {
                    let version = d.version.clone();
                    view! {
                        <li>{lang.t(Key::DecisionEntry)} " " <a href=format!("/d/{doc_id}/abstimmung/{}", d.ballot_id)>{lang.quote(&d.title)}</a> " · "
                            {format_ms(d.at)} {d.by.as_ref().map(|p| format!(" · {}", p.name))}
                            " " <button type="button" class="toggle" on:click=move |_| open(version.clone())>{lang.t(Key::ViewVersion)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    });
    let named = view! {
        <h2>{lang.t(Key::NamedVersions)}</h2>
        <ul class="rows">
            {timeline.named.iter().map(|n| {
                let version = n.version.clone();
                view! {
                    <li data-testid="named-version"><strong>{n.name.clone()}</strong> " · " {format_ms(n.at)}
                        " " <button type="button" class="toggle" on:click=move |_| open(version.clone())>{lang.t(Key::ViewVersion)}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        {can_edit.then(|| view! {
            <form class="inline-form" on:submit=name_now>
                <label class="field">
                    <span class="label">{lang.t(Key::VersionName)}</span>
                    <input node_ref=name_input required maxlength="200" data-testid="version-name"/>
                </label>
                <button type="submit" data-testid="name-version">{lang.t(Key::NameVersion)}</button>
            </form>
        })}
    };
    let version_view = move || {
        shown.get().map(|(version, view)| {
            view! {
                <section class="old-version" data-testid="old-version" aria-label=lang.t(Key::ViewVersion)>
                    <p class="notice">{lang.t(Key::ReadOnlyVersion)}</p>
                    <h2>{view.title.clone()}</h2>
                    {view.sections.into_iter().map(|s| {
                        let (version, item) = (version.clone(), s.id.clone());
                        view! {
                            <section class="section" data-section=s.id.clone()>
                                <h3>{s.heading}</h3>
                                <p class="diff-text">{s.body}</p>
                                {can_edit.then(|| view! {
                                    <button type="button" class="secondary" data-testid="restore"
                                        on:click=move |_| restore(version.clone(), item.clone())>{lang.t(Key::RestoreWording)}</button>
                                })}
                            </section>
                        }
                    }).collect_view()}
                </section>
            }
        })
    };
    let diff_signal = Signal::derive(move || diff.get().unwrap_or_default());
    let authors = RwSignal::new(None::<Authorship>);
    let who_wrote = move |_| {
        leptos::task::spawn_local(async move {
            match get_authorship(doc.get_value()).await {
                Ok(a) => authors.set(Some(a)),
                Err(e) => error.set(Some(refusal_text(lang, &e))),
            }
        });
    };
    view! {
        <main class="page history">
            <a href=format!("/d/{}", doc.get_value())>{lang.t(Key::ToConcept)}</a>
            <h1>{lang.t(Key::History)} ": " {timeline.title.clone()}</h1>
            <p class="hint">{lang.t(Key::HistoryHint)}</p>
            {move || note.get().map(|t| view! { <p class="notice" role="status">{t}</p> })}
            {move || error.get().map(|t| view! { <p class="error" role="alert">{t}</p> })}
            <div class="compare">
                {picker(from, Key::CompareFrom, "compare-from")}
                {picker(to, Key::CompareTo, "compare-to")}
                <button type="button" data-testid="compare" on:click=compare>{lang.t(Key::Compare)}</button>
            </div>
            <Show when=move || diff.with(Option::is_some)>
                <DiffView diff=diff_signal/>
            </Show>
            <button type="button" class="secondary" data-testid="who-wrote" on:click=who_wrote>{lang.t(Key::WhoWrote)}</button>
            {move || authors.get().map(|authorship| view! { <AuthorshipView authorship/> })}
            {version_view}
            <ol class="timeline" reversed>{rows}</ol>
            {decisions}
            {merges}
            {named}
        </main>
    }
    .into_any()
}
