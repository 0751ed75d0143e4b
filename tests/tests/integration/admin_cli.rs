//! `kompromiss admin` on SQLite and PostgreSQL, and settings that must refuse to start.

use kompromiss_server::cli::admin::{AdminCommand, execute};
use kompromiss_server::config::{Config, Mode};
use kompromiss_server::db::{roles, users};
use kompromiss_shared::perm::Role;
use kompromiss_tests::db::TestDb;

#[tokio::test]
async fn people_are_named_by_e_mail_or_subject_and_roles_are_granted_revoked_and_audited() {
    for tdb in TestDb::all().await {
        let db = kompromiss_server::db::Db::connect(&tdb.url(), Default::default()).await.expect("db");
        let groups = vec!["mitglieder".to_owned()];
        let mia = users::sign_in(
            &db,
            &users::SignedIn {
                issuer: "https://id.example",
                subject: "sub-mia",
                display_name: "Mia Mitglied",
                email: Some("Mia@Example.org"),
                groups: &groups,
            },
        )
        .await
        .expect("a person signed in once");

        execute(&db, AdminCommand::Grant { user: "mia@example.org".into(), role: "admin".into() })
            .await
            .expect("grant by e-mail, case-insensitively");
        execute(&db, AdminCommand::Grant { user: "sub-mia".into(), role: "redaktion".into() })
            .await
            .expect("grant by subject, German role name");
        let held: Vec<Role> =
            roles::held(&db, Some(&mia.id)).await.expect("roles").into_iter().map(|h| h.role).collect();
        assert_eq!(held, vec![Role::Admin, Role::Editor], "{}", tdb.backend());
        let listing = execute(&db, AdminCommand::Users).await.expect("list");
        assert!(listing.contains("Mia Mitglied") && listing.contains("groups=mitglieder"), "{listing}");

        execute(&db, AdminCommand::Revoke { user: mia.id.clone(), role: "admin".into() }).await.expect("revoke");
        assert!(execute(&db, AdminCommand::Revoke { user: mia.id.clone(), role: "admin".into() }).await.is_err());
        assert!(
            execute(&db, AdminCommand::Grant { user: "nobody@example.org".into(), role: "admin".into() })
                .await
                .is_err()
        );
        assert!(execute(&db, AdminCommand::Grant { user: mia.id.clone(), role: "king".into() }).await.is_err());

        let secret = execute(&db, AdminCommand::CreateToken { user: mia.id.clone(), name: "skript".into() })
            .await
            .expect("token");
        assert!(kompromiss_server::auth::tokens::looks_like_token(&secret), "printed once, in full");
        let stored = kompromiss_server::db::tokens::list(&db, &mia.id).await.expect("tokens");
        assert_eq!(stored.len(), 1);
        execute(&db, AdminCommand::RevokeToken { id: stored[0].id.clone() }).await.expect("revoke token");
        assert!(kompromiss_server::db::tokens::list(&db, &mia.id).await.expect("tokens").is_empty());
        assert!(kompromiss_server::auth::tokens::resolve(&db, &secret).await.expect("lookup").is_none());

        let query = kompromiss_shared::dto::audit::AuditQuery::default();
        let actions: Vec<String> = kompromiss_server::db::audit::list(&db, &query)
            .await
            .expect("audit")
            .into_iter()
            .map(|e| e.action)
            .collect();
        for action in ["role-granted", "role-revoked", "token-created", "token-revoked"] {
            assert!(actions.iter().any(|a| a == action), "{action} audited: {actions:?}");
        }
        db.close().await;
        tdb.cleanup().await;
    }
}

#[tokio::test]
async fn production_mode_refuses_the_development_sign_in_and_an_issuer_turns_it_off() {
    let tdb = TestDb::sqlite();
    let mut config = Config::for_tests(tdb.url(), tdb.data_dir());
    config.mode = Mode::Production;
    config.auth.dev_login = Some(true);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let refused = kompromiss_server::run(config.clone(), listener, Default::default()).await;
    assert!(refused.is_err_and(|e| e.to_string().contains("production")), "production refuses to start");
    config.mode = Mode::Development;
    config.auth.oidc_issuer = Some("http://127.0.0.1:9".into());
    config.auth.oidc_client_id = Some("kompromiss".into());
    assert!(!config.dev_login_enabled(), "an issuer turns the development sign-in off");
    config.auth.oidc_issuer = None;
    assert!(config.dev_login_enabled());
}
