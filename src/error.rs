//! Python-style errors shared by every layer: `RuntimeError: message`.

use std::fmt;

/// The Python exception type of an error, printed before the colon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    RuntimeError,
    IndexError,
    ValueError,
    TypeError,
    NameError,
    AttributeError,
    KeyError,
    ZeroDivisionError,
    AssertionError,
    RecursionError,
    KeyboardInterrupt,
    StopIteration,
    NotImplementedError,
    ImportError,
    ModuleNotFoundError,
    SyntaxError,
    IndentationError,
    TabError,
    UnboundLocalError,
    OverflowError,
    MemoryError,
    FileNotFoundError,
    OSError,
    Exception,
}

impl ErrorKind {
    pub fn name(self) -> &'static str {
        use ErrorKind::*;
        match self {
            RuntimeError => "RuntimeError",
            IndexError => "IndexError",
            ValueError => "ValueError",
            TypeError => "TypeError",
            NameError => "NameError",
            AttributeError => "AttributeError",
            KeyError => "KeyError",
            ZeroDivisionError => "ZeroDivisionError",
            AssertionError => "AssertionError",
            RecursionError => "RecursionError",
            KeyboardInterrupt => "KeyboardInterrupt",
            StopIteration => "StopIteration",
            NotImplementedError => "NotImplementedError",
            ImportError => "ImportError",
            ModuleNotFoundError => "ModuleNotFoundError",
            SyntaxError => "SyntaxError",
            IndentationError => "IndentationError",
            TabError => "TabError",
            UnboundLocalError => "UnboundLocalError",
            OverflowError => "OverflowError",
            MemoryError => "MemoryError",
            FileNotFoundError => "FileNotFoundError",
            OSError => "OSError",
            Exception => "Exception",
        }
    }

    /// Looks a Python exception name up (for `except`-free `raise` and `isinstance`).
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        use ErrorKind::*;
        const ALL: [ErrorKind; 23] = [
            RuntimeError,
            IndexError,
            ValueError,
            TypeError,
            NameError,
            AttributeError,
            KeyError,
            ZeroDivisionError,
            AssertionError,
            RecursionError,
            KeyboardInterrupt,
            StopIteration,
            NotImplementedError,
            ImportError,
            ModuleNotFoundError,
            SyntaxError,
            IndentationError,
            UnboundLocalError,
            OverflowError,
            MemoryError,
            FileNotFoundError,
            OSError,
            Exception,
        ];
        ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A byte range in the source of one cell, used to put a caret under the failing expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A Python exception: its type, its message and, once known, where in the cell it happened.
#[derive(Clone, Debug, PartialEq)]
pub struct PyErr {
    pub kind: ErrorKind,
    pub msg: String,
    pub span: Option<Span>,
}

pub type PyResult<T> = Result<T, PyErr>;

impl PyErr {
    pub fn new(kind: ErrorKind, msg: impl Into<String>) -> PyErr {
        PyErr {
            kind,
            msg: msg.into(),
            span: None,
        }
    }
    /// Attaches a span unless a more precise (inner) one is already there.
    pub fn with_span(mut self, span: Span) -> PyErr {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }
}

impl fmt::Display for PyErr {
    /// `Type: message`, the last line of a Python traceback (just `Type` when the message is empty).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.msg.is_empty() {
            write!(f, "{}", self.kind.name())
        } else {
            write!(f, "{}: {}", self.kind.name(), self.msg)
        }
    }
}

macro_rules! ctor {
    ($($fn_name:ident => $kind:ident),* $(,)?) => {
        $(
            pub fn $fn_name(msg: impl Into<String>) -> PyErr {
                PyErr::new(ErrorKind::$kind, msg)
            }
        )*
    };
}

ctor! {
    runtime_error => RuntimeError,
    index_error => IndexError,
    value_error => ValueError,
    type_error => TypeError,
    name_error => NameError,
    attribute_error => AttributeError,
    key_error => KeyError,
    zero_division_error => ZeroDivisionError,
    not_implemented => NotImplementedError,
}
