//! `@Name` in a comment: which of the people who may read the document it names. A name may hold
//! spaces ("@Anna Berger"); at each `@` the longest matching name wins, compared without case,
//! and it must end the word there ("@Anna" does not name "Annabell").

/// Most people one comment may mention.
pub const MAX_MENTIONS: usize = 20;

/// The ids of the people `body` mentions, among `people` (id, display name), in order of first
/// mention, each once, at most [`MAX_MENTIONS`].
pub fn mentioned<'a>(body: &str, people: &'a [(String, String)]) -> Vec<&'a str> {
    let mut found: Vec<&str> = Vec::new();
    for (at, _) in body.match_indices('@') {
        let rest = &body[at + 1..];
        let best = people
            .iter()
            .filter(|(_, name)| !name.is_empty() && starts_with_name(rest, name))
            .max_by_key(|(_, name)| name.len());
        if let Some((id, _)) = best
            && !found.contains(&id.as_str())
        {
            found.push(id);
            if found.len() == MAX_MENTIONS {
                break;
            }
        }
    }
    found
}

/// True when `text` starts with `name` (ignoring case) and the name ends a word there.
fn starts_with_name(text: &str, name: &str) -> bool {
    let mut chars = text.chars();
    for wanted in name.chars() {
        match chars.next() {
            Some(c) if c.to_lowercase().eq(wanted.to_lowercase()) => {}
            _ => return false,
        }
    }
    chars.next().is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people() -> Vec<(String, String)> {
        [("u1", "Anna"), ("u2", "Anna Berger"), ("u3", "Jörg Ölmann"), ("u4", "Annabell")]
            .map(|(i, n)| (i.to_owned(), n.to_owned()))
            .to_vec()
    }

    #[test]
    fn the_longest_name_at_each_at_sign_is_mentioned_once() {
        let people = people();
        assert_eq!(mentioned("Danke @anna berger und @Jörg Ölmann!", &people), ["u2", "u3"]);
        assert_eq!(mentioned("@Anna, siehst du das? @Anna", &people), ["u1"]);
        assert_eq!(mentioned("@Annab hat recht, @Annabell auch", &people), ["u4"]);
        assert_eq!(mentioned("mail@example.org und @niemand", &people), Vec::<&str>::new());
        assert_eq!(mentioned("@@Anna", &people), ["u1"]);
    }

    #[test]
    fn a_comment_mentions_at_most_the_bound() {
        let many: Vec<(String, String)> = (0..50).map(|n| (format!("u{n}"), format!("Person{n}"))).collect();
        let body: String = (0..50).map(|n| format!("@Person{n} ")).collect();
        assert_eq!(mentioned(&body, &many).len(), MAX_MENTIONS);
    }
}
