//! The register in use, held in memory for one full check: read once (the columns the
//! check needs, in pages), each distinct value stored and normalized once, every person as
//! a row of small numbers, indexed by date of birth and by family and first given name.
//!
//! Why: a full check asked the database for each batch of 1,000 signatures some 57,000
//! register rows (everyone born on one of their birthdays, everyone with one of their
//! names), so 100,000 signatures read the register six times over and normalized every name
//! again for each comparison. Reading it once costs what one pass of the import costs, and
//! a million people take some 60 MB here.

use std::collections::HashMap;

use chrono::NaiveDate;
use futures::StreamExt;
use rusqlite::types::Type;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QuerySelect, Statement,
};

use crate::error::AppError;
use crate::infra::entities::resident;
use crate::petitions::matching::{
    all_given_names, first_given_name, normalize_house_number, normalize_name, normalize_street,
};
use crate::register::check::{
    self, Comparison, Context, EntryKeys, RegisterEntry, SignedData, SignedKeys, Verdict,
};

/// The distinct values of one column, each with its normalized form (and, for the given
/// names, the first given name the name index uses).
#[derive(Default)]
struct Column {
    ids: HashMap<Box<str>, u32>,
    raw: Vec<Box<str>>,
    norm: Vec<Box<str>>,
}

impl Column {
    /// The number of this value, stored (and normalized) the first time it is seen: a
    /// million rows hold a few ten thousand distinct names, so most calls only look up.
    fn intern(&mut self, value: &str, normalize: fn(&str) -> String) -> u32 {
        if let Some(id) = self.ids.get(value) {
            return *id;
        }
        let id = u32::try_from(self.raw.len()).unwrap_or(u32::MAX);
        let value: Box<str> = value.into();
        self.norm.push(normalize(&value).into_boxed_str());
        self.raw.push(value.clone());
        self.ids.insert(value, id);
        id
    }
}

fn trimmed(s: &str) -> String {
    s.trim().to_owned()
}

fn unchanged(s: &str) -> String {
    s.to_owned()
}

/// One person: numbers into the columns.
struct Person {
    id: i64,
    birth: NaiveDate,
    moved_in: NaiveDate,
    main_residence: bool,
    family: u32,
    given: u32,
    street: u32,
    house: u32,
    postal: u32,
    city: u32,
    district: u32,
    nationalities: u32,
}

/// Register rows (ids) read per query.
const PAGE: i64 = 50_000;

/// One register row as the check reads it, borrowed from whichever reader holds it.
struct RowRef<'a> {
    id: i64,
    family_name: &'a str,
    given_names: &'a str,
    birth_date: NaiveDate,
    street: &'a str,
    house_number: &'a str,
    postal_code: &'a str,
    city: &'a str,
    district: &'a str,
    nationalities: &'a str,
    moved_in: NaiveDate,
    main_residence: bool,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    family_name: String,
    given_names: String,
    birth_date: NaiveDate,
    street: String,
    house_number: String,
    postal_code: String,
    city: String,
    district: String,
    nationalities: String,
    moved_in: NaiveDate,
    main_residence: bool,
}

#[derive(Default)]
pub struct RegisterSnapshot {
    people: Vec<Person>,
    family: Column,
    given: Column,
    street: Column,
    house: Column,
    postal: Column,
    city: Column,
    district: Column,
    nationalities: Column,
    /// Normalized family name and first given name → a number, for the name index.
    family_keys: HashMap<Box<str>, u32>,
    first_given_keys: HashMap<Box<str>, u32>,
    by_birth: HashMap<NaiveDate, Vec<u32>>,
    by_name: HashMap<(u32, u32), Vec<u32>>,
}

impl RegisterSnapshot {
    /// Reads the register of this import (the rows are never all in memory at once, only
    /// their compact form).
    pub async fn load(db: &DatabaseConnection, import_id: i64) -> Result<Self, AppError> {
        // One import's rows were written in one run, so their ids lie close together: read
        // them by a range of the primary key (no sort, no scan beyond the range).
        let (low, high): (Option<i64>, Option<i64>) = resident::Entity::find()
            .select_only()
            .column_as(resident::Column::Id.min(), "low")
            .column_as(resident::Column::Id.max(), "high")
            .filter(resident::Column::ImportId.eq(import_id))
            .into_tuple()
            .one(db)
            .await?
            .unwrap_or((None, None));
        let mut builder = Builder::default();
        let (Some(low), Some(high)) = (low, high) else {
            return Ok(builder.finish());
        };
        if let Some(file) = sqlite_file(db).await? {
            let read = tokio::task::spawn_blocking(move || {
                read_sqlite(&file, import_id, low, high, &mut builder).map(|()| builder)
            });
            builder = read.await.map_err(|_| AppError::Internal)?.map_err(|e| {
                tracing::error!(error = %e, "register check: reading the register failed");
                AppError::Internal
            })?;
            return Ok(builder.finish());
        }
        // Two ranges in flight: the database reads the next while this task interns the last.
        let ranges: Vec<(i64, i64)> = (0..)
            .map(|k: i64| low.saturating_add(k.saturating_mul(PAGE)))
            .take_while(|from| *from <= high)
            .map(|from| (from, from.saturating_add(PAGE)))
            .collect();
        let mut pages = futures::stream::iter(ranges)
            .map(|(from, to)| tokio::spawn(read_range(db.clone(), import_id, from, to)))
            .buffered(2);
        while let Some(page) = pages.next().await {
            for r in page.map_err(|_| AppError::Internal)?? {
                builder.push(RowRef {
                    id: r.id,
                    family_name: &r.family_name,
                    given_names: &r.given_names,
                    birth_date: r.birth_date,
                    street: &r.street,
                    house_number: &r.house_number,
                    postal_code: &r.postal_code,
                    city: &r.city,
                    district: &r.district,
                    nationalities: &r.nationalities,
                    moved_in: r.moved_in,
                    main_residence: r.main_residence,
                });
            }
        }
        Ok(builder.finish())
    }

