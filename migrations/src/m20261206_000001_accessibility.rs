//! Barrier feedback (BGG § 12b, BITV 2.0 § 7): what a visitor reports about a barrier on the
//! site, answered by the administration within a deadline; and the videos in Deutsche
//! Gebärdensprache (BITV 2.0 § 4); summaries in Leichte Sprache of petitions, proposals and
//! sessions. The accessibility statement and the Leichte Sprache page are texts in
//! `site_settings`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("barrier_feedback")
                .col(big_pk_auto("id"))
                // Both optional: a report needs no name and, if no answer is wanted, no address.
                .col(string_len_null("name", 100))
                .col(string_len_null("email", 254))
                // The page the barrier is on, as the visitor gave it (or the page they came from).
                .col(string_len_null("page", 500))
                .col(text("description"))
                // new | answered | closed
                .col(string_len("status", 16))
                .col(timestamp_with_time_zone("received_at"))
                .col(text_null("answer"))
                .col(timestamp_with_time_zone_null("answered_at"))
                .col(big_integer_null("answered_by"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("barrier_feedback", "answered_by")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("barrier_feedback_status_idx")
                .table("barrier_feedback")
                .col("status")
                .col("received_at")
                .to_owned(),
        )
        .await?;
        // Files are stored content-addressed beside the agenda attachments.
        m.create_table(
            Table::create()
                .table("sign_videos")
                .col(big_pk_auto("id"))
                // offer | navigation | accessibility | more: the four points of BITV 2.0 § 4.
                .col(string_len("topic", 16))
                .col(string_len("title", 200))
                .col(text("transcript"))
                .col(string_len("content_type", 40))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(string_len_null("captions_sha256", 64))
                .col(big_integer_null("uploaded_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("sign_videos", "uploaded_by")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        // A summary in Leichte Sprache of a petition, proposal or board session, written by
        // the administration (one per subject).
        m.create_table(
            Table::create()
                .table("easy_summaries")
                .col(string_len("subject_type", 16))
                .col(big_integer("subject_id"))
                .col(text("text"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(big_integer_null("updated_by"))
                .primary_key(Index::create().col("subject_type").col("subject_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("easy_summaries", "updated_by")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["easy_summaries", "sign_videos", "barrier_feedback"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
