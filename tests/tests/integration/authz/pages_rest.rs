//! The page and REST channels: the GET tables and who may create documents over REST.

use serde_json::Value;

use super::fixture::Doc::{self, Granted, Public, Secret};
use super::fixture::EVERYONE;
use super::fixture::Who::Admin;
use super::world::World;

/// A GET (page or REST): the status per person and the documents whose titles it shows when allowed.
struct Get {
    path: &'static str,
    expect: [u16; 5],
    shows: &'static [Doc],
}

const PAGES: &[Get] = &[
    Get { path: "/", expect: [303, 200, 200, 200, 200], shows: &[Secret, Public, Granted] },
    Get { path: "/d/{secret}", expect: [303, 404, 200, 200, 200], shows: &[Secret] },
    Get { path: "/d/{public}", expect: [200; 5], shows: &[Public] },
    Get { path: "/d/{granted}", expect: [303, 200, 200, 200, 200], shows: &[Granted] },
    Get { path: "/d/{missing}", expect: [303, 404, 404, 404, 404], shows: &[] },
    Get { path: "/konto", expect: [303, 200, 200, 200, 200], shows: &[] },
    Get { path: "/admin", expect: [303, 403, 403, 403, 200], shows: &[Secret, Public, Granted] },
    Get { path: "/admin/protokoll", expect: [303, 403, 403, 403, 200], shows: &[] },
    Get { path: "/d/{secret}/freigaben", expect: [303, 404, 403, 403, 200], shows: &[Secret] },
    Get { path: "/d/{granted}/freigaben", expect: [303, 403, 403, 403, 200], shows: &[Granted] },
    Get { path: "/d/{public}/freigaben", expect: [303, 403, 403, 403, 200], shows: &[Public] },
    Get { path: "/d/{secret}/kennzahlen", expect: [303, 404, 200, 200, 200], shows: &[Secret] },
    // Anonymous visitors read a public concept itself; its other pages ask them to sign in.
    Get { path: "/d/{public}/kennzahlen", expect: [303, 200, 200, 200, 200], shows: &[Public] },
    Get { path: "/d/{secret}/evaluation/2026", expect: [303, 404, 200, 200, 200], shows: &[Secret] },
];

const REST: &[Get] = &[
    Get { path: "/api/documents", expect: [401, 200, 200, 200, 200], shows: &[Secret, Public, Granted] },
    Get { path: "/api/documents/{secret}", expect: [401, 404, 200, 200, 200], shows: &[Secret] },
    Get { path: "/api/documents/{public}", expect: [200; 5], shows: &[Public] },
    Get { path: "/api/documents/{granted}", expect: [401, 200, 200, 200, 200], shows: &[Granted] },
    Get { path: "/api/documents/{missing}", expect: [401, 404, 404, 404, 404], shows: &[] },
    Get { path: "/api/documents/{secret}/snapshot", expect: [401, 404, 200, 200, 200], shows: &[] },
    Get { path: "/api/documents/{public}/snapshot", expect: [200; 5], shows: &[] },
    Get { path: "/api/documents/{secret}/comments", expect: [401, 404, 200, 200, 200], shows: &[] },
    Get { path: "/api/documents/{public}/comments", expect: [200; 5], shows: &[] },
    Get { path: "/api/documents/{granted}/comments", expect: [401, 200, 200, 200, 200], shows: &[] },
    Get { path: "/api/documents/{missing}/comments", expect: [401, 404, 404, 404, 404], shows: &[] },
    Get { path: "/api/documents/{secret}/reports", expect: [401, 404, 403, 200, 200], shows: &[] },
    Get { path: "/api/documents/{public}/reports", expect: [401, 403, 403, 200, 200], shows: &[] },
    Get { path: "/api/documents/{granted}/reports", expect: [401, 200, 403, 200, 200], shows: &[] },
    Get { path: "/api/documents/{missing}/reports", expect: [401, 404, 404, 404, 404], shows: &[] },
    Get { path: "/api/documents/{secret}/people", expect: [401, 404, 200, 200, 200], shows: &[] },
    Get { path: "/api/documents/{public}/people", expect: [401, 403, 200, 200, 200], shows: &[] },
    Get { path: "/api/documents/{granted}/people", expect: [401, 200, 200, 200, 200], shows: &[] },
    Get { path: "/api/documents/{missing}/people", expect: [401, 404, 404, 404, 404], shows: &[] },
    Get { path: "/api/notifications", expect: [401, 200, 200, 200, 200], shows: &[] },
    // The whole instance as an archive: admins only (the body is gzip, so it shows no title).
    Get { path: "/api/admin/backup", expect: [401, 403, 403, 403, 200], shows: &[] },
    Get { path: "/api/documents/{secret}/metrics", expect: [401, 404, 200, 200, 200], shows: &[Secret] },
    Get { path: "/api/documents/{public}/metrics", expect: [200; 5], shows: &[Public] },
    Get { path: "/api/documents/{missing}/metrics", expect: [401, 404, 404, 404, 404], shows: &[] },
    Get { path: "/api/documents/{secret}/metrics/example.csv", expect: [401, 404, 200, 200, 200], shows: &[] },
    Get { path: "/api/documents/{secret}/metrics/charts/follower.svg", expect: [401, 404, 200, 200, 200], shows: &[] },
    Get { path: "/api/documents/{secret}/evaluations/2026", expect: [401, 404, 200, 200, 200], shows: &[Secret] },
    Get {
        path: "/api/documents/{secret}/evaluations/2026/charts/follower.svg",
        expect: [401, 404, 200, 200, 200],
        shows: &[],
    },
    Get { path: "/api/documents/{secret}/export/md", expect: [401, 404, 200, 200, 200], shows: &[Secret] },
    Get {
        path: "/api/documents/{secret}/evaluations/2026/export/html",
        expect: [401, 404, 200, 200, 200],
        shows: &[Secret],
    },
];

/// `POST /api/documents`: who may create documents.
const CREATE: [u16; 5] = [401, 403, 403, 201, 201];

impl World {
    pub(super) async fn pages(&mut self) {
        for case in PAGES {
            let path = self.fill(case.path).await;
            for (i, who) in EVERYONE.into_iter().enumerate() {
                let answer = self.get(who, &path, true).await;
                self.judge(&format!("page GET {}", case.path), who, case.expect[i], answer, case.shows);
            }
        }
    }

    pub(super) async fn rest(&mut self) {
        for case in REST {
            let path = self.fill(case.path).await;
            for (i, who) in EVERYONE.into_iter().enumerate() {
                let answer = self.get(who, &path, false).await;
                self.judge(&format!("REST GET {}", case.path), who, case.expect[i], answer, case.shows);
            }
        }
        for (i, who) in EVERYONE.into_iter().enumerate() {
            let before = self.document_count().await;
            let req = self
                .http
                .post(format!("{}/api/documents", self.app.http()))
                .header("accept", "application/json")
                .form(&[("template", "social-media-konzept")]);
            let res = self.authorize(req, who, false).send().await.expect("create");
            let answer = (res.status().as_u16(), res.text().await.expect("body"));
            self.judge("REST POST /api/documents", who, CREATE[i], answer, &[]);
            let created = self.document_count().await - before;
            if created != usize::from(CREATE[i] == 201) {
                self.fail(format!("{who:?} REST POST /api/documents: {created} documents created"));
            }
        }
    }

    async fn document_count(&self) -> usize {
        let (status, body) = self.get(Admin, "/api/documents", false).await;
        assert_eq!(status, 200, "{}: the admin lists documents", self.backend);
        serde_json::from_str::<Vec<Value>>(&body).expect("list").len()
    }
}
