//! Reading metrics files: the example, encodings, separators, quoting, every kind of bad line,
//! and property tests over generated and arbitrary input.

use proptest::prelude::*;

use super::import::{
    self, Column, KnownPlatform, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, MAX_REPORTED_PROBLEMS, ProblemKind,
};
use super::{Amount, BadAmount, Month, example_csv};
use crate::template::{MetricDef, builtin_or_default};

fn metrics() -> Vec<MetricDef> {
    builtin_or_default("social-media-konzept").expect("template").metrics
}

fn platforms() -> Vec<KnownPlatform> {
    ["Mastodon", "Instagram", "TikTok"]
        .iter()
        .enumerate()
        .map(|(i, n)| KnownPlatform { id: format!("p{i}"), name: (*n).to_owned() })
        .collect()
}

fn read(text: &str) -> Result<import::Plan, import::Rejected> {
    import::read(text.as_bytes(), &metrics(), &platforms())
}

fn problem_lines(text: &str) -> Vec<(u64, ProblemKind)> {
    read(text).expect_err("file has problems").problems.into_iter().map(|p| (p.line, p.problem)).collect()
}

#[test]
fn the_example_file_reads_back_completely() {
    let text = example_csv(&metrics(), &["Mastodon", "Instagram", "TikTok"], 2026);
    let plan = read(&text).expect("the example is clean");
    assert_eq!(plan.delimiter, ';');
    assert_eq!(plan.rows.len(), 9);
    assert_eq!(plan.value_count(), 9 * metrics().len());
    assert!(plan.rows.iter().all(|r| r.source.as_deref() == Some("Statistik der Plattform")));
    assert_eq!(
        plan.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        (2..=10).collect::<Vec<u64>>(),
        "CRLF lines counted"
    );
    let mapped: Vec<&Column> = plan.columns.iter().map(|c| &c.column).collect();
    assert_eq!(mapped[0], &Column::Platform);
    assert_eq!(mapped[1], &Column::Month);
    assert_eq!(mapped[2], &Column::Metric("follower".into()));
    assert_eq!(mapped.last(), Some(&&Column::Source));
}

#[test]
fn english_commas_and_unknown_columns_are_mapped_and_shown() {
    let plan = read("Platform,Month,Followers,Impressions,Notes\nmastodon,2026-01,1200,3400.5,first\n").expect("clean");
    assert_eq!(plan.delimiter, ',');
    assert_eq!(plan.columns[4].column, Column::Ignored);
    let row = &plan.rows[0];
    assert_eq!((row.platform.as_str(), row.month), ("p0", Month::new(2026, 1).expect("month")));
    assert_eq!(
        row.values,
        vec![
            ("follower".into(), Amount::whole(1200)),
            ("reichweite".into(), Amount::from_hundredths(340_050).expect("ok"))
        ]
    );
}

#[test]
fn spreadsheet_encodings_are_read() {
    let text = "Plattform;Monat;Beiträge\nTikTok;03.2026;7\n";
    // UTF-8 with a byte-order mark.
    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend_from_slice(text.as_bytes());
    // Windows-1252, as older spreadsheet programs save: "ä" is one byte.
    let cp1252: Vec<u8> = text.chars().map(|c| if c == 'ä' { 0xe4 } else { c as u8 }).collect();
    // UTF-16 little-endian with its byte-order mark.
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    for (bytes, encoding) in [(bom, "UTF-8"), (cp1252, "windows-1252"), (utf16, "UTF-16LE")] {
        let plan = import::read(&bytes, &metrics(), &platforms()).expect("clean");
        assert_eq!(plan.encoding, encoding);
        assert_eq!(plan.rows[0].values, vec![("beitraege".into(), Amount::whole(7))], "{encoding}");
    }
}

#[test]
fn quoted_fields_may_hold_separators_and_newlines_and_lines_stay_counted() {
    let text =
        "Plattform;Monat;Follower;Quelle\nMastodon;2026-01;10;\"Export; Teil 1\nund Teil 2\"\nMastodon;2026-02;x;\n";
    let problems = problem_lines(text);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].0, 4, "the bad row starts on line 4 of the file");
    assert!(matches!(problems[0].1, ProblemKind::BadNumber { why: BadAmount::NotANumber, .. }));
}

#[test]
fn lines_end_with_a_lone_carriage_return_too_and_are_counted_so() {
    // Found by the fuzz target: old Mac files end lines with CR alone; the csv crate splits
    // records there, and the line numbers must agree with what an editor shows.
    let text = "Plattform;Monat;Follower\rMastodon;2026-01;10\r\rMastodon;2026-02;x\r\n";
    let problems = problem_lines(text);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].0, 4, "the bad row is on line 4 (after an empty third line)");
}

