//! Sessions and accounts: idle timeouts, the list of signed-in browsers, "Überall abmelden",
//! new sessions at login and role changes, what a changed password or address ends, no
//! pre-hijacking of unconfirmed addresses, housekeeping, confirmed accounts only for roles
//! and boards, the password check, and rate limits shared by two instances.

use app::accounts::domain::Role;
use app::infra::entities::session;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::helpers::{TestApp, db_test, error_code, new_client};

fn client_named(user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .build()
        .unwrap()
}

const FIREFOX: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/// Moves the last activity of every session of the account back by `by`.
async fn idle(app: &TestApp, email: &str, by: chrono::TimeDelta) {
    let id = user_id(app, email).await;
    session::Entity::update_many()
        .col_expr(
            session::Column::LastSeenAt,
            Expr::value(chrono::Utc::now() - by),
        )
        .filter(session::Column::UserId.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    use app::infra::entities::user;
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn set_municipality(app: &TestApp) {
    app::site::server::put(
        &app.db,
        app::site::server::MUNICIPALITY_NAME,
        "Gemeinde Kalletal",
    )
    .await
    .unwrap();
}

db_test!(idle_sessions_end_sooner_for_staff, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let kim = app.client_for("kim@kalletal.example", &[Role::Staff]).await;
    let anna = app.client_for("anna@kalletal.example", &[]).await;
    idle(&app, "kim@kalletal.example", chrono::TimeDelta::hours(3)).await;
    idle(&app, "anna@kalletal.example", chrono::TimeDelta::hours(3)).await;
    assert!(app.me_of(&kim).await.is_null(), "staff: 2 hours");
    assert_eq!(app.me_of(&anna).await["email"], "anna@kalletal.example");
    idle(&app, "anna@kalletal.example", chrono::TimeDelta::days(15)).await;
    assert!(app.me_of(&anna).await.is_null(), "residents: 14 days");
    assert_eq!(app.count("sessions").await, 0, "ended sessions are deleted");
});

db_test!(
    the_account_lists_its_sessions_and_ends_them,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.account_with_roles("anna@kalletal.example", &[]).await;
        let laptop = client_named(FIREFOX);
        let phone = client_named(IPHONE);
        app.sign_in(&laptop, "anna@kalletal.example", "sicheres-passwort")
            .await;
        app.sign_in(&phone, "anna@kalletal.example", "sicheres-passwort")
            .await;
        let list = app.json_of(&laptop, "my_sessions", &[]).await;
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0]["current"], true);
        assert_eq!(list[0]["browser"], "Firefox unter Windows");
        assert_eq!(list[1]["browser"], "Safari unter iOS");
        // The place is the network prefix only, never the address.
        assert_eq!(list[0]["network"], "127.0.0.0/24");
        let page = laptop
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Angemeldete Geräte") && page.contains("Safari unter iOS"));
        assert!(page.contains("Überall abmelden"));

        // Another account cannot end Anna's session.
        let other = app.client_for("bernd@kalletal.example", &[]).await;
        let phone_id = list[1]["id"].as_i64().unwrap().to_string();
        let (status, _) = error_code(
            app.call_with(&other, "end_session", &[("id", &phone_id)])
                .await,
        )
        .await;
        assert_eq!(status, 404);
        assert_eq!(app.me_of(&phone).await["email"], "anna@kalletal.example");
        // Anna ends the phone's session from the laptop.
        let res = app
            .call_with(&laptop, "end_session", &[("id", &phone_id)])
            .await;
        assert_eq!(res.status(), 200);
        assert!(app.me_of(&phone).await.is_null());
        assert_eq!(app.me_of(&laptop).await["email"], "anna@kalletal.example");
        // Ending the session one is looking from signs this browser out.
        let own = list[0]["id"].as_i64().unwrap().to_string();
        let res = app.call_with(&laptop, "end_session", &[("id", &own)]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["location"], "/?notice=logged_out");
        assert!(app.me_of(&laptop).await.is_null());
        // "Überall abmelden" ends every session, this one's too.
        app.sign_in(&laptop, "anna@kalletal.example", "sicheres-passwort")
            .await;
        app.sign_in(&phone, "anna@kalletal.example", "sicheres-passwort")
            .await;
        let res = app.call_with(&laptop, "end_all_sessions", &[]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["location"], "/?notice=logged_out_everywhere");
        assert!(app.me_of(&laptop).await.is_null());
        assert!(app.me_of(&phone).await.is_null());
        assert_eq!(app.me_of(&other).await["email"], "bernd@kalletal.example");
    }
);

