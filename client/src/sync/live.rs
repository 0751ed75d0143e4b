//! The live session in the browser: replica ⇄ WebSocket ⇄ server, local persistence, presence.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use kompromiss_shared::ids::{DocumentId, PeerId};
use kompromiss_shared::presence::{self, Presence};
use kompromiss_shared::protocol::{self, Message, PROTOCOL_VERSION, PeerMetadata};
use kompromiss_shared::schema::{self, ConceptView, Decision, FieldPath};
use leptos::prelude::*;

use super::offline;
use super::replica::Replica;
use super::session::Signals;
use super::socket::{Socket, SocketEvent};
use super::{PeerPresence, Status};

/// Presence is repeated this often, and forgotten after three missed beats.
const PRESENCE_EVERY: Duration = Duration::from_secs(5);
const PRESENCE_TTL_MS: f64 = 15_000.0;
/// Local saves are bundled over this long.
const PERSIST_DELAY: Duration = Duration::from_millis(250);
/// Changes sent and not answered for this long mean a dead link (the socket neither closes nor
/// answers when a train leaves the network): it is closed and opened again.
const ANSWER_WITHIN_MS: f64 = 8_000.0;

thread_local! {
    static CURRENT: RefCell<Option<Rc<RefCell<Live>>>> = const { RefCell::new(None) };
}

struct Live {
    doc: DocumentId,
    replica: Replica,
    signals: Signals,
    name: String,
    peer_id: PeerId,
    session_id: String,
    ephemeral_count: u64,
    socket: Option<Socket>,
    /// The server answered our join: sync messages may flow.
    server_peer: Option<PeerId>,
    focus: Option<String>,
    others: HashMap<String, (Presence, f64)>,
    backoff_ms: u64,
    closed: bool,
    persist_scheduled: bool,
    heartbeat: Option<IntervalHandle>,
    /// Since when changes were sent without any answer from the server.
    unanswered_since: Option<f64>,
    /// The browser's offline/online events.
    listeners: Vec<WindowListenerHandle>,
}

fn random_hex(len: usize) -> String {
    (0..len).map(|_| format!("{:x}", (js_sys::Math::random() * 16.0) as u8 & 0xf)).collect()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn with_live(f: impl FnOnce(&mut Live)) {
    let live = CURRENT.with(|c| c.borrow().clone());
    if let Some(live) = live
        && let Ok(mut l) = live.try_borrow_mut()
    {
        f(&mut l);
    }
}

/// The characters selected in a field's input or textarea (the browser counts UTF-16 units;
/// Automerge counts characters); `None` without a selection.
pub fn selection_in_control(path: &FieldPath) -> Option<(usize, usize)> {
    use super::dom::TextControl;
    use wasm_bindgen::JsCast;
    let el = web_sys::window()?.document()?.get_element_by_id(&path.dom_id())?;
    let (value, (from, to)) = if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        (TextControl::value(t), t.selection()?)
    } else {
        let i = el.dyn_ref::<web_sys::HtmlInputElement>()?;
        (TextControl::value(i), i.selection()?)
    };
    let (start, end) = (chars_in(&value, from), chars_in(&value, to));
    (start < end).then_some((start, end))
}

/// How many characters of `text` its first `units` UTF-16 units hold.
pub fn chars_in(text: &str, units: u32) -> usize {
    let mut seen = 0u32;
    text.chars()
        .take_while(|c| {
            seen += c.len_utf16() as u32;
            seen <= units
        })
        .count()
}

/// The anchor (JSON of `shared::anchor::Anchor`) on characters `start..end` of a field, made on
/// the live replica; `None` without a live replica or outside the text.
pub fn anchor_at(path: FieldPath, start: usize, end: usize) -> Option<String> {
    let mut made = None;
    with_live(|l| {
        let doc = l.replica.doc_mut();
        let heads = doc.get_heads();
        made = kompromiss_shared::anchor::create(doc, &heads, &path, start, end).ok();
    });
    serde_json::to_string(&made?).ok()
}

