//! The ballot key: seals secret ballot papers until the close and hashes receipts, so that the
//! database alone never links a person to a choice. The key lives in a file beside the server,
//! not in the database.

use std::path::Path;

use rand::RngCore;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hmac;

/// Receipts use letters and digits that cannot be mistaken for each other.
const RECEIPT_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Characters of a receipt (80 random bits), shown in groups of four.
const RECEIPT_CHARS: usize = 16;

/// The server's ballot key.
pub struct BallotKey {
    seal: LessSafeKey,
    lookup: hmac::Key,
}

impl std::fmt::Debug for BallotKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BallotKey(…)")
    }
}

impl BallotKey {
    /// Two keys derived from one secret: one seals, one hashes receipts.
    pub fn from_secret(secret: &[u8; 32]) -> Self {
        let root = hmac::Key::new(hmac::HMAC_SHA256, secret);
        let derive = |label: &[u8]| hmac::sign(&root, label);
        let seal = UnboundKey::new(&CHACHA20_POLY1305, derive(b"kompromiss ballot seal").as_ref())
            .expect("a 32-byte ChaCha20-Poly1305 key");
        let lookup = hmac::Key::new(hmac::HMAC_SHA256, derive(b"kompromiss ballot lookup").as_ref());
        Self { seal: LessSafeKey::new(seal), lookup }
    }

    /// Reads the key file (64 hex characters), creating it with a new random key (readable by
    /// its owner only) when it does not exist.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        use anyhow::Context as _;
        if !path.exists() {
            let mut secret = [0u8; 32];
            rand::rng().fill_bytes(&mut secret);
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
            write_private(path, &hex::encode(secret)).with_context(|| format!("writing {}", path.display()))?;
            tracing::info!(path = %path.display(), "created a new ballot key");
        }
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let bytes = hex::decode(text.trim()).ok().filter(|b| b.len() == 32);
        let secret: [u8; 32] = bytes
            .and_then(|b| b.try_into().ok())
            .with_context(|| format!("{} must hold 64 hex characters", path.display()))?;
        Ok(Self::from_secret(&secret))
    }

    /// The keyed hash under which a ballot's paper with this receipt is stored.
    pub fn lookup(&self, ballot: &str, receipt: &str) -> String {
        let mut ctx = hmac::Context::with_key(&self.lookup);
        ctx.update(ballot.as_bytes());
        ctx.update(&[0]);
        ctx.update(receipt.as_bytes());
        hex::encode(ctx.sign().as_ref())
    }

    /// Seals a paper for a ballot (a fresh random nonce each time); the result as hex.
    pub fn seal(&self, ballot: &str, paper: &[u8]) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let mut data = paper.to_vec();
        self.seal
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(ballot.as_bytes()), &mut data)
            .expect("sealing a ballot paper");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&data);
        hex::encode(out)
    }

    /// Opens a paper sealed for this ballot; `None` when it was not sealed with this key for it.
    pub fn open(&self, ballot: &str, sealed: &str) -> Option<Vec<u8>> {
        let bytes = hex::decode(sealed).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut data = rest.to_vec();
        let plain = self.seal.open_in_place(nonce, Aad::from(ballot.as_bytes()), &mut data).ok()?;
        Some(plain.to_vec())
    }
}

/// A new receipt code: `ABCD-EFGH-JKLM-NPQR`.
pub fn new_receipt() -> String {
    let mut bytes = [0u8; RECEIPT_CHARS];
    rand::rng().fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes.iter().map(|b| char::from(RECEIPT_ALPHABET[usize::from(b & 31)])).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A receipt as typed: upper case, separators and spaces dropped, regrouped; `None` when it
/// cannot be one.
pub fn parse_receipt(raw: &str) -> Option<String> {
    let chars: Vec<char> = raw
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .take(RECEIPT_CHARS + 1)
        .collect();
    let valid =
        chars.len() == RECEIPT_CHARS && chars.iter().all(|c| c.is_ascii() && RECEIPT_ALPHABET.contains(&(*c as u8)));
    valid.then(|| chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_paper_opens_only_with_its_key_for_its_ballot() {
        let key = BallotKey::from_secret(&[7; 32]);
        let sealed = key.seal("b1", b"{\"answer\":\"yes\"}");
        assert_eq!(key.open("b1", &sealed).as_deref(), Some(&b"{\"answer\":\"yes\"}"[..]));
        assert_ne!(sealed, key.seal("b1", b"{\"answer\":\"yes\"}"), "a fresh nonce each time");
        assert!(!sealed.contains(&hex::encode(b"yes")), "the choice is not readable");
        assert_eq!(key.open("b2", &sealed), None, "another ballot's paper");
        assert_eq!(BallotKey::from_secret(&[8; 32]).open("b1", &sealed), None, "another key");
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 1;
        tampered[last] = if tampered[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(key.open("b1", &String::from_utf8(tampered).expect("hex")), None, "tampered");
        assert_eq!(key.open("b1", "zz"), None);
    }

    #[test]
    fn receipts_are_random_readable_and_hashed_per_ballot() {
        let key = BallotKey::from_secret(&[7; 32]);
        let r = new_receipt();
        assert_eq!(r.len(), 19);
        assert_eq!(parse_receipt(&r.to_lowercase().replace('-', " ")), Some(r.clone()));
        assert_eq!(parse_receipt("ABCD-EFGH-IJKL-MNOP"), None, "I and O are not receipt letters");
        assert_eq!(parse_receipt("ABCD"), None);
        assert_ne!(new_receipt(), r);
        assert_ne!(key.lookup("b1", &r), key.lookup("b2", &r));
        assert_ne!(key.lookup("b1", &r), BallotKey::from_secret(&[8; 32]).lookup("b1", &r));
    }

    #[test]
    fn the_key_file_is_created_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("kompromiss-key-{}", new_receipt()));
        let path = dir.join("ballot.key");
        let first = BallotKey::load_or_create(&path).expect("created");
        let sealed = first.seal("b", b"x");
        let again = BallotKey::load_or_create(&path).expect("read back");
        assert_eq!(again.open("b", &sealed).as_deref(), Some(&b"x"[..]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("metadata").permissions().mode();
            assert_eq!(mode & 0o077, 0, "only its owner reads it");
        }
        std::fs::write(&path, "kein schlüssel").expect("write");
        assert!(BallotKey::load_or_create(&path).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
