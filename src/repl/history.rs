//! Where input history is kept across runs: `$XDG_STATE_HOME/gradbook/history`, else
//! `~/.local/state/gradbook/history`.

use std::path::PathBuf;

pub fn history_path() -> Option<PathBuf> {
    state_dir(
        std::env::var_os("XDG_STATE_HOME").map(PathBuf::from),
        std::env::var_os("HOME").map(PathBuf::from),
    )
    .map(|dir| dir.join("gradbook").join("history"))
}

/// The XDG state directory: the variable when it is an absolute path (the spec ignores
/// relative ones), else `$HOME/.local/state`.
fn state_dir(xdg: Option<PathBuf>, home: Option<PathBuf>) -> Option<PathBuf> {
    xdg.filter(|p| p.is_absolute())
        .or_else(|| home.map(|h| h.join(".local").join("state")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xdg_first_then_home() {
        let p = |s: &str| Some(PathBuf::from(s));
        assert_eq!(state_dir(p("/x/state"), p("/home/u")), p("/x/state"));
        assert_eq!(state_dir(p("rel"), p("/home/u")), p("/home/u/.local/state"));
        assert_eq!(state_dir(None, p("/home/u")), p("/home/u/.local/state"));
        assert_eq!(state_dir(None, None), None);
    }
}
