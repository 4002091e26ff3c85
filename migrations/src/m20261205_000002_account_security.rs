//! Account security: a second factor (one-time passwords and single-use recovery codes),
//! login attempts waiting for their code, what the account page shows of each session
//! (browser and network prefix), and rate-limit counters that every instance shares.
//!
//! The one-time password secret is not stored: it is derived from the server's key, the
//! account and `totp_generation` (a new enrolment bumps it), so a database dump alone yields
//! no second factor.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one new column per ALTER TABLE.
        let user_columns = [
            ColumnDef::new("totp_generation")
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            timestamp_with_time_zone_null("totp_enabled_at"),
            // The last time step a code was accepted for: a code works once (RFC 6238, 5.2).
            big_integer_null("totp_last_step"),
            ColumnDef::new("recovery_generation")
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            // New recovery codes are shown until then, once, on the enrolment page.
            timestamp_with_time_zone_null("recovery_shown_until"),
        ];
        for mut column in user_columns {
            m.alter_table(
                Table::alter()
                    .table("users")
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        for mut column in [
            string_len_null("user_agent", 200),
            string_len_null("network", 64),
        ] {
            m.alter_table(
                Table::alter()
                    .table("sessions")
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table("recovery_codes")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len_uniq("code_hash", 64))
                .col(timestamp_with_time_zone_null("used_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("recovery_codes", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("recovery_codes_user_idx")
                .table("recovery_codes")
                .col("user_id")
                .to_owned(),
        )
        .await?;
        // A password that was right, waiting for its code (cookie holds the raw token).
        m.create_table(
            Table::create()
                .table("login_challenges")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("token_hash", 64))
                .col(big_integer("user_id"))
                .col(integer("failures").default(0))
                .col(string_len_null("user_agent", 200))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("login_challenges", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // Generic cell rate algorithm: one row per bucket and subject (keyed hash), holding
        // the theoretical arrival time in milliseconds.
        m.create_table(
            Table::create()
                .table("rate_limits")
                .col(string_len("bucket_key", 64).primary_key())
                .col(big_integer("tat"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["rate_limits", "login_challenges", "recovery_codes"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        for column in ["network", "user_agent"] {
            m.alter_table(
                Table::alter()
                    .table("sessions")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        for column in [
            "recovery_shown_until",
            "recovery_generation",
            "totp_last_step",
            "totp_enabled_at",
            "totp_generation",
        ] {
            m.alter_table(Table::alter().table("users").drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
