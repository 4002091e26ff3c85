//! Citizens' petitions (Bürgerbegehren): the petition and its procedure, representatives,
//! the public timeline, signatures (online and paper) and the counters the progress bar
//! reads, so that counting never scans the signatures.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("petitions")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("slug", 80))
                .col(string_len("title", 200))
                .col(text("question"))
                .col(text("justification"))
                // 'initiating' or 'cassatory' (against a council decision).
                .col(string_len("kind", 16))
                .col(date_null("council_meeting_on"))
                .col(date_null("council_published_on"))
                .col(date_null("cost_estimate_requested_on"))
                .col(date_null("cost_estimated_on"))
                // The legal deadline (cassatory petitions), recomputed when the cost estimate
                // arrives, and the initiators' own end of collection; the earlier one counts.
                .col(date_null("deadline"))
                .col(date_null("end_date"))
                .col(string_len("stage", 32))
                // The law in force when the petition was drafted, then when it was published.
                .col(string_len("rule_set_id", 32))
                .col(text_null("cost_estimate"))
                // Fixed at publication from the municipality's figures, with the rule it came
                // from, so later changes to the figures do not move the goal mid-collection.
                .col(big_integer_null("required"))
                .col(text_null("required_explanation"))
                .col(big_integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .col(text_null("decision_reason"))
                .col(date_null("referendum_on"))
                .col(big_integer_null("referendum_yes"))
                .col(big_integer_null("referendum_no"))
                .col(string_len_null("referendum_outcome", 16))
                .foreign_key(
                    ForeignKey::create()
                        .from("petitions", "created_by")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("petitions_stage_idx")
                .table("petitions")
                .col("stage")
                .to_owned(),
        )
        .await?;

        // The persons authorised to represent the signers (at most three in NRW).
        m.create_table(
            Table::create()
                .table("petition_representatives")
                .col(big_pk_auto("id"))
                .col(big_integer("petition_id"))
                .col(integer("position"))
                .col(string_len("name", 200))
                .col(string_len("address", 300))
                .col(string_len_null("email", 254))
                .foreign_key(
                    ForeignKey::create()
                        .from("petition_representatives", "petition_id")
                        .to("petitions", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("petition_representatives_position_key")
                .table("petition_representatives")
                .col("petition_id")
                .col("position")
                .unique()
                .to_owned(),
        )
        .await?;

        // Every step of the procedure; the public ones form the timeline on the petition page.
        m.create_table(
            Table::create()
                .table("petition_events")
                .col(big_pk_auto("id"))
                .col(big_integer("petition_id"))
                .col(timestamp_with_time_zone("at"))
                .col(string_len("step", 32))
                .col(string_len("stage", 32))
                .col(boolean("public"))
                .col(big_integer_null("actor_id"))
                .col(text_null("note"))
                .foreign_key(
                    ForeignKey::create()
                        .from("petition_events", "petition_id")
                        .to("petitions", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("petition_events", "actor_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("petition_events_petition_idx")
                .table("petition_events")
                .col("petition_id")
                .col("at")
                .to_owned(),
        )
        .await?;

        // One row per signature, online or paper. Only the data the law requires; the email
        // address only for online signers (confirmation, receipt, opted-in news).
        m.create_table(
            Table::create()
                .table("signatures")
                .col(big_pk_auto("id"))
                .col(big_integer("petition_id"))
                // 'online' or 'paper'.
                .col(string_len("channel", 8))
                // pending_confirmation → unchecked (confirmed or entered, awaiting the check
                // against the register) → the register check's codes; or withdrawn.
                .col(string_len("status", 32))
                .col(string_len("family_name", 100))
                .col(string_len("given_names", 100))
                // Nullable: a paper line with an unreadable date is still recorded and decided
                // (courts require the administration to try to identify the signer).
                .col(date_null("birth_date"))
                .col(string_len("street", 100))
                .col(string_len("house_number", 12))
                .col(string_len("postal_code", 5))
                .col(string_len("city", 100))
                .col(string_len_null("email", 254))
                // Normalized family name, given names and date of birth. `dedup_key` carries
                // the same value for the one signature of a person that counts, NULL for a
                // recorded duplicate: a unique index keeps one per person per petition, across
                // channels, even under parallel requests.
                .col(string_len("identity_key", 320))
                .col(string_len_null("dedup_key", 320))
                .col(boolean("notify").default(false))
                // Paper: the sheet and line it was written on; online signers' personal
                // sheets carry a code that staff scan when the signed sheet comes back.
                .col(integer_null("sheet_number"))
                .col(integer_null("line_number"))
                .col(string_len_null("sheet_code", 16))
                .col(timestamp_with_time_zone_null("sheet_received_at"))
                .col(date_null("signed_on"))
                // The German day the signature started counting (confirmation, entry, sheet
                // received): the counter bucket it sits in.
                .col(date_null("counted_on"))
                .col(string_len_null("confirm_token_hash", 64))
                .col(timestamp_with_time_zone_null("confirm_expires_at"))
                .col(string_len_null("receipt_token_hash", 64))
                .col(big_integer_null("entered_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("confirmed_at"))
                .col(timestamp_with_time_zone_null("withdrawn_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("signatures", "petition_id")
                        .to("petitions", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("signatures", "entered_by")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols, unique) in [
            (
                "signatures_dedup_key",
                &["petition_id", "dedup_key"][..],
                true,
            ),
            (
                "signatures_identity_idx",
                &["petition_id", "identity_key"][..],
                false,
            ),
            (
                "signatures_confirm_token_key",
                &["confirm_token_hash"][..],
                true,
            ),
            (
                "signatures_receipt_token_key",
                &["receipt_token_hash"][..],
                true,
            ),
            (
                "signatures_sheet_code_key",
                &["petition_id", "sheet_code"][..],
                true,
            ),
            (
                "signatures_sheet_line_key",
                &["petition_id", "sheet_number", "line_number"][..],
                true,
            ),
            (
                "signatures_status_idx",
                &["petition_id", "status"][..],
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table("signatures");
            for col in cols {
                index.col(*col);
            }
            if unique {
                index.unique();
            }
            m.create_index(index.to_owned()).await?;
        }

        // Signatures that count, per petition, day and channel. Each of several shards takes
        // a random share of the increments, so parallel confirmations do not queue on one
        // row; the progress bar sums a handful of rows however many signatures there are.
        m.create_table(
            Table::create()
                .table("petition_counts")
                .col(big_pk_auto("id"))
                .col(big_integer("petition_id"))
                .col(date("day"))
                .col(string_len("channel", 8))
                .col(small_integer("shard"))
                .col(big_integer("n"))
                .foreign_key(
                    ForeignKey::create()
                        .from("petition_counts", "petition_id")
                        .to("petitions", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("petition_counts_key")
                .table("petition_counts")
                .col("petition_id")
                .col("day")
                .col("channel")
                .col("shard")
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "petition_counts",
            "signatures",
            "petition_events",
            "petition_representatives",
            "petitions",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
