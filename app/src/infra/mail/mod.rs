//! Outgoing mail. Messages are written to the `outbox` table inside the transaction of the
//! change that causes them; the worker (`worker.rs`) delivers them through a `Mailer`.

pub use lettre::message::Mailbox;

pub mod templates;
pub mod worker;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use lettre::message::{Attachment, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use serde::{Deserialize, Serialize};

use super::entities::outbox;

/// A message ready to be queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<MailAttachment>,
    /// The one-click unsubscribe address of notification emails (RFC 8058).
    pub list_unsubscribe: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailAttachment {
    pub filename: String,
    pub content_type: String,
    /// Base64 of the content, so the outbox column stays text on both databases.
    pub content_base64: String,
}

/// Queues a message in the caller's transaction.
pub async fn enqueue<C: ConnectionTrait>(tx: &C, to: &str, mail: Rendered) -> Result<(), DbErr> {
    let now = Utc::now();
    let attachments = if mail.attachments.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&mail.attachments).map_err(|e| DbErr::Custom(e.to_string()))?)
    };
    outbox::Entity::insert(outbox::ActiveModel {
        recipient: Set(to.to_owned()),
        subject: Set(mail.subject),
        body_text: Set(mail.text),
        body_html: Set(mail.html),
        attachments: Set(attachments),
        list_unsubscribe: Set(mail.list_unsubscribe),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        ..Default::default()
    })
    .exec(tx)
    .await?;
    Ok(())
}

/// A delivered message, as the in-memory backend keeps it for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<String>,
    pub list_unsubscribe: Option<String>,
}

/// Where mail goes: a real SMTP server, `.eml` files (the default without `SMTP_URL`), or
/// memory (tests).
#[derive(Clone)]
pub enum Mailer {
    Smtp(Arc<AsyncSmtpTransport<Tokio1Executor>>),
    Files(PathBuf),
    Memory(Arc<Mutex<Vec<SentMail>>>),
}

impl Mailer {
    /// `smtp://host:port` (plain, for local relays and maildev), `smtp://…?tls=required`
    /// (STARTTLS), or `smtps://user:pass@host` (implicit TLS).
    pub fn smtp(url: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL ist ungültig: {e}"))?
            .build();
        Ok(Self::Smtp(Arc::new(transport)))
    }

    pub fn files(dir: PathBuf) -> Self {
        Self::Files(dir)
    }

    pub fn memory() -> Self {
        Self::Memory(Arc::new(Mutex::new(Vec::new())))
    }

    /// What the memory backend has delivered so far (empty for the others).
    pub fn sent(&self) -> Vec<SentMail> {
        match self {
            Self::Memory(sent) => sent.lock().map(|s| s.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    pub(crate) async fn deliver(&self, from: &str, row: &outbox::Model) -> Result<(), String> {
        let attachments: Vec<MailAttachment> = match &row.attachments {
            Some(json) => serde_json::from_str(json).map_err(|e| e.to_string())?,
            None => Vec::new(),
        };
        match self {
            Self::Memory(sent) => {
                let mut sent = sent.lock().map_err(|e| e.to_string())?;
                sent.push(SentMail {
                    to: row.recipient.clone(),
                    subject: row.subject.clone(),
                    text: row.body_text.clone(),
                    html: row.body_html.clone(),
                    attachments: attachments.iter().map(|a| a.filename.clone()).collect(),
                    list_unsubscribe: row.list_unsubscribe.clone(),
                });
                Ok(())
            }
            Self::Smtp(transport) => {
                let message = build_message(from, row, &attachments)?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            Self::Files(dir) => {
                let message = build_message(from, row, &attachments)?;
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| format!("{}: {e}", dir.display()))?;
                let id = AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await
                    .map_err(|e| e.to_string())?;
                // Without a mail server the operator needs the links (confirmation, reset).
                let links: Vec<&str> = row
                    .body_text
                    .split_whitespace()
                    .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
                    .collect();
                tracing::info!(
                    to = %row.recipient,
                    subject = %row.subject,
                    file = %dir.join(format!("{id}.eml")).display(),
                    links = ?links,
                    "E-Mail als Datei gespeichert"
                );
                Ok(())
            }
        }
    }
}

fn build_message(
    from: &str,
    row: &outbox::Model,
    attachments: &[MailAttachment],
) -> Result<Message, String> {
    use base64::Engine;
    let from: Mailbox = from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?;
    let to: Mailbox = row
        .recipient
        .parse()
        .map_err(|e| format!("Empfänger: {e}"))?;
    let alternative = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(row.body_text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(row.body_html.clone()),
        );
    let body = if attachments.is_empty() {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for a in attachments {
            let content = base64::engine::general_purpose::STANDARD
                .decode(&a.content_base64)
                .map_err(|e| e.to_string())?;
            let content_type = ContentType::parse(&a.content_type).map_err(|e| e.to_string())?;
            mixed =
                mixed.singlepart(Attachment::new(a.filename.clone()).body(content, content_type));
        }
        mixed
    };
    // One Message-ID per outbox row, the same on every attempt: should a message go out
    // twice (an instance killed between the server's "accepted" and recording it), mail
    // programs and providers recognize the second copy.
    let message_id = format!(
        "<outbox-{}-{}@{}>",
        row.id,
        row.created_at.timestamp(),
        from.email.domain()
    );
    let mut builder = Message::builder()
        .message_id(Some(message_id))
        .from(from)
        .to(to)
        .subject(row.subject.clone());
    if let Some(url) = &row.list_unsubscribe {
        // Mail programs offer their own "unsubscribe" button and POST to the address.
        builder = builder
            .header(ListUnsubscribe(url.clone()))
            .header(ListUnsubscribePost);
    }
    builder.multipart(body).map_err(|e| e.to_string())
}

type HeaderError = Box<dyn std::error::Error + Send + Sync>;

/// `List-Unsubscribe: <https://…>` (RFC 2369).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl lettre::message::header::Header for ListUnsubscribe {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, HeaderError> {
        Ok(Self(
            s.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned(),
        ))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl lettre::message::header::Header for ListUnsubscribePost {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, HeaderError> {
        Ok(Self)
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(
            Self::name(),
            "List-Unsubscribe=One-Click".to_owned(),
        )
    }
}
