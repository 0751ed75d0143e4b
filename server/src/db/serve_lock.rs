//! One server per embedded database: a second `kompromiss serve` on the same SQLite file would
//! keep its own copy of every open document and never hear of the first one's changes.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

/// The lock file beside an SQLite database file, or `None` for PostgreSQL and in-memory databases.
pub fn lock_path(database_url: &str) -> Option<PathBuf> {
    let rest = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        return None;
    }
    let mut lock = PathBuf::from(path).into_os_string();
    lock.push(".serve-lock");
    Some(lock.into())
}

/// Takes the lock for the server's lifetime (released when the file is dropped, or by the
/// kernel when the process dies, also by `kill -9`).
pub fn take(database_url: &str) -> anyhow::Result<Option<File>> {
    let Some(path) = lock_path(database_url) else { return Ok(None) };
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| anyhow::anyhow!("cannot open the lock file {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => anyhow::bail!(
            "Eine andere Kompromiss-Instanz nutzt diese eingebettete Datenbank bereits ({}). Mehrere Instanzen \
             brauchen PostgreSQL. / Another Kompromiss server already serves this embedded database ({}); several \
             instances need PostgreSQL.",
            path.display(),
            path.display()
        ),
        Err(TryLockError::Error(e)) => anyhow::bail!("cannot lock {}: {e}", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_sits_beside_the_database_file_and_a_second_server_is_refused() {
        assert_eq!(lock_path("postgres://postgres@127.0.0.1/k"), None);
        assert_eq!(lock_path("sqlite::memory:"), None);
        let dir = std::env::temp_dir().join(format!("kompromiss-lock-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).expect("dir");
        let url = format!("sqlite://{}?mode=rwc", dir.join("k.db").display());
        assert_eq!(lock_path(&url), Some(dir.join("k.db.serve-lock")));
        let first = take(&url).expect("first").expect("a lock");
        let second = take(&url).expect_err("second");
        assert!(second.to_string().contains("Another Kompromiss server"), "{second}");
        drop(first);
        assert!(take(&url).expect("after the first stopped").is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
