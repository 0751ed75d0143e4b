//! One module per Automerge release (0.6.1, 0.7.4, 0.12.0) expanding the shared scenarios against its own crate.
//
// Text encoding: all three versions index text by Unicode code point here. None of them enables
// `utf8-indexing` / `utf16-indexing` (0.6.1: the `Default` of `TextEncoding` is then
// `UnicodeCodePoint`; 0.7.4 and 0.12.0: `TextEncoding::platform_default()` is then
// `UnicodeCodePoint`), and the documents are created with `TextEncoding::UnicodeCodePoint`
// explicitly; `load()` checks the loaded document's encoding again.

/// The scenarios of one version, run in a child process: build, load, apply, sync, history.
macro_rules! version_main {
    () => {
        /// Runs every scenario except memory; writes the saved document to `doc_path` for `rss`.
        pub fn scenarios(trace: &Trace, doc_path: &std::path::Path) -> Result<()> {
            let out = Emitter { version: VERSION };
            eprintln!("[{VERSION}] build");
            let (saved, heads) = build(trace, &out)?;
            std::fs::write(doc_path, &saved).with_context(|| format!("writing {}", doc_path.display()))?;
            eprintln!("[{VERSION}] load");
            let mut doc = load(&saved, trace, &out)?;
            eprintln!("[{VERSION}] history");
            history(&doc, &heads, trace, &out)?;
            eprintln!("[{VERSION}] full sync");
            full_sync(&mut doc, trace, &out)?;
            drop(doc);
            eprintln!("[{VERSION}] remote apply");
            remote_apply(&saved, &out)?;
            out.emit("loadavg_1min", Some(crate::stats::loadavg()?), "", json!({ "when": "end of the scenarios" }));
            Ok(())
        }

        /// Loads the saved document and prints the growth of VmRSS / VmHWM (run in a fresh process).
        pub fn rss(doc_path: &std::path::Path) -> Result<()> {
            let out = Emitter { version: VERSION };
            let saved = std::fs::read(doc_path).with_context(|| format!("reading {}", doc_path.display()))?;
            let (heap_before, before) = (crate::alloc::live_bytes(), crate::stats::mem()?);
            let doc = am::Automerge::load(&saved)?;
            let (heap_loaded, loaded) = (crate::alloc::live_bytes(), crate::stats::mem()?);
            let heads = doc.get_heads();
            let chars = doc.text(text_obj(&doc)?)?.chars().count();
            let read = crate::stats::mem()?;
            std::hint::black_box((&doc, &heads));
            let grow = |a: u64, b: u64| crate::stats::mib(a as i64 - b as i64);
            let extra = json!({ "rss_before_mib": crate::stats::mib(before.rss_kib as i64), "chars": chars });
            out.emit("rss_load_mib", Some(grow(loaded.rss_kib, before.rss_kib)), "MiB", extra);
            out.emit("rss_after_read_mib", Some(grow(read.rss_kib, before.rss_kib)), "MiB", json!({}));
            out.emit("hwm_load_mib", Some(grow(loaded.hwm_kib, before.hwm_kib)), "MiB", json!({}));
            let heap = (heap_loaded - heap_before) as f64 / (1024.0 * 1024.0);
            out.emit("heap_live_mib", Some(heap), "MiB", json!({ "what": "live heap bytes held after load" }));
            drop(doc);
            Ok(())
        }
    };
}

pub mod v06 {
    use am06 as am;
    pub const VERSION: &str = "0.6.1";

    crate::live::live_scenarios!();
    crate::history::history_scenarios!();
    version_main!();

    /// 0.6.1's `Automerge::diff` takes the text representation of the patches as a third argument.
    fn diff(doc: &am::Automerge, before: &[am::ChangeHash], after: &[am::ChangeHash]) -> Vec<am::Patch> {
        doc.diff(before, after, am::patches::TextRepresentation::String(am::TextEncoding::UnicodeCodePoint))
    }
}

pub mod v07 {
    use am07 as am;
    pub const VERSION: &str = "0.7.4";

    crate::live::live_scenarios!();
    crate::history::history_scenarios!();
    version_main!();

    /// From 0.7 on, the patches' text representation follows the document's encoding.
    fn diff(doc: &am::Automerge, before: &[am::ChangeHash], after: &[am::ChangeHash]) -> Vec<am::Patch> {
        doc.diff(before, after)
    }
}

pub mod v12 {
    use am12 as am;
    pub const VERSION: &str = "0.12.0";

    crate::live::live_scenarios!();
    crate::history::history_scenarios!();
    version_main!();

    fn diff(doc: &am::Automerge, before: &[am::ChangeHash], after: &[am::ChangeHash]) -> Vec<am::Patch> {
        doc.diff(before, after)
    }
}
