//! The Jupyter wire format (messaging protocol 5.3): routing identities, `<IDS|MSG>`, the
//! HMAC-SHA256 signature over the four JSON frames, then header, parent header, metadata and
//! content, then binary buffers.

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

pub const DELIMITER: &[u8] = b"<IDS|MSG>";
pub const PROTOCOL_VERSION: &str = "5.3";

/// One message, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// The ROUTER identities the message came with (where its reply goes).
    pub identities: Vec<Vec<u8>>,
    pub header: Value,
    pub parent_header: Value,
    pub metadata: Value,
    pub content: Value,
    pub buffers: Vec<Vec<u8>>,
}

impl Message {
    pub fn msg_type(&self) -> &str {
        self.header
            .get("msg_type")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
}

/// Why a multipart message was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum WireError {
    NoDelimiter,
    TooFewFrames,
    BadSignature,
    BadJson(&'static str),
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WireError::NoDelimiter => write!(f, "no <IDS|MSG> delimiter"),
            WireError::TooFewFrames => write!(f, "fewer than the four JSON frames"),
            WireError::BadSignature => write!(f, "bad signature"),
            WireError::BadJson(frame) => write!(f, "the {frame} frame is not JSON"),
        }
    }
}

/// Signs and checks messages with the connection file's key (no key: no signing, as Jupyter
/// allows).
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl Signer {
    pub fn new(key: &str) -> Signer {
        Signer {
            key: key.as_bytes().to_vec(),
        }
    }

    /// The hex digest of the four JSON frames.
    pub fn sign(&self, frames: &[&[u8]]) -> String {
        if self.key.is_empty() {
            return String::new();
        }
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.key) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        for f in frames {
            mac.update(f);
        }
        hex::encode(mac.finalize().into_bytes())
    }

    /// Checks a signature in constant time.
    fn verify(&self, signature: &[u8], frames: &[&[u8]]) -> bool {
        if self.key.is_empty() {
            return true;
        }
        let Ok(sig) = hex::decode(signature) else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            return false;
        };
        for f in frames {
            mac.update(f);
        }
        mac.verify_slice(&sig).is_ok()
    }

    /// Parses and verifies a multipart message.
    pub fn decode(&self, frames: Vec<Vec<u8>>) -> Result<Message, WireError> {
        let at = frames
            .iter()
            .position(|f| f == DELIMITER)
            .ok_or(WireError::NoDelimiter)?;
        let mut rest = frames.into_iter();
        let identities: Vec<Vec<u8>> = rest.by_ref().take(at).collect();
        rest.next();
        let parts: Vec<Vec<u8>> = rest.collect();
        if parts.len() < 5 {
            return Err(WireError::TooFewFrames);
        }
        let json_frames: Vec<&[u8]> = parts[1..5].iter().map(Vec::as_slice).collect();
        if !self.verify(&parts[0], &json_frames) {
            return Err(WireError::BadSignature);
        }
        let parse = |i: usize, name: &'static str| {
            serde_json::from_slice::<Value>(&parts[i]).map_err(|_| WireError::BadJson(name))
        };
        Ok(Message {
            identities,
            header: parse(1, "header")?,
            parent_header: parse(2, "parent_header")?,
            metadata: parse(3, "metadata")?,
            content: parse(4, "content")?,
            buffers: parts[5..].to_vec(),
        })
    }

    /// The frames of a message, signed.
    pub fn encode(&self, msg: &Message) -> Vec<Vec<u8>> {
        let json: Vec<Vec<u8>> = [&msg.header, &msg.parent_header, &msg.metadata, &msg.content]
            .iter()
            .map(|v| v.to_string().into_bytes())
            .collect();
        let refs: Vec<&[u8]> = json.iter().map(Vec::as_slice).collect();
        let signature = self.sign(&refs);
        let mut frames = msg.identities.clone();
        frames.push(DELIMITER.to_vec());
        frames.push(signature.into_bytes());
        frames.extend(json);
        frames.extend(msg.buffers.iter().cloned());
        frames
    }
}

/// A new message of `msg_type` in reply to (or caused by) `parent`, routed to its sender.
pub fn reply(parent: &Message, session: &str, msg_type: &str, content: Value) -> Message {
    Message {
        identities: parent.identities.clone(),
        header: header(session, msg_type),
        parent_header: parent.header.clone(),
        metadata: json!({}),
        content,
        buffers: Vec::new(),
    }
}

/// A fresh header.
pub fn header(session: &str, msg_type: &str) -> Value {
    json!({
        "msg_id": uuid::Uuid::new_v4().to_string(),
        "session": session,
        "username": "gradbook",
        "date": now_iso8601(),
        "msg_type": msg_type,
        "version": PROTOCOL_VERSION,
    })
}

/// The current UTC time as ISO 8601 with microseconds (`2026-12-02T05:30:00.123456Z`).
pub fn now_iso8601() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_micros()
    )
}

/// Days since 1970-01-01 to a (year, month, day) of the proleptic Gregorian calendar
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Message {
        Message {
            identities: vec![b"client".to_vec()],
            header: json!({"msg_id": "1", "msg_type": "execute_request"}),
            parent_header: json!({}),
            metadata: json!({}),
            content: json!({"code": "1 + 1"}),
            buffers: vec![b"raw".to_vec()],
        }
    }

    #[test]
    fn round_trips_signed() {
        let signer = Signer::new("secret");
        let frames = signer.encode(&sample());
        assert_eq!(frames[1], DELIMITER);
        assert_eq!(frames[2].len(), 64);
        assert_eq!(signer.decode(frames), Ok(sample()));
    }

    #[test]
    fn known_hmac_sha256_digest() {
        // RFC 4231 test case 2.
        let signer = Signer::new("Jefe");
        assert_eq!(
            signer.sign(&[b"what do ya want ", b"for nothing?"]),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn rejects_bad_signatures_and_malformed_messages() {
        let signer = Signer::new("secret");
        let mut frames = signer.encode(&sample());
        frames[2] = Signer::new("other").encode(&sample())[2].clone();
        assert_eq!(signer.decode(frames), Err(WireError::BadSignature));
        let mut tampered = signer.encode(&sample());
        tampered[6] = br#"{"code": "import os"}"#.to_vec();
        assert_eq!(signer.decode(tampered), Err(WireError::BadSignature));
        let mut unsigned = signer.encode(&sample());
        unsigned[2] = Vec::new();
        assert_eq!(signer.decode(unsigned), Err(WireError::BadSignature));
        assert_eq!(
            signer.decode(vec![b"x".to_vec()]),
            Err(WireError::NoDelimiter)
        );
        assert_eq!(
            signer.decode(vec![DELIMITER.to_vec(), b"sig".to_vec()]),
            Err(WireError::TooFewFrames)
        );
        // Without a key nothing is signed and anything well formed is accepted.
        let open = Signer::new("");
        let frames = open.encode(&sample());
        assert!(frames[2].is_empty());
        assert_eq!(open.decode(frames), Ok(sample()));
    }

    #[test]
    fn dates_are_iso8601() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_423), (2025, 12, 1));
        let now = now_iso8601();
        assert_eq!(now.len(), 27, "{now}");
        assert!(now.ends_with('Z'));
    }
}
