//! The connection file Jupyter writes for a kernel it starts: ports, address, key.

use serde_json::Value;
use std::path::Path;

#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    pub transport: String,
    pub ip: String,
    pub key: String,
    pub shell_port: u16,
    pub iopub_port: u16,
    pub stdin_port: u16,
    pub control_port: u16,
    pub hb_port: u16,
}

impl Connection {
    pub fn read(path: &Path) -> Result<Connection, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the connection file {}: {e}", path.display()))?;
        Connection::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Connection, String> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| format!("not a connection file: {e}"))?;
        let port = |name: &str| {
            v.get(name)
                .and_then(Value::as_u64)
                .and_then(|p| u16::try_from(p).ok())
                .ok_or_else(|| format!("the connection file has no valid \"{name}\""))
        };
        let text = |name: &str, default: &str| {
            v.get(name)
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_string()
        };
        let scheme = text("signature_scheme", "hmac-sha256");
        if !text("key", "").is_empty() && scheme != "hmac-sha256" {
            return Err(format!(
                "signature scheme {scheme} is not supported (only hmac-sha256)"
            ));
        }
        let transport = text("transport", "tcp");
        if transport != "tcp" {
            return Err(format!("transport {transport} is not supported (only tcp)"));
        }
        Ok(Connection {
            transport,
            ip: text("ip", "127.0.0.1"),
            key: text("key", ""),
            shell_port: port("shell_port")?,
            iopub_port: port("iopub_port")?,
            stdin_port: port("stdin_port")?,
            control_port: port("control_port")?,
            hb_port: port("hb_port")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jupyters_connection_file() {
        let c = Connection::parse(
            r#"{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004,
                "hb_port": 5005, "ip": "127.0.0.1", "key": "k", "transport": "tcp",
                "signature_scheme": "hmac-sha256", "kernel_name": "gradbook"}"#,
        )
        .expect("valid");
        assert_eq!(c.shell_port, 5001);
        assert_eq!(c.key, "k");
        assert!(Connection::parse(r#"{"shell_port": 1}"#).is_err());
        assert!(
            Connection::parse(
                r#"{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4,
                    "hb_port": 5, "key": "k", "signature_scheme": "hmac-md5"}"#
            )
            .is_err()
        );
        assert!(Connection::parse("{").is_err());
    }
}