db_test!(
    a_login_and_a_role_change_give_a_new_session,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let admin = app.client_for("ada@kalletal.example", &[Role::Admin]).await;
        let anna = app.client_for("anna@kalletal.example", &[]).await;
        let first: Vec<i64> = session_ids(&app, "anna@kalletal.example").await;
        // Logging in again in the same browser leaves the old session behind for good.
        app.sign_in(&anna, "anna@kalletal.example", "sicheres-passwort")
            .await;
        let second = session_ids(&app, "anna@kalletal.example").await;
        assert_eq!(second.len(), 1);
        assert!(!first.contains(&second[0]));
        // A new role ends the account's sessions: the next login is a new session (and
        // staff must enrol their second factor first).
        let id = user_id(&app, "anna@kalletal.example").await.to_string();
        let res = app
            .call_with(
                &admin,
                "admin_set_role",
                &[("user_id", &id), ("role", "board_member"), ("grant", "1")],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert!(app.me_of(&anna).await.is_null());
        assert!(session_ids(&app, "anna@kalletal.example").await.is_empty());
        // An administrator changing their own roles continues in a new session.
        let ada = user_id(&app, "ada@kalletal.example").await.to_string();
        let before = session_ids(&app, "ada@kalletal.example").await;
        let res = app
            .call_with(
                &admin,
                "admin_set_role",
                &[("user_id", &ada), ("role", "staff"), ("grant", "1")],
            )
            .await;
        assert_eq!(res.status(), 200);
        let after = session_ids(&app, "ada@kalletal.example").await;
        assert_eq!(after.len(), 1);
        assert!(!before.contains(&after[0]));
        assert_eq!(app.me_of(&admin).await["email"], "ada@kalletal.example");
    }
);

