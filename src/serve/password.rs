//! The department's password, for a server other machines reach (`--listen` beyond this
//! machine): made up at the first such start and shown once, kept only as its Argon2id hash.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// The letters of a password made up: no 0/O, 1/l/I, easy to type from a screen.
const LETTERS: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

/// A new password of 16 letters (about 93 bits).
///
/// # Errors
///
/// When the operating system gives no randomness.
pub(super) fn new_password() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes
        .iter()
        .map(|b| LETTERS[usize::from(*b) % LETTERS.len()] as char)
        .collect())
}

/// The Argon2id hash of a password (a PHC string, its salt random).
pub(super) fn hash(password: &str) -> Option<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .ok()
        .map(|h| h.to_string())
}

/// Whether `password` is the one `hash` was made from.
pub(super) fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).ok().is_some_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_kept_as_its_hash_and_checked_against_it() {
        let password = new_password().unwrap();
        assert_eq!(password.chars().count(), 16);
        let stored = hash(&password).unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains(&password));
        assert!(verify(&password, &stored));
        assert!(!verify("wrong", &stored));
        assert!(!verify(&password, "not a hash"));
    }
}
