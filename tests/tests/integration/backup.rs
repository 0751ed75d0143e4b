//! Backup and restore on SQLite and PostgreSQL: a live server's snapshot restored into a fresh
//! PostgreSQL database row for row; damaged archives refused with nothing restored; only into an
//! empty instance; the admin download; and the table list against both migrated schemas.

mod fixture;
mod rows;

use std::path::{Path, PathBuf};

use kompromiss_server::backup::{self, BackupError, SCHEMA_VERSION, dump, schema};
use kompromiss_server::cli::backup::{BackupArgs, run_backup, run_restore};
use kompromiss_server::db::settings::DbArgs;
use kompromiss_server::db::{Db, Migrations};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;

use self::fixture::{Typist, answers, fill, title_number};
use self::rows::{assert_same, of_archive, of_database, rows_outside_seeded, without_restore_entry};
use super::helpers::{WAIT, create_doc, open, person};

fn args(db: &TestDb, file: &Path) -> BackupArgs {
    BackupArgs {
        db: DbArgs { database_url: Some(db.url()), sqlite_synchronous: Default::default(), data_dir: db.data_dir() },
        file: file.to_owned(),
    }
}

/// A fresh PostgreSQL database, or SQLite when no PostgreSQL answers (said loudly by `TestDb`).
async fn fresh_target() -> TestDb {
    TestDb::postgres().await.unwrap_or_else(TestDb::sqlite)
}

fn archive_path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

/// The archive of a fresh SQLite instance, in `dir`.
async fn empty_archive(dir: &tempfile::TempDir) -> PathBuf {
    let empty = TestDb::sqlite();
    let path = archive_path(dir, "empty.jsonl.gz");
    let db = Db::connect(&empty.url(), Default::default()).await.expect("empty source");
    backup::backup_to_file(&db, &path).await.expect("backup of an empty instance");
    db.close().await;
    path
}

/// Thirty thousand audit entries of random words: the archive spans many compressed pieces, so a
/// dump whose reader pauses stays inside its transaction while the server goes on.
async fn lengthen_audit_log(db: &Db) {
    match db {
        Db::Sqlite(pool) => sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000) \
             INSERT INTO audit_log (at, actor_name, action, detail) \
             SELECT i, 'Skript', 'sign-in', hex(randomblob(64)) FROM n",
        )
        .execute(pool)
        .await
        .map(|_| ()),
        Db::Postgres(pool) => sqlx::query(
            "INSERT INTO audit_log (at, actor_name, action, detail) \
             SELECT i, 'Skript', 'sign-in', md5(random()::text) || md5(random()::text) || md5(random()::text) \
             FROM generate_series(1, 30000) AS i",
        )
        .execute(pool)
        .await
        .map(|_| ()),
    }
    .expect("a long audit log");
}

/// The last change number per actor that `change_authors` attributes in a document.
async fn attributed_changes(db: &Db, doc: &str) -> std::collections::BTreeMap<String, u64> {
    const SQL: &str = "SELECT actor, MAX(last_seq) FROM change_authors WHERE doc_id = $1 GROUP BY actor";
    let rows: Vec<(String, i64)> = match db {
        Db::Sqlite(pool) => sqlx::query_as(SQL).bind(doc).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_as(SQL).bind(doc).fetch_all(pool).await,
    }
    .expect("authors");
    rows.into_iter().map(|(actor, last)| (actor, u64::try_from(last).expect("positive"))).collect()
}

