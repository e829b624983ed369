//! PyTorch's tensor printing, byte for byte (`torch/_tensor_str.py`; rules in
//! ../shared/reference/printing.md).
//!
//! `tensor_repr` assembles `tensor(` + body + suffixes; the body is built by `layout` with one
//! `formatter::Formatter` for the whole tensor (or for its edge elements when summarised).

mod formatter;
mod layout;
#[cfg(test)]
mod tests;

pub use formatter::{format_exp, format_fixed};

use super::{DType, NdArray};
use std::cell::RefCell;

/// `torch.set_printoptions` state.
#[derive(Clone, Debug, PartialEq)]
pub struct PrintOptions {
    pub precision: usize,
    pub threshold: usize,
    pub edgeitems: usize,
    pub linewidth: usize,
    /// None: decide per tensor (PyTorch's default).
    pub sci_mode: Option<bool>,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            precision: 4,
            threshold: 1000,
            edgeitems: 3,
            linewidth: 80,
            sci_mode: None,
        }
    }
}

thread_local! {
    static OPTIONS: RefCell<PrintOptions> = RefCell::new(PrintOptions::default());
}

/// The print options in force.
pub fn print_options() -> PrintOptions {
    OPTIONS.with(|o| o.borrow().clone())
}

/// Replaces the print options (a session reset puts the defaults back).
pub fn set_print_options(options: PrintOptions) {
    OPTIONS.with(|o| *o.borrow_mut() = options);
}

/// The options `torch.set_printoptions(profile=name)` starts from, before the other keyword
/// arguments are applied on top. Like PyTorch, a profile leaves `sci_mode` alone (the caller
/// sets it from its own keyword, which defaults to None). `threshold=inf` is `usize::MAX`.
/// An unknown name is ignored by PyTorch too: the current options come back unchanged.
pub fn set_printoptions_profile(name: &str) -> Result<PrintOptions, String> {
    let mut options = print_options();
    let (precision, threshold, edgeitems) = match name {
        "default" => (4, 1000, 3),
        "short" => (2, 1000, 2),
        "full" => (4, usize::MAX, 3),
        _ => return Ok(options),
    };
    options.precision = precision;
    options.threshold = threshold;
    options.edgeitems = edgeitems;
    options.linewidth = 80;
    Ok(options)
}

/// The keyword arguments of `torch.set_printoptions`, each None when not passed
/// (`threshold=inf` is `usize::MAX`).
#[derive(Clone, Debug, Default)]
pub struct SetPrintOptions<'a> {
    pub precision: Option<usize>,
    pub threshold: Option<usize>,
    pub edgeitems: Option<usize>,
    pub linewidth: Option<usize>,
    pub profile: Option<&'a str>,
    pub sci_mode: Option<bool>,
}

/// `torch.set_printoptions(...)`: the profile first, then the explicit options on top.
/// As in PyTorch, `sci_mode` is always replaced, so any call that does not pass it puts it
/// back to None (automatic).
pub fn set_printoptions(args: &SetPrintOptions<'_>) {
    let mut options = match args.profile {
        Some(name) => set_printoptions_profile(name).unwrap_or_else(|_| print_options()),
        None => print_options(),
    };
    if let Some(p) = args.precision {
        options.precision = p;
    }
    if let Some(t) = args.threshold {
        options.threshold = t;
    }
    if let Some(e) = args.edgeitems {
        options.edgeitems = e;
    }
    if let Some(w) = args.linewidth {
        options.linewidth = w;
    }
    options.sci_mode = args.sci_mode;
    set_print_options(options);
}

/// The column where the body starts: `len("tensor(")`.
const INDENT: usize = 7;

/// `repr(tensor)`: `tensor(...)` with the `size=`/`dtype=` suffixes and, last, `grad_suffix`
/// (`grad_fn=<MulBackward0>` or `requires_grad=True`) when given, wrapped as PyTorch does.
pub fn tensor_repr(array: &NdArray, grad_suffix: Option<&str>) -> String {
    OPTIONS.with(|o| tensor_repr_with(array, grad_suffix, &o.borrow()))
}

/// `tensor_repr` under explicit print options (`_str_intern`).
pub fn tensor_repr_with(array: &NdArray, grad_suffix: Option<&str>, opts: &PrintOptions) -> String {
    let shape = array.shape();
    let dtype = array.dtype();
    let mut suffixes = Vec::new();
    let body = if array.numel() == 0 {
        // NumPy-style: the shape is shown unless it is plain `(0,)`; with no element to
        // tell ints from floats, every dtype but the default one is shown.
        if shape.len() != 1 {
            suffixes.push(format!("size={}", shape_tuple(shape)));
        }
        if dtype != DType::F32 {
            suffixes.push(format!("dtype={}", dtype.name()));
        }
        "[]".to_string()
    } else {
        // With edgeitems=0 nothing of the data is visible, so PyTorch shows the size instead.
        if opts.edgeitems == 0 {
            suffixes.push(format!("size={}", shape_tuple(shape)));
        }
        if !matches!(dtype, DType::F32 | DType::I64 | DType::Bool) {
            suffixes.push(format!("dtype={}", dtype.name()));
        }
        layout::tensor_body(array, opts, INDENT)
    };
    if let Some(grad) = grad_suffix {
        suffixes.push(grad.to_string());
    }
    add_suffixes(format!("tensor({body}"), &suffixes, opts.linewidth)
}

/// Python's `str(tuple(shape))`: `(0, 3)`, `(5,)`, `()`.
fn shape_tuple(shape: &[usize]) -> String {
    match shape {
        [d] => format!("({d},)"),
        _ => {
            let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
            format!("({})", dims.join(", "))
        }
    }
}

/// `_add_suffixes`: each suffix goes on the current line unless that would pass `linewidth`.
/// `last` starts as the last line's length + 2 (PyTorch's own off-by-two, kept on purpose).
fn add_suffixes(mut s: String, suffixes: &[String], linewidth: usize) -> String {
    let mut last = match s.rfind('\n') {
        Some(p) => s.len() - p + 1,
        None => s.len() + 2,
    };
    for suffix in suffixes {
        if last + suffix.len() + 2 > linewidth {
            s.push_str(",\n");
            s.push_str(&" ".repeat(INDENT));
            s.push_str(suffix);
            last = INDENT + suffix.len();
        } else {
            s.push_str(", ");
            s.push_str(suffix);
            last += suffix.len() + 2;
        }
    }
    s.push(')');
    s
}
