//! The HTML shell and the routes.

use leptos::prelude::*;
use leptos_meta::{Html, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::i18n::{Key, Lang};
use crate::pages::{
    account::AccountPage, admin::AdminPage, audit::AuditLogPage, ballot::BallotPage, decisions::DecisionsPage,
    document::DocumentPage, evaluation::EvaluationPage, history::HistoryPage, metrics::MetricsPage,
    moderation::ModerationPage, notifications::NotificationsPage, overview::OverviewPage, sharing::SharingPage,
    sign_in::SignInPage,
};

/// The full HTML document rendered by the server around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        // `lang` comes from `<Html>` in `App`, which knows the visitor's language.
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1b5e20"/>
                <link rel="icon" href="data:,"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The language of this request (server) or of the rendered page (browser).
fn current_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| {
                p.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .map(|code| Lang::from_code(&code))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::default()
        }
    }
}

/// The app: language context, page title, and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = current_lang();
    provide_context(lang);
    provide_context(crate::components::bell::BellVersion(RwSignal::new(0)));
    view! {
        <Html attr:lang=lang.code()/>
        <Stylesheet id="kompromiss" href="/assets/kompromiss.css"/>
        <Title text=lang.t(Key::AppName)/>
        <Router>
            <Routes fallback=move || view! { <p class="notice">{lang.t(Key::NotFound)}</p> }>
                // Async: the whole page is rendered before the first byte, so that a refusal can
                // still set the HTTP status (401/403/404).
                <Route path=path!("/") view=OverviewPage ssr=SsrMode::Async/>
                <Route path=path!("/anmelden") view=SignInPage ssr=SsrMode::Async/>
                <Route path=path!("/konto") view=AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/protokoll") view=AuditLogPage ssr=SsrMode::Async/>
                <Route path=path!("/d/:id") view=DocumentPage ssr=SsrMode::Async/>
                <Route path=path!("/d/:id/freigaben") view=SharingPage ssr=SsrMode::Async/>
                <Route path=path!("/d/:id/verlauf") view=HistoryPage ssr=SsrMode::Async/>
                <Route path=path!("/d/:id/abstimmung/:ballot") view=BallotPage ssr=SsrMode::Async/>
                <Route path=path!("/d/:id/beschluesse") view=DecisionsPage ssr=SsrMode::Async/>
                <Route path=path!("/d/:id/kennzahlen") view=MetricsPage ssr=SsrMode::Async/>
                <Route path=path!("/d/:id/evaluation/:year") view=EvaluationPage ssr=SsrMode::Async/>
                <Route path=path!("/d/:id/moderation") view=ModerationPage ssr=SsrMode::Async/>
                <Route path=path!("/benachrichtigungen") view=NotificationsPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
