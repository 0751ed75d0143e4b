//! Charts of a year's metrics, drawn as SVG on the server, each with its figures as a table
//! beside it (for screen readers and for anyone who wants the numbers): every platform over the
//! year, one platform against the year before, and the year's figures per platform.

use kompromiss_shared::dto::metrics::MetricsView;
use kompromiss_shared::metrics::figures::{month_series, year_figures};
use leptos::prelude::*;

use crate::i18n::{Key, Lang, use_lang};

/// The figures one can chart: every metric, then every derived figure (key, name).
fn figures(lang: Lang, view: &MetricsView) -> Vec<(String, String)> {
    let metrics = view.metrics.iter().map(|m| (m.key.clone(), lang.pick(&m.name)));
    metrics.chain(view.derived.iter().map(|d| (d.key.clone(), lang.pick(&d.name)))).collect()
}

/// A table of months (rows) by series (columns).
pub(crate) fn month_table(lang: Lang, caption: String, series: Vec<(String, Vec<(u8, f64)>)>) -> impl IntoView {
    let heads = series.iter().map(|(name, _)| view! { <th scope="col">{name.clone()}</th> }).collect_view();
    let rows = (1..=12u8)
        .map(|m| {
            let cells = series
                .iter()
                .map(|(_, points)| {
                    let v = points.iter().find(|p| p.0 == m).map_or_else(|| "–".to_owned(), |p| lang.figure(p.1));
                    view! { <td class="num">{v}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{lang.month_name(m)}</th>{cells}</tr> }
        })
        .collect_view();
    let label = caption.clone();
    view! {
        <details class="chart-data">
            <summary>{lang.t(Key::ChartAsTable)}</summary>
            <div class="table-wrap" tabindex="0" role="region" aria-label=label>
                <table>
                    <caption>{caption}</caption>
                    <thead><tr><th scope="col">{lang.t(Key::MonthColumn)}</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}

/// The charts of a year; `before` is the year before, for the comparison's table.
#[component]
pub fn ChartsSection(concept: String, view: MetricsView, before: Option<MetricsView>) -> impl IntoView {
    let lang = use_lang();
    let all = figures(lang, &view);
    let figure = RwSignal::new(all.first().map(|f| f.0.clone()).unwrap_or_default());
    let platform = RwSignal::new(view.platforms.first().map(|p| p.id.clone()).unwrap_or_default());
    let year = view.year;
    // Browsers keep an image per address for the life of a page: the address names the data.
    let stamp = view.values.iter().map(|v| v.at).max().unwrap_or(0) + view.values.len() as i64;
    let view = StoredValue::new(view);
    let before = StoredValue::new(before);
    let names = StoredValue::new(all.clone());
    let name_of =
        move |key: &str| names.with_value(|n| n.iter().find(|f| f.0 == key).map(|f| f.1.clone()).unwrap_or_default());
    let base = format!("/api/documents/{concept}/metrics/charts");
    let base2 = base.clone();
    let figure_options =
        all.iter().map(|(key, name)| view! { <option value=key.clone()>{name.clone()}</option> }).collect_view();
    let platform_options = view.with_value(|v| {
        v.platforms.iter().map(|p| view! { <option value=p.id.clone()>{p.name.clone()}</option> }).collect_view()
    });
    let all_src = move || format!("{base}/{}.svg?year={year}&lang={}&v={stamp}", figure.get(), lang.code());
    let yoy_src = move || {
        format!("{base2}/{}.svg?year={year}&platform={}&lang={}&v={stamp}", figure.get(), platform.get(), lang.code())
    };
    let all_table = move || {
        let key = figure.get();
        let series = view.with_value(|v| {
            v.platforms
                .iter()
                .map(|p| (p.name.clone(), month_series(v, &v.derived, &p.id, &key, year)))
                .collect::<Vec<_>>()
        });
        month_table(lang, format!("{} {year}", name_of(&key)), series)
    };
    let yoy_table = move || {
        let (key, id) = (figure.get(), platform.get());
        let mut series = Vec::new();
        if let Some(b) = before.get_value() {
            series.push(((year - 1).to_string(), month_series(&b, &b.derived, &id, &key, year - 1)));
        }
        view.with_value(|v| series.push((year.to_string(), month_series(v, &v.derived, &id, &key, year))));
        month_table(lang, format!("{} {} / {year}", name_of(&key), year - 1), series)
    };
    let alt_all = move || format!("{}: {} {year}", lang.t(Key::ChartAllPlatforms), name_of(&figure.get()));
    let alt_yoy =
        move || format!("{}: {} {} / {year}", lang.t(Key::ChartYearOverYear), name_of(&figure.get()), year - 1);
    view! {
        <section class="metric-charts" aria-labelledby="charts-heading" data-testid="metric-charts">
            <h2 id="charts-heading">{lang.t(Key::Charts)}</h2>
            <label class="field inline">
                <span class="label">{lang.t(Key::ChartFigure)}</span>
                <select data-testid="chart-figure" prop:value=move || figure.get() on:change=move |ev| figure.set(event_target_value(&ev))>{figure_options}</select>
            </label>
            <figure class="chart">
                <img src=all_src alt=alt_all width="720" height="360" data-testid="chart-all"/>
                <figcaption>{lang.t(Key::ChartAllPlatforms)}</figcaption>
            </figure>
            {all_table}
            <label class="field inline">
                <span class="label">{lang.t(Key::Platform)}</span>
                <select data-testid="chart-platform" prop:value=move || platform.get() on:change=move |ev| platform.set(event_target_value(&ev))>{platform_options}</select>
            </label>
            <figure class="chart">
                <img src=yoy_src alt=alt_yoy width="720" height="360" data-testid="chart-yoy"/>
                <figcaption>{lang.t(Key::ChartYearOverYear)}</figcaption>
            </figure>
            {yoy_table}
            {move || year_table(lang, &view.get_value())}
        </section>
    }
    .into_any()
}

/// Each platform's figures for the year: sums (or the latest stock), then derived figures.
fn year_table(lang: Lang, view: &MetricsView) -> impl IntoView + use<> {
    let heads = view
        .metrics
        .iter()
        .map(|m| lang.pick(&m.name))
        .chain(view.derived.iter().map(|d| lang.pick(&d.name)))
        .map(|name| view! { <th scope="col">{name}</th> })
        .collect_view();
    let rows = view
        .platforms
        .iter()
        .map(|p| {
            let cells = year_figures(view, &view.metrics, &view.derived, &p.id, view.year)
                .into_iter()
                .map(|(_, v, unit)| view! { <td class="num">{lang.figure_in(v, unit)}</td> })
                .collect_view();
            view! { <tr data-testid="year-figures-row"><th scope="row">{p.name.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <h3>{lang.t(Key::YearFigures)} " " {view.year}</h3>
        <p class="hint">{lang.t(Key::YearFiguresHint)}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.t(Key::YearFigures)>
            <table class="year-figures" data-testid="year-figures">
                <thead><tr><th scope="col">{lang.t(Key::Platform)}</th>{heads}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
