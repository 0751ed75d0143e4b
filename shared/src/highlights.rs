//! Comment highlights in one text: overlapping passages cut into runs that do not overlap, each
//! with the threads that cover it (the reading view wraps each run in one `<mark>`).

/// Most thread ids one run carries (a run covered by more threads still shows, and opens these).
pub const MAX_THREADS_PER_RUN: usize = 16;

/// A passage of a text: characters `start..end` (code points), commented on by `thread`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub start: usize,
    pub end: usize,
    pub thread: String,
}

/// Characters `start..end` covered by the same threads (at most [`MAX_THREADS_PER_RUN`] of them,
/// the oldest passages first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub start: usize,
    pub end: usize,
    pub threads: Vec<String>,
}

/// The covered stretches of a text, in order, none empty, none overlapping; neighbouring
/// stretches with the same threads are one run. Linear in the passages (after sorting).
pub fn runs(passages: &[Passage]) -> Vec<Run> {
    // (position, opens?, passage index); at one position closings come before openings.
    let mut edges: Vec<(usize, bool, usize)> = passages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.start < p.end)
        .flat_map(|(i, p)| [(p.start, true, i), (p.end, false, i)])
        .collect();
    edges.sort_unstable();
    let mut active = std::collections::BTreeSet::new();
    let mut out: Vec<Run> = Vec::new();
    let mut at = 0;
    for (pos, opens, i) in edges {
        if pos > at && !active.is_empty() {
            let threads: Vec<String> =
                active.iter().take(MAX_THREADS_PER_RUN).map(|&j: &usize| passages[j].thread.clone()).collect();
            match out.last_mut() {
                Some(last) if last.end == at && last.threads == threads => last.end = pos,
                _ => out.push(Run { start: at, end: pos, threads }),
            }
        }
        at = pos;
        if opens {
            active.insert(i);
        } else {
            active.remove(&i);
        }
    }
    out
}

/// Each run as a byte range of `text` with its threads (a run past the text's end is cut to it;
/// runs left empty are left out).
pub fn byte_spans<'r>(text: &str, runs: &'r [Run]) -> Vec<(usize, usize, &'r [String])> {
    let bytes_at: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
    let byte = |c: usize| bytes_at[c.min(bytes_at.len() - 1)];
    runs.iter().map(|r| (byte(r.start), byte(r.end), r.threads.as_slice())).filter(|(s, e, _)| s < e).collect()
}

/// A text cut by its runs: each piece with the threads covering it (empty: not commented).
pub fn pieces<'t, 'r>(text: &'t str, runs: &'r [Run]) -> Vec<(&'t str, &'r [String])> {
    let mut out = Vec::new();
    let mut at = 0;
    for (start, end, threads) in byte_spans(text, runs) {
        if start < at {
            continue;
        }
        if start > at {
            out.push((&text[at..start], &[][..]));
        }
        out.push((&text[start..end], threads));
        at = end;
    }
    if at < text.len() {
        out.push((&text[at..], &[][..]));
    }
    out
}

#[cfg(test)]
mod tests;