#[tokio::test]
async fn a_backup_of_a_server_under_live_editing_restores_into_postgres_with_every_row_equal() {
    for source in TestDb::all().await {
        let backend = source.backend();
        let dir = tempfile::tempdir().expect("dir");
        let app = TestApp::spawn(&source).await;
        let filled = fill(&app).await;
        let db = Db::open(&source.url(), Default::default(), Migrations::Skip).await.expect("source");
        lengthen_audit_log(&db).await;

        // The dump's reader takes one piece and pauses; the editor's next edits are stored while
        // the dump's transaction is open, and must not be in the archive.
        let mut typist = Typist::start(&app, filled.concept).await;
        typist.wait_for(2).await;
        let before = *typist.stored.borrow();
        let (send, mut pieces) = tokio::sync::mpsc::channel(1);
        let dumping = tokio::spawn({
            let db = db.clone();
            async move { dump::dump(&db, send).await }
        });
        let live = archive_path(&dir, "live.jsonl.gz");
        let mut bytes = pieces.recv().await.expect("a first piece").expect("piece");
        let first_piece = *typist.stored.borrow();
        typist.wait_for(3).await;
        let mut count = 1;
        while let Some(piece) = pieces.recv().await {
            bytes.extend(piece.expect("piece"));
            count += 1;
        }
        let summary = dumping.await.expect("dump task").expect("dump");
        assert!(count >= 3, "{backend}: the dump was held open over {count} pieces");
        std::fs::write(&live, &bytes).expect("write");
        let typed = typist.stop().await;
        assert!(typed >= first_piece + 3, "{backend}: the editor went on while the dump was open");
        db.close().await;

        let target = fresh_target().await;
        run_restore(args(&target, &live)).await.expect("restore the live backup");
        let (header, archived) = of_archive(&live);
        assert_eq!(
            (header["source"].as_str(), header["schema_version"].as_u64()),
            (Some(backend), Some(u64::from(kompromiss_server::backup::SCHEMA_VERSION)))
        );
        assert_eq!(summary.rows, archived.values().map(|r| r.len() as u64).sum::<u64>(), "{backend}");
        let restored_db = Db::connect(&target.url(), Default::default()).await.expect("target");
        assert_same(&archived, &without_restore_entry(of_database(&restored_db).await), backend);
        restored_db.close().await;
        let restored = TestApp::spawn(&target).await;
        let n = title_number(&restored, filled.concept).await;
        assert!(
            before <= n && n <= first_piece,
            "{backend}: the snapshot holds Fassung {n}, taken between {before} and {first_piece}"
        );
        // One snapshot: who wrote what (read after the pause) covers exactly the changes the
        // document's chunks (read before it) hold, for every author.
        let mut c = open(&restored, "nachher", filled.concept).await;
        c.wait_until(WAIT, |c| c.is_saved(filled.concept)).await.expect("synced");
        let mut in_doc = std::collections::BTreeMap::new();
        for change in c.doc(filled.concept).get_changes(&[]) {
            let seq = in_doc.entry(change.actor_id().to_hex_string()).or_insert(0u64);
            *seq = (*seq).max(change.seq());
        }
        drop(c);
        let restored_db = Db::connect(&target.url(), Default::default()).await.expect("target");
        let attributed = attributed_changes(&restored_db, &filled.concept.to_string()).await;
        restored_db.close().await;
        assert!(attributed.values().any(|last| *last == n), "{backend}: the typist's {n} changes are attributed");
        for (actor, last) in &attributed {
            assert_eq!(in_doc.get(actor), Some(last), "{backend}: authorship and chunks from one snapshot");
        }
        restored.stop().await;
        target.cleanup().await;

        // Quiet: the stopped source and its restored copy hold the same rows, serve the same
        // discussion, ballot, metrics and drafts to the same person, and the same document.
        let token = app.editor_token.clone();
        let said = answers(&app, &token, &filled).await;
        let heads = {
            let mut c = open(&app, "vorher", filled.concept).await;
            c.wait_until(WAIT, |c| c.is_saved(filled.concept)).await.expect("synced");
            c.doc(filled.concept).get_heads()
        };
        app.stop().await;
        let quiet = archive_path(&dir, "quiet.jsonl.gz");
        run_backup(args(&source, &quiet)).await.expect("backup on the command line");
        let target = fresh_target().await;
        run_restore(args(&target, &quiet)).await.expect("restore");
        let (source_db, target_db) = (
            Db::connect(&source.url(), Default::default()).await.expect("source"),
            Db::connect(&target.url(), Default::default()).await.expect("target"),
        );
        let expected = of_database(&source_db).await;
        assert!(expected["doc_chunks"].len() >= 2 && expected["ballot_open_choices"].len() == 3, "{backend}");
        assert_same(&expected, &without_restore_entry(of_database(&target_db).await), backend);
        let (_, archived) = of_archive(&quiet);
        assert_same(&expected, &archived, backend);
        source_db.close().await;
        target_db.close().await;
        let restored = TestApp::spawn(&target).await;
        assert_eq!(answers(&restored, &token, &filled).await, said, "{backend}: the same answers after the restore");
        let mut c = open(&restored, "nachher", filled.concept).await;
        c.wait_until(WAIT, |c| c.is_saved(filled.concept)).await.expect("synced");
        assert_eq!(c.doc(filled.concept).get_heads(), heads, "{backend}: the same document");
        drop(c);
        restored.stop().await;
        target.cleanup().await;
        source.cleanup().await;
    }
}

