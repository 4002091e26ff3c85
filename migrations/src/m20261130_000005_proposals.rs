//! Resident proposals: the staff-editable lists of topics and villages, the proposal with its
//! earlier versions, one support per account, and the public history of status changes with
//! the official answers. `search_text` holds title and text lower-cased, so that the word
//! search works the same on SQLite and PostgreSQL.

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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["topics", "districts"] {
            m.create_table(
                Table::create()
                    .table(table)
                    .col(big_pk_auto("id"))
                    .col(string_len_uniq("name", 80))
                    .col(integer("position"))
                    // Retired entries stay for the proposals that carry them.
                    .col(boolean("active"))
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table("proposals")
                .col(big_pk_auto("id"))
                .col(big_integer_null("author_id"))
                .col(string_len("title", 200))
                .col(text("body"))
                .col(big_integer("topic_id"))
                .col(big_integer_null("district_id"))
                .col(string_len("status", 24))
                .col(text("search_text"))
                .col(big_integer("supports"))
                .col(big_integer("comments"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("status_changed_at"))
                // Moderation: hidden with a public reason, by whom.
                .col(timestamp_with_time_zone_null("hidden_at"))
                .col(text_null("hidden_reason"))
                .col(big_integer_null("hidden_by"))
                .foreign_key(&mut fk(
                    "proposals",
                    "author_id",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "proposals",
                    "topic_id",
                    "topics",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "proposals",
                    "district_id",
                    "districts",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "proposals",
                    "hidden_by",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("proposals_created_idx", &["created_at"][..]),
            ("proposals_supports_idx", &["supports"][..]),
            ("proposals_comments_idx", &["comments"][..]),
            ("proposals_topic_idx", &["topic_id", "status"][..]),
            ("proposals_author_idx", &["author_id"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("proposals");
            for col in cols {
                index.col(*col);
            }
            m.create_index(index.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table("proposal_versions")
                .col(big_pk_auto("id"))
                .col(big_integer("proposal_id"))
                .col(string_len("title", 200))
                .col(text("body"))
                .col(big_integer("topic_id"))
                .col(big_integer_null("district_id"))
                // When this text stopped being the current one.
                .col(timestamp_with_time_zone("replaced_at"))
                .foreign_key(&mut fk(
                    "proposal_versions",
                    "proposal_id",
                    "proposals",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("proposal_supports")
                .col(big_integer("proposal_id"))
                .col(big_integer("user_id"))
                // Supporters may ask for email about the proposal's answers.
                .col(boolean("notify"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("proposal_id").col("user_id"))
                .foreign_key(&mut fk(
                    "proposal_supports",
                    "proposal_id",
                    "proposals",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "proposal_supports",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("proposal_status_changes")
                .col(big_pk_auto("id"))
                .col(big_integer("proposal_id"))
                .col(string_len_null("from_status", 24))
                .col(string_len("to_status", 24))
                .col(text_null("answer"))
                .col(big_integer_null("actor_id"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk(
                    "proposal_status_changes",
                    "proposal_id",
                    "proposals",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "proposal_status_changes",
                    "actor_id",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("proposal_status_changes_idx")
                .table("proposal_status_changes")
                .col("proposal_id")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "proposal_status_changes",
            "proposal_supports",
            "proposal_versions",
            "proposals",
            "districts",
            "topics",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
