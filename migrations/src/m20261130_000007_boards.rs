//! Advisory boards and their sessions.
//!
//! - `boards`: a municipality's advisory boards, with a public contact and the term of office
//!   (exposed as OParl `LegislativeTerm`).
//! - `board_members`: accounts with a role (chair, deputy, member, advisory member without a
//!   vote) and a term; `public_name` records the member's consent to be named in public.
//! - `meetings` (named so to keep them apart from the login `sessions`): a board session with
//!   its place, status, the recorded quorum, the minutes and the iCalendar `SEQUENCE`.
//! - `agenda_items`: numbered by `parent_id` + `position` (TOP 2.1 is the first child of
//!   TOP 2); each carries its outcome (recommendation, vote counts, majority rule, result) and
//!   may point to a resident proposal or a petition.
//! - `agenda_files`: attachments, stored content-addressed under the data directory.
//! - `meeting_attendance`: members' answers to the invitation and the attendance the chair
//!   records.
//!
//! Every table the OParl API exposes has `created_at`, `updated_at` and `deleted_at`: a deleted
//! object answers as a tombstone.

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
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(Alias::new(table));
    for col in cols {
        index.col(*col);
    }
    m.create_index(index.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("boards")
                .col(big_pk_auto("id"))
                .col(string_len("name", 120))
                .col(text("description"))
                .col(text("contact"))
                .col(date_null("term_start"))
                .col(date_null("term_end"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("deleted_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("board_members")
                .col(big_pk_auto("id"))
                .col(big_integer("board_id"))
                .col(big_integer("user_id"))
                // chair | deputy | member | advisory
                .col(string_len("role", 16))
                .col(date("term_from"))
                .col(date_null("term_to"))
                .col(boolean("public_name"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("deleted_at"))
                .foreign_key(&mut fk(
                    "board_members",
                    "board_id",
                    "boards",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "board_members",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(m, "board_members_board_idx", "board_members", &["board_id"]).await?;
        index(m, "board_members_user_idx", "board_members", &["user_id"]).await?;
        m.create_table(
            Table::create()
                .table("meetings")
                .col(big_pk_auto("id"))
                .col(big_integer("board_id"))
                .col(string_len("title", 160))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(text("address"))
                .col(text("room"))
                .col(text_null("online_url"))
                .col(boolean("public"))
                // planned | invited | held | published | cancelled
                .col(string_len("status", 16))
                .col(text_null("cancel_reason"))
                .col(boolean_null("quorum"))
                .col(text_null("minutes"))
                .col(timestamp_with_time_zone_null("minutes_approved_at"))
                .col(timestamp_with_time_zone_null("minutes_published_at"))
                .col(integer("sequence"))
                .col(timestamp_with_time_zone_null("invited_at"))
                .col(big_integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("deleted_at"))
                .foreign_key(&mut fk(
                    "meetings",
                    "board_id",
                    "boards",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "meetings",
                    "created_by",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "meetings_board_idx",
            "meetings",
            &["board_id", "starts_at"],
        )
        .await?;
        index(m, "meetings_start_idx", "meetings", &["starts_at"]).await?;
        m.create_table(
            Table::create()
                .table("agenda_items")
                .col(big_pk_auto("id"))
                .col(big_integer("meeting_id"))
                .col(big_integer_null("parent_id"))
                .col(integer("position"))
                .col(string_len("title", 200))
                .col(text("description"))
                .col(boolean("public"))
                .col(big_integer_null("proposal_id"))
                .col(big_integer_null("petition_id"))
                .col(text("notes"))
                .col(text("recommendation"))
                .col(integer_null("votes_yes"))
                .col(integer_null("votes_no"))
                .col(integer_null("votes_abstain"))
                // simple | absolute | two_thirds
                .col(string_len_null("majority", 16))
                // adopted | rejected | postponed
                .col(string_len_null("result", 16))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("deleted_at"))
                .foreign_key(&mut fk(
                    "agenda_items",
                    "meeting_id",
                    "meetings",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "agenda_items",
                    "proposal_id",
                    "proposals",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "agenda_items",
                    "petition_id",
                    "petitions",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "agenda_items_meeting_idx",
            "agenda_items",
            &["meeting_id"],
        )
        .await?;
        index(
            m,
            "agenda_items_proposal_idx",
            "agenda_items",
            &["proposal_id"],
        )
        .await?;
        index(
            m,
            "agenda_items_petition_idx",
            "agenda_items",
            &["petition_id"],
        )
        .await?;
        m.create_table(
            Table::create()
                .table("agenda_files")
                .col(big_pk_auto("id"))
                .col(big_integer("item_id"))
                .col(string_len("filename", 200))
                .col(string_len("content_type", 100))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(big_integer_null("uploaded_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("deleted_at"))
                .foreign_key(&mut fk(
                    "agenda_files",
                    "item_id",
                    "agenda_items",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "agenda_files",
                    "uploaded_by",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        index(m, "agenda_files_item_idx", "agenda_files", &["item_id"]).await?;
        m.create_table(
            Table::create()
                .table("meeting_attendance")
                .col(big_integer("meeting_id"))
                .col(big_integer("member_id"))
                // attending | absent
                .col(string_len_null("response", 16))
                .col(timestamp_with_time_zone_null("responded_at"))
                .col(boolean_null("present"))
                .primary_key(Index::create().col("meeting_id").col("member_id"))
                .foreign_key(&mut fk(
                    "meeting_attendance",
                    "meeting_id",
                    "meetings",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "meeting_attendance",
                    "member_id",
                    "board_members",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "meeting_attendance",
            "agenda_files",
            "agenda_items",
            "meetings",
            "board_members",
            "boards",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