/// A small archive of an instance with a concept and a discussion.
async fn small_archive(dir: &tempfile::TempDir) -> PathBuf {
    let source = TestDb::sqlite();
    let app = TestApp::spawn(&source).await;
    fill(&app).await;
    app.stop().await;
    let path = archive_path(dir, "small.jsonl.gz");
    run_backup(args(&source, &path)).await.expect("backup");
    path
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out).expect("gunzip");
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip")
}

fn replace_once(text: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(text.to_vec()).expect("utf-8");
    assert!(text.contains(from), "{from} is in the archive");
    text.replacen(from, to, 1).into_bytes()
}

#[tokio::test]
async fn a_truncated_or_altered_archive_is_refused_with_a_clear_error_and_nothing_is_restored() {
    let dir = tempfile::tempdir().expect("dir");
    let good = small_archive(&dir).await;
    let gz = std::fs::read(&good).expect("archive");
    let plain = gunzip(&gz);
    let end = plain[..plain.len() - 1].iter().rposition(|b| *b == b'\n').expect("lines") + 1;
    let middle = plain.len() / 2;
    let mut flipped = gz.clone();
    flipped[gz.len() / 2] ^= 0x01;
    let bad: Vec<(&str, Vec<u8>)> = vec![
        ("gzip cut after its header", gz[..20].to_vec()),
        ("gzip cut at a third", gz[..gz.len() / 3].to_vec()),
        ("gzip cut in half", gz[..gz.len() / 2].to_vec()),
        ("gzip without its last byte", gz[..gz.len() - 1].to_vec()),
        ("gzip without its checksum", gz[..gz.len() - 8].to_vec()),
        ("plain without the end line", plain[..end].to_vec()),
        ("plain cut inside a line", plain[..middle].to_vec()),
        ("a word of a comment changed", gzip(&replace_once(&plain, "Reichweite bei", "Reichweite für"))),
        // A choice is JSON inside a text cell: its quotes are escaped in the archive.
        ("a vote changed", gzip(&replace_once(&plain, r#"\"yes\""#, r#"\"no\""#))),
        (
            "another schema",
            gzip(&replace_once(
                &plain,
                &format!("\"schema_version\":{}", kompromiss_server::backup::SCHEMA_VERSION),
                &format!("\"schema_version\":{}", kompromiss_server::backup::SCHEMA_VERSION - 1),
            )),
        ),
        ("a compressed byte flipped", flipped),
        ("not an archive", b"Hallo, ich bin keine Sicherung.\n".to_vec()),
        ("empty", Vec::new()),
    ];
    for target in TestDb::all().await {
        let backend = target.backend();
        let db = Db::connect(&target.url(), Default::default()).await.expect("target");
        let seeded_before = of_database(&db).await;
        for (what, bytes) in &bad {
            let path = archive_path(&dir, "bad.jsonl.gz");
            std::fs::write(&path, bytes).expect("write");
            let error = backup::restore_from_file(&db, &path).await.expect_err(what);
            let message = error.to_string();
            match *what {
                w if w.starts_with("gzip") || w.starts_with("plain") => {
                    assert!(matches!(error, BackupError::Truncated), "{backend} {what}: {message}");
                    assert!(message.contains("abgeschnitten") && message.contains("truncated"), "{message}");
                }
                "a word of a comment changed" | "a vote changed" => {
                    assert!(matches!(error, BackupError::Tampered), "{backend} {what}: {message}");
                    assert!(message.contains("Prüfsumme") && message.contains("checksum"), "{message}");
                }
                "another schema" => assert!(matches!(error, BackupError::SchemaVersion { .. }), "{message}"),
                "not an archive" | "empty" => assert!(matches!(error, BackupError::NotAnArchive), "{message}"),
                _ => assert!(message.contains("Nichts wurde wiederhergestellt"), "{backend} {what}: {message}"),
            }
            assert_eq!(rows_outside_seeded(&db).await, 0, "{backend} {what}: nothing restored");
            assert_eq!(of_database(&db).await, seeded_before, "{backend} {what}: the target unchanged");
        }
        let summary = backup::restore_from_file(&db, &good).await.expect("the intact archive restores");
        assert!(summary.rows > 20, "{backend}: {summary:?}");
        assert_same(&of_archive(&good).1, &without_restore_entry(of_database(&db).await), backend);
        db.close().await;
        target.cleanup().await;
    }
}

#[tokio::test]
async fn a_restore_into_an_instance_that_holds_people_or_documents_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let path = empty_archive(&dir).await;
    for target in TestDb::all().await {
        let backend = target.backend();
        let app = TestApp::spawn(&target).await;
        create_doc(&app).await;
        app.stop().await;
        let db = Db::connect(&target.url(), Default::default()).await.expect("target");
        let before = of_database(&db).await;
        let error = backup::restore_from_file(&db, &path).await.expect_err("a used instance");
        assert!(matches!(error, BackupError::NotEmpty("users")), "{backend}: {error}");
        assert!(error.to_string().contains("nicht leer") && error.to_string().contains("not empty"), "{error}");
        assert_eq!(of_database(&db).await, before, "{backend}: nothing changed");
        // The restore command refuses it too, before it migrates or writes anything.
        let error = run_restore(args(&target, &path)).await.expect_err("a used instance");
        let error = error.downcast::<BackupError>().expect("a backup error");
        assert!(matches!(error, BackupError::NotEmpty("users")), "{backend}: {error}");
        assert_eq!(of_database(&db).await, before, "{backend}: nothing changed");
        db.close().await;
        target.cleanup().await;
    }
}

#[tokio::test]
async fn the_restore_command_refuses_a_database_of_another_program_before_touching_its_schema() {
    let dir = tempfile::tempdir().expect("dir");
    let path = empty_archive(&dir).await;
    for target in TestDb::all().await {
        let backend = target.backend();
        let db = Db::open(&target.url(), Default::default(), Migrations::Skip).await.expect("target");
        sqlx_execute(&db, "CREATE TABLE mitglieder (name TEXT)").await;
        sqlx_execute(&db, "INSERT INTO mitglieder (name) VALUES ('Rosa')").await;
        let error = run_restore(args(&target, &path)).await.expect_err("a database of another program");
        let error = error.downcast::<BackupError>().expect("a backup error");
        assert!(matches!(error, BackupError::ForeignSchema { tables: 1 }), "{backend}: {error}");
        assert!(error.to_string().contains("nicht verändert") && error.to_string().contains("left unchanged"));
        let ours = match &db {
            Db::Sqlite(pool) => sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name <> 'mitglieder'",
            )
            .fetch_one(pool)
            .await
            .expect("tables"),
            Db::Postgres(pool) => sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name <> 'mitglieder'",
            )
            .fetch_one(pool)
            .await
            .expect("tables"),
        };
        assert_eq!(ours, 0, "{backend}: no migration ran on a database that is not ours");
        db.close().await;
        target.cleanup().await;
    }
}

