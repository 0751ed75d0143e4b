//! A year's values per platform, month by month; selecting a value shows where it comes from —
//! who entered it, when, from which source or file — and the values it replaced.

use kompromiss_shared::dto::metrics::{CellEntry, MetricsView};
use kompromiss_shared::metrics::Month;
use leptos::prelude::*;

use crate::api::metrics::get_metric_record;
use crate::i18n::{Key, Lang, use_lang};
use crate::time::format_berlin;

/// The value one is looking at: platform id, metric key, month.
type Picked = Option<(String, String, Month)>;

/// Every platform's values of a year.
#[component]
pub fn ValuesSection(concept: String, view: MetricsView) -> impl IntoView {
    let lang = use_lang();
    let picked = RwSignal::new(None::<(String, String, Month)>);
    let concept = StoredValue::new(concept);
    let record = Resource::new(
        move || picked.get(),
        move |p: Picked| async move {
            match p {
                Some((platform, metric, month)) => {
                    get_metric_record(concept.get_value(), platform, metric, month.to_string()).await.map(Some)
                }
                None => Ok(None),
            }
        },
    );
    let empty = view.values.is_empty();
    let (with, without): (Vec<_>, Vec<_>) =
        view.platforms.iter().partition(|p| view.values.iter().any(|v| v.platform == p.id));
    let tables = with.iter().map(|p| platform_table(lang, &view, &p.id, &p.name, picked)).collect_view();
    let names_without = without.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", ");
    let without = (!empty && !without.is_empty())
        .then(|| view! { <p class="hint" data-testid="platforms-without-values">{lang.t(Key::NoValuesFor)} " " {names_without}</p> });
    let names = StoredValue::new(view.clone());
    let origin = move || {
        let Some((platform, metric, month)) = picked.get() else { return ().into_any() };
        let (platform_name, metric_name) = names.with_value(|v| {
            let p = v.platforms.iter().find(|p| p.id == platform).map(|p| p.name.clone()).unwrap_or_default();
            let m = v.metrics.iter().find(|m| m.key == metric).map(|m| lang.pick(&m.name)).unwrap_or_default();
            (p, m)
        });
        let heading = format!("{metric_name}, {platform_name}, {} {}", lang.month_name(month.number()), month.year());
        view! {
            <aside class="value-origin" aria-live="polite" data-testid="value-origin">
                <h3>{lang.t(Key::ValueOrigin)} ": " {heading}</h3>
                <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match record.await {
                            Ok(Some(entries)) => entries_list(lang, entries).into_any(),
                            Ok(None) => ().into_any(),
                            Err(_) => view! { <p class="error" role="alert">{lang.t(Key::LoadFailed)}</p> }.into_any(),
                        }
                    })}
                </Transition>
                <button type="button" class="secondary" on:click=move |_| picked.set(None)>{lang.t(Key::CloseOrigin)}</button>
            </aside>
        }
        .into_any()
    };
    view! {
        <section class="metric-values" aria-labelledby="values-heading" data-testid="metric-values">
            <h2 id="values-heading">{lang.t(Key::MetricValues)}</h2>
            {if empty {
                view! { <p class="empty">{lang.t(Key::NoMetricValues)}</p> }.into_any()
            } else {
                view! { <p class="hint">{lang.t(Key::MetricValuesHint)}</p> }.into_any()
            }}
            {origin}
            {tables}
            {without}
        </section>
    }
    .into_any()
}

fn entries_list(lang: Lang, entries: Vec<CellEntry>) -> impl IntoView {
    let items = entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let value = e.value.map_or_else(|| lang.t(Key::ValueRemoved).to_owned(), |v| lang.amount(v));
            let by = e.by.map_or_else(|| lang.t(Key::UnknownAuthor).to_owned(), |p| p.name);
            let file = e.file.map(|f| view! { " · " {lang.t(Key::FromFile)} " " <code>{f}</code> });
            view! {
                <li class:earlier={i > 0} data-testid="origin-entry">
                    <strong>{value}</strong> " – " {lang.t(Key::EnteredBy)} " " {by} ", " {format_berlin(e.at)}
                    " · " {lang.t(Key::SourceLabel)} ": " {e.source} {file}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="origin-entries">{items}</ol> }
}

fn platform_table(
    lang: Lang,
    view: &MetricsView,
    platform: &str,
    name: &str,
    picked: RwSignal<Picked>,
) -> impl IntoView + use<> {
    let heads = view.metrics.iter().map(|m| view! { <th scope="col">{lang.pick(&m.name)}</th> }).collect_view();
    let rows = Month::of_year(view.year)
        .map(|month| {
            let cells = view
                .metrics
                .iter()
                .map(|m| {
                    let Some(v) = view.value(platform, &m.key, month) else {
                        return view! { <td class="num">"–"</td> }.into_any();
                    };
                    let shown = lang.with_unit(lang.amount(v.value), m);
                    let key = (platform.to_owned(), m.key.clone(), month);
                    let corrected = (v.entries > 1)
                        .then(|| view! { " " <span class="corrected" title=lang.t(Key::Corrected)>"*"</span> });
                    let label = format!("{shown}: {}", lang.t(Key::ValueOrigin));
                    view! {
                        <td class="num">
                            <button type="button" class="value" aria-label=label data-testid="metric-value"
                                on:click=move |_| picked.set(Some(key.clone()))>{shown}</button>
                            {corrected}
                        </td>
                    }
                    .into_any()
                })
                .collect_view();
            view! { <tr><th scope="row">{lang.month_name(month.number())}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <h3>{name.to_owned()}</h3>
        <div class="table-wrap" tabindex="0" role="region" aria-label=name.to_owned()>
            <table class="metric-table" data-testid="metric-table">
                <thead><tr><th scope="col">{lang.t(Key::MonthColumn)}</th>{heads}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