async fn session_ids(app: &TestApp, email: &str) -> Vec<i64> {
    let id = user_id(app, email).await;
    session::Entity::find()
        .filter(session::Column::UserId.eq(id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect()
}

db_test!(
    a_new_password_or_address_ends_other_sessions_and_voids_links,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let here = app.client_for("anna@kalletal.example", &[]).await;
        let there = new_client();
        app.sign_in(&there, "anna@kalletal.example", "sicheres-passwort")
            .await;
        // A reset link is open when the password is changed here.
        let reset = app.reset_link("anna@kalletal.example").await;
        let res = app
            .call_with(
                &here,
                "change_password",
                &[
                    ("current_password", "sicheres-passwort"),
                    ("password", "Lindenblüte Traktor Nebel"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert!(
            app.me_of(&there).await.is_null(),
            "the other browser is out"
        );
        assert_eq!(app.me_of(&here).await["email"], "anna@kalletal.example");
        let (status, body) = error_code(
            app.call(
                "reset_password",
                &[
                    ("token", &reset),
                    ("password", "noch ein ganz neues Passwort"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (422, Some("link_invalid")));

        // An address change, confirmed: the other browser is out again, other links void.
        app.sign_in(&there, "anna@kalletal.example", "Lindenblüte Traktor Nebel")
            .await;
        let reset = app.reset_link("anna@kalletal.example").await;
        let res = app
            .call_with(
                &here,
                "change_email",
                &[
                    ("email", "anna.neu@kalletal.example"),
                    ("current_password", "Lindenblüte Traktor Nebel"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let confirm = app
            .token_from_mail("anna.neu@kalletal.example", "/confirm")
            .await;
        let res = app
            .call_with(&here, "confirm_email", &[("token", &confirm)])
            .await;
        assert_eq!(res.status(), 200);
        assert!(app.me_of(&there).await.is_null());
        assert_eq!(app.me_of(&here).await["email"], "anna.neu@kalletal.example");
        let (status, _) = error_code(
            app.call(
                "reset_password",
                &[
                    ("token", &reset),
                    ("password", "noch ein ganz neues Passwort"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status, 422);
    }
);

db_test!(
    registering_an_unconfirmed_address_again_takes_it_over,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        // Someone registers Vera's address before she does.
        let res = app
            .register(
                "vera@kalletal.example",
                "Mallory",
                "Mallorys geheimes Passwort",
            )
            .await;
        assert_eq!(res.status(), 200);
        let early = app
            .token_from_mail("vera@kalletal.example", "/confirm")
            .await;
        // Vera registers: her name and password replace the others, the old link is void.
        let res = app
            .register(
                "vera@kalletal.example",
                "Vera Vogt",
                "Veras Garten im Herbst",
            )
            .await;
        assert_eq!(res.status(), 200);
        let (status, _) = error_code(app.call("confirm_email", &[("token", &early)]).await).await;
        assert_eq!(status, 422, "the first link no longer confirms");
        let link = app
            .token_from_mail("vera@kalletal.example", "/confirm")
            .await;
        assert_ne!(link, early);
        assert_eq!(
            app.call("confirm_email", &[("token", &link)])
                .await
                .status(),
            200
        );
        let (status, _) = error_code(
            app.call(
                "login",
                &[
                    ("email", "vera@kalletal.example"),
                    ("password", "Mallorys geheimes Passwort"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status, 401);
        app.login("vera@kalletal.example", "Veras Garten im Herbst")
            .await;
        assert_eq!(app.me().await["display_name"], "Vera Vogt");
    }
);

db_test!(
    housekeeping_removes_what_expired_and_unconfirmed_accounts,
    |backend| async move {
        use app::infra::entities::{account_token, user};
        let app = TestApp::spawn(backend).await;
        app.register(
            "old@kalletal.example",
            "Otto Alt",
            "ein langes gutes Passwort",
        )
        .await;
        app.register(
            "new@kalletal.example",
            "Nina Neu",
            "ein langes gutes Passwort",
        )
        .await;
        let _confirmed = app.client_for("anna@kalletal.example", &[]).await;
        user::Entity::update_many()
            .col_expr(
                user::Column::CreatedAt,
                Expr::value(chrono::Utc::now() - chrono::TimeDelta::hours(25)),
            )
            .filter(user::Column::Email.eq("old@kalletal.example"))
            .exec(&app.db)
            .await
            .unwrap();
        session::Entity::update_many()
            .col_expr(
                session::Column::ExpiresAt,
                Expr::value(chrono::Utc::now() - chrono::TimeDelta::minutes(1)),
            )
            .exec(&app.db)
            .await
            .unwrap();
        let swept = app::accounts::server::housekeeping(&app.db).await.unwrap();
        assert_eq!(swept.unconfirmed_accounts, 1);
        assert_eq!(swept.sessions, 1);
        let emails: Vec<Option<String>> = user::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.email)
            .collect();
        assert!(!emails.contains(&Some("old@kalletal.example".into())));
        assert!(emails.contains(&Some("new@kalletal.example".into())));
        assert!(emails.contains(&Some("anna@kalletal.example".into())));
        // Anna's used confirmation link went, Nina's open one stays.
        let tokens = account_token::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(tokens.len(), 1);
        assert!(tokens[0].used_at.is_none());
    }
);

db_test!(
    only_confirmed_accounts_get_roles_or_board_seats,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let admin = app.client_for("ada@kalletal.example", &[Role::Admin]).await;
        let staff = app.client_for("kim@kalletal.example", &[Role::Staff]).await;
        app.register(
            "neu@kalletal.example",
            "Nora Neu",
            "ein langes gutes Passwort",
        )
        .await;
        let id = user_id(&app, "neu@kalletal.example").await.to_string();
        let (status, body) = error_code(
            app.call_with(
                &admin,
                "admin_set_role",
                &[("user_id", &id), ("role", "staff"), ("grant", "1")],
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some("role"))
        );
        let res = app
            .call_with(
                &staff,
                "create_board",
                &[
                    ("name", "Entwicklungsbeirat"),
                    ("description", "Berät die Gemeinde."),
                    ("contact", "beirat@kalletal.example"),
                    ("term_start", "2026-01-01"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let board: i64 = res.json().await.unwrap();
        let board = board.to_string();
        let (status, body) = error_code(
            app.call_with(
                &staff,
                "add_board_member",
                &[
                    ("board", &board),
                    ("email", "neu@kalletal.example"),
                    ("role", "member"),
                    ("term_from", "2026-01-01"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body["fields"][0]["message"]
                .as_str()
                .unwrap()
                .contains("noch nicht bestätigt"),
            "{body}"
        );
    }
);

db_test!(
    weak_passwords_are_refused_with_the_reason,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        set_municipality(&app).await;
        for (password, reason) in [
            ("kalletal2026", "„Kalletal“"),
            ("dorfplatz-2026", "„dorfplatz“"),
            ("passwort1234", "häufig"),
        ] {
            let (status, body) = error_code(
                app.register("eva@kalletal.example", "Eva Becker", password)
                    .await,
            )
            .await;
            assert_eq!(
                (status, body["fields"][0]["field"].as_str()),
                (422, Some("password")),
                "{password}"
            );
            let message = body["fields"][0]["message"].as_str().unwrap();
            assert!(message.contains(reason), "{password}: {message}");
        }
        assert_eq!(app.count("users").await, 0);
        // A forged reset link is refused before anything else is looked at.
        let (status, body) = error_code(
            app.call(
                "reset_password",
                &[("token", "erfunden"), ("password", "kalletal2026")],
            )
            .await,
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (422, Some("link_invalid")));
    }
);

db_test!(
    rate_limits_hold_across_two_instances,
    |backend| async move {
        let first = TestApp::spawn_with_burst(backend, 3).await;
        let second = first.second_instance(3).await;
        // Three registrations from one address pass, spread over both instances; the
        // fourth is refused by either.
        for (i, app) in [&first, &second, &first].into_iter().enumerate() {
            let res = app
                .register(
                    &format!("person{i}@kalletal.example"),
                    "Paula Probe",
                    "ein langes gutes Passwort",
                )
                .await;
            assert_eq!(res.status(), 200, "registration {i}");
        }
        for app in [&second, &first] {
            let (status, body) = error_code(
                app.register(
                    "late@kalletal.example",
                    "Lars Spät",
                    "ein langes gutes Passwort",
                )
                .await,
            )
            .await;
            assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
        }
        // Other buckets are separate: a login from the same address still works.
        first.account_with_roles("anna@kalletal.example", &[]).await;
        second
            .sign_in(&new_client(), "anna@kalletal.example", "sicheres-passwort")
            .await;
        // Wrong passwords for one account count across instances too (5, then one a
        // minute), with room enough per address that only the account's limit is met.
        let roomy = TestApp::spawn_with_burst(backend, 100).await;
        let other = roomy.second_instance(100).await;
        roomy
            .account_with_roles("carla@kalletal.example", &[])
            .await;
        for i in 0..5 {
            let app = if i % 2 == 0 { &roomy } else { &other };
            let (status, _) = error_code(
                app.call_with(
                    &new_client(),
                    "login",
                    &[("email", "carla@kalletal.example"), ("password", "geraten")],
                )
                .await,
            )
            .await;
            assert_eq!(status, 401);
        }
        let (status, body) = error_code(
            other
                .call_with(
                    &new_client(),
                    "login",
                    &[
                        ("email", "carla@kalletal.example"),
                        ("password", "sicheres-passwort"),
                    ],
                )
                .await,
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
        // The counters name no address and no account.
        let keys = first
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                first.db.get_database_backend(),
                "SELECT bucket_key FROM rate_limits",
            ))
            .await
            .unwrap();
        assert!(!keys.is_empty());
        for row in keys {
            let key: String = row.try_get("", "bucket_key").unwrap();
            assert_eq!(key.len(), 64);
            assert!(!key.contains("carla") && !key.contains("127.0.0.1"));
        }
    }
);
