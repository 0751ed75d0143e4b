//! `/d/:id/kennzahlen[?jahr=2026]`: a concept's metrics for a year — charts with their tables,
//! the values per month with where each comes from, and for editors entering and importing.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::me::get_me;
use crate::api::metrics::get_metrics;
use crate::components::header::Header;
use crate::components::metrics::{ChartsSection, EntryForm, ImportSection, ImportState, ValuesSection};
use crate::components::notice::Refused;
use crate::i18n::{Key, use_lang};

/// The metrics page of one concept.
#[component]
pub fn MetricsPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let me = Resource::new(|| (), |_| get_me());
    let changed = RwSignal::new(0u64);
    let said = RwSignal::new(None::<(bool, String)>);
    let import = ImportState::new();
    let key = move || {
        let id = params.read().get("id").unwrap_or_default();
        let year = query.read().get("jahr").and_then(|y| y.parse::<u16>().ok());
        (id, year)
    };
    let data = Resource::new(move || (key(), changed.get()), |((id, year), _)| get_metrics(id, year));
    let before = Resource::new(key, |(id, year)| async move {
        let this = get_metrics(id.clone(), year).await.ok()?;
        get_metrics(id, Some(this.year.checked_sub(1)?)).await.ok()
    });
    view! {
        <Title text=lang.t(Key::Metrics)/>
        <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                let me = me.await.unwrap_or_default();
                let id = key().0;
                let body = match data.await {
                    Ok(view) => {
                        let before = before.await;
                        let years = view
                            .years
                            .iter()
                            .map(|y| {
                                let current = (*y == view.year).then_some("page");
                                view! { <a href=format!("/d/{id}/kennzahlen?jahr={y}") aria-current=current>{*y}</a> " " }
                            })
                            .collect_view();
                        let editing = view.can_edit.then(|| view! {
                            <EntryForm concept=id.clone() view=view.clone() said changed/>
                            <ImportSection concept=id.clone() view=view.clone() state=import changed/>
                        });
                        view! {
                            <main class="page metrics-page" data-testid="metrics-page">
                                <p class="draft-of">
                                    <a href=format!("/d/{id}")>{view.concept_title.clone()}</a> " · "
                                    <a href=format!("/d/{id}/evaluation/{}", view.year) data-testid="evaluation-link">{lang.evaluation_title(view.year)}</a>
                                </p>
                                <h1>{lang.metrics_title(view.year)}</h1>
                                <p class="hint">{lang.t(Key::MetricsIntro)}</p>
                                <nav class="years" aria-label=lang.t(Key::MetricsYear)>{lang.t(Key::MetricsYear)} ": " {years}</nav>
                                <ChartsSection concept=id.clone() view=view.clone() before/>
                                <ValuesSection concept=id.clone() view=view.clone()/>
                                {editing}
                            </main>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <Refused error/> }.into_any(),
                };
                view! { <Header me/> {body} }
            })}
        </Transition>
    }
}
