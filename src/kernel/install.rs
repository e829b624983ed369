//! `gradbook kernel install`: the kernelspec (`kernel.json` and logos) in a directory Jupyter
//! searches, so JupyterLab, Notebook and VS Code list "gradbook" as a kernel.

use serde_json::json;
use std::path::{Path, PathBuf};

/// Where the kernelspec goes.
pub enum Place {
    /// The user's Jupyter data directory.
    User,
    /// `PREFIX/share/jupyter/kernels`.
    Prefix(PathBuf),
    /// The active Python environment's prefix.
    SysPrefix,
}

/// The user's Jupyter data directory as jupyter_core finds it.
fn user_data_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("JUPYTER_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if cfg!(target_os = "macos") {
        return home
            .map(|h| h.join("Library/Jupyter"))
            .ok_or_else(|| "HOME is not set".to_string());
    }
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|x| !x.is_empty()) {
        return Ok(PathBuf::from(xdg).join("jupyter"));
    }
    home.map(|h| h.join(".local/share/jupyter"))
        .ok_or_else(|| "HOME is not set".to_string())
}

/// The `kernels/gradbook` directory for a place.
pub fn kernel_dir(place: &Place) -> Result<PathBuf, String> {
    let data = match place {
        Place::User => user_data_dir()?,
        Place::Prefix(p) => p.join("share/jupyter"),
        Place::SysPrefix => {
            let prefix = std::env::var_os("VIRTUAL_ENV")
                .or_else(|| std::env::var_os("CONDA_PREFIX"))
                .ok_or("--sys-prefix needs an active Python environment (VIRTUAL_ENV or CONDA_PREFIX is not set)")?;
            PathBuf::from(prefix).join("share/jupyter")
        }
    };
    Ok(data.join("kernels").join("gradbook"))
}

/// kernel.json for the binary at `exe`.
pub fn kernel_json(exe: &Path) -> String {
    let spec = json!({
        "argv": [exe.to_string_lossy(), "kernel", "--connection-file", "{connection_file}"],
        "display_name": "gradbook (PyTorch autograd)",
        "language": "python",
        "interrupt_mode": "signal",
        "metadata": {"debugger": false},
    });
    let mut text = serde_json::to_string_pretty(&spec).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes the kernelspec; the directory it went to.
pub fn install(place: &Place) -> Result<PathBuf, String> {
    let dir = kernel_dir(place)?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find gradbook itself: {e}"))?;
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(dir.join(name), bytes)
            .map_err(|e| format!("cannot write {}: {e}", dir.join(name).display()))
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write("kernel.json", kernel_json(&exe).as_bytes())?;
    write("logo-32x32.png", include_bytes!("logo/logo-32x32.png"))?;
    write("logo-64x64.png", include_bytes!("logo/logo-64x64.png"))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernelspec_names_the_binary_and_the_connection_file() {
        let text = kernel_json(Path::new("/opt/bin/gradbook"));
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(
            v["argv"],
            json!([
                "/opt/bin/gradbook",
                "kernel",
                "--connection-file",
                "{connection_file}"
            ])
        );
        assert_eq!(v["language"], "python");
        assert_eq!(
            kernel_dir(&Place::Prefix("/p".into())).ok(),
            Some(PathBuf::from("/p/share/jupyter/kernels/gradbook"))
        );
    }
}
