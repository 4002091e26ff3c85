use app::infra::mail::{Mailer, Rendered, enqueue, worker};
use sea_orm::ConnectionTrait;

use crate::helpers::{Backend, TestApp, db_test};

fn message(n: usize) -> Rendered {
    Rendered {
        subject: format!("Nachricht {n}"),
        text: "Text".into(),
        html: "<p>Text</p>".into(),
        attachments: Vec::new(),
        list_unsubscribe: None,
    }
}

db_test!(
    an_smtp_outage_loses_no_mail_and_sends_none_twice,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        enqueue(&app.db, "lisa@kalletal.example", message(1))
            .await
            .unwrap();
        // Nothing listens on port 1: delivery fails and is retried later.
        let down = Mailer::smtp("smtp://127.0.0.1:1").unwrap();
        let tried = worker::deliver_due(&app.db, &down, "Test <t@dorfplatz.example>", "w1", 10)
            .await
            .unwrap();
        assert_eq!(tried, 1);
        assert_eq!(
            app.count("outbox WHERE sent_at IS NULL AND attempts = 1 AND last_error IS NOT NULL")
                .await,
            1
        );
        // Not due yet: the backoff holds it back.
        assert_eq!(
            worker::deliver_due(
                &app.db,
                &app.state.mailer,
                "Test <t@dorfplatz.example>",
                "w1",
                10
            )
            .await
            .unwrap(),
            0
        );
        app.db
            .execute_unprepared("UPDATE outbox SET next_attempt_at = created_at")
            .await
            .unwrap();
        assert_eq!(app.deliver_mail().await.len(), 1);
        assert_eq!(
            app.deliver_mail().await.len(),
            1,
            "a sent message is never sent again"
        );
        assert_eq!(app.count("outbox WHERE sent_at IS NOT NULL").await, 1);
    }
);

db_test!(
    parallel_workers_send_each_message_once,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        for n in 0..40 {
            enqueue(&app.db, &format!("p{n}@kalletal.example"), message(n))
                .await
                .unwrap();
        }
        let workers: Vec<_> = (0..4)
            .map(|i| {
                let db = app.db.clone();
                let mailer = app.state.mailer.clone();
                tokio::spawn(async move {
                    worker::deliver_due(
                        &db,
                        &mailer,
                        "Test <t@dorfplatz.example>",
                        &format!("w{i}"),
                        100,
                    )
                    .await
                    .unwrap()
                })
            })
            .collect();
        let mut attempted = 0;
        for w in workers {
            attempted += w.await.unwrap();
        }
        assert_eq!(attempted, 40);
        let mut recipients: Vec<String> =
            app.state.mailer.sent().into_iter().map(|m| m.to).collect();
        recipients.sort();
        recipients.dedup();
        assert_eq!(recipients.len(), 40);
        assert_eq!(app.state.mailer.sent().len(), 40);
        let _ = Backend::Sqlite;
    }
);

db_test!(
    delivered_mail_is_deleted_after_thirty_days,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        enqueue(&app.db, "lisa@kalletal.example", message(1))
            .await
            .unwrap();
        enqueue(&app.db, "otto@kalletal.example", message(2))
            .await
            .unwrap();
        worker::deliver_due(
            &app.db,
            &app.state.mailer,
            "Test <t@dorfplatz.example>",
            "w1",
            10,
        )
        .await
        .unwrap();
        assert_eq!(
            worker::purge_delivered(&app.db, worker::KEEP_DELIVERED)
                .await
                .unwrap(),
            0,
            "just sent: kept"
        );
        // One of them was sent 31 days ago.
        {
            use app::infra::entities::outbox;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
            outbox::Entity::update_many()
                .col_expr(
                    outbox::Column::SentAt,
                    Expr::value(chrono::Utc::now() - chrono::TimeDelta::days(31)),
                )
                .filter(outbox::Column::Recipient.eq("lisa@kalletal.example"))
                .exec(&app.db)
                .await
                .unwrap();
        }
        assert_eq!(
            worker::purge_delivered(&app.db, worker::KEEP_DELIVERED)
                .await
                .unwrap(),
            1
        );
        assert_eq!(app.count("outbox").await, 1);
        assert_eq!(
            app.count("outbox WHERE recipient = 'otto@kalletal.example'")
                .await,
            1
        );
    }
);

db_test!(
    a_restarted_instance_frees_only_its_own_leases,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        for n in 1..=2 {
            enqueue(&app.db, &format!("person{n}@kalletal.example"), message(n))
                .await
                .unwrap();
        }
        // Both messages leased for five minutes: the first by this instance's earlier run,
        // which was killed while sending, the second by another instance, still sending.
        let until = "'2999-01-01 00:00:00'";
        for (recipient, worker) in [
            ("person1@kalletal.example", "host/127.0.0.1:3000"),
            ("person2@kalletal.example", "host/127.0.0.1:3001"),
        ] {
            app.db
                .execute_unprepared(&format!(
                    "UPDATE outbox SET locked_by = '{worker}', locked_until = {until}, attempts = 1 \
                     WHERE recipient = '{recipient}'"
                ))
                .await
                .unwrap();
        }
        assert!(app.deliver_mail().await.is_empty(), "leased messages wait");
        assert_eq!(
            worker::release_leases_of(&app.db, "host/127.0.0.1:3000")
                .await
                .unwrap(),
            1
        );
        let sent = app.deliver_mail().await;
        assert_eq!(
            sent.iter().map(|m| m.to.as_str()).collect::<Vec<_>>(),
            ["person1@kalletal.example"]
        );
        // Nothing of its own left to free.
        assert_eq!(
            worker::release_leases_of(&app.db, "host/127.0.0.1:3000")
                .await
                .unwrap(),
            0
        );
    }
);