async fn sqlx_execute(db: &Db, sql: &'static str) {
    match db {
        Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(drop),
        Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(drop),
    }
    .expect(sql);
}

#[tokio::test]
async fn an_admin_downloads_the_archive_others_are_refused_and_the_download_is_audited() {
    for source in TestDb::all().await {
        let backend = source.backend();
        let app = TestApp::spawn(&source).await;
        fill(&app).await;
        let ada = person(&app, "Ada Admin", Some("admin")).await;
        let mia = person(&app, "Mira Mitglied", Some("member")).await;
        let url = format!("{}/api/admin/backup", app.http());
        let http = reqwest::Client::new();
        assert_eq!(http.get(&url).send().await.expect("anonymous").status(), 401, "{backend}");
        for token in [&mia.token, &app.editor_token] {
            assert_eq!(http.get(&url).bearer_auth(token).send().await.expect("get").status(), 403, "{backend}");
        }
        let res = http.get(&url).bearer_auth(&ada.token).send().await.expect("download");
        assert_eq!(res.status(), 200, "{backend}");
        assert_eq!(res.headers()["content-type"], "application/gzip");
        let disposition = res.headers()["content-disposition"].to_str().expect("disposition").to_owned();
        assert!(disposition.starts_with("attachment; filename=\"kompromiss-sicherung-"), "{disposition}");
        let bytes = res.bytes().await.expect("archive");
        let dir = tempfile::tempdir().expect("dir");
        let path = archive_path(&dir, "download.jsonl.gz");
        std::fs::write(&path, &bytes).expect("write");

        let target = TestDb::sqlite();
        let db = Db::connect(&target.url(), Default::default()).await.expect("target");
        backup::restore_from_file(&db, &path).await.expect("the download restores");
        assert_same(&of_archive(&path).1, &without_restore_entry(of_database(&db).await), backend);
        db.close().await;

        let query = kompromiss_shared::dto::audit::AuditQuery {
            action: Some(kompromiss_shared::audit::AuditAction::BackupTaken),
            ..Default::default()
        };
        let db = Db::connect(&source.url(), Default::default()).await.expect("source");
        let log = kompromiss_server::db::audit::list(&db, &query).await.expect("audit");
        db.close().await;
        assert_eq!(log.len(), 1, "{backend}: one download, the refused ones are not backups: {log:?}");
        assert_eq!(log[0].actor.as_deref(), Some("Ada Admin"), "{backend}");
        app.stop().await;
        source.cleanup().await;
    }
}

