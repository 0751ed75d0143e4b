//! Counted and numbered phrases of drafts and diffs, with each language's plural.

use super::Lang;

impl Lang {
    /// "2 Abschnitte, 1 Plattform geändert" / "2 sections, 1 platform changed".
    pub fn changes_summary(self, sections: usize, platforms: usize) -> String {
        let (s, p) = match self {
            Lang::De => (
                match sections {
                    1 => "1 Abschnitt".to_owned(),
                    n => format!("{n} Abschnitte"),
                },
                match platforms {
                    1 => "1 Plattform".to_owned(),
                    n => format!("{n} Plattformen"),
                },
            ),
            Lang::En => (
                match sections {
                    1 => "1 section".to_owned(),
                    n => format!("{n} sections"),
                },
                match platforms {
                    1 => "1 platform".to_owned(),
                    n => format!("{n} platforms"),
                },
            ),
        };
        let parts: Vec<String> =
            [(sections, s), (platforms, p)].into_iter().filter(|(n, _)| *n > 0).map(|(_, t)| t).collect();
        match (self, parts.is_empty()) {
            (Lang::De, true) => "keine Änderungen".to_owned(),
            (Lang::En, true) => "no changes".to_owned(),
            (Lang::De, false) => format!("{} geändert", parts.join(", ")),
            (Lang::En, false) => format!("{} changed", parts.join(", ")),
        }
    }

    /// "1 Änderung" / "12 changes".
    pub fn changes_count(self, n: usize) -> String {
        match (self, n) {
            (Lang::De, 1) => "1 Änderung".to_owned(),
            (Lang::De, n) => format!("{n} Änderungen"),
            (Lang::En, 1) => "1 change".to_owned(),
            (Lang::En, n) => format!("{n} changes"),
        }
    }

    /// "Zeile 12" / "Zeile 12–14" / "line 12" / "lines 12–14".
    pub fn lines_ref(self, (from, to): (u32, u32)) -> String {
        match (self, from == to) {
            (Lang::De, true) => format!("Zeile {from}"),
            (Lang::De, false) => format!("Zeile {from}–{to}"),
            (Lang::En, true) => format!("line {from}"),
            (Lang::En, false) => format!("lines {from}–{to}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_and_line_references_use_each_languages_plural() {
        assert_eq!(Lang::De.changes_summary(2, 1), "2 Abschnitte, 1 Plattform geändert");
        assert_eq!(Lang::De.changes_summary(1, 0), "1 Abschnitt geändert");
        assert_eq!(Lang::De.changes_summary(0, 3), "3 Plattformen geändert");
        assert_eq!(Lang::De.changes_summary(0, 0), "keine Änderungen");
        assert_eq!(Lang::En.changes_summary(1, 2), "1 section, 2 platforms changed");
        assert_eq!(Lang::De.lines_ref((12, 14)), "Zeile 12–14");
        assert_eq!(Lang::De.lines_ref((7, 7)), "Zeile 7");
        assert_eq!(Lang::En.lines_ref((12, 14)), "lines 12–14");
        assert_eq!(Lang::De.changes_count(1), "1 Änderung");
        assert_eq!(Lang::En.changes_count(3), "3 changes");
    }
}
