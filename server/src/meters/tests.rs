use std::time::Duration;

use super::*;

#[test]
fn a_duration_lands_in_the_first_bucket_that_holds_it_and_the_buckets_add_up() {
    let h = Histogram::default();
    for ms in [0.2, 0.5, 3.0, 3.0, 40.0, 20_000.0] {
        h.observe(Duration::from_secs_f64(ms / 1000.0));
    }
    let (cumulative, count, sum) = h.read();
    assert_eq!(count, 6);
    assert_eq!(cumulative.len(), histogram::BUCKETS.len() + 1);
    assert_eq!(cumulative[0], 2, "0.2 ms and 0.5 ms are at most 0.5 ms");
    assert_eq!(cumulative[3], 4, "3 ms is at most 5 ms");
    assert_eq!(cumulative[6], 5, "40 ms is at most 50 ms");
    assert_eq!(cumulative[13], 5, "20 s exceeds the last bound of 10 s");
    assert_eq!(*cumulative.last().expect("+Inf"), 6);
    assert!(cumulative.windows(2).all(|w| w[0] <= w[1]), "cumulative counts never fall");
    assert!((sum - 20.0467).abs() < 1e-6, "sum {sum}");
}

#[test]
fn labelled_counters_start_at_zero_for_known_values_and_count_others_as_they_come() {
    let c = Labeled::new(&["peer"]);
    assert_eq!(c.snapshot(), vec![("peer", 0)]);
    c.inc("peer");
    c.add("server", 3);
    assert_eq!(c.get("peer"), 1);
    assert_eq!(c.get("server"), 3);
    assert_eq!(c.get("instance"), 0);
}

#[test]
fn the_exposition_names_each_family_once_with_help_and_type_before_its_samples() {
    let meters = Meters::default();
    meters.sync_messages.inc("sync");
    meters.sync_closed.inc("rate_limited");
    meters.storage_writes.observe(Duration::from_millis(2));
    let gauges = [
        Gauge { name: "kompromiss_sync_connections", help: "Open.", label: Some(("signed_in", "true")), value: 3.0 },
        Gauge { name: "kompromiss_sync_connections", help: "Open.", label: Some(("signed_in", "false")), value: 1.0 },
        Gauge { name: "process_resident_memory_bytes", help: "RSS.", label: None, value: 1.5e9 },
    ];
    let text = render(&meters, &gauges);
    assert!(text.ends_with('\n'));
    let mut seen = std::collections::HashSet::new();
    let mut current = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let name = rest.split(' ').next().expect("name").to_owned();
            assert!(seen.insert(name.clone()), "{name} declared twice");
            current = name;
        } else if !line.starts_with('#') {
            let name = line.split(['{', ' ']).next().expect("name");
            assert!(name.starts_with(current.as_str()), "{line} outside its family {current}");
            let value = line.rsplit(' ').next().expect("value");
            assert!(value.parse::<f64>().is_ok() || value == "+Inf", "value of {line}");
        }
    }
    assert!(text.contains("kompromiss_sync_connections{signed_in=\"true\"} 3\n"));
    assert!(text.contains("process_resident_memory_bytes 1500000000\n"));
    assert!(text.contains("kompromiss_sync_messages_total{kind=\"sync\"} 1\n"));
    assert!(text.contains("kompromiss_sync_messages_total{kind=\"join\"} 0\n"));
    assert!(text.contains("kompromiss_sync_closed_total{reason=\"rate_limited\"} 1\n"));
    assert!(text.contains("kompromiss_storage_write_seconds_bucket{le=\"0.0025\"} 1\n"));
    assert!(text.contains("kompromiss_storage_write_seconds_bucket{le=\"0.001\"} 0\n"));
    assert!(text.contains("kompromiss_storage_write_seconds_bucket{le=\"+Inf\"} 1\n"));
    assert!(text.contains("kompromiss_storage_write_seconds_count 1\n"));
    assert!(text.contains("kompromiss_fanout_seconds_count 0\n"));
}

#[test]
fn label_values_are_escaped() {
    assert_eq!(text::escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}
