//! `/`: the list of concept documents and the form to start a new one from a template.

use kompromiss_shared::dto::DocSummary;
use leptos::prelude::*;

use crate::api::{Overview, get_overview};
use crate::app::use_lang;
use crate::components::header::Header;
use crate::i18n::{Key, Lang};

/// The overview page.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| get_overview());
    view! {
        <Suspense fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <OverviewBody data=o lang/> }.into_any(),
                    Err(_) => view! { <p class="error">{lang.t(Key::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OverviewBody(data: Overview, lang: Lang) -> impl IntoView {
    let Overview { me, documents, templates } = data;
    let list = if documents.is_empty() {
        view! { <p class="empty">{lang.t(Key::NoDocuments)}</p> }.into_any()
    } else {
        view! {
            <ul class="doc-list">
                {documents.into_iter().map(|d| view! { <DocItem doc=d lang/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <Header me/>
        <main class="overview">
            <h1>{lang.t(Key::Documents)}</h1>
            <p class="tagline">{lang.t(Key::Tagline)}</p>
            {list}
            <form class="new-doc" method="post" action="/api/documents">
                <label>
                    {lang.t(Key::NewFromTemplate)} " "
                    <select name="template">
                        {templates
                            .into_iter()
                            .map(|t| {
                                let name = if lang == Lang::En { t.name_en } else { t.name_de };
                                view! { <option value=t.id>{name}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <button type="submit" data-testid="create">{lang.t(Key::Create)}</button>
            </form>
        </main>
    }
}

#[component]
fn DocItem(doc: DocSummary, lang: Lang) -> impl IntoView {
    let title = if doc.title.trim().is_empty() { lang.t(Key::Untitled).to_owned() } else { doc.title };
    view! {
        <li>
            <a href=format!("/d/{}", doc.id)>{title}</a>
            <span class="meta">{lang.t(Key::LastChanged)} ": " <time data-ms=doc.updated_at.to_string()>{format_ms(doc.updated_at)}</time></span>
        </li>
    }
}

/// A UTC date and time as `YYYY-MM-DD HH:MM` (no time-zone data needed in the bundle).
fn format_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", rem / 3600, rem % 3600 / 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_format_as_utc_dates() {
        assert_eq!(super::format_ms(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::format_ms(1_704_067_200_000), "2024-01-01 00:00 UTC");
        assert_eq!(super::format_ms(1_709_210_096_000), "2024-02-29 12:34 UTC");
    }
}
