//! Accounts, roles, sessions, single-use tokens, the mail outbox, the audit trail and the
//! site settings: what every later feature stands on.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Personal data of a deleted account is nulled, the row stays so that public
        // contributions keep their author ("gelöschtes Konto"); hence the nullable columns.
        m.create_table(
            Table::create()
                .table("users")
                .col(big_pk_auto("id"))
                .col(string_len_null("email", 254))
                .col(string_len_null("display_name", 80))
                .col(string_null("password_hash"))
                .col(timestamp_with_time_zone_null("email_confirmed_at"))
                .col(timestamp_with_time_zone_null("blocked_at"))
                .col(timestamp_with_time_zone_null("deleted_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        // Case-insensitive uniqueness is kept by storing the address lower-cased; NULLs
        // (deleted accounts) do not collide on either database.
        m.create_index(
            Index::create()
                .name("users_email_key")
                .table("users")
                .col("email")
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("user_roles")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len("role", 32))
                .col(timestamp_with_time_zone("granted_at"))
                .col(big_integer_null("granted_by"))
                .foreign_key(
                    ForeignKey::create()
                        .from("user_roles", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("user_roles", "granted_by")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("user_roles_user_role_key")
                .table("user_roles")
                .col("user_id")
                .col("role")
                .unique()
                .to_owned(),
        )
        .await?;

        // Server-side sessions: the cookie holds a random token, the table only its keyed hash,
        // so a database leak yields no usable session. Any instance can serve any request.
        m.create_table(
            Table::create()
                .table("sessions")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("token_hash", 64))
                .col(big_integer("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_seen_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("sessions", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("sessions_user_idx")
                .table("sessions")
                .col("user_id")
                .to_owned(),
        )
        .await?;

        // Single-use links (email confirmation, address change, password reset).
        m.create_table(
            Table::create()
                .table("account_tokens")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("token_hash", 64))
                .col(string_len("purpose", 32))
                .col(big_integer("user_id"))
                .col(string_len_null("new_email", 254))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("account_tokens", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        // The mail outbox: written in the transaction of the change that causes the mail, sent
        // by a worker that leases rows, so a crash or an SMTP outage loses nothing.
        m.create_table(
            Table::create()
                .table("outbox")
                .col(big_pk_auto("id"))
                .col(string_len("recipient", 254))
                .col(string_len("subject", 300))
                .col(text("body_text"))
                .col(text("body_html"))
                .col(text_null("attachments"))
                .col(timestamp_with_time_zone("created_at"))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(string_len_null("locked_by", 64))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(timestamp_with_time_zone_null("failed_at"))
                .col(text_null("last_error"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("outbox_due_idx")
                .table("outbox")
                .col("sent_at")
                .col("failed_at")
                .col("next_attempt_at")
                .to_owned(),
        )
        .await?;

        // Append-only audit trail; each entry carries the hash of the one before it.
        m.create_table(
            Table::create()
                .table("audit_log")
                .col(big_pk_auto("id"))
                .col(timestamp_with_time_zone("at"))
                .col(big_integer_null("actor_id"))
                .col(string_len("action", 64))
                .col(string_len("target_type", 32))
                .col(string_len_null("target_id", 64))
                .col(text("details"))
                .col(string_len("prev_hash", 64))
                .col(string_len("hash", 64))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("audit_log_action_idx")
                .table("audit_log")
                .col("action")
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("site_settings")
                .col(string_len("key", 64).primary_key())
                .col(text("value"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "site_settings",
            "audit_log",
            "outbox",
            "account_tokens",
            "sessions",
            "user_roles",
            "users",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
