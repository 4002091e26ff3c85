//! The command line. Every command but `serve` runs and exits.

use crate::demo;
use app::accounts::domain::{DisplayName, EmailAddress, NewPassword, Role};
use app::accounts::server as accounts;
use app::error::AppError;
use app::infra::audit;
use app::petitions::server::export;
use app::petitions::server::paper_import;
use app::petitions::server::signatures;
use app::register::server::import as register;
use app::register::server::signature_check as validation;
use app::reports::server as reports;
use clap::{Parser, Subcommand};
use sea_orm::DatabaseConnection;
use std::path::Path;

use crate::settings::Settings;
use crate::startup;

/// Dorfplatz – Bürgerbeteiligung für Gemeinden.
///
/// Configuration comes from environment variables: DORFPLATZ_DATA_DIR (default ./data),
/// DATABASE_URL (default sqlite://./data/dorfplatz.db; postgres://… for PostgreSQL),
/// PUBLIC_URL (base of links in emails, default http://LEPTOS_SITE_ADDR), SMTP_URL (without
/// it mail goes to ./data/mail/*.eml), MAIL_FROM, LEPTOS_SITE_ADDR (default 127.0.0.1:3000),
/// LEPTOS_SITE_ROOT (default target/site), DORFPLATZ_SECRET_KEY (default: generated into
/// the data directory), DORFPLATZ_TRUST_X_FORWARDED_FOR=1 behind a reverse proxy.
#[derive(Parser, Debug)]
#[command(name = "dorfplatz", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the website (the default): migrates the database first.
    Serve,
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Fill an empty database with a demo municipality (password of all demo accounts:
    /// "dorfplatz-demo").
    Demo {
        /// Do nothing (and succeed) when the database already has accounts.
        #[arg(long)]
        if_empty: bool,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The resident register (Melderegister).
    Residents {
        #[command(subcommand)]
        command: ResidentsCommand,
    },
    /// Signatures of citizens' petitions.
    Signatures {
        #[command(subcommand)]
        command: SignaturesCommand,
    },
    /// Export data for the administration's office software.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// One line per signature: channel, sheet and line, the data as entered, the status code
    /// and the time of decision (semicolon-separated UTF-8 with BOM). Contains personal data:
    /// the export is logged in the audit trail.
    Signatures {
        #[arg(long)]
        petition: String,
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// The tally of a petition (the check report): figures, invalid by reason, by channel,
    /// district and day. `csv` (semicolon, UTF-8 with BOM), `xlsx` (one sheet per
    /// breakdown) or `pdf` (the signed report). No personal data; logged in the audit trail.
    Tally {
        #[arg(long)]
        petition: String,
        /// csv, xlsx or pdf
        #[arg(long)]
        format: String,
        #[arg(long)]
        output: std::path::PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum ResidentsCommand {
    /// Replace the register with an export: semicolon-separated, UTF-8 or Windows-1252, header
    /// Familienname;Vornamen;Geburtsdatum;Straße;Hausnummer;PLZ;Ort;Ortsteil;Staatsangehörigkeit;Einzugsdatum;Wohnungsstatus.
    /// A file with bad lines changes nothing and lists every bad line (exit status 1).
    Import {
        file: std::path::PathBuf,
        /// utf-8 or windows-1252; detected when not given.
        #[arg(long)]
        encoding: Option<String>,
    },
    /// Delete the register (every resident of every import).
    Purge,
}

#[derive(Subcommand, Debug)]
pub enum SignaturesCommand {
    /// Import digitized paper lists: a semicolon-separated UTF-8 CSV with the header
    /// Blatt;Zeile;Familienname;Vornamen;Geburtsdatum;Straße;Hausnummer;PLZ;Ort;Unterschriftsdatum
    /// (dates TT.MM.JJJJ). Reports every line; exits with status 1 when a line was refused.
    Import {
        /// The petition's short name in its address, e.g. mvz-kalletal.
        #[arg(long)]
        petition: String,
        file: std::path::PathBuf,
    },
    /// Check the signatures of every petition still collecting or submitted against the
    /// register in use (a register import does this by itself); decisions by staff stay.
    Check,
    /// Delete the personal data of a closed procedure's signatures now (the server does it
    /// by itself DORFPLATZ_SIGNATURE_RETENTION_DAYS after the procedure closed); the counts
    /// by status, channel, day and village stay.
    Purge {
        #[arg(long)]
        petition: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a confirmed account. The password comes from DORFPLATZ_PASSWORD or a prompt.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// board_member, staff or admin; may be given several times. Without it: a resident.
        #[arg(long)]
        role: Vec<String>,
    },
    /// Grant a role (board_member, staff, admin) to an existing account.
    Grant {
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: String,
    },
    /// Revoke a role from an account.
    Revoke {
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: String,
    },
    /// Switch off the second factor of an account that lost its app and its recovery codes
    /// (audited, mailed to the account; every session of it ends). Staff and administrators
    /// enrol anew at their next login.
    #[command(name = "reset-2fa")]
    ResetTwoFactor {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the keyed hash chain of the audit trail; names the first broken entry.
    Verify {
        /// An anchor taken earlier (`POSITION:HASH`, as `audit anchor` prints and mails it):
        /// the entry there must be unchanged, which proves that nothing before it changed.
        #[arg(long)]
        anchor: Option<String>,
    },
    /// Print the head of the trail (position, hash, time) as an anchor to keep outside the
    /// database, and mail it to `DORFPLATZ_AUDIT_ANCHOR_MAIL` when that is set.
    Anchor,
    /// Write the audit trail (or the entries matching the filters) as CSV, oldest first,
    /// with both hashes of every entry.
    Export {
        #[arg(long)]
        output: std::path::PathBuf,
        /// An action code (`role.granted`) or a prefix ending in a dot (`petition.`).
        #[arg(long, default_value = "")]
        action: String,
        /// Part of the acting account's email address or name; `system` for none.
        #[arg(long, default_value = "")]
        actor: String,
        /// First day, YYYY-MM-DD (German time).
        #[arg(long, default_value = "")]
        from: String,
        /// Last day, YYYY-MM-DD (German time).
        #[arg(long, default_value = "")]
        to: String,
    },
}

fn explain(err: AppError) -> String {
    match err {
        AppError::Validation { fields } => fields
            .into_iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        AppError::NotFound => "Kein Konto mit dieser E-Mail-Adresse.".into(),
        other => other.message(),
    }
}

fn parse<T>(field: &str, r: Result<T, String>) -> Result<T, String> {
    r.map_err(|m| format!("{field}: {m}"))
}

pub async fn run(cli: Cli, settings: Settings) -> Result<(), String> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => startup::serve(settings).await,
        Command::Migrate => {
            startup::open(&settings).await?;
            println!("Datenbank ist auf dem neuesten Stand.");
            Ok(())
        }
        Command::Demo { if_empty } => seed_demo(&settings, if_empty).await,
        Command::User { command } => user(&settings, command).await,
        Command::Residents {
            command: ResidentsCommand::Import { file, encoding },
        } => import_register(&settings, &file, encoding.as_deref()).await,
        Command::Residents {
            command: ResidentsCommand::Purge,
        } => {
            let db = startup::open(&settings).await?;
            let n = register::purge(&db, None).await.map_err(explain)?;
            println!("Melderegister gelöscht ({n} Einträge).");
            Ok(())
        }
        Command::Signatures { command } => {
            let db = startup::open(&settings).await?;
            match command {
                SignaturesCommand::Import { petition, file } => {
                    import_paper(&db, &petition, &file).await
                }
                SignaturesCommand::Check => check_signatures(&db).await,
                SignaturesCommand::Purge { petition } => {
                    let p = find_petition(&db, &petition).await?;
                    let n = signatures::purge_personal_data(&db, None, &p)
                        .await
                        .map_err(explain)?;
                    println!(
                        "Persönliche Daten von {n} Unterschriften gelöscht; die Zahlen bleiben."
                    );
                    Ok(())
                }
            }
        }
        Command::Export { command } => {
            let db = startup::open(&settings).await?;
            match command {
                ExportCommand::Signatures { petition, output } => {
                    let p = find_petition(&db, &petition).await?;
                    export_signatures(&db, &p, &output).await
                }
                ExportCommand::Tally {
                    petition,
                    format,
                    output,
                } => export_tally(&db, &petition, &format, &output).await,
            }
        }
        Command::Audit {
            command:
                AuditCommand::Export {
                    output,
                    action,
                    actor,
                    from,
                    to,
                },
        } => {
            let filter = app::admin::AuditFilter {
                action,
                actor,
                from,
                to,
            };
            export_audit(&settings, &filter, &output).await
        }
        Command::Audit {
            command: AuditCommand::Verify { anchor },
        } => verify_audit(&settings, anchor.as_deref()).await,
        Command::Audit {
            command: AuditCommand::Anchor,
        } => anchor_audit(&settings).await,
    }
}

async fn seed_demo(settings: &Settings, if_empty: bool) -> Result<(), String> {
    if settings.public_url.scheme() == "https" {
        return Err(
            "PUBLIC_URL beginnt mit https://: Die Demo-Daten (mit bekannten Passwörtern) gehören \
             nicht auf eine öffentliche Installation."
                .into(),
        );
    }
    let db = startup::open(settings).await?;
    if if_empty && !demo::is_empty(&db).await.map_err(explain)? {
        println!("Die Datenbank enthält bereits Konten; keine Demo-Daten geschrieben.");
        return Ok(());
    }
    demo::seed(&db, &startup::app_config(settings))
        .await
        .map_err(explain)?;
    println!(
        "Demo-Gemeinde angelegt. Konten (Passwort „{}“):",
        demo::DEMO_PASSWORD
    );
    for a in demo::ACCOUNTS {
        let roles: Vec<&str> = a.roles.iter().map(|r| r.label()).collect();
        println!(
            "  {:<36} {}",
            a.email,
            if roles.is_empty() {
                "Einwohner/in".to_string()
            } else {
                roles.join(", ")
            }
        );
    }
    Ok(())
}

async fn user(settings: &Settings, command: UserCommand) -> Result<(), String> {
    let db = startup::open(settings).await?;
    match command {
        UserCommand::Create { email, name, role } => {
            let email = parse("--email", EmailAddress::parse(&email))?;
            let name = parse("--name", DisplayName::parse(&name))?;
            let roles = role
                .iter()
                .map(|r| parse("--role", Role::parse(r)))
                .collect::<Result<Vec<_>, _>>()?;
            let password = match std::env::var("DORFPLATZ_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => rpassword::prompt_password("Passwort: ").map_err(|e| e.to_string())?,
            };
            let password = parse("Passwort", NewPassword::parse(&password))?;
            let municipality = app::site::server::municipality_name(&db)
                .await
                .map_err(explain)?;
            accounts::check_strength(
                &municipality,
                "password",
                &password,
                &[email.as_str(), name.as_str()],
            )
            .map_err(|e| match e.field_message("password") {
                Some(m) => format!("Passwort: {m}"),
                None => explain(e),
            })?;
            let id = accounts::create_confirmed(&db, &email, &name, &password, &roles)
                .await
                .map_err(explain)?;
            println!("Konto {id} für {email} angelegt.");
            Ok(())
        }
        UserCommand::Grant { email, role } => set_role(&db, &email, &role, true).await,
        UserCommand::Revoke { email, role } => set_role(&db, &email, &role, false).await,
        UserCommand::ResetTwoFactor { email } => {
            let email = parse("--email", EmailAddress::parse(&email))?;
            let id = accounts::user_id_by_email(&db, &email)
                .await
                .map_err(explain)?;
            accounts::two_factor::reset(&db, None, id)
                .await
                .map_err(explain)?;
            println!(
                "Die Zwei-Faktor-Anmeldung von {email} ist zurückgesetzt; alle Anmeldungen des Kontos sind beendet."
            );
            Ok(())
        }
    }
}

/// `signatures import`: a digitized paper list, every line reported.
async fn import_paper(db: &DatabaseConnection, petition: &str, file: &Path) -> Result<(), String> {
    let input = std::fs::File::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let report = paper_import::import(db, petition, None, std::io::BufReader::new(input))
        .await
        .map_err(|e| match e {
            AppError::NotFound => {
                format!("Kein Bürgerbegehren mit dem Kurznamen „{petition}“.")
            }
            other => explain(other),
        })?;
    for (line, result) in &report.lines {
        match result {
            paper_import::LineResult::Recorded { status } => {
                println!("Zeile {line}: erfasst – {}", status.label())
            }
            paper_import::LineResult::Duplicate { earlier } => println!(
                "Zeile {line}: erfasst als doppelt – dieselbe Person hat bereits unterschrieben ({earlier}); zählt nicht"
            ),
            paper_import::LineResult::Refused { reasons } => {
                println!("Zeile {line}: abgelehnt – {}", reasons.join("; "))
            }
        }
    }
    println!(
        "{} erfasst, {} doppelt, {} abgelehnt.",
        report.recorded(),
        report.duplicates(),
        report.refused()
    );
    if report.refused() > 0 {
        Err(format!("{} Zeilen wurden abgelehnt.", report.refused()))
    } else {
        Ok(())
    }
}

async fn check_signatures(db: &DatabaseConnection) -> Result<(), String> {
    if validation::current_import(db)
        .await
        .map_err(explain)?
        .is_none()
    {
        return Err("Es ist kein Melderegister eingelesen (dorfplatz residents import).".into());
    }
    let summary = validation::check_open_petitions(db)
        .await
        .map_err(explain)?;
    println!(
        "{} Unterschriften aus {} Bürgerbegehren geprüft.",
        summary.signatures, summary.petitions
    );
    Ok(())
}

async fn export_tally(
    db: &DatabaseConnection,
    petition: &str,
    format: &str,
    output: &Path,
) -> Result<(), String> {
    let format = app::reports::Format::parse(format)?;
    let p = find_petition(db, petition).await?;
    let report = reports::tally_report(db, &p).await.map_err(explain)?;
    let bytes = reports::render(&report, format).map_err(explain)?;
    reports::log_export(db, None, &p, format, "command line")
        .await
        .map_err(explain)?;
    write_atomically(output, &bytes)?;
    println!(
        "Prüfbericht von „{}“ ({}) nach {} geschrieben: {} gültig, {} ungültig, {} offen.",
        p.slug,
        format.extension(),
        output.display(),
        report.valid,
        report.invalid,
        report.pending
    );
    Ok(())
}

async fn export_audit(
    settings: &Settings,
    filter: &app::admin::AuditFilter,
    output: &Path,
) -> Result<(), String> {
    let parsed = audit::Filter::parse(filter).map_err(explain)?;
    let db = startup::open(settings).await?;
    audit::log_export(&db, None, filter, "command line")
        .await
        .map_err(explain)?;
    // Page by page into the file: memory stays flat however long the trail is.
    use std::io::Write;
    let fail = |e: std::io::Error| format!("{}: {e}", output.display());
    let partial = part_path(output);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&partial).map_err(fail)?);
    let mut after = 0i64;
    while let Some((page, last)) = audit::csv_page(&db, &parsed, after)
        .await
        .map_err(explain)?
    {
        file.write_all(&page).map_err(fail)?;
        if last == i64::MAX {
            break;
        }
        after = last;
    }
    file.flush().map_err(fail)?;
    drop(file);
    std::fs::rename(&partial, output).map_err(fail)?;
    println!("Protokoll nach {} geschrieben.", output.display());
    Ok(())
}

async fn verify_audit(settings: &Settings, anchor: Option<&str>) -> Result<(), String> {
    let anchor =
        match anchor {
            Some(text) => Some(audit::Anchor::parse(text).ok_or(
                "--anchor erwartet POSITION:HASH, z. B. 1234:3f5a… (64 Hexadezimalzeichen)",
            )?),
            None => None,
        };
    let db = startup::open(settings).await?;
    let result = audit::verify(&db, anchor.as_ref().map(|(p, h)| (*p, h.as_str())))
        .await
        .map_err(|e| e.to_string())?;
    match result.first_broken {
        None => {
            println!(
                "Audit-Protokoll unversehrt: {} Einträge geprüft.",
                result.checked
            );
            Ok(())
        }
        Some((id, reason)) => Err(format!(
            "Audit-Protokoll beschädigt ab Eintrag {id}: {reason}"
        )),
    }
}

async fn anchor_audit(settings: &Settings) -> Result<(), String> {
    let db = startup::open(settings).await?;
    let name = app::site::server::municipality_name(&db)
        .await
        .map_err(explain)?;
    let to = settings.audit_anchor_mail.as_deref();
    match audit::anchor(&db, to, &name, false)
        .await
        .map_err(explain)?
    {
        None => println!("Das Audit-Protokoll ist leer; es gibt noch keinen Anker."),
        Some(a) => {
            println!(
                "Anker: {} (Eintrag Nr. {} vom {})",
                a.text(),
                a.position,
                app::time::german_datetime_text(a.at)
            );
            match to {
                Some(to) => {
                    println!("Er geht per E-Mail an {to}, sobald der Server die Post verschickt.")
                }
                None => println!(
                    "Bitte außerhalb der Datenbank aufbewahren (DORFPLATZ_AUDIT_ANCHOR_MAIL verschickt ihn täglich)."
                ),
            }
        }
    }
    Ok(())
}

fn part_path(output: &std::path::Path) -> std::path::PathBuf {
    let mut partial = output.as_os_str().to_owned();
    partial.push(".part");
    partial.into()
}

/// Writes next to the target and renames at the end: an interrupted export leaves no half
/// file under the name asked for.
fn write_atomically(output: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("{}: {e}", output.display());
    let partial = part_path(output);
    std::fs::write(&partial, bytes).map_err(fail)?;
    std::fs::rename(&partial, output).map_err(fail)
}

async fn find_petition(
    db: &sea_orm::DatabaseConnection,
    slug: &str,
) -> Result<app::infra::entities::petition::Model, String> {
    app::petitions::server::procedure::find_by_slug(db, slug)
        .await
        .map_err(|e| match e {
            AppError::NotFound => format!("Kein Bürgerbegehren mit dem Kurznamen „{slug}“."),
            other => explain(other),
        })
}

/// Writes the export page by page into a file next to the target, renamed at the end: an
/// interrupted export leaves no half file under the name asked for.
async fn export_signatures(
    db: &sea_orm::DatabaseConnection,
    p: &app::infra::entities::petition::Model,
    output: &std::path::Path,
) -> Result<(), String> {
    use std::io::Write;
    let partial = output.with_extension("csv.part");
    let fail = |e: std::io::Error| format!("{}: {e}", output.display());
    let mut file = std::io::BufWriter::new(std::fs::File::create(&partial).map_err(fail)?);
    export::log_export(db, None, p, "command line")
        .await
        .map_err(explain)?;
    let mut after = 0i64;
    while let Some((bytes, last)) = export::signatures_page(db, p.id, after)
        .await
        .map_err(explain)?
    {
        file.write_all(&bytes).map_err(fail)?;
        if last == i64::MAX {
            break;
        }
        after = last;
    }
    file.flush().map_err(fail)?;
    drop(file);
    std::fs::rename(&partial, output).map_err(fail)?;
    println!(
        "Unterschriften von „{}“ nach {} geschrieben.",
        p.slug,
        output.display()
    );
    Ok(())
}

async fn import_register(
    settings: &Settings,
    file: &std::path::Path,
    encoding: Option<&str>,
) -> Result<(), String> {
    use app::register::record::Encoding;
    let encoding = match encoding {
        None => None,
        Some(name) => Some(Encoding::parse(name).ok_or_else(|| {
            format!("Unbekannte Kodierung „{name}“; möglich sind utf-8 und windows-1252.")
        })?),
    };
    let size = std::fs::metadata(file)
        .map_err(|e| format!("{}: {e}", file.display()))?
        .len();
    if size > register::MAX_FILE_BYTES {
        return Err(format!(
            "{} ist {} MB groß; mehr als {} MB nimmt der Import nicht an.",
            file.display(),
            size / 1_000_000,
            register::MAX_FILE_BYTES / 1_000_000
        ));
    }
    let db = startup::open(settings).await?;
    let input = std::fs::File::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let bar = indicatif::ProgressBar::new(size);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {percent:>3} % {binary_bytes}/{binary_total_bytes} · noch {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let outcome = register::import(
        &db,
        None,
        &name,
        size,
        std::io::BufReader::with_capacity(1 << 16, input),
        encoding,
        |bytes| bar.set_position(bytes),
    )
    .await
    .map_err(explain);
    bar.finish_and_clear();
    let outcome = outcome?;
    if outcome.succeeded() {
        println!(
            "Melderegister eingelesen: {} Einwohnerinnen und Einwohner, davon heute {} unterschriftsberechtigt (Kodierung {:?}). {} Unterschriften aus {} Bürgerbegehren neu geprüft.",
            outcome.rows,
            outcome.eligible,
            outcome.encoding,
            outcome.checked.signatures,
            outcome.checked.petitions
        );
        Ok(())
    } else {
        for (line, reason) in &outcome.bad {
            println!("Zeile {line}: {reason}");
        }
        if outcome.bad_count > outcome.bad.len() as u64 {
            println!(
                "… und {} weitere fehlerhafte Zeilen.",
                outcome.bad_count - outcome.bad.len() as u64
            );
        }
        Err(format!(
            "{} fehlerhafte Zeilen: nichts eingelesen, das bisherige Melderegister gilt weiter.",
            outcome.bad_count
        ))
    }
}

async fn set_role(
    db: &sea_orm::DatabaseConnection,
    email: &str,
    role: &str,
    grant: bool,
) -> Result<(), String> {
    let email = parse("--email", EmailAddress::parse(email))?;
    let role = parse("--role", Role::parse(role))?;
    let id = accounts::user_id_by_email(db, &email)
        .await
        .map_err(explain)?;
    let changed = accounts::change_role(db, None, id, role, grant)
        .await
        .map_err(explain)?;
    match (changed, grant) {
        (true, true) => println!("{email} hat jetzt die Rolle {}.", role.label()),
        (true, false) => println!("{email} hat die Rolle {} nicht mehr.", role.label()),
        (false, true) => println!("{email} hatte die Rolle {} bereits.", role.label()),
        (false, false) => println!("{email} hatte die Rolle {} nicht.", role.label()),
    }
    Ok(())
}
