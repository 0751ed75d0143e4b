//! User-facing text, German first and English second. Every string on screen comes from here.

/// The UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    /// Reads a language code; anything but English is German.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().eq_ignore_ascii_case("en") { Lang::En } else { Lang::De }
    }

    /// The code used in cookies and `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::De => Lang::En,
            Lang::En => Lang::De,
        }
    }

    /// The language named by a `Cookie` header (`lang=en`).
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| *k == "lang")
            .map_or(Lang::De, |(_, v)| Lang::from_code(v))
    }

    /// The text for a key in this language.
    pub fn t(self, key: Key) -> &'static str {
        let (de, en) = key.texts();
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }
}

macro_rules! keys {
    ($($name:ident => $de:literal, $en:literal;)*) => {
        /// A piece of user-facing text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($name),* }

        impl Key {
            /// Every key, for completeness tests.
            pub const ALL: &'static [Key] = &[$(Key::$name),*];

            /// German and English text.
            pub fn texts(self) -> (&'static str, &'static str) {
                match self { $(Key::$name => ($de, $en)),* }
            }
        }
    };
}

keys! {
    AppName => "Kompromiss", "Kompromiss";
    Tagline => "Gemeinsam Konzepte schreiben, diskutieren und beschließen", "Write, discuss and decide policy concepts together";
    SwitchLang => "English", "Deutsch";
    Documents => "Konzepte", "Concepts";
    NoDocuments => "Noch keine Konzepte. Lege das erste aus einer Vorlage an.", "No concepts yet. Create the first one from a template.";
    NewFromTemplate => "Neues Konzept aus Vorlage", "New concept from template";
    Create => "Anlegen", "Create";
    LastChanged => "Zuletzt geändert", "Last changed";
    Untitled => "(ohne Titel)", "(untitled)";
    DevBanner => "Entwicklungs-Anmeldung aktiv: Jede Person kann sich mit beliebigem Namen anmelden. Nur für lokale Tests!", "Development sign-in is on: anyone can sign in under any name. Local testing only!";
    SignInDev => "Anmelden (Entwicklung)", "Sign in (development)";
    DisplayName => "Anzeigename", "Display name";
    SignIn => "Anmelden", "Sign in";
    SignOut => "Abmelden", "Sign out";
    SignedInAs => "Angemeldet als", "Signed in as";
    Title => "Titel", "Title";
    Sections => "Abschnitte", "Sections";
    Heading => "Überschrift", "Heading";
    Body => "Text (Markdown)", "Text (Markdown)";
    Preview => "Vorschau", "Preview";
    AddSection => "Abschnitt hinzufügen", "Add section";
    NewSection => "Neuer Abschnitt", "New section";
    RemoveSection => "Abschnitt entfernen", "Remove section";
    Platforms => "Plattformen", "Platforms";
    PlatformName => "Plattform", "Platform";
    Decision => "Entscheidung", "Decision";
    TargetGroups => "Zielgruppen", "Target groups";
    Rationale => "Begründung", "Rationale";
    AddPlatform => "Plattform hinzufügen", "Add platform";
    RemovePlatform => "Entfernen", "Remove";
    DecisionNutzen => "nutzen", "use";
    DecisionEvaluieren => "evaluieren", "evaluate";
    DecisionVerlassen => "verlassen", "leave";
    DecisionOffen => "offen", "open";
    StatusConnecting => "Verbinde …", "Connecting …";
    StatusSaving => "Wird gespeichert …", "Saving …";
    StatusSaved => "Gespeichert", "Saved";
    StatusOffline => "Offline – Änderungen bleiben auf diesem Gerät und werden später übertragen", "Offline – changes stay on this device and are sent later";
    StatusError => "Fehler bei der Verbindung", "Connection error";
    Present => "Im Dokument", "In this document";
    Editing => "bearbeitet", "editing";
    You => "du", "you";
    NotFound => "Nicht gefunden", "Not found";
    Back => "Zur Übersicht", "Back to the overview";
    Loading => "Lädt …", "Loading …";
    LoadFailed => "Konnte nicht geladen werden", "Could not be loaded";
    ReadOnly => "Nur lesen", "Read only";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_german_and_english_text() {
        for key in Key::ALL {
            let (de, en) = key.texts();
            assert!(!de.is_empty() && !en.is_empty(), "{key:?}");
        }
    }

    #[test]
    fn the_language_comes_from_the_cookie_and_defaults_to_german() {
        assert_eq!(Lang::from_cookie_header("a=b; lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=fr"), Lang::De);
        assert_eq!(Lang::from_cookie_header(""), Lang::De);
    }
}
