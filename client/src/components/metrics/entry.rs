//! Entering a platform's values for a month by hand, with their source (editors).

use kompromiss_shared::dto::metrics::{MetricsView, NewValues};
use kompromiss_shared::metrics::{Amount, Month};
use leptos::prelude::*;

use super::metrics_refusal;
use crate::api::metrics::enter_metrics;
use crate::i18n::{Key, use_lang};

/// A message after an action: whether it went well, and what to say.
pub type Said = RwSignal<Option<(bool, String)>>;

/// The form; `said` outlives the page's reloads of its data, `changed` asks for them.
#[component]
pub fn EntryForm(concept: String, view: MetricsView, said: Said, changed: RwSignal<u64>) -> impl IntoView {
    let lang = use_lang();
    let concept = StoredValue::new(concept);
    let platform = RwSignal::new(view.platforms.first().map(|p| p.id.clone()).unwrap_or_default());
    let default_month = Month::new(view.year, 1).map(|m| m.to_string()).unwrap_or_default();
    let month = RwSignal::new(default_month);
    let source = RwSignal::new(lang.t(Key::SourceDefault).to_owned());
    let fields: Vec<(String, String, RwSignal<String>)> =
        view.metrics.iter().map(|m| (m.key.clone(), lang.pick(&m.name), RwSignal::new(String::new()))).collect();
    let fields = StoredValue::new(fields);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(month) = month.get_untracked().parse::<Month>() else {
            said.set(Some((false, lang.t(Key::InvalidInput).to_owned())));
            return;
        };
        let mut values = Vec::new();
        for (key, _, raw) in fields.get_value() {
            let text = raw.get_untracked();
            if text.trim().is_empty() {
                continue;
            }
            match text.parse::<Amount>() {
                Ok(v) => values.push((key, Some(v))),
                Err(_) => {
                    said.set(Some((false, lang.t(Key::BadValue).to_owned())));
                    return;
                }
            }
        }
        let new = NewValues { platform: platform.get_untracked(), month, source: source.get_untracked(), values };
        busy.set(true);
        said.set(None);
        leptos::task::spawn_local(async move {
            match enter_metrics(concept.get_value(), new).await {
                Ok(0) => said.set(Some((true, lang.t(Key::ValuesUnchanged).to_owned()))),
                Ok(_) => {
                    said.set(Some((true, lang.t(Key::ValuesSaved).to_owned())));
                    changed.update(|n| *n += 1);
                }
                Err(e) => said.set(Some((false, metrics_refusal(lang, &e).to_owned()))),
            }
            busy.set(false);
        });
    };
    let platform_options =
        view.platforms.iter().map(|p| view! { <option value=p.id.clone()>{p.name.clone()}</option> }).collect_view();
    let inputs = fields
        .get_value()
        .into_iter()
        .map(|(key, name, value)| {
            view! {
                <label class="field">
                    <span class="label">{name}</span>
                    <input inputmode="decimal" data-testid=format!("entry-{key}") bind:value=value/>
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="metric-entry" aria-labelledby="entry-heading">
            <h2 id="entry-heading">{lang.t(Key::EnterValues)}</h2>
            <p class="hint">{lang.t(Key::EnterValuesHint)}</p>
            <form on:submit=submit data-testid="entry-form">
                <div class="entry-where">
                    <label class="field">
                        <span class="label">{lang.t(Key::Platform)}</span>
                        <select on:change=move |ev| platform.set(event_target_value(&ev))>{platform_options}</select>
                    </label>
                    <label class="field">
                        <span class="label">{lang.t(Key::MonthColumn)}</span>
                        <input type="month" required bind:value=month data-testid="entry-month"/>
                    </label>
                </div>
                <div class="entry-values">{inputs}</div>
                <label class="field">
                    <span class="label">{lang.t(Key::SourceLabel)}</span>
                    <input required maxlength="200" bind:value=source data-testid="entry-source"/>
                </label>
                <button type="submit" disabled=move || busy.get() data-testid="save-values">
                    {move || lang.t(if busy.get() { Key::SavingValues } else { Key::SaveValues })}
                </button>
                {move || said.get().map(|(ok, text)| if ok {
                    view! { <p class="notice" role="status">{text}</p> }.into_any()
                } else {
                    view! { <p class="error" role="alert">{text}</p> }.into_any()
                })}
            </form>
        </section>
    }
    .into_any()
}
