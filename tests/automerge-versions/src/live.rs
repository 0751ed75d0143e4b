//! Live scenarios expanded per version: build, save, load, remote keystroke apply and a fresh peer's full sync.

/// Expands inside a version module that has `use amXX as am;` and `const VERSION: &str`.
macro_rules! live_scenarios {
    () => {
        use anyhow::{Context as _, Result, ensure};
        use serde_json::json;

        use crate::report::Emitter;
        use crate::stats::{Rng, ms, summary, timed, us};
        use crate::trace::{EDITS, H10, H90, Trace};
        use am::ReadDoc as _;
        use am::sync::SyncDoc as _;
        use am::transaction::Transactable as _;

        /// Remote keystrokes applied in the apply scenario (fewer if one apply takes > 100 ms).
        const APPLY_ITERATIONS: usize = 200;
        const APPLY_ITERATIONS_SLOW: usize = 50;

        /// The text object at ROOT key "text".
        fn text_obj(doc: &impl am::ReadDoc) -> Result<am::ObjId> {
            let (_, obj) = doc.get(am::ROOT, "text")?.context("no text object at ROOT \"text\"")?;
            Ok(obj)
        }

        /// Heads after `H10` and `H90` changes of the replayed trace.
        pub struct Heads {
            pub h10: Vec<am::ChangeHash>,
            pub h90: Vec<am::ChangeHash>,
        }

        /// Replays the trace, one commit per edit, and returns the saved document and the heads.
        pub fn build(trace: &Trace, out: &Emitter) -> Result<(Vec<u8>, Heads)> {
            let (built, took) = timed(|| -> Result<_> {
                // Code-point indices, as the trace's positions are (also the default without features).
                let mut doc = am::AutoCommit::new_with_encoding(am::TextEncoding::UnicodeCodePoint)
                    .with_actor(am::ActorId::from([0xaa; 16]));
                let text = doc.put_object(am::ROOT, "text", am::ObjType::Text)?;
                let (mut h10, mut h90) = (Vec::new(), Vec::new());
                for (i, e) in trace.edits.iter().enumerate() {
                    doc.splice_text(&text, e.pos, isize::try_from(e.del)?, &e.ins)?;
                    doc.commit();
                    if i + 1 == H10 {
                        h10 = doc.get_heads();
                    } else if i + 1 == H90 {
                        h90 = doc.get_heads();
                    }
                }
                ensure!(doc.text(&text)? == trace.end, "built text differs from endContent");
                Ok((doc, Heads { h10, h90 }))
            });
            let (mut doc, heads) = built?;
            let changes = doc.get_changes(&[]).len();
            ensure!(changes == EDITS, "expected {EDITS} changes, found {changes}");
            out.emit("build_ms", Some(ms(took)), "ms", json!({ "changes": changes }));
            let saved = doc.save();
            out.emit("save_bytes", Some(saved.len() as f64), "bytes", json!({}));
            Ok((saved, heads))
        }

        /// Loads the saved document 5 times and returns the last load.
        pub fn load(saved: &[u8], trace: &Trace, out: &Emitter) -> Result<am::Automerge> {
            let mut times = Vec::new();
            let mut last = None;
            for _ in 0..5 {
                let (doc, took) = timed(|| am::Automerge::load(saved));
                times.push(ms(took));
                last = Some(doc?);
            }
            let doc = last.context("no load")?;
            ensure!(doc.text_encoding() == am::TextEncoding::UnicodeCodePoint, "loaded doc is not code-point indexed");
            ensure!(doc.text(text_obj(&doc)?)? == trace.end, "loaded text differs from endContent");
            let s = summary(&times);
            out.emit("load_median_ms", Some(s.median), "ms", json!({ "n": s.n }));
            out.emit("load_min_ms", Some(s.min), "ms", json!({ "n": s.n }));
            Ok(doc)
        }

        /// Exchanges sync messages between a server replica and a client until both are quiet.
        /// Returns the server's time in receive_sync_message and in generate_sync_message, the
        /// messages and bytes in both directions and the round trips.
        fn sync_exchange(
            server: &mut am::Automerge,
            ss: &mut am::sync::State,
            client: &mut am::AutoCommit,
            cs: &mut am::sync::State,
        ) -> Result<(std::time::Duration, std::time::Duration, usize, usize, usize)> {
            let (mut recv_time, mut gen_time) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
            let (mut msgs, mut bytes, mut rounds) = (0, 0, 0);
            loop {
                let mut sent = false;
                if let Some(m) = client.sync().generate_sync_message(cs) {
                    let wire = m.encode();
                    (msgs, bytes, sent) = (msgs + 1, bytes + wire.len(), true);
                    let m = am::sync::Message::decode(&wire)?;
                    let (r, took) = timed(|| server.receive_sync_message(ss, m));
                    r?;
                    recv_time += took;
                }
                let (reply, took) = timed(|| server.generate_sync_message(ss));
                gen_time += took;
                if let Some(m) = reply {
                    let wire = m.encode();
                    (msgs, bytes, sent) = (msgs + 1, bytes + wire.len(), true);
                    client.sync().receive_sync_message(cs, am::sync::Message::decode(&wire)?)?;
                }
                if !sent {
                    return Ok((recv_time, gen_time, msgs, bytes, rounds));
                }
                rounds += 1;
                ensure!(rounds < 10_000, "sync does not converge");
            }
        }

        /// Replica B types single characters; replicas A1, A2, A3 apply each one by apply_changes,
        /// load_incremental and the sync protocol respectively.
        pub fn remote_apply(saved: &[u8], out: &Emitter) -> Result<()> {
            let mut a1 = am::Automerge::load(saved)?;
            let mut a2 = am::Automerge::load(saved)?;
            let mut a3 = am::Automerge::load(saved)?;
            let mut b = am::AutoCommit::load(saved)?.with_actor(am::ActorId::from([0xbb; 16]));
            let tb = text_obj(&b)?;
            let (mut sa, mut sb) = (am::sync::State::new(), am::sync::State::new());
            sync_exchange(&mut a3, &mut sa, &mut b, &mut sb)?; // both start from the same heads
            let mut rng = Rng::new(0x6b6f_6d70);
            let (mut apply, mut incr, mut local) = (Vec::new(), Vec::new(), Vec::new());
            let (mut via_sync, mut recv, mut generate, mut msgs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            let mut iterations = APPLY_ITERATIONS;
            let mut i = 0;
            while i < iterations {
                let pos = rng.below(b.length(&tb) + 1);
                let ch = char::from(b'a' + rng.below(26) as u8).to_string();
                let (r, took) = timed(|| -> Result<_> {
                    b.splice_text(&tb, pos, 0, &ch)?;
                    Ok(b.commit())
                });
                r?.context("B's commit made no change")?;
                local.push(us(took));
                let wire = b.get_last_local_change().context("no local change")?.raw_bytes().to_vec();
                let change = am::Change::from_bytes(wire.clone())?;
                let (r, took) = timed(|| a1.apply_changes(vec![change]));
                r?;
                apply.push(us(took));
                let (r, took) = timed(|| a2.load_incremental(&wire));
                ensure!(r? == 1, "load_incremental did not apply exactly one change");
                incr.push(us(took));
                let (recv_time, gen_time, n, _, _) = sync_exchange(&mut a3, &mut sa, &mut b, &mut sb)?;
                via_sync.push(us(recv_time + gen_time));
                recv.push(us(recv_time));
                generate.push(us(gen_time));
                msgs.push(n as f64);
                if i == 0 && apply[0] > 100_000.0 {
                    iterations = APPLY_ITERATIONS_SLOW;
                }
                i += 1;
            }
            let heads = b.get_heads();
            for (name, a) in [("A1", &a1), ("A2", &a2), ("A3", &a3)] {
                ensure!(a.get_heads() == heads, "{name} did not reach B's heads");
                ensure!(a.text(text_obj(a)?)? == b.text(&tb)?, "{name}'s text differs from B's");
            }
            let note = (iterations < APPLY_ITERATIONS).then(|| {
                format!(
                    "first apply took {:.0} ms (> 100 ms): {iterations} keystrokes instead of {APPLY_ITERATIONS}",
                    apply[0] / 1e3
                )
            });
            let extra = |s: &crate::stats::Summary| match &note {
                Some(note) => json!({ "n": s.n, "note": note }),
                None => json!({ "n": s.n }),
            };
            let s = summary(&apply);
            out.emit("apply_changes_median_us", Some(s.median), "µs", extra(&s));
            out.emit("apply_changes_p99_us", Some(s.p99), "µs", json!({ "n": s.n }));
            out.emit("apply_changes_first_us", Some(apply[0]), "µs", json!({ "n": 1 }));
            let s = summary(&incr);
            out.emit("load_incremental_median_us", Some(s.median), "µs", json!({ "n": s.n }));
            out.emit("load_incremental_p99_us", Some(s.p99), "µs", json!({ "n": s.n }));
            let s = summary(&via_sync);
            out.emit("sync_apply_median_us", Some(s.median), "µs", json!({ "n": s.n }));
            out.emit("sync_apply_p99_us", Some(s.p99), "µs", json!({ "n": s.n }));
            let s = summary(&recv);
            out.emit("sync_receive_median_us", Some(s.median), "µs", json!({ "n": s.n }));
            let s = summary(&generate);
            out.emit("sync_generate_median_us", Some(s.median), "µs", json!({ "n": s.n }));
            out.emit("sync_msgs_per_keystroke", Some(summary(&msgs).median), "messages", json!({ "n": s.n }));
            let s = summary(&local);
            out.emit("local_keystroke_median_us", Some(s.median), "µs", json!({ "n": s.n }));
            Ok(())
        }

        /// An empty document syncs everything from the loaded paper document.
        pub fn full_sync(paper: &mut am::Automerge, trace: &Trace, out: &Emitter) -> Result<()> {
            let mut fresh = am::AutoCommit::new_with_encoding(am::TextEncoding::UnicodeCodePoint);
            let (mut sp, mut sf) = (am::sync::State::new(), am::sync::State::new());
            let (r, took) = timed(|| sync_exchange(paper, &mut sp, &mut fresh, &mut sf));
            let (_, _, msgs, bytes, rounds) = r?;
            ensure!(fresh.text(text_obj(&fresh)?)? == trace.end, "synced text differs from endContent");
            out.emit("full_sync_ms", Some(ms(took)), "ms", json!({ "messages": msgs }));
            out.emit("full_sync_round_trips", Some(rounds as f64), "round trips", json!({ "messages": msgs }));
            out.emit("full_sync_bytes", Some(bytes as f64), "bytes", json!({}));
            Ok(())
        }
    };
}

pub(crate) use live_scenarios;