#[test]
fn one_bad_line_rejects_the_file_and_names_the_line() {
    let mut text = String::from("Plattform;Monat;Follower;Ausgaben\n");
    for m in 1..=12 {
        text.push_str(&format!("Mastodon;2026-{m:02};{};12,50\n", 100 + m));
    }
    text = text.replace("Mastodon;2026-07;107;12,50", "Mastodon;2026-07;107;-12,50");
    let rejected = read(&text).expect_err("one bad line");
    assert_eq!(rejected.problems.len(), 1);
    let p = &rejected.problems[0];
    assert_eq!((p.line, p.column.as_deref()), (8, Some("Ausgaben")));
    assert_eq!(p.problem, ProblemKind::BadNumber { value: "-12,50".into(), why: BadAmount::Negative });
    assert_eq!(rejected.columns.len(), 4, "the mapping is shown with the problems");
}

#[test]
fn every_kind_of_bad_line_is_reported_with_its_reason() {
    let text = "Plattform;Monat;Follower\n\
                Myspace;2026-01;1\n\
                Mastodon;13/2026;1\n\
                Mastodon;2026-01;1.234\n\
                Mastodon;2026-02;1;2\n\
                Mastodon;2026-03;5\n\
                mastodon;2026-03;6\n";
    let problems = problem_lines(text);
    assert_eq!(
        problems,
        vec![
            (2, ProblemKind::UnknownPlatform { value: "Myspace".into() }),
            (3, ProblemKind::BadMonth { value: "13/2026".into() }),
            (4, ProblemKind::BadNumber { value: "1.234".into(), why: BadAmount::Ambiguous }),
            (5, ProblemKind::FieldCount { expected: 3, found: 4 }),
            (7, ProblemKind::DuplicateRow { first_line: 6 }),
        ]
    );
}

#[test]
fn headers_must_name_platform_and_month_once() {
    assert_eq!(
        problem_lines("Follower;Reichweite\n1;2\n"),
        vec![
            (1, ProblemKind::MissingColumn { column: Column::Platform }),
            (1, ProblemKind::MissingColumn { column: Column::Month })
        ]
    );
    assert_eq!(
        problem_lines("Plattform;Monat;Follower;Abonnenten\nMastodon;2026-01;1;2\n"),
        vec![(1, ProblemKind::DuplicateColumn { column: Column::Metric("follower".into()) })]
    );
    assert_eq!(problem_lines(""), vec![(0, ProblemKind::Empty)]);
    assert_eq!(problem_lines(";;\n"), vec![(0, ProblemKind::Empty)]);
}

#[test]
fn two_platforms_of_one_name_must_be_named_by_id() {
    let mut twins = platforms();
    twins.push(KnownPlatform { id: "p9".into(), name: "Mastodon".into() });
    let rejected =
        import::read(b"Plattform;Monat;Follower\nMastodon;2026-01;1\n", &metrics(), &twins).expect_err("ambiguous");
    assert_eq!(rejected.problems[0].problem, ProblemKind::AmbiguousPlatform { value: "Mastodon".into() });
    let plan = import::read(b"Plattform;Monat;Follower\np9;2026-01;1\n", &metrics(), &twins).expect("by id");
    assert_eq!(plan.rows[0].platform, "p9");
}

#[test]
fn the_limits_hold() {
    let big = vec![b'a'; MAX_IMPORT_BYTES + 1];
    assert_eq!(problem_bytes(&big), vec![(0, ProblemKind::TooLarge { max_bytes: MAX_IMPORT_BYTES })]);
    assert_eq!(problem_bytes(b"Plattform;Monat\0;x\n"), vec![(0, ProblemKind::NotText)]);
    let wide = format!("Plattform;Monat{}\n", ";x".repeat(40));
    assert_eq!(problem_lines(&wide), vec![(0, ProblemKind::TooManyColumns { max: 40 })]);
    let long = format!("Plattform;Monat;Quelle\nMastodon;2026-01;{}\n", "ü".repeat(201));
    assert_eq!(problem_lines(&long), vec![(2, ProblemKind::FieldTooLong { max_chars: 200 })]);

    let mut many = String::from("Plattform;Monat;Follower\n");
    for i in 0..=MAX_IMPORT_ROWS {
        let (platform, year, month) = (i % 5, 2000 + i / 60, (i / 5) % 12 + 1);
        many.push_str(&format!("p{platform};{year}-{month:02};1\n"));
    }
    let five: Vec<KnownPlatform> =
        (0..5).map(|i| KnownPlatform { id: format!("p{i}"), name: format!("P {i}") }).collect();
    let problems: Vec<(u64, ProblemKind)> = import::read(many.as_bytes(), &metrics(), &five)
        .expect_err("too many rows")
        .problems
        .into_iter()
        .map(|p| (p.line, p.problem))
        .collect();
    assert_eq!(problems, vec![(MAX_IMPORT_ROWS as u64 + 2, ProblemKind::TooManyRows { max: MAX_IMPORT_ROWS })]);

    let mut bad = String::from("Plattform;Monat;Follower\n");
    for _ in 0..500 {
        bad.push_str("Nirgendwo;2026-01;x\n");
    }
    let rejected = read(&bad).expect_err("all bad");
    assert_eq!(rejected.problems.len(), MAX_REPORTED_PROBLEMS);
    assert_eq!(rejected.problems.len() + rejected.more, 1000, "two problems on each of 500 lines");
}

