//! Comment threads, moderation and notifications.
//!
//! - `comments` hang off a subject (`subject_type` + `subject_id`: a proposal, a petition,
//!   later a board session). `root_id` names the top-level comment of a reply, so a page of
//!   top-level comments loads its replies with one indexed query; `parent_id` is where a
//!   reply sits (at most three levels), `reply_to_id` whom it answers (a reply to the third
//!   level attaches beside it).
//! - `comment_versions` keep earlier texts for moderators; `comment_likes` one like per account.
//! - `content_reports` are residents' reports of a comment or proposal, open until a
//!   moderator decides.
//! - `follows` say who wants email about a subject; `notifications` collect what happened
//!   until the next digest, and `users.notified_at` says when the last digest went out (at
//!   most one per hour and person).
//! - `outbox.list_unsubscribe` carries the one-click unsubscribe address of a message.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    from: &'static str,
    col: &'static str,
    to: &'static str,
    action: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from, col)
        .to(to, "id")
        .on_delete(action)
        .to_owned()
}

async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: &str,
    cols: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(Alias::new(table));
    for col in cols {
        index.col(*col);
    }
    if unique {
        index.unique();
    }
    m.create_index(index.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("comments")
                .col(big_pk_auto("id"))
                .col(string_len("subject_type", 16))
                .col(big_integer("subject_id"))
                .col(big_integer_null("root_id"))
                .col(big_integer_null("parent_id"))
                .col(big_integer_null("reply_to_id"))
                .col(small_integer("depth"))
                .col(big_integer_null("author_id"))
                .col(text("body"))
                .col(big_integer("likes"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("edited_at"))
                .col(timestamp_with_time_zone_null("deleted_at"))
                .col(timestamp_with_time_zone_null("hidden_at"))
                .col(text_null("hidden_reason"))
                .col(big_integer_null("hidden_by"))
                .foreign_key(&mut fk(
                    "comments",
                    "author_id",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "comments",
                    "hidden_by",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        // Top-level comments of a subject in id order (root_id IS NULL), and the replies of a
        // page of them.
        index(
            m,
            "comments_subject_idx",
            "comments",
            &["subject_type", "subject_id", "root_id", "id"],
            false,
        )
        .await?;
        index(
            m,
            "comments_root_idx",
            "comments",
            &["root_id", "id"],
            false,
        )
        .await?;
        // The posting limit counts an author's recent comments.
        index(
            m,
            "comments_author_idx",
            "comments",
            &["author_id", "created_at"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table("comment_versions")
                .col(big_pk_auto("id"))
                .col(big_integer("comment_id"))
                .col(text("body"))
                .col(timestamp_with_time_zone("replaced_at"))
                .foreign_key(&mut fk(
                    "comment_versions",
                    "comment_id",
                    "comments",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "comment_versions_idx",
            "comment_versions",
            &["comment_id"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table("comment_likes")
                .col(big_integer("comment_id"))
                .col(big_integer("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("comment_id").col("user_id"))
                .foreign_key(&mut fk(
                    "comment_likes",
                    "comment_id",
                    "comments",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "comment_likes",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("content_reports")
                .col(big_pk_auto("id"))
                .col(string_len("target_type", 16))
                .col(big_integer("target_id"))
                .col(big_integer_null("reporter_id"))
                .col(text("reason"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("resolved_at"))
                .col(big_integer_null("resolved_by"))
                // hidden | dismissed
                .col(string_len_null("resolution", 16))
                .foreign_key(&mut fk(
                    "content_reports",
                    "reporter_id",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "content_reports",
                    "resolved_by",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        // One report per person and item.
        index(
            m,
            "content_reports_once_idx",
            "content_reports",
            &["target_type", "target_id", "reporter_id"],
            true,
        )
        .await?;
        index(
            m,
            "content_reports_open_idx",
            "content_reports",
            &["resolved_at", "created_at"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table("follows")
                .col(big_integer("user_id"))
                .col(string_len("subject_type", 16))
                .col(big_integer("subject_id"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(
                    Index::create()
                        .col("user_id")
                        .col("subject_type")
                        .col("subject_id"),
                )
                .foreign_key(&mut fk(
                    "follows",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "follows_subject_idx",
            "follows",
            &["subject_type", "subject_id"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table("notifications")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len("subject_type", 16))
                .col(big_integer("subject_id"))
                .col(text("text"))
                .col(text("link"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .foreign_key(&mut fk(
                    "notifications",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "notifications_due_idx",
            "notifications",
            &["sent_at", "user_id"],
            false,
        )
        .await?;
        // Who already waits for news of a proposal follows it: its author, and supporters who
        // asked for email (until now the only recipients of answers).
        let db = m.get_connection();
        db.execute_unprepared(
            "INSERT INTO follows (user_id, subject_type, subject_id, created_at) \
             SELECT user_id, 'proposal', proposal_id, created_at FROM proposal_supports WHERE notify",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO follows (user_id, subject_type, subject_id, created_at) \
             SELECT p.author_id, 'proposal', p.id, p.created_at FROM proposals p \
             WHERE p.author_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM follows f \
             WHERE f.user_id = p.author_id AND f.subject_type = 'proposal' AND f.subject_id = p.id)",
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("users")
                .add_column(timestamp_with_time_zone_null("notified_at"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("outbox")
                .add_column(text_null("list_unsubscribe"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("outbox")
                .drop_column("list_unsubscribe")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("users")
                .drop_column("notified_at")
                .to_owned(),
        )
        .await?;
        for table in [
            "notifications",
            "follows",
            "content_reports",
            "comment_likes",
            "comment_versions",
            "comments",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
