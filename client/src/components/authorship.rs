//! "Who wrote this": the document now, each passage coloured by the person who wrote it, with a
//! legend (colour and name, so that the colour is never the only cue).

use kompromiss_shared::dto::timeline::Authorship;
use leptos::prelude::*;

use crate::i18n::{Key, use_lang};

/// Distinct colours; people past these share them (the legend and the hover name tell them apart).
const COLOURS: usize = 8;

/// The coloured text of every field.
#[component]
pub fn AuthorshipView(authorship: Authorship) -> impl IntoView {
    let lang = use_lang();
    let names: Vec<String> = authorship.people.iter().map(|p| p.name.clone()).collect();
    let legend = authorship
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| view! { <li><span class=format!("author-swatch a{}", i % COLOURS)></span> {p.name.clone()}</li> })
        .collect_view();
    let fields = authorship
        .fields
        .into_iter()
        .filter(|f| !f.text.is_empty())
        .map(|f| {
            let chars: Vec<char> = f.text.chars().collect();
            let spans = f
                .runs
                .iter()
                .map(|(start, end, who)| {
                    let (s, e) = ((*start as usize).min(chars.len()), (*end as usize).min(chars.len()));
                    let words: String = chars[s..e].iter().collect();
                    let (class, title) = match who {
                        Some(i) => (
                            format!("by a{}", *i as usize % COLOURS),
                            names.get(*i as usize).cloned().unwrap_or_default(),
                        ),
                        None => ("by unknown".to_owned(), lang.t(Key::UnknownAuthor).to_owned()),
                    };
                    view! { <span class=class title=title>{words}</span> }
                })
                .collect_view();
            view! { <p class="diff-text authored" data-field=f.field.dom_id()>{spans}</p> }
        })
        .collect_view();
    view! {
        <section class="authorship" data-testid="authorship" aria-label=lang.t(Key::WhoWrote)>
            <p class="hint">{lang.t(Key::WhoWroteHint)}</p>
            <ul class="legend">{legend}</ul>
            {fields}
        </section>
    }
}