    fn keys(&self, p: &Person) -> EntryKeys<'_> {
        EntryKeys {
            family: &self.family.norm[p.family as usize],
            given: &self.given.norm[p.given as usize],
            birth: p.birth,
            street: &self.street.norm[p.street as usize],
            house: &self.house.norm[p.house as usize],
            postal: &self.postal.norm[p.postal as usize],
        }
    }

    fn entry(&self, p: &Person) -> RegisterEntry {
        RegisterEntry {
            id: p.id,
            family_name: self.family.raw[p.family as usize].to_string(),
            given_names: self.given.raw[p.given as usize].to_string(),
            birth_date: p.birth,
            street: self.street.raw[p.street as usize].to_string(),
            house_number: self.house.raw[p.house as usize].to_string(),
            postal_code: self.postal.raw[p.postal as usize].to_string(),
            city: self.city.raw[p.city as usize].to_string(),
            district: self.district.raw[p.district as usize].to_string(),
            nationalities: check::nationalities(&self.nationalities.raw[p.nationalities as usize]),
            moved_in: p.moved_in,
            main_residence: p.main_residence,
        }
    }

    /// The people who may have given this signature: those who share its date of birth or
    /// its family and first given name (the candidates the database query finds) and
    /// compare plausibly. `check::decide` given these decides as given all candidates.
    pub fn candidates(&self, s: &SignedData) -> Vec<(RegisterEntry, Comparison)> {
        let keys = SignedKeys::of(s);
        let born = s
            .birth_date
            .and_then(|b| self.by_birth.get(&b))
            .into_iter()
            .flatten();
        let first = first_given_name(&s.given_names);
        let named = match (
            self.family_keys.get(keys.family()),
            self.first_given_keys.get(first.as_str()),
        ) {
            (Some(f), Some(g)) => self.by_name.get(&(*f, *g)),
            _ => None,
        }
        .into_iter()
        .flatten();
        // Some sixty people, a few of them found both ways: sorted and deduplicated in place.
        let mut found: Vec<u32> = born.chain(named).copied().collect();
        found.sort_unstable();
        found.dedup();
        let mut out = Vec::new();
        for i in found {
            let p = &self.people[i as usize];
            if let Some(comparison) = check::plausible_comparison(&keys, &self.keys(p)) {
                out.push((self.entry(p), comparison));
            }
        }
        out
    }

    /// Decides each signature, spread over the machine's cores (pure computation: call it
    /// from a blocking task).
    pub fn decide_all(&self, work: &[(SignedData, Context<'static>)]) -> Vec<Verdict> {
        let threads = std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(1)
            .clamp(1, 8);
        let per_thread = work.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = work
                .chunks(per_thread)
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|(s, ctx)| {
                                let found = self.candidates(s);
                                let compared: Vec<_> =
                                    found.iter().map(|(entry, c)| (entry, *c)).collect();
                                check::decide_compared(s, &compared, ctx)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                // A panic in one part is a panic of the whole check, never a shorter list.
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    }
}

/// The snapshot as it is read: each row interned as it arrives, the indexes built at the end.
#[derive(Default)]
struct Builder {
    snap: RegisterSnapshot,
    /// The first given name of each distinct given-names value, for the name index (none
    /// where it is empty: the index, as the database's, needs both names).
    first_given_of: Vec<Option<u32>>,
}

impl Builder {
    fn push(&mut self, r: RowRef<'_>) {
        let snap = &mut self.snap;
        let given = snap.given.intern(r.given_names, all_given_names);
        if given as usize == self.first_given_of.len() {
            let first = first_given_name(&snap.given.raw[given as usize]);
            self.first_given_of
                .push((!first.is_empty()).then(|| key_id(&mut snap.first_given_keys, first)));
        }
        let person = Person {
            id: r.id,
            birth: r.birth_date,
            moved_in: r.moved_in,
            main_residence: r.main_residence,
            family: snap.family.intern(r.family_name, normalize_name),
            given,
            street: snap.street.intern(r.street, normalize_street),
            house: snap.house.intern(r.house_number, normalize_house_number),
            postal: snap.postal.intern(r.postal_code, trimmed),
            city: snap.city.intern(r.city, unchanged),
            district: snap.district.intern(r.district, unchanged),
            nationalities: snap.nationalities.intern(r.nationalities, unchanged),
        };
        snap.people.push(person);
    }

    fn finish(self) -> RegisterSnapshot {
        let Builder {
            mut snap,
            first_given_of,
        } = self;
        let family_key_of: Vec<Option<u32>> = snap
            .family
            .norm
            .iter()
            .map(|norm| (!norm.is_empty()).then(|| key_id(&mut snap.family_keys, norm.to_string())))
            .collect();
        for (i, p) in snap.people.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            snap.by_birth.entry(p.birth).or_default().push(i);
            if let (Some(f), Some(g)) = (
                family_key_of[p.family as usize],
                first_given_of[p.given as usize],
            ) {
                snap.by_name.entry((f, g)).or_default().push(i);
            }
        }
        snap.people.shrink_to_fit();
        snap
    }
}

/// The file of a SQLite database, unless it lives in memory. SQLite itself says which file
/// it reads (an empty name for a database in memory): the pool's options would not, since
/// sqlx names an in-memory database `file:sqlx-in-memory-<n>`.
async fn sqlite_file(db: &DatabaseConnection) -> Result<Option<std::path::PathBuf>, DbErr> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(None);
    }
    let file: Option<String> = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
        ))
        .await?
        .map(|row| row.try_get("", "file"))
        .transpose()?;
    Ok(file.filter(|f| !f.is_empty()).map(Into::into))
}