/// Where an anchor's passage is in the live replica: `None` without a live replica, when the
/// replica lacks the anchor's changes, or when the words are gone.
pub fn place(anchor: &kompromiss_shared::anchor::Anchor) -> Option<Option<(usize, usize)>> {
    use kompromiss_shared::anchor::{Resolved, resolve};
    let mut placed = None;
    with_live(|l| {
        placed = match resolve(l.replica.doc_mut(), anchor) {
            Resolved::Passage { start, end } => Some(Some((start, end))),
            Resolved::Removed => Some(None),
            Resolved::Unknown => None,
        };
    });
    placed
}

/// The field's text as it was when the anchor was made, from the live replica's history.
pub fn text_then(anchor: &kompromiss_shared::anchor::Anchor) -> Option<String> {
    let mut then = None;
    with_live(|l| then = kompromiss_shared::anchor::text_then(l.replica.doc_mut(), anchor));
    then
}

/// Opens the live session for a document (replacing any previous one).
pub fn open(doc_id: String, name: String, signals: Signals) {
    close();
    let Ok(doc) = DocumentId::parse_url_or_id(&doc_id) else {
        signals.status.set(Status::Error);
        return;
    };
    let replica = offline::load(&doc_id).and_then(|b| Replica::load(&b).ok()).unwrap_or_default();
    let Ok(peer_id) = PeerId::new(format!("browser-{}", random_hex(12))) else { return };
    let live = Live {
        doc,
        replica,
        signals,
        name,
        peer_id,
        session_id: random_hex(16),
        ephemeral_count: 0,
        socket: None,
        server_peer: None,
        focus: None,
        others: HashMap::new(),
        backoff_ms: 500,
        closed: false,
        persist_scheduled: false,
        heartbeat: None,
        unanswered_since: None,
        listeners: Vec::new(),
    };
    let live = Rc::new(RefCell::new(live));
    CURRENT.with(|c| *c.borrow_mut() = Some(live.clone()));
    let mut l = live.borrow_mut();
    if !l.replica.is_empty() {
        // An offline copy exists: show it and allow editing at once.
        let view = l.replica.view();
        l.signals.view.set(view);
        l.signals.live.set(true);
    }
    l.heartbeat = set_interval_with_handle(|| with_live(|l| l.beat()), PRESENCE_EVERY).ok();
    l.listeners = vec![
        window_event_listener(leptos::ev::offline, |_| with_live(|l| l.link_lost())),
        window_event_listener(leptos::ev::online, |_| {
            with_live(|l| {
                l.backoff_ms = 500;
                if l.socket.is_none() {
                    l.connect();
                }
            })
        }),
    ];
    l.connect();
}

/// Ends the session (page left).
pub fn close() {
    let old = CURRENT.with(|c| c.borrow_mut().take());
    if let Some(old) = old
        && let Ok(mut l) = old.try_borrow_mut()
    {
        l.closed = true;
        l.persist_now();
        if let Some(h) = l.heartbeat.take() {
            h.clear();
        }
        for listener in l.listeners.drain(..) {
            listener.remove();
        }
        if let Some(s) = l.socket.take() {
            s.close();
        }
    }
}

/// Sets a text field to the value the person typed.
pub fn edit(path: FieldPath, value: String) {
    with_live(|l| l.change(|doc| schema::set_text(doc, &path, &value).unwrap_or(false)));
}

/// Reports the focused field for presence.
pub fn focus(dom_id: Option<String>) {
    with_live(|l| {
        l.focus = dom_id;
        l.send_presence();
    });
}

/// Sets a platform's decision.
pub fn decide(platform_id: String, decision: Decision) {
    with_live(|l| l.change(|doc| schema::set_decision(doc, &platform_id, decision).unwrap_or(false)));
}

/// Sets a checklist item of a platform's assessment.
pub fn check(platform_id: String, key: String, state: &'static str) {
    with_live(|l| l.change(|doc| schema::set_check(doc, &platform_id, &key, state).unwrap_or(false)));
}

/// Appends an empty platform.
pub fn add_platform() {
    let id = random_hex(16);
    with_live(|l| {
        l.change(|doc| {
            let template = schema::read_string(doc, &automerge::ROOT, schema::KEY_TEMPLATE);
            let texts = kompromiss_shared::template::builtin_or_default(&template)
                .map(|t| t.assessment_texts())
                .unwrap_or_default();
            schema::add_platform(doc, &id, &texts).is_ok()
        })
    });
}

