//! The deployment's root key: parsed from configuration or generated once.
use std::io::Write;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hkdf::Hkdf;
use rand::RngCore;
use sha2::Sha256;

const KEY_LEN: usize = 32;

/// 32 secret bytes. Debug never prints them.
#[derive(Clone)]
pub struct SecretKey([u8; KEY_LEN]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl SecretKey {
    /// Accepts 32 bytes as standard base64 (44 characters) or hex (64 characters).
    /// The error never repeats the value.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let bytes = if raw.len() == 2 * KEY_LEN && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(raw).ok()
        } else {
            STANDARD.decode(raw).ok()
        };
        match bytes.and_then(|b| <[u8; KEY_LEN]>::try_from(b).ok()) {
            Some(key) => Ok(Self(key)),
            None => Err(format!(
                "expected 32 random bytes as base64 (44 characters) or hex (64 characters), got {} characters that are neither; make one with `openssl rand -base64 32`",
                raw.len()
            )),
        }
    }

    /// A fresh random key.
    pub fn generate() -> Self {
        let mut key = [0u8; KEY_LEN];
        rand::rngs::OsRng.fill_bytes(&mut key);
        Self(key)
    }

    /// Reads the key file, or creates it (mode 0600) with a new key when it
    /// does not exist yet, so a deployment keeps one key across restarts.
    pub fn load_or_generate(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                Self::parse(&text).map_err(|e| format!("the key file {} is malformed: {e}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate();
                write_new_private_file(path, STANDARD.encode(key.0).as_bytes())
                    .map_err(|e| format!("cannot create the key file {}: {e}", path.display()))?;
                tracing::warn!(path = %path.display(), "VOUCH_SECRET_KEY is not set: generated a new key file; back it up, stored secrets cannot be read without it");
                Ok(key)
            }
            Err(e) => Err(format!("cannot read the key file {}: {e}", path.display())),
        }
    }

    /// A key for one purpose, derived with HKDF-SHA256.
    pub fn derive(&self, purpose: &str) -> [u8; KEY_LEN] {
        let mut out = [0u8; KEY_LEN];
        Hkdf::<Sha256>::new(Some(b"vouch"), &self.0)
            .expand(purpose.as_bytes(), &mut out)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        out
    }
}

fn write_new_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_base64_and_hex() {
        let b64 = STANDARD.encode([7u8; 32]);
        let hex = hex::encode([7u8; 32]);
        assert_eq!(SecretKey::parse(&b64).expect("base64").0, [7u8; 32]);
        assert_eq!(SecretKey::parse(&hex).expect("hex").0, [7u8; 32]);
        assert!(SecretKey::parse(&STANDARD.encode([7u8; 16])).is_err());
        assert!(SecretKey::parse("").is_err());
    }

    #[test]
    fn generated_once_private_and_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("nested/secret.key");
        let first = SecretKey::load_or_generate(&path).expect("generated");
        let second = SecretKey::load_or_generate(&path).expect("reused");
        assert_eq!(first.0, second.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("exists").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn derived_keys_differ_per_purpose() {
        let key = SecretKey::generate();
        assert_ne!(key.derive("a"), key.derive("b"));
        assert_eq!(key.derive("a"), key.derive("a"));
        assert!(!format!("{key:?}").contains(&hex::encode(key.0)));
    }
}
