//! A concept diff to read: per section and platform entry, deletions and insertions inline or
//! side by side, with the concept's line numbers ("Zeile 12–14").

use kompromiss_shared::diff::{ConceptDiff, FieldDiff, ItemChange, Piece, PieceKind};
use kompromiss_shared::lines::FieldKind;
use leptos::prelude::*;

use crate::components::platforms::decision_label;
use crate::i18n::{Key, Lang, use_lang};

/// How a diff is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Inline,
    SideBySide,
}

fn pieces_inline(pieces: &[Piece]) -> impl IntoView + use<> {
    pieces
        .iter()
        .map(|p| match p.kind {
            PieceKind::Same => view! { <span>{p.text.clone()}</span> }.into_any(),
            PieceKind::Deleted => view! { <del>{p.text.clone()}</del> }.into_any(),
            PieceKind::Inserted => view! { <ins>{p.text.clone()}</ins> }.into_any(),
        })
        .collect_view()
}

/// One side of a side-by-side view: the old text (with deletions) or the new (with insertions).
fn pieces_side(pieces: &[Piece], new: bool) -> impl IntoView + use<> {
    pieces
        .iter()
        .filter(|p| p.kind != if new { PieceKind::Deleted } else { PieceKind::Inserted })
        .map(|p| match p.kind {
            PieceKind::Same => view! { <span>{p.text.clone()}</span> }.into_any(),
            PieceKind::Deleted => view! { <del>{p.text.clone()}</del> }.into_any(),
            PieceKind::Inserted => view! { <ins>{p.text.clone()}</ins> }.into_any(),
        })
        .collect_view()
}

fn field_label(lang: Lang, kind: FieldKind) -> &'static str {
    lang.t(match kind {
        FieldKind::Heading => Key::Section,
        FieldKind::Body => Key::DraftChanges,
        FieldKind::Name => Key::Platform,
        FieldKind::TargetGroups => Key::FieldTargetGroups,
        FieldKind::Rationale => Key::FieldRationale,
    })
}

fn field_view(lang: Lang, field: &FieldDiff, mode: Mode, label: bool) -> impl IntoView + use<> {
    // A section's heading names its lines already; platform fields name their own.
    let own_lines = !matches!(field.kind, FieldKind::Body | FieldKind::Heading);
    let lines = field.lines.filter(|_| own_lines).map(|l| view! { <span class="line-ref">{lang.lines_ref(l)}</span> });
    let label = (label && !matches!(field.kind, FieldKind::Body | FieldKind::Heading))
        .then(|| view! { <span class="field-name">{field_label(lang, field.kind)}</span> });
    let body = match mode {
        Mode::Inline => view! { <p class="diff-text">{pieces_inline(&field.pieces)}</p> }.into_any(),
        Mode::SideBySide => view! {
            <div class="diff-sides">
                <div class="diff-old"><span class="side-label">{lang.t(Key::DiffBefore)}</span><p class="diff-text">{pieces_side(&field.pieces, false)}</p></div>
                <div class="diff-new"><span class="side-label">{lang.t(Key::DiffAfter)}</span><p class="diff-text">{pieces_side(&field.pieces, true)}</p></div>
            </div>
        }
        .into_any(),
    };
    view! { <div class="diff-field">{label}{lines}{body}</div> }
}

fn change_badge(lang: Lang, change: ItemChange) -> Option<impl IntoView + use<>> {
    let key = match change {
        ItemChange::Added => Key::DiffAdded,
        ItemChange::Removed => Key::DiffRemoved,
        ItemChange::Changed => return None,
    };
    Some(view! { <span class="badge">{lang.t(key)}</span> })
}

fn render(lang: Lang, diff: &ConceptDiff, mode: Mode) -> AnyView {
    if diff.is_empty() {
        return view! { <p class="empty">{lang.t(Key::DraftNoChanges)}</p> }.into_any();
    }
    let title = diff.title.as_ref().map(|pieces| {
        view! { <section class="diff-item"><h4>{lang.t(Key::DiffTitle)}</h4><p class="diff-text">{pieces_inline(pieces)}</p></section> }
    });
    let sections = diff
        .sections
        .iter()
        .map(|s| {
            let lines = s.lines.map(|l| view! { <span class="line-ref">{lang.lines_ref(l)}</span> });
            view! {
                <section class="diff-item" data-testid="diff-section" data-item=s.id.clone()>
                    <h4>{lang.t(Key::Section)} ": " {s.heading.clone()} " " {change_badge(lang, s.change)} {lines}</h4>
                    {s.fields.iter().map(|f| field_view(lang, f, mode, true)).collect_view()}
                </section>
            }
        })
        .collect_view();
    let platforms = diff
        .platforms
        .iter()
        .map(|p| {
            let lines = p.lines.map(|l| view! { <span class="line-ref">{lang.lines_ref(l)}</span> });
            let decision = p.decision.map(|(old, new)| {
                view! {
                    <p class="decision-change" data-testid="decision-change">
                        <del>{decision_label(lang, old)}</del> " → " <ins>{decision_label(lang, new)}</ins>
                    </p>
                }
            });
            view! {
                <section class="diff-item" data-testid="diff-platform" data-item=p.id.clone()>
                    <h4>{lang.t(Key::Platform)} ": " {p.name.clone()} " " {change_badge(lang, p.change)} {lines}</h4>
                    {decision}
                    {p.fields.iter().map(|f| field_view(lang, f, mode, true)).collect_view()}
                </section>
            }
        })
        .collect_view();
    view! { <div class="diff-items">{title}{sections}{platforms}</div> }.into_any()
}

/// A diff with a switch between the inline and the side-by-side view.
#[component]
pub fn DiffView(#[prop(into)] diff: Signal<ConceptDiff>) -> impl IntoView {
    let lang = use_lang();
    let mode = RwSignal::new(Mode::Inline);
    let switch = move |m: Mode, key: Key| {
        view! {
            <button type="button" class="toggle" aria-pressed=move || (mode.get() == m).to_string()
                on:click=move |_| mode.set(m)>{lang.t(key)}</button>
        }
    };
    view! {
        <div class="diff" data-testid="diff">
            <div class="diff-modes" role="group">
                {switch(Mode::Inline, Key::DiffInline)}
                {switch(Mode::SideBySide, Key::DiffSideBySide)}
            </div>
            {move || diff.with(|d| render(lang, d, mode.get()))}
        </div>
    }
}