/// Appends a section.
pub fn add_section(heading: String) {
    let id = random_hex(16);
    with_live(|l| l.change(|doc| schema::add_section(doc, &id, &heading).is_ok()));
}

/// Removes a section or platform.
pub fn remove(list: &'static str, id: String) {
    with_live(|l| l.change(|doc| schema::remove_item(doc, list, &id).unwrap_or(false)));
}

impl Live {
    fn connect(&mut self) {
        if self.closed || self.socket.is_some() {
            return;
        }
        let Some(location) = web_sys::window().map(|w| w.location()) else { return };
        let scheme = if location.protocol().ok().as_deref() == Some("https:") { "wss" } else { "ws" };
        let host = location.host().unwrap_or_default();
        let url = format!("{scheme}://{host}/sync");
        match Socket::connect(&url, |event| with_live(|l| l.on_socket(event))) {
            Ok(socket) => self.socket = Some(socket),
            Err(_) => self.schedule_reconnect(),
        }
    }

    fn schedule_reconnect(&mut self) {
        let delay = Duration::from_millis(self.backoff_ms);
        self.backoff_ms = (self.backoff_ms * 2).min(10_000);
        set_timeout(|| with_live(|l| l.connect()), delay);
    }

    fn on_socket(&mut self, event: SocketEvent) {
        match event {
            SocketEvent::Open => {
                let join = Message::Join {
                    sender_id: self.peer_id.clone(),
                    metadata: PeerMetadata { storage_id: None, is_ephemeral: true },
                    supported_protocol_versions: vec![PROTOCOL_VERSION.into()],
                };
                self.send(&join);
            }
            SocketEvent::Message(bytes) => match protocol::decode(&bytes).inspect(|_| self.unanswered_since = None) {
                Ok(message) => self.on_message(message),
                Err(_) => web_sys::console::warn_1(&"Kompromiss: unreadable message from server".into()),
            },
            SocketEvent::Closed => {
                if self.socket.take().is_some() {
                    self.server_peer = None;
                    self.update_status();
                    self.schedule_reconnect();
                }
            }
        }
    }

    fn on_message(&mut self, message: Message) {
        match message {
            Message::Peer { sender_id, .. } => {
                self.server_peer = Some(sender_id);
                self.backoff_ms = 500;
                self.replica.reset_sync();
                let request = self.replica.is_empty();
                self.sync_up(request);
                self.send_presence();
                self.update_status();
            }
            Message::Sync { document_id, data, .. } if document_id == self.doc => {
                match self.replica.receive(&data) {
                    Ok(changed) => {
                        if changed {
                            self.signals.view.set(self.replica.view());
                            self.schedule_persist();
                        }
                        self.signals.live.set(true);
                        self.sync_up(false);
                    }
                    Err(_) => web_sys::console::warn_1(&"Kompromiss: sync message not applied".into()),
                }
                self.update_status();
            }
            Message::DocUnavailable { document_id, .. } if document_id == self.doc && self.replica.is_empty() => {
                self.signals.status.set(Status::Error);
            }
            Message::Ephemeral { document_id, sender_id, data, .. } if document_id == self.doc => {
                if let Some(p) = presence::decode(&data) {
                    self.others.insert(sender_id.to_string(), (p, now_ms()));
                    self.publish_presence();
                } else if self.server_peer.as_ref() == Some(&sender_id) {
                    use kompromiss_shared::doc_events::{DocEvent, decode};
                    match decode(&data) {
                        Some(DocEvent::Comments) => self.signals.comments_changed.update(|n| *n += 1),
                        Some(DocEvent::Ballots) => self.signals.ballots_changed.update(|n| *n += 1),
                        None => {}
                    }
                }
            }
            Message::Error { message, .. } => {
                web_sys::console::warn_1(&format!("Kompromiss: server error: {message}").into());
                self.signals.status.set(Status::Error);
            }
            _ => {}
        }
    }

