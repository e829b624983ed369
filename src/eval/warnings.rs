//! Warnings (Python's `warnings` module, and the ones PyTorch raises, such as reading `.grad`
//! of a non-leaf tensor): collected while a cell runs and shown by the front end on stderr,
//! below the cell, as IPython and Python show them. Transcripts record stdout only, as the
//! oracle's do. Python's default filter shows a warning once per location; here a location
//! is the interpreter cell and the warning's text (a cell is IPython's unit of "file"; the
//! line is not tracked), so a warning in a loop shows once. One thread-local, so the
//! interpreter needs no new field; hooks: `Tensor.grad` and the `warnings` module.

use super::value::{Args, Value};
use crate::error::{PyResult, type_error};
use std::cell::RefCell;
use std::collections::BTreeSet;

/// A warning raised while a cell ran.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    pub category: String,
    pub message: String,
}

/// The warning categories Python's builtins name.
pub const CATEGORIES: &[&str] = &[
    "Warning",
    "UserWarning",
    "DeprecationWarning",
    "FutureWarning",
    "RuntimeWarning",
];

#[derive(Default)]
struct State {
    pending: Vec<Warning>,
    /// (cell, category, message) already shown: the "default" action's registry.
    seen: BTreeSet<(u64, String, String)>,
    /// `simplefilter("ignore")` / `filterwarnings("ignore")` with no category: all quiet.
    ignore_all: bool,
    ignored: BTreeSet<String>,
    /// `"always"`: every occurrence is shown.
    always: bool,
    cell: u64,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// The interpreter starts cell `cell` (warnings are registered per cell).
pub fn enter_cell(cell: u64) {
    STATE.with(|s| s.borrow_mut().cell = cell);
}

/// Issues a warning, subject to the filters and the once-per-location rule.
pub fn warn(category: &str, message: &str) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if s.ignore_all || s.ignored.contains(category) {
            return;
        }
        let key = (s.cell, category.to_string(), message.to_string());
        if !s.always && !s.seen.insert(key) {
            return;
        }
        s.pending.push(Warning {
            category: category.to_string(),
            message: message.to_string(),
        });
    });
}

/// The warnings issued since the last call.
pub fn take() -> Vec<Warning> {
    STATE.with(|s| std::mem::take(&mut s.borrow_mut().pending))
}

/// Forgets filters and the registry (a fresh session).
pub fn reset() {
    STATE.with(|s| *s.borrow_mut() = State::default());
}

/// PyTorch's warning on reading `.grad` of a non-leaf tensor (`TensorBody.h`).
pub const NON_LEAF_GRAD: &str = "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at /__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:488.)";

/// The category named by a `category=` argument (a warning class).
fn category_name(v: &Value) -> PyResult<String> {
    match v {
        Value::Class(c) if CATEGORIES.contains(&&*c.name) => Ok(c.name.to_string()),
        other => Err(type_error(format!(
            "category must be a Warning subclass, not '{}'",
            other.type_name()
        ))),
    }
}

/// `import warnings`: `warn`, `simplefilter`, `filterwarnings`, `resetwarnings` and the
/// categories.
pub fn module() -> Value {
    let warn_fn = Value::native("warn", |interp, args: Args| {
        let bound = super::args::bind("warn", args, &["message", "category", "stacklevel"], 1)?;
        let message = match &bound[0] {
            Some(v) => interp.str(v)?,
            None => String::new(),
        };
        let category = match &bound[1] {
            Some(Value::None) | None => "UserWarning".to_string(),
            Some(v) => category_name(v)?,
        };
        warn(&category, &message);
        Ok(Value::None)
    });
    let filter = |name: &'static str| {
        Value::native(name, move |interp, args: Args| {
            let bound = super::args::bind(name, args, &["action", "category"], 1)?;
            let action = match &bound[0] {
                Some(v) => interp.str(v)?,
                None => String::new(),
            };
            let category = match &bound[1] {
                Some(Value::None) | None => None,
                Some(v) => Some(category_name(v)?),
            };
            STATE.with(|s| {
                let mut s = s.borrow_mut();
                match (action.as_str(), category) {
                    ("ignore", None) => s.ignore_all = true,
                    ("ignore", Some(c)) => {
                        s.ignored.insert(c);
                    }
                    ("always", _) => s.always = true,
                    _ => {
                        s.ignore_all = false;
                        s.always = false;
                    }
                }
            });
            Ok(Value::None)
        })
    };
    let reset_fn = Value::native("resetwarnings", |_, args: Args| {
        super::args::none("resetwarnings", &args)?;
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            s.ignore_all = false;
            s.always = false;
            s.ignored.clear();
        });
        Ok(Value::None)
    });
    let mut attrs = vec![
        ("warn", warn_fn),
        ("simplefilter", filter("simplefilter")),
        ("filterwarnings", filter("filterwarnings")),
        ("resetwarnings", reset_fn),
    ];
    for c in CATEGORIES {
        attrs.push((c, Value::class(c)));
    }
    super::modules::make_module("warnings", attrs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_per_cell_unless_always_and_filters() {
        reset();
        enter_cell(1);
        warn("UserWarning", "a");
        warn("UserWarning", "a");
        warn("UserWarning", "b");
        assert_eq!(take().len(), 2);
        enter_cell(2);
        warn("UserWarning", "a");
        assert_eq!(take().len(), 1);
        STATE.with(|s| s.borrow_mut().ignored.insert("UserWarning".into()));
        warn("UserWarning", "c");
        assert!(take().is_empty());
        reset();
    }
}
