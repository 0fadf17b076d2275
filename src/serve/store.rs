//! What the server keeps, in `DATA/yusuan.db` (SQLite, the library bundled): the round's
//! secrets, the units with their private tokens, every upload with its result, and an audit
//! log. The schema is versioned (`PRAGMA user_version`); a database of an older version is
//! migrated when it opens, one step at a time. Every write is a transaction, durable when it
//! returns (the journal is written through).

use super::records::{UnitRow, UploadResult, UploadRow, unit_row, upload_row};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use std::sync::Mutex;

/// The schema, one migration per version: version N is the first N of them applied.
const MIGRATIONS: &[&str] = &[
    // 1: the round's settings, units, uploads, the audit log.
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE units (
         id INTEGER PRIMARY KEY,
         code TEXT NOT NULL,
         name TEXT NOT NULL,
         token TEXT NOT NULL,
         token_hash TEXT NOT NULL UNIQUE,
         revoked INTEGER NOT NULL DEFAULT 0,
         created TEXT NOT NULL
     );
     CREATE TABLE uploads (
         id INTEGER PRIMARY KEY,
         unit_id INTEGER NOT NULL REFERENCES units(id),
         file_name TEXT NOT NULL,
         stored TEXT NOT NULL,
         size INTEGER NOT NULL,
         at TEXT NOT NULL,
         address TEXT NOT NULL,
         status TEXT,
         errors INTEGER,
         warnings INTEGER,
         first_finding TEXT,
         report TEXT,
         workbook TEXT
     );
     CREATE INDEX uploads_by_unit ON uploads(unit_id, id);
     CREATE TABLE audit (
         id INTEGER PRIMARY KEY,
         at TEXT NOT NULL,
         actor TEXT NOT NULL,
         action TEXT NOT NULL,
         detail TEXT NOT NULL,
         address TEXT NOT NULL
     );",
    // 2: the tables of each upload as its page shows them, findings marked.
    "ALTER TABLE uploads ADD COLUMN preview TEXT;",
];

/// The database of one round.
pub struct Store {
    conn: Mutex<Connection>,
}

/// A database error, as text for the log and a 500 answer's reason.
pub type StoreResult<T> = Result<T, rusqlite::Error>;

impl Store {
    /// Opens (or creates) the database at `path` and brings its schema to the current version.
    ///
    /// # Errors
    ///
    /// When the file cannot be opened or migrated, or is of a newer version than this program.
    pub fn open(path: &Path) -> StoreResult<Store> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let version = usize::try_from(version).unwrap_or(usize::MAX);
        if version > MIGRATIONS.len() {
            return Err(rusqlite::Error::InvalidParameterName(format!(
                "数据库版本 {version} 比本程序支持的 {} 新，请使用新版 yusuan",
                MIGRATIONS.len()
            )));
        }
        for (n, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (n + 1) as i64)?;
            tx.commit()?;
        }
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> StoreResult<T>) -> StoreResult<T> {
        let mut conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut conn)
    }

    /// A setting, or `make`'s value stored as it the first time.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn setting_or(&self, key: &str, make: impl FnOnce() -> String) -> StoreResult<String> {
        self.with(|c| {
            let tx = c.transaction()?;
            let known: Option<String> = tx
                .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?;
            let value = match known {
                Some(v) => v,
                None => {
                    let v = make();
                    tx.execute(
                        "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                        params![key, v],
                    )?;
                    v
                }
            };
            tx.commit()?;
            Ok(value)
        })
    }

    /// A setting, if set.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        self.with(|c| {
            c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
        })
    }

    /// Sets a setting.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
                params![key, value],
            )?;
            Ok(())
        })
    }

    /// Adds a unit with its token.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn add_unit(&self, code: &str, name: &str, token: &str, at: &str) -> StoreResult<UnitRow> {
        self.with(|c| {
            c.execute(
                "INSERT INTO units (code, name, token, token_hash, created) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![code, name, token, super::tokens::hash(token), at],
            )?;
            Ok(UnitRow {
                id: c.last_insert_rowid(),
                code: code.to_owned(),
                name: name.to_owned(),
                token: token.to_owned(),
            })
        })
    }

    /// Gives a unit a new token: the old link stops working at once.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn replace_token(&self, unit_id: i64, token: &str) -> StoreResult<bool> {
        self.with(|c| {
            let changed = c.execute(
                "UPDATE units SET token = ?2, token_hash = ?3 WHERE id = ?1 AND revoked = 0",
                params![unit_id, token, super::tokens::hash(token)],
            )?;
            Ok(changed == 1)
        })
    }

    /// The unit whose token this is (by its hash), unless revoked.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn unit_by_token(&self, token: &str) -> StoreResult<Option<UnitRow>> {
        let hash = super::tokens::hash(token);
        self.with(|c| {
            c.query_row(
                "SELECT id, code, name, token FROM units WHERE token_hash = ?1 AND revoked = 0",
                [hash],
                unit_row,
            )
            .optional()
        })
    }

    /// Every unit, in the order they were added.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn units(&self) -> StoreResult<Vec<UnitRow>> {
        self.with(|c| {
            let mut q =
                c.prepare("SELECT id, code, name, token FROM units WHERE revoked = 0 ORDER BY id")?;
            q.query_map([], unit_row)?.collect()
        })
    }

    /// Records an upload whose file is stored; its result comes later.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn add_upload(
        &self,
        unit_id: i64,
        file_name: &str,
        stored: &str,
        size: u64,
        at: &str,
        address: &str,
    ) -> StoreResult<i64> {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO uploads (unit_id, file_name, stored, size, at, address) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![unit_id, file_name, stored, size as i64, at, address],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO audit (at, actor, action, detail, address) VALUES (?1, ?2, 'upload', ?3, ?4)",
                params![at, format!("unit:{unit_id}"), format!("{id} {file_name} {size}"), address],
            )?;
            tx.commit()?;
            Ok(id)
        })
    }

    /// Stores what reading an upload found.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn set_result(&self, id: i64, result: &UploadResult) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE uploads SET status = ?2, errors = ?3, warnings = ?4, first_finding = ?5, report = ?6, workbook = ?7, preview = ?8 WHERE id = ?1",
                params![
                    id,
                    result.status,
                    result.errors,
                    result.warnings,
                    result.first_finding,
                    result.report,
                    result.workbook,
                    result.preview
                ],
            )?;
            Ok(())
        })
    }

    /// A unit's uploads, newest first.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn uploads(&self, unit_id: i64) -> StoreResult<Vec<UploadRow>> {
        self.with(|c| {
            let mut q = c.prepare(&format!(
                "{UPLOAD_COLUMNS} WHERE unit_id = ?1 ORDER BY id DESC"
            ))?;
            q.query_map([unit_id], upload_row)?.collect()
        })
    }

    /// The newest workbook upload of every unit that has one (a 情况说明 is not the unit's
    /// budget), by unit id.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn latest_uploads(&self) -> StoreResult<Vec<UploadRow>> {
        self.with(|c| {
            let mut q = c.prepare(&format!(
                "{UPLOAD_COLUMNS} WHERE id IN (SELECT MAX(id) FROM uploads WHERE {WORKBOOKS} GROUP BY unit_id)"
            ))?;
            q.query_map([], upload_row)?.collect()
        })
    }

    /// The unit an upload belongs to.
    ///
    /// # Errors
    ///
    /// A database error (or no such upload).
    pub fn unit_of_upload(&self, id: i64) -> StoreResult<i64> {
        self.with(|c| {
            c.query_row("SELECT unit_id FROM uploads WHERE id = ?1", [id], |r| {
                r.get(0)
            })
        })
    }

    /// Adds a line to the audit log.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn audit(
        &self,
        at: &str,
        actor: &str,
        action: &str,
        detail: &str,
        address: &str,
    ) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO audit (at, actor, action, detail, address) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![at, actor, action, detail, address],
            )?;
            Ok(())
        })
    }

    /// The number of lines of the audit log about `action`.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn audit_count(&self, action: &str) -> StoreResult<i64> {
        self.with(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM audit WHERE action = ?1",
                [action],
                |r| r.get(0),
            )
        })
    }
}