    /// Applies a local change, then stores it locally and sends it.
    fn change(&mut self, edit: impl FnOnce(&mut automerge::AutoCommit) -> bool) {
        if !edit(self.replica.doc_mut()) {
            return;
        }
        self.signals.view.set(self.replica.view());
        self.schedule_persist();
        self.sync_up(false);
        self.update_status();
    }

    fn sync_up(&mut self, request: bool) {
        let Some(server) = self.server_peer.clone() else { return };
        let Some(data) = self.replica.generate() else { return };
        let (sender_id, target_id, document_id) = (self.peer_id.clone(), server, self.doc);
        let message = if request {
            Message::Request { sender_id, target_id, document_id, data }
        } else {
            Message::Sync { sender_id, target_id, document_id, data }
        };
        self.send(&message);
        if !self.replica.is_saved() {
            self.unanswered_since.get_or_insert_with(now_ms);
        }
    }

    fn send(&self, message: &Message) {
        if let Some(socket) = &self.socket {
            socket.send(&protocol::encode(message));
        }
    }

    /// The link is gone (the browser says so, or the server stopped answering): close the socket
    /// and say so now instead of waiting for the operating system to notice; reconnect later.
    fn link_lost(&mut self) {
        self.unanswered_since = None;
        if let Some(socket) = self.socket.take() {
            socket.close();
            self.server_peer = None;
            self.schedule_reconnect();
        }
        self.update_status();
    }

    fn update_status(&mut self) {
        self.signals.waiting.set(self.replica.unacknowledged());
        let status = if self.server_peer.is_none() {
            if self.signals.live.get_untracked() { Status::Offline } else { Status::Connecting }
        } else if self.replica.is_saved() {
            Status::Saved
        } else {
            Status::Saving
        };
        if self.signals.status.get_untracked() != Status::Error || status == Status::Saved {
            self.signals.status.set(status);
        }
    }

    fn schedule_persist(&mut self) {
        self.signals.local_pending.set(true);
        if !self.persist_scheduled {
            self.persist_scheduled = true;
            set_timeout(|| with_live(|l| l.persist_now()), PERSIST_DELAY);
        }
    }

    fn persist_now(&mut self) {
        self.persist_scheduled = false;
        if !self.replica.is_empty() {
            offline::save(&self.doc.to_string(), &self.replica.save());
        }
        self.signals.local_pending.set(false);
    }

    fn beat(&mut self) {
        if self.unanswered_since.is_some_and(|since| now_ms() - since > ANSWER_WITHIN_MS) {
            self.link_lost();
        }
        self.send_presence();
        let now = now_ms();
        let before = self.others.len();
        self.others.retain(|_, (_, seen)| now - *seen < PRESENCE_TTL_MS);
        if self.others.len() != before {
            self.publish_presence();
        }
    }

    fn send_presence(&mut self) {
        let Some(server) = self.server_peer.clone() else { return };
        self.ephemeral_count += 1;
        let data = presence::encode(&Presence { name: self.name.clone(), field: self.focus.clone() });
        self.send(&Message::Ephemeral {
            sender_id: self.peer_id.clone(),
            target_id: server,
            count: self.ephemeral_count,
            session_id: self.session_id.clone(),
            document_id: self.doc,
            data,
        });
    }

    fn publish_presence(&self) {
        let view = self.signals.view.get_untracked();
        let mut list: Vec<PeerPresence> = self
            .others
            .values()
            .map(|(p, _)| PeerPresence {
                name: p.name.clone(),
                field_label: p.field.as_deref().and_then(|f| field_label(&view, f)),
            })
            .collect();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        self.signals.presence.set(list);
    }
}

/// A readable place for a field's DOM id: the section heading or platform name it belongs to.
fn field_label(view: &ConceptView, dom_id: &str) -> Option<String> {
    if dom_id == FieldPath::Title.dom_id() {
        return Some(view.title.clone());
    }
    if let Some(s) = view.sections.iter().find(|s| dom_id.starts_with(&format!("f-s-{}-", s.id))) {
        return Some(s.heading.clone());
    }
    view.platforms.iter().find(|p| dom_id.starts_with(&format!("f-p-{}-", p.id))).map(|p| p.name.clone())
}