#[tokio::test]
async fn the_table_list_covers_every_table_and_column_of_both_migrated_schemas() {
    for tdb in TestDb::all().await {
        let backend = tdb.backend();
        let db = Db::connect(&tdb.url(), Default::default()).await.expect("db");
        assert_eq!(db.migrations_known(), SCHEMA_VERSION as usize, "{backend}: a new migration needs the table list");
        let live = match &db {
            Db::Sqlite(pool) => schema::sqlite_columns(&mut pool.acquire().await.expect("conn")).await,
            Db::Postgres(pool) => schema::postgres_columns(&mut pool.acquire().await.expect("conn")).await,
        }
        .expect("columns");
        assert!(live.len() > 150, "{backend}: {} columns read", live.len());
        let found = schema::differences(&live);
        assert!(found.is_empty(), "{backend}: {}", found.join("\n"));
        db.close().await;
        tdb.cleanup().await;
    }
}

#[test]
fn the_command_line_takes_backup_and_restore_with_a_database_url() {
    use clap::Parser;
    use kompromiss_server::cli::{Cli, Command};
    let cli = Cli::try_parse_from(["kompromiss", "backup", "a.jsonl.gz", "--database-url", "sqlite://x.db"]);
    assert!(matches!(cli.expect("backup").command, Command::Backup(a) if a.file == Path::new("a.jsonl.gz")));
    let cli = Cli::try_parse_from(["kompromiss", "restore", "a.jsonl.gz", "--database-url", "postgres://db/k"]);
    assert!(
        matches!(cli.expect("restore").command, Command::Restore(a) if a.db.database_url.as_deref() == Some("postgres://db/k"))
    );
}