fn problem_bytes(bytes: &[u8]) -> Vec<(u64, ProblemKind)> {
    import::read(bytes, &metrics(), &platforms())
        .expect_err("file has problems")
        .problems
        .into_iter()
        .map(|p| (p.line, p.problem))
        .collect()
}

/// A generated table of good values: (platform index, month, values per metric or empty).
fn table() -> impl Strategy<Value = Vec<(usize, u8, Vec<Option<i64>>)>> {
    proptest::collection::vec(
        (0usize..3, 1u8..=12, proptest::collection::vec(proptest::option::of(0i64..10_000_000), 3)),
        1..30,
    )
    .prop_map(|mut rows| {
        let mut seen = std::collections::HashSet::new();
        rows.retain(|(p, m, _)| seen.insert((*p, *m)));
        rows
    })
}

/// Writes a table as a file with the given separator, decimal mark and quoting.
fn written(rows: &[(usize, u8, Vec<Option<i64>>)], sep: char, comma: bool, quote: bool, crlf: bool) -> String {
    let names = ["Mastodon", "Instagram", "TikTok"];
    let q = |s: String| if quote { format!("\"{}\"", s.replace('"', "\"\"")) } else { s };
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut out =
        [q("Plattform".into()), q("Monat".into()), q("Follower".into()), q("Ausgaben".into()), q("Stunden".into())]
            .join(&sep.to_string());
    out.push_str(eol);
    for (p, m, values) in rows {
        let mut fields = vec![q(names[*p].into()), q(format!("{m:02}.2025"))];
        for v in values {
            let text = v.map(|h| {
                let a = Amount::from_hundredths(h).expect("in range").plain();
                if comma { a.replace('.', ",") } else { a }
            });
            fields.push(text.map(q).unwrap_or_default());
        }
        out.push_str(&fields.join(&sep.to_string()));
        out.push_str(eol);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_good_table_reads_back_in_any_spreadsheet_dialect(
        rows in table(),
        sep in prop::sample::select(vec![';', ',', '\t']),
        comma in any::<bool>(), quote in any::<bool>(), crlf in any::<bool>(),
    ) {
        // A decimal comma in a comma-separated file needs quotes.
        let quote = quote || (comma && sep == ',');
        let text = written(&rows, sep, comma, quote, crlf);
        let plan = read(&text).expect("a good table reads");
        prop_assert_eq!(plan.rows.len(), rows.len());
        for (row, (p, m, values)) in plan.rows.iter().zip(&rows) {
            prop_assert_eq!(&row.platform, &format!("p{p}"));
            prop_assert_eq!(row.month, Month::new(2025, *m).expect("month"));
            let expected: Vec<(String, Amount)> = ["follower", "ausgaben", "stunden"].iter().zip(values)
                .filter_map(|(k, v)| v.map(|h| ((*k).to_owned(), Amount::from_hundredths(h).expect("ok"))))
                .collect();
            prop_assert_eq!(&row.values, &expected);
        }
    }

    #[test]
    fn one_spoiled_cell_rejects_the_file_at_its_line(
        rows in table(),
        pick in any::<prop::sample::Index>(),
        junk in prop::sample::select(vec!["-1", "abc", "1.234", "1,2345", "99999999999999", "1e3"]),
    ) {
        let text = written(&rows, ';', true, false, false);
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let at = 1 + pick.index(rows.len());
        let mut fields: Vec<String> = lines[at].split(';').map(str::to_owned).collect();
        fields[2] = junk.to_owned();
        lines[at] = fields.join(";");
        let rejected = read(&(lines.join("\n") + "\n")).expect_err("a spoiled file is refused");
        prop_assert_eq!(rejected.problems.len(), 1);
        prop_assert_eq!(rejected.problems[0].line, at as u64 + 1);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_stay_bounded(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        match import::read(&bytes, &metrics(), &platforms()) {
            Ok(plan) => prop_assert!(plan.rows.len() <= MAX_IMPORT_ROWS),
            Err(rejected) => prop_assert!(!rejected.problems.is_empty() && rejected.problems.len() <= MAX_REPORTED_PROBLEMS),
        }
    }

    #[test]
    fn arbitrary_text_after_a_good_header_never_panics(body in "[\\PC\\n\";,\\t]{0,2000}") {
        let text = format!("Plattform;Monat;Follower;Quelle\n{body}");
        let _ = read(&text);
    }
}