/// The uploads that are workbooks, not 情况说明 (by their stored name's extension).
const WORKBOOKS: &str =
    "stored NOT LIKE '%.docx' AND stored NOT LIKE '%.txt' AND stored NOT LIKE '%.md'";

const UPLOAD_COLUMNS: &str = "SELECT id, unit_id, file_name, at, status, COALESCE(errors, 0), COALESCE(warnings, 0), first_finding, report, workbook, stored, preview FROM uploads";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_survives_reopening_and_an_old_database_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("yusuan.db");
        {
            let store = Store::open(&path).unwrap();
            let token = store.setting_or("admin_token", || "secret".into()).unwrap();
            assert_eq!(token, "secret");
            let unit = store
                .add_unit("313603", "某中心", "t0k3n", "2026-12-06T00:00:00Z")
                .unwrap();
            let id = store
                .add_upload(unit.id, "a.xlsx", "files/x.xlsx", 10, "now", "127.0.0.1")
                .unwrap();
            let result = UploadResult {
                status: "passed".into(),
                errors: 0,
                warnings: 0,
                first_finding: None,
                report: "{}".into(),
                workbook: Some("out/x.xlsx".into()),
                preview: None,
            };
            store.set_result(id, &result).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.setting_or("admin_token", || "other".into()).unwrap(),
            "secret"
        );
        let unit = store.unit_by_token("t0k3n").unwrap().unwrap();
        assert_eq!(unit.name, "某中心");
        assert!(store.unit_by_token("t0k3m").unwrap().is_none());
        assert_eq!(
            store.uploads(unit.id).unwrap()[0].status.as_deref(),
            Some("passed")
        );
        assert_eq!(store.audit_count("upload").unwrap(), 1);
        // A database of a newer version is refused, not damaged.
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(Store::open(&path).is_err());
    }

    #[test]
    fn a_database_of_version_one_opens_with_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("yusuan.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO units (code, name, token, token_hash, created) VALUES ('1', '旧单位', 't', ?1, 'then')",
            [crate::serve::tokens::hash("t")],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO uploads (unit_id, file_name, stored, size, at, address, status) VALUES (1, 'a.xlsx', 'files/a.xlsx', 1, 'then', '127.0.0.1', 'passed')",
            [],
        )
        .unwrap();
        drop(conn);
        let store = Store::open(&path).unwrap();
        let unit = store.unit_by_token("t").unwrap().unwrap();
        let uploads = store.uploads(unit.id).unwrap();
        assert_eq!((uploads.len(), uploads[0].preview.clone()), (1, None));
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
    }
}
