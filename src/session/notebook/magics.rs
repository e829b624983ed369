//! The line magics gradbook knows, dispatched by name; `%seed`, `%precision`, `%quickref`.

use super::{Notebook, Piece};
use crate::eval::{Args, Value};

/// Every magic, for `%quickref`, `%lsmagic` and completion after `%`.
pub const MAGICS: &[(&str, &str)] = &[
    (
        "who",
        "%who [TYPE...]       names you defined (only those of the given types)",
    ),
    (
        "whos",
        "%whos [TYPE...]      the same as a table; tensors show shape, dtype and autograd state",
    ),
    (
        "reset",
        "%reset [-f]          forget every name you defined (-f: without asking)",
    ),
    (
        "time",
        "%time STMT           run STMT once and show CPU and wall time",
    ),
    (
        "timeit",
        "%timeit [-n N] [-r R] STMT   time STMT over many loops",
    ),
    (
        "history",
        "%history [-n] [RANGE]       inputs so far (-n: with cell numbers; RANGE 4 4-6 4:6)",
    ),
    (
        "save",
        "%save FILE.session [RANGE]  write the session as a transcript `gradbook check` passes",
    ),
    (
        "load",
        "%load FILE          put a .py or .session file's cells into the next prompts",
    ),
    (
        "run",
        "%run FILE           run a .py or .session file in this session",
    ),
    ("seed", "%seed N             torch.manual_seed(N)"),
    (
        "precision",
        "%precision [N]      show floats with N digits (no N: repr); tensors are unchanged",
    ),
    ("quickref", "%quickref           this list"),
    ("lsmagic", "%lsmagic            names of the magics"),
];

/// IPython magics that lesson notebooks use but gradbook has no use for (packages, plotting
/// backends, extensions, the shell): named in their message so it is clear why they are skipped.
const IPYTHON_ONLY: &[&str] = &[
    "pip",
    "conda",
    "matplotlib",
    "load_ext",
    "reload_ext",
    "autoreload",
    "config",
    "env",
    "cd",
    "pwd",
    "ls",
    "sx",
    "system",
    "capture",
    "writefile",
    "bash",
    "sh",
    "html",
    "HTML",
    "javascript",
    "latex",
    "markdown",
    "script",
    "prun",
    "debug",
    "pdb",
    "xmode",
];
/// Cell-only magics of the same kind.
const IPYTHON_ONLY_CELL: &[&str] = &["!", "python", "python3", "perl", "ruby", "svg"];

impl Notebook {
    /// Runs one magic line (without its `%`); a cell magic has its body after a newline.
    pub(super) fn run_magic(&mut self, line: &str) -> Piece {
        let (line, body) = match line.split_once('\n') {
            Some((l, b)) => (l, Some(b)),
            None => (line, None),
        };
        let (name, args) = line
            .trim()
            .split_once(char::is_whitespace)
            .unwrap_or((line.trim(), ""));
        let args = args.trim();
        let current = self.next - 1;
        match (name, body) {
            ("time", Some(body)) => self.time(body),
            ("timeit", Some(body)) => self.timeit_cell(args, body),
            (_, Some(_)) if IPYTHON_ONLY.contains(&name) || IPYTHON_ONLY_CELL.contains(&name) => {
                Piece::printed(format!(
                    "gradbook has no %%{name} (an IPython cell magic); skipped the cell\n"
                ))
            }
            (_, Some(_)) => usage(format!("Cell magic `%%{name}` not found.")),
            (n, None) if IPYTHON_ONLY.contains(&n) => Piece::printed(format!(
                "gradbook has no %{n} (an IPython magic); skipped: %{}\n",
                line.trim()
            )),
            ("who", _) => self.who(args),
            ("whos", _) => self.whos(args),
            ("reset", _) => self.reset(args),
            ("time", _) => self.time(args),
            ("timeit", _) => self.timeit(args),
            ("history" | "hist", _) => self.history(args, current),
            ("save", _) => self.save(args, current),
            ("load", _) => self.load(args),
            ("run", _) => self.run_file(args),
            ("seed", _) => self.seed(args),
            ("precision", _) => self.precision(args),
            ("quickref", _) => Piece::printed(quickref()),
            ("lsmagic", _) => {
                let names: Vec<String> = MAGICS.iter().map(|(n, _)| format!("%{n}")).collect();
                Piece::printed(format!(
                    "Available line magics:\n{}\n\nAvailable cell magics:\n%%time  %%timeit\n",
                    names.join("  ")
                ))
            }
            _ => usage(format!("Line magic function `%{name}` not found.")),
        }
    }

    /// `%%timeit [options] [setup]` then a body: the setup runs once, the body is timed.
    fn timeit_cell(&mut self, args: &str, body: &str) -> Piece {
        let (opts, setup) = match super::timing::parse_timeit(args) {
            Ok(parsed) => parsed,
            Err(msg) => return usage(msg),
        };
        if !setup.trim().is_empty() {
            let piece = self.run_code(&format!("{setup}\npass"));
            if piece.error.is_some() {
                return piece;
            }
        }
        let mut options = String::new();
        if opts.number > 0 {
            options.push_str(&format!("-n {} ", opts.number));
        }
        options.push_str(&format!("-r {} -p {} ", opts.repeat, opts.precision));
        if opts.quiet {
            options.push_str("-q ");
        }
        self.timeit(&format!("{options}{body}"))
    }

    /// `%seed N`: `torch.manual_seed(N)`, shown as nothing.
    fn seed(&mut self, args: &str) -> Piece {
        let Ok(seed) = args.parse::<i64>() else {
            return usage("%seed takes one integer, the seed".into());
        };
        match self.call_torch("manual_seed", Args::new(vec![Value::Int(seed)])) {
            Ok(_) => Piece::default(),
            Err(e) => Piece::error(String::new(), e),
        }
    }

    /// `%precision [N]`: how displayed Python floats look (IPython's float format; tensor
    /// printing is untouched, as IPython leaves torch's print options alone). IPython shows
    /// the format it set (`'%.3f'`, or `'%r'` for the default).
    fn precision(&mut self, args: &str) -> Piece {
        let (digits, shown) = if args.is_empty() {
            (4, "%r".to_string())
        } else {
            match args.parse::<usize>() {
                Ok(n) => (n, format!("%.{n}f")),
                Err(_) => return usage(format!("Invalid precision '{args}'")),
            }
        };
        self.float_precision = (!args.is_empty()).then_some(digits);
        let value = Value::str(&shown);
        Piece {
            value: Some((value, format!("'{shown}'"))),
            ..Piece::default()
        }
    }
}

/// IPython prints usage errors as `UsageError: ...`; it is not a Python exception, so it is
/// printed text and the session goes on.
fn usage(msg: String) -> Piece {
    Piece::printed(format!("UsageError: {msg}\n"))
}

/// `%quickref`: what gradbook adds to Python, on one screen.
pub fn quickref() -> String {
    let mut text = String::from(
        "gradbook -- an IPython-style notebook for PyTorch autograd lessons\n\
         \n\
         obj?, ?obj, help(obj)  signature, description and an example\n\
         _, __, ___             the last three values shown\n\
         _N, Out[N]             the value shown by cell N\n\
         _iN, In[N]             the source of cell N (_i, _ii, _iii: the last three)\n\
         a trailing ;           hides the cell's value\n\
         Tab                    complete names, torch. members, tensor methods, keywords, files\n\
         \n\
         Magics:\n",
    );
    for (_, line) in MAGICS {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
    text.push_str("  %%time, %%timeit      as the first line: time the rest of the cell\n");
    text
}
