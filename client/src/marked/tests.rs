use kompromiss_shared::highlights::{Passage, runs};

use super::{markdown, plain, source_range, visible};

fn hl(start: usize, end: usize, thread: &str) -> Vec<kompromiss_shared::highlights::Run> {
    runs(&[Passage { start, end, thread: thread.into() }])
}

fn chars_of(text: &str, words: &str) -> (usize, usize) {
    let at = text.find(words).expect("words in text");
    let start = text[..at].chars().count();
    (start, start + words.chars().count())
}

#[test]
fn a_plain_field_marks_its_run_and_escapes_the_rest() {
    let text = "Mastodon <b>zuerst</b> & dann";
    let html = plain(text, &hl(0, 8, "t1"));
    assert_eq!(html, "<mark class=\"hl\" data-threads=\"t1\">Mastodon</mark> &lt;b&gt;zuerst&lt;/b&gt; &amp; dann");
}

#[test]
fn markdown_marks_follow_the_words_across_formatting_without_crossing_tags() {
    let source = "Wir setzen auf **Mastodon zuerst** und\nprüfen X.\n\n- Instagram evaluieren";
    let (s, e) = chars_of(source, "Mastodon zuerst** und\nprüfen");
    let html = markdown(source, &hl(s, e, "t1"));
    assert!(html.contains("<strong><mark class=\"hl\" data-threads=\"t1\">Mastodon zuerst</mark></strong>"), "{html}");
    assert!(html.contains("<mark class=\"hl\" data-threads=\"t1\"> und</mark>"), "{html}");
    assert!(html.contains("<mark class=\"hl\" data-threads=\"t1\">prüfen</mark> X."), "{html}");
    assert!(!html.contains("Instagram</mark>"), "{html}");
}

#[test]
fn marks_never_let_unsafe_markdown_through() {
    let source = "**a** <script>alert(1)</script> <mark onclick=\"x()\">b</mark>";
    let html = markdown(source, &hl(0, 5, "t\"><script>"));
    assert!(!html.contains("<script") && !html.contains("onclick"), "{html}");
    assert!(html.contains("data-threads=\"t&quot;&gt;&lt;script&gt;\""), "{html}");
}

#[test]
fn a_selection_in_rendered_markdown_maps_to_its_source_characters() {
    let source = "# Ziele\n\nWir setzen auf **Mastodon zuerst** und `code` hier.\n\n- Instagram evaluieren";
    // The page shows the blocks with line breaks between them.
    let shown = "Ziele\nWir setzen auf Mastodon zuerst und code hier.\n\nInstagram evaluieren\n";
    let (from, to) = chars_of(shown, "Mastodon zuerst und code");
    let (s, e) = source_range(source, shown, from, to).expect("mapped");
    let picked: String = source.chars().skip(s).take(e - s).collect();
    assert_eq!(picked, "Mastodon zuerst** und `code");
    let (from, to) = chars_of(shown, "Instagram");
    let (s, e) = source_range(source, shown, from, to).expect("mapped");
    assert_eq!(source.chars().skip(s).take(e - s).collect::<String>(), "Instagram");
    // Only the breaks the page adds: nothing of the source.
    assert_eq!(source_range(source, shown, 5, 6), None);
}

#[test]
fn what_a_reader_sees_points_into_the_source_even_through_umlauts_and_escapes() {
    let source = "Grüße \\*nicht fett\\* &amp; mehr";
    let seen: String = visible(source).iter().map(|(c, _)| c).collect();
    assert_eq!(seen, "Grüße *nicht fett* & mehr");
    let idx: Vec<usize> = visible(source).iter().map(|(_, i)| *i).collect();
    let chars: Vec<char> = source.chars().collect();
    assert_eq!(chars[idx[2]], 'ü');
    assert_eq!(chars[idx[7]], 'n');
}
