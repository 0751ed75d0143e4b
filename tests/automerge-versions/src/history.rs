//! History scenarios expanded per version: fork_at, diff of distant heads, (extra) text_at and old-heads cursors.

/// Expands after `live_scenarios!()` inside a version module that also defines
/// `fn diff(doc, before, after) -> Vec<am::Patch>` (all three versions have one).
macro_rules! history_scenarios {
    () => {
        /// Median of `n` timed runs of `f`, in ms, with the last result.
        fn median_ms<T>(n: usize, mut f: impl FnMut() -> Result<T>) -> Result<(f64, T)> {
            let mut times = Vec::with_capacity(n);
            let mut last = None;
            for _ in 0..n {
                let (r, took) = timed(&mut f);
                times.push(ms(took));
                last = Some(r?);
            }
            Ok((summary(&times).median, last.context("no run")?))
        }

        pub fn history(doc: &am::Automerge, heads: &Heads, trace: &Trace, out: &Emitter) -> Result<()> {
            let text = text_obj(doc)?;

            let (t, fork) = median_ms(5, || Ok(doc.fork_at(&heads.h10)?))?;
            ensure!(fork.text(text_obj(&fork)?)? == trace.at_h10, "fork_at(h10) text differs from the replay");
            drop(fork);
            out.emit("fork_at_median_ms", Some(t), "ms", json!({ "n": 5, "changes_in_fork": H10 }));

            let (t, patches) = median_ms(3, || Ok(diff(doc, &heads.h10, &heads.h90)))?;
            out.emit("diff_median_ms", Some(t), "ms", json!({ "n": 3 }));
            out.emit("diff_patches", Some(patches.len() as f64), "patches", json!({}));

            let (t, old) = median_ms(5, || Ok(doc.text_at(&text, &heads.h10)?))?;
            ensure!(old == trace.at_h10, "text_at(h10) differs from the replay");
            out.emit("text_at_median_ms", Some(t), "ms", json!({ "n": 5, "extra": true }));
            ensure!(doc.text_at(&text, &heads.h90)? == trace.at_h90, "text_at(h90) differs from the replay");

            // A cursor on the middle character of the old text, resolved then and now.
            let pos = trace.at_h10.chars().count() / 2;
            let (t, cursor) = median_ms(5, || Ok(doc.get_cursor(&text, pos, Some(&heads.h10))?))?;
            out.emit("cursor_create_us", Some(t * 1e3), "µs", json!({ "n": 5, "extra": true }));
            let (t, old_pos) = median_ms(5, || Ok(doc.get_cursor_position(&text, &cursor, Some(&heads.h10))?))?;
            ensure!(old_pos == pos, "cursor resolved at h10 to {old_pos}, created at {pos}");
            out.emit("cursor_resolve_old_us", Some(t * 1e3), "µs", json!({ "n": 5, "extra": true }));
            let (t, now_pos) = median_ms(5, || Ok(doc.get_cursor_position(&text, &cursor, None)?))?;
            out.emit(
                "cursor_resolve_now_us",
                Some(t * 1e3),
                "µs",
                json!({ "n": 5, "extra": true, "position_now": now_pos }),
            );
            Ok(())
        }
    };
}

pub(crate) use history_scenarios;
