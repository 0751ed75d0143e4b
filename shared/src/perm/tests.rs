//! The permission rule: roles, grants and the public setting.

use super::*;

fn groups(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn roles_give_their_level_on_every_document_only_when_signed_in() {
    let none: Vec<String> = Vec::new();
    for (role, expected) in
        [(Role::Member, Level::Participate), (Role::Editor, Level::Edit), (Role::Admin, Level::Administer)]
    {
        let who = Who { user_id: Some("u1"), role: Some(role), groups: &none };
        assert_eq!(level(&who, &[]), expected);
        let anonymous = Who { user_id: None, role: Some(role), groups: &none };
        assert_eq!(level(&anonymous, &[]), Level::None, "a role without a user counts for nothing");
    }
    assert_eq!(level(&Who { user_id: Some("u1"), role: None, groups: &none }, &[]), Level::None);
}

#[test]
fn grants_add_to_the_role_and_never_take_away() {
    let lag = groups(&["lag-digitales"]);
    let member = Who { user_id: Some("u1"), role: Some(Role::Member), groups: &lag };
    let grants = vec![
        Grant { subject: Subject::Group("lag-digitales".into()), level: Level::Edit },
        Grant { subject: Subject::Role(Role::Member), level: Level::Read },
    ];
    assert_eq!(level(&member, &grants), Level::Edit, "the group grant lifts the member");
    let editor = Who { user_id: Some("u2"), role: Some(Role::Editor), groups: &[] };
    assert_eq!(level(&editor, &[Grant { subject: Subject::User("u2".into()), level: Level::Read }]), Level::Edit);
    let outsider = Who { user_id: Some("u3"), role: None, groups: &[] };
    assert_eq!(level(&outsider, &grants), Level::None, "a role grant needs the role");
    let personal = [Grant { subject: Subject::User("u3".into()), level: Level::Participate }];
    assert_eq!(level(&outsider, &personal), Level::Participate);
}

#[test]
fn the_public_grant_lets_anyone_read_and_nothing_more() {
    let anonymous = Who::default();
    assert_eq!(level(&anonymous, &[]), Level::None);
    let public = [Grant { subject: Subject::Public, level: Level::Edit }];
    assert_eq!(level(&anonymous, &public), Level::Read, "capped at reading");
    let group_grant = [Grant { subject: Subject::Group("x".into()), level: Level::Edit }];
    assert_eq!(level(&Who { user_id: None, role: None, groups: &groups(&["x"]) }, &group_grant), Level::None);
}

#[test]
fn actions_need_their_level() {
    assert!(Level::Read.allows(Action::Read));
    assert!(!Level::Read.allows(Action::Comment));
    assert!(Level::Participate.allows(Action::Vote) && !Level::Participate.allows(Action::Edit));
    assert!(Level::Edit.allows(Action::Suggest) && !Level::Edit.allows(Action::Administer));
    assert!(Action::ALL.iter().all(|a| Level::Administer.allows(*a)));
    assert!(Action::ALL.iter().all(|a| !Level::None.allows(*a)));
}

#[test]
fn spellings_round_trip() {
    for role in Role::ALL {
        assert_eq!(Role::parse(role.as_str()), Some(role));
    }
    assert_eq!(Role::parse("Redaktion"), Some(Role::Editor));
    assert_eq!(Role::parse("boss"), None);
    for level in Level::GRANTABLE {
        assert_eq!(Level::parse(level.as_str()), Some(level));
    }
    for subject in
        [Subject::Public, Subject::Role(Role::Editor), Subject::Group("lv".into()), Subject::User("u".into())]
    {
        let (kind, name) = subject.parts();
        assert_eq!(Subject::from_parts(kind, name), Some(subject.clone()));
    }
    assert_eq!(Subject::from_parts("group", "  "), None);
    assert_eq!(Subject::from_parts("planet", "x"), None);
}

#[test]
fn only_editors_and_admins_create_and_only_admins_administer() {
    assert!(!may_create_documents(None) && !may_create_documents(Some(Role::Member)));
    assert!(may_create_documents(Some(Role::Editor)) && may_create_documents(Some(Role::Admin)));
    assert!(is_admin(Some(Role::Admin)) && !is_admin(Some(Role::Editor)));
}

#[test]
fn a_draft_is_read_by_the_concept_readers_and_written_by_its_open_authors_only() {
    assert_eq!(draft_level(Level::None, true, true), Level::None, "an outsider author sees nothing");
    assert_eq!(draft_level(Level::Read, true, true), Level::Read, "an author who may only read cannot write");
    assert_eq!(draft_level(Level::Participate, true, true), Level::Edit);
    assert_eq!(draft_level(Level::Participate, true, false), Level::Participate, "a closed draft is not written");
    assert_eq!(draft_level(Level::Participate, false, true), Level::Participate);
    assert_eq!(
        draft_level(Level::Administer, false, true),
        Level::Participate,
        "editors of the concept do not write it"
    );
    assert_eq!(draft_level(Level::Read, false, true), Level::Read);
}
