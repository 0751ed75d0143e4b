//! A comment's text area with the `@` picker: typing `@` and a few letters offers the people who
//! may read the document; choosing one writes `@Name `.

use kompromiss_shared::dto::comments::Person;
use leptos::prelude::*;

use crate::api::comments::mentionable;
use crate::i18n::{Key, use_lang};

/// The `@` word being typed just before the caret, if any: where its `@` is and what follows it.
fn mention_at(text: &str, caret: usize) -> Option<(usize, String)> {
    let before: Vec<char> = text.chars().take(caret).collect();
    let at = before.iter().rposition(|c| *c == '@')?;
    let word: String = before[at + 1..].iter().collect();
    let fits = (at == 0 || before[at - 1].is_whitespace()) && word.chars().count() <= 40 && !word.contains('\n');
    (fits && !word.trim().is_empty()).then_some((at, word))
}

/// The text with the `@word` at `at` (characters) replaced by `@name `.
fn insert(text: &str, at: usize, word_chars: usize, name: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let head: String = chars[..at].iter().collect();
    let tail: String = chars[(at + 1 + word_chars).min(chars.len())..].iter().collect();
    format!("{head}@{name} {tail}")
}

/// A labelled text area for a comment, with the `@` picker.
#[component]
pub fn CommentText(
    doc: StoredValue<String>,
    value: RwSignal<String>,
    label: &'static str,
    id: String,
) -> impl IntoView {
    let lang = use_lang();
    let offered = RwSignal::new(Vec::<Person>::new());
    let pending = RwSignal::new(None::<(usize, String)>);
    let area = NodeRef::<leptos::html::Textarea>::new();
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        value.set(text.clone());
        let caret = area.get_untracked().and_then(|a| a.selection_start().ok().flatten()).unwrap_or(0) as usize;
        // The caret is in UTF-16 units; mentions are short, so count characters up to it.
        let caret_chars = text.encode_utf16().take(caret).collect::<Vec<u16>>();
        let caret_chars = String::from_utf16_lossy(&caret_chars).chars().count();
        match mention_at(&text, caret_chars) {
            Some((at, word)) => {
                pending.set(Some((at, word.clone())));
                let doc = doc.get_value();
                leptos::task::spawn_local(async move {
                    if let Ok(people) = mentionable(doc, word).await {
                        offered.set(people);
                    }
                });
            }
            None => {
                pending.set(None);
                offered.set(Vec::new());
            }
        }
    };
    let choose = move |name: String| {
        if let Some((at, word)) = pending.get_untracked() {
            value.update(|v| *v = insert(v, at, word.chars().count(), &name));
        }
        pending.set(None);
        offered.set(Vec::new());
        if let Some(a) = area.get_untracked() {
            let _ = a.focus();
        }
    };
    let list_id = format!("{id}-people");
    let label_for = id.clone();
    view! {
        <label class="field" for=label_for>
            <span class="label">{label}</span>
            <textarea id=id node_ref=area rows="2" prop:value=move || value.get() on:input=on_input
                aria-describedby=list_id.clone()></textarea>
        </label>
        <div id=list_id class="mention-picker" aria-live="polite">
            {move || (!offered.get().is_empty()).then(|| view! {
                <span class="label">{lang.t(Key::MentionPick)}</span>
                <ul>
                    {offered.get().into_iter().map(|p| {
                        let name = p.name.clone();
                        view! { <li><button type="button" class="link" on:click=move |_| choose(name.clone())>{p.name}</button></li> }
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_at_word_before_the_caret_is_found_and_replaced_by_the_chosen_name() {
        assert_eq!(mention_at("Danke @An", 9), Some((6, "An".into())));
        assert_eq!(mention_at("Danke @Anna B", 13), Some((6, "Anna B".into())));
        assert_eq!(mention_at("mail@example.org", 16), None, "not after a word");
        assert_eq!(mention_at("Danke @", 7), None, "nothing typed yet");
        assert_eq!(mention_at("@Anna\nweiter", 12), None);
        assert_eq!(insert("Danke @An!", 6, 2, "Anna Berger"), "Danke @Anna Berger !");
        assert_eq!(insert("@Jö", 0, 2, "Jörg Ölmann"), "@Jörg Ölmann ");
    }
}
