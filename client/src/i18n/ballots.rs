//! Counted phrases of ballots, with each language's plural.

use super::Lang;

impl Lang {
    /// "12 von 40 haben abgestimmt" / "12 of 40 have voted".
    pub fn turnout(self, voted: u32, eligible: u32) -> String {
        match (self, voted) {
            (Lang::De, 1) => format!("1 von {eligible} hat abgestimmt"),
            (Lang::De, n) => format!("{n} von {eligible} haben abgestimmt"),
            (Lang::En, 1) => format!("1 of {eligible} has voted"),
            (Lang::En, n) => format!("{n} of {eligible} have voted"),
        }
    }

    /// "2 Stimmen (40 %)" / "2 votes (40 %)".
    pub fn votes_share(self, votes: u32, of: u32) -> String {
        let share = if of == 0 { 0 } else { (u64::from(votes) * 100 + u64::from(of) / 2) / u64::from(of) };
        match (self, votes) {
            (Lang::De, 1) => format!("1 Stimme ({share} %)"),
            (Lang::De, n) => format!("{n} Stimmen ({share} %)"),
            (Lang::En, 1) => format!("1 vote ({share} %)"),
            (Lang::En, n) => format!("{n} votes ({share} %)"),
        }
    }

    /// A title in the language's quotation marks: „…“ / “…”.
    pub fn quote(self, text: &str) -> String {
        match self {
            Lang::De => format!("„{text}“"),
            Lang::En => format!("“{text}”"),
        }
    }

    /// "1 Kommentar" / "3 comments".
    pub fn comments_count(self, n: u32) -> String {
        match (self, n) {
            (Lang::De, 1) => "1 Kommentar".to_owned(),
            (Lang::De, n) => format!("{n} Kommentare"),
            (Lang::En, 1) => "1 comment".to_owned(),
            (Lang::En, n) => format!("{n} comments"),
        }
    }

    /// "Quorum: 21 nötig" / "Quorum: 21 needed".
    pub fn quorum_needed(self, needed: u32) -> String {
        match self {
            Lang::De => format!("Quorum: {needed} nötig"),
            Lang::En => format!("Quorum: {needed} needed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn counts_read_right_in_both_languages() {
        assert_eq!(Lang::De.turnout(1, 40), "1 von 40 hat abgestimmt");
        assert_eq!(Lang::De.turnout(12, 40), "12 von 40 haben abgestimmt");
        assert_eq!(Lang::En.turnout(1, 3), "1 of 3 has voted");
        assert_eq!(Lang::De.votes_share(2, 3), "2 Stimmen (67 %)");
        assert_eq!(Lang::En.votes_share(1, 0), "1 vote (0 %)");
        assert_eq!(
            (Lang::De.comments_count(1), Lang::De.comments_count(2)),
            ("1 Kommentar".into(), "2 Kommentare".into())
        );
    }
}
