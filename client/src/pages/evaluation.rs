//! `/d/:id/evaluation/:year`: the yearly evaluation for the party council — the concept's
//! decisions and assessments, the year's figures and charts, changes and ballots, and the
//! editors' summary and commentary; frozen as presented, read from its snapshot.

use kompromiss_shared::dto::evaluations::EvaluationView;
use kompromiss_shared::metrics::figures::month_series;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::evaluations::get_evaluation;
use crate::api::me::get_me;
use crate::components::ballots::verdict_text;
use crate::components::evaluation::{EvaluationText, FreezeForm, Writing, changes_section, platform_section};
use crate::components::export_links::{ExportLinks, Exported};
use crate::components::header::Header;
use crate::components::metrics::charts::month_table;
use crate::components::notice::Refused;
use crate::i18n::{Key, Lang, use_lang};
use crate::time::format_berlin;

/// The evaluation page of one concept and year.
#[component]
pub fn EvaluationPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let me = Resource::new(|| (), |_| get_me());
    let key = move || {
        let p = params.read();
        (p.get("id").unwrap_or_default(), p.get("year").and_then(|y| y.parse::<u16>().ok()).unwrap_or(0))
    };
    let data = Resource::new(key, |(id, year)| get_evaluation(id, year));
    view! {
        <Title text=lang.t(Key::Evaluation)/>
        <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                let me = me.await.unwrap_or_default();
                let body = match data.await {
                    Ok(view) => evaluation(lang, view).into_any(),
                    Err(error) => view! { <Refused error/> }.into_any(),
                };
                view! { <Header me/> {body} }
            })}
        </Transition>
    }
}

fn charts(lang: Lang, view: &EvaluationView) -> impl IntoView + use<> {
    let m = &view.metrics;
    let base = format!("/api/documents/{}/evaluations/{}/charts", view.concept_id, view.year);
    let figures = m
        .metrics
        .iter()
        .map(|d| (d.key.clone(), lang.pick(&d.name)))
        .chain(m.derived.iter().map(|d| (d.key.clone(), lang.pick(&d.name))));
    figures
        .map(|(key, name)| {
            let series = m.platforms.iter().map(|p| (p.name.clone(), month_series(m, &m.derived, &p.id, &key, m.year))).collect();
            let src = format!("{base}/{key}.svg?lang={}", lang.code());
            view! {
                <figure class="chart">
                    <img src=src alt=format!("{}: {name} {}", lang.t(Key::ChartAllPlatforms), m.year) width="720" height="360"/>
                    <figcaption>{name.clone()}</figcaption>
                </figure>
                {month_table(lang, format!("{name} {}", m.year), series)}
            }
        })
        .collect_view()
}

fn evaluation(lang: Lang, view: EvaluationView) -> impl IntoView {
    let writing = view.can_edit.then(|| Writing {
        concept: StoredValue::new(view.concept_id.clone()),
        year: view.year,
        revision: RwSignal::new(view.revision),
    });
    let status = match &view.presented {
        Some(p) => {
            let by = p.frozen_by.as_ref().map(|b| format!(" · {}", b.name)).unwrap_or_default();
            view! {
                <p class="presented" data-testid="presented"><strong>{lang.presented(&p.body, &p.on)}</strong></p>
                <p class="hint">{lang.t(Key::EvaluationFrozenNote)} " (" {format_berlin(p.frozen_at)} {by} ")"</p>
            }
            .into_any()
        }
        None => {
            view! { <p class="hint" data-testid="evaluation-draft">{lang.t(Key::EvaluationDraftNote)}</p> }.into_any()
        }
    };
    let id = view.concept_id.clone();
    let years = view
        .years
        .iter()
        .map(|y| {
            let current = (y.year == view.year).then_some("page");
            let badge = match &y.presented {
                Some((on, _)) => on.clone(),
                None => lang.t(Key::EvaluationDraftBadge).to_owned(),
            };
            view! { <li><a href=format!("/d/{id}/evaluation/{}", y.year) aria-current=current>{y.year}</a> " (" {badge} ")"</li> }
        })
        .collect_view();
    let ballots = if view.ballots.is_empty() {
        view! { <p class="empty">{lang.t(Key::NoYearBallots)}</p> }.into_any()
    } else {
        let items = view
            .ballots
            .iter()
            .map(|b| {
                let result = match &b.summary.outcome {
                    Some(kompromiss_shared::ballots::Outcome::Proposal { verdict, .. }) => verdict_text(lang, *verdict).to_owned(),
                    _ => lang.turnout(b.summary.voted, b.summary.eligible),
                };
                view! {
                    <li><a href=format!("/d/{id}/abstimmung/{}", b.summary.id)>{b.summary.title.clone()}</a> " – " {result} " (" {format_berlin(b.opened_at)} ")"</li>
                }
            })
            .collect_view();
        view! { <ul>{items}</ul> }.into_any()
    };
    let platforms =
        view.platforms.clone().into_iter().map(|p| platform_section(lang, &view, p, writing)).collect_view();
    let freeze = writing.map(|w| view! { <FreezeForm writing=w/> });
    view! {
        <main class="page evaluation-page" data-testid="evaluation-page">
            <p class="draft-of"><a href=format!("/d/{id}")>{view.concept_title.clone()}</a> " · " <a href=format!("/d/{id}/kennzahlen?jahr={}", view.year)>{lang.t(Key::Metrics)}</a></p>
            <h1>{lang.evaluation_title(view.year)}</h1>
            {status}
            <p><ExportLinks
                base=format!("/api/documents/{id}/evaluations/{}", view.year)
                what=Exported::Evaluation
                testid="evaluation-export"
            /></p>
            <nav aria-label=lang.t(Key::EvaluationYears)><ul class="evaluation-years">{years}</ul></nav>
            <section aria-labelledby="summary-heading">
                <h2 id="summary-heading">{lang.t(Key::EvaluationSummary)}</h2>
                <EvaluationText writing platform=None text=view.summary.clone() label=lang.t(Key::EvaluationSummary) testid="summary"/>
            </section>
            {platforms}
            <section class="evaluation-charts" aria-labelledby="evaluation-charts-heading">
                <h2 id="evaluation-charts-heading">{lang.t(Key::Charts)}</h2>
                {charts(lang, &view)}
            </section>
            {changes_section(lang, &view.changes)}
            <section aria-labelledby="year-ballots-heading">
                <h2 id="year-ballots-heading">{lang.t(Key::YearBallotsHeading)}</h2>
                {ballots}
            </section>
            {freeze}
        </main>
    }
    .into_any()
}
