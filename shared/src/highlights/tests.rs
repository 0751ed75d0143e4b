use super::{MAX_THREADS_PER_RUN, Passage, Run, pieces, runs};

fn p(start: usize, end: usize, thread: &str) -> Passage {
    Passage { start, end, thread: thread.into() }
}

fn run(start: usize, end: usize, threads: &[&str]) -> Run {
    Run { start, end, threads: threads.iter().map(|t| t.to_string()).collect() }
}

#[test]
fn overlapping_passages_become_runs_that_do_not_overlap() {
    let got = runs(&[p(2, 8, "a"), p(5, 12, "b"), p(20, 22, "c"), p(3, 3, "empty")]);
    assert_eq!(got, vec![run(2, 5, &["a"]), run(5, 8, &["a", "b"]), run(8, 12, &["b"]), run(20, 22, &["c"])]);
}

#[test]
fn touching_passages_of_one_thread_are_one_run_and_nested_ones_split() {
    assert_eq!(runs(&[p(0, 4, "a"), p(4, 6, "a")]), vec![run(0, 6, &["a"])]);
    assert_eq!(
        runs(&[p(0, 10, "a"), p(3, 5, "b")]),
        vec![run(0, 3, &["a"]), run(3, 5, &["a", "b"]), run(5, 10, &["a"])]
    );
}

#[test]
fn a_run_names_a_bounded_number_of_threads() {
    let many: Vec<Passage> = (0..100).map(|i| p(0, 5, &format!("t{i}"))).collect();
    let got = runs(&many);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].threads.len(), MAX_THREADS_PER_RUN);
}

#[test]
fn pieces_cut_the_text_at_character_boundaries() {
    let text = "Grüße an Mastodon zuerst!";
    let rs = runs(&[p(9, 24, "a")]);
    let got: Vec<(&str, usize)> = pieces(text, &rs).into_iter().map(|(t, ids)| (t, ids.len())).collect();
    assert_eq!(got, vec![("Grüße an ", 0), ("Mastodon zuerst", 1), ("!", 0)]);
    // A run past the end of the text (a stale position) is cut to the text.
    let stale = runs(&[p(20, 99, "a")]);
    assert_eq!(pieces(text, &stale).concat_text(), text);
}

trait Concat {
    fn concat_text(&self) -> String;
}

impl Concat for Vec<(&str, &[String])> {
    fn concat_text(&self) -> String {
        self.iter().map(|(t, _)| *t).collect()
    }
}