/// Reads the register rows of one import from a SQLite file with a plain cursor of its own
/// (read-only; WAL lets it read beside the pool's writers).
///
/// Why not through the pool: sqlx runs each SQLite connection on a worker thread and hands
/// every row over to the async side as owned values, which `perf` showed as most of the
/// check's time (9 of 12.6 s for a million rows). Read here, a row costs a step of the
/// cursor and a look-up per column.
fn read_sqlite(
    file: &std::path::Path,
    import_id: i64,
    low: i64,
    high: i64,
    builder: &mut Builder,
) -> rusqlite::Result<()> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let mut statement = conn.prepare(
        "SELECT id, family_name, given_names, birth_date, street, house_number, postal_code, \
         city, district, nationalities, moved_in, main_residence \
         FROM residents WHERE id BETWEEN ?1 AND ?2 AND import_id = ?3",
    )?;
    let mut rows = statement.query((low, high, import_id))?;
    while let Some(row) = rows.next()? {
        builder.push(RowRef {
            id: row.get(0)?,
            family_name: text(row, 1)?,
            given_names: text(row, 2)?,
            birth_date: date(row, 3)?,
            street: text(row, 4)?,
            house_number: text(row, 5)?,
            postal_code: text(row, 6)?,
            city: text(row, 7)?,
            district: text(row, 8)?,
            nationalities: text(row, 9)?,
            moved_in: date(row, 10)?,
            main_residence: row.get(11)?,
        });
    }
    Ok(())
}

fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
}

/// sqlx stores a date in SQLite as `YYYY-MM-DD` text.
fn date(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    let s = text(row, i)?;
    s.get(..10)
        .unwrap_or(s)
        .parse()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
}

/// The register rows of one import with ids in `from..to`.
async fn read_range(
    db: DatabaseConnection,
    import_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<Row>, DbErr> {
    resident::Entity::find()
        .select_only()
        .columns([
            resident::Column::Id,
            resident::Column::FamilyName,
            resident::Column::GivenNames,
            resident::Column::BirthDate,
            resident::Column::Street,
            resident::Column::HouseNumber,
            resident::Column::PostalCode,
            resident::Column::City,
            resident::Column::District,
            resident::Column::Nationalities,
            resident::Column::MovedIn,
            resident::Column::MainResidence,
        ])
        .filter(resident::Column::Id.gte(from))
        .filter(resident::Column::Id.lt(to))
        .filter(resident::Column::ImportId.eq(import_id))
        .into_model::<Row>()
        .all(&db)
        .await
}

fn key_id(keys: &mut HashMap<Box<str>, u32>, key: String) -> u32 {
    let next = u32::try_from(keys.len()).unwrap_or(u32::MAX);
    *keys.entry(key.into_boxed_str()).or_insert(next)
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    /// The check reads a SQLite file with a cursor of its own, and a database in memory
    /// (which another connection cannot see) through the pool.
    #[tokio::test]
    async fn only_a_sqlite_file_is_read_with_a_cursor_of_its_own() {
        let memory = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        assert_eq!(sqlite_file(&memory).await.unwrap(), None);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.db");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let file = sea_orm::Database::connect(url).await.unwrap();
        let found = sqlite_file(&file).await.unwrap().expect("a file");
        assert_eq!(found.canonicalize().unwrap(), path.canonicalize().unwrap());
    }
}
