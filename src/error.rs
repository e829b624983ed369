//! Python-style errors shared by every layer: `RuntimeError: message`.

use std::fmt;

/// The Python exception type of an error, printed before the colon: CPython's built-in
/// exception classes (the class objects and their hierarchy live in `eval::exceptions`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorKind {
    BaseException,
    SystemExit,
    KeyboardInterrupt,
    GeneratorExit,
    Exception,
    StopIteration,
    StopAsyncIteration,
    ArithmeticError,
    FloatingPointError,
    OverflowError,
    ZeroDivisionError,
    AssertionError,
    AttributeError,
    BufferError,
    EOFError,
    ImportError,
    ModuleNotFoundError,
    LookupError,
    IndexError,
    KeyError,
    MemoryError,
    NameError,
    UnboundLocalError,
    OSError,
    BlockingIOError,
    ChildProcessError,
    ConnectionError,
    BrokenPipeError,
    ConnectionAbortedError,
    ConnectionRefusedError,
    ConnectionResetError,
    FileExistsError,
    FileNotFoundError,
    InterruptedError,
    IsADirectoryError,
    NotADirectoryError,
    PermissionError,
    ProcessLookupError,
    TimeoutError,
    ReferenceError,
    RuntimeError,
    NotImplementedError,
    RecursionError,
    SyntaxError,
    IndentationError,
    TabError,
    SystemError,
    TypeError,
    ValueError,
    UnicodeError,
    UnicodeDecodeError,
    UnicodeEncodeError,
    Warning,
    UserWarning,
    DeprecationWarning,
    RuntimeWarning,
    FutureWarning,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 57] = [
        ErrorKind::BaseException,
        ErrorKind::SystemExit,
        ErrorKind::KeyboardInterrupt,
        ErrorKind::GeneratorExit,
        ErrorKind::Exception,
        ErrorKind::StopIteration,
        ErrorKind::StopAsyncIteration,
        ErrorKind::ArithmeticError,
        ErrorKind::FloatingPointError,
        ErrorKind::OverflowError,
        ErrorKind::ZeroDivisionError,
        ErrorKind::AssertionError,
        ErrorKind::AttributeError,
        ErrorKind::BufferError,
        ErrorKind::EOFError,
        ErrorKind::ImportError,
        ErrorKind::ModuleNotFoundError,
        ErrorKind::LookupError,
        ErrorKind::IndexError,
        ErrorKind::KeyError,
        ErrorKind::MemoryError,
        ErrorKind::NameError,
        ErrorKind::UnboundLocalError,
        ErrorKind::OSError,
        ErrorKind::BlockingIOError,
        ErrorKind::ChildProcessError,
        ErrorKind::ConnectionError,
        ErrorKind::BrokenPipeError,
        ErrorKind::ConnectionAbortedError,
        ErrorKind::ConnectionRefusedError,
        ErrorKind::ConnectionResetError,
        ErrorKind::FileExistsError,
        ErrorKind::FileNotFoundError,
        ErrorKind::InterruptedError,
        ErrorKind::IsADirectoryError,
        ErrorKind::NotADirectoryError,
        ErrorKind::PermissionError,
        ErrorKind::ProcessLookupError,
        ErrorKind::TimeoutError,
        ErrorKind::ReferenceError,
        ErrorKind::RuntimeError,
        ErrorKind::NotImplementedError,
        ErrorKind::RecursionError,
        ErrorKind::SyntaxError,
        ErrorKind::IndentationError,
        ErrorKind::TabError,
        ErrorKind::SystemError,
        ErrorKind::TypeError,
        ErrorKind::ValueError,
        ErrorKind::UnicodeError,
        ErrorKind::UnicodeDecodeError,
        ErrorKind::UnicodeEncodeError,
        ErrorKind::Warning,
        ErrorKind::UserWarning,
        ErrorKind::DeprecationWarning,
        ErrorKind::RuntimeWarning,
        ErrorKind::FutureWarning,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::BaseException => "BaseException",
            ErrorKind::SystemExit => "SystemExit",
            ErrorKind::KeyboardInterrupt => "KeyboardInterrupt",
            ErrorKind::GeneratorExit => "GeneratorExit",
            ErrorKind::Exception => "Exception",
            ErrorKind::StopIteration => "StopIteration",
            ErrorKind::StopAsyncIteration => "StopAsyncIteration",
            ErrorKind::ArithmeticError => "ArithmeticError",
            ErrorKind::FloatingPointError => "FloatingPointError",
            ErrorKind::OverflowError => "OverflowError",
            ErrorKind::ZeroDivisionError => "ZeroDivisionError",
            ErrorKind::AssertionError => "AssertionError",
            ErrorKind::AttributeError => "AttributeError",
            ErrorKind::BufferError => "BufferError",
            ErrorKind::EOFError => "EOFError",
            ErrorKind::ImportError => "ImportError",
            ErrorKind::ModuleNotFoundError => "ModuleNotFoundError",
            ErrorKind::LookupError => "LookupError",
            ErrorKind::IndexError => "IndexError",
            ErrorKind::KeyError => "KeyError",
            ErrorKind::MemoryError => "MemoryError",
            ErrorKind::NameError => "NameError",
            ErrorKind::UnboundLocalError => "UnboundLocalError",
            ErrorKind::OSError => "OSError",
            ErrorKind::BlockingIOError => "BlockingIOError",
            ErrorKind::ChildProcessError => "ChildProcessError",
            ErrorKind::ConnectionError => "ConnectionError",
            ErrorKind::BrokenPipeError => "BrokenPipeError",
            ErrorKind::ConnectionAbortedError => "ConnectionAbortedError",
            ErrorKind::ConnectionRefusedError => "ConnectionRefusedError",
            ErrorKind::ConnectionResetError => "ConnectionResetError",
            ErrorKind::FileExistsError => "FileExistsError",
            ErrorKind::FileNotFoundError => "FileNotFoundError",
            ErrorKind::InterruptedError => "InterruptedError",
            ErrorKind::IsADirectoryError => "IsADirectoryError",
            ErrorKind::NotADirectoryError => "NotADirectoryError",
            ErrorKind::PermissionError => "PermissionError",
            ErrorKind::ProcessLookupError => "ProcessLookupError",
            ErrorKind::TimeoutError => "TimeoutError",
            ErrorKind::ReferenceError => "ReferenceError",
            ErrorKind::RuntimeError => "RuntimeError",
            ErrorKind::NotImplementedError => "NotImplementedError",
            ErrorKind::RecursionError => "RecursionError",
            ErrorKind::SyntaxError => "SyntaxError",
            ErrorKind::IndentationError => "IndentationError",
            ErrorKind::TabError => "TabError",
            ErrorKind::SystemError => "SystemError",
            ErrorKind::TypeError => "TypeError",
            ErrorKind::ValueError => "ValueError",
            ErrorKind::UnicodeError => "UnicodeError",
            ErrorKind::UnicodeDecodeError => "UnicodeDecodeError",
            ErrorKind::UnicodeEncodeError => "UnicodeEncodeError",
            ErrorKind::Warning => "Warning",
            ErrorKind::UserWarning => "UserWarning",
            ErrorKind::DeprecationWarning => "DeprecationWarning",
            ErrorKind::RuntimeWarning => "RuntimeWarning",
            ErrorKind::FutureWarning => "FutureWarning",
        }
    }

    /// Looks a built-in exception name up (`None` for user classes).
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A byte range in the source of one cell, used to put a caret under the failing expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// The raised exception object behind an error, when the language made one (a user exception
/// class's instance, or a built-in one whose `args` are not just the message, e.g. `KeyError`):
/// a handle into the interpreter's table of raised instances (errors cross threads, instances
/// do not), and the class name to print.
#[derive(Clone, Debug)]
pub struct ExcRef {
    pub id: u64,
    pub type_name: Box<str>,
}

/// A Python exception: its type, its message and, once known, where in the cell it happened.
/// `kind` is the nearest built-in class (so native code can test `AttributeError` and friends);
/// `exc` is the instance that was raised, when there is one.
#[derive(Clone)]
pub struct PyErr {
    pub kind: ErrorKind,
    pub msg: String,
    pub span: Option<Span>,
    pub exc: Option<ExcRef>,
}

impl fmt::Debug for PyErr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PyErr({}: {:?}, {:?})",
            self.type_name(),
            self.msg,
            self.span
        )
    }
}

/// Errors compare by what they print and where (the instance is not compared).
impl PartialEq for PyErr {
    fn eq(&self, other: &PyErr) -> bool {
        self.kind == other.kind
            && self.msg == other.msg
            && self.span == other.span
            && self.type_name() == other.type_name()
    }
}

pub type PyResult<T> = Result<T, PyErr>;

impl PyErr {
    pub fn new(kind: ErrorKind, msg: impl Into<String>) -> PyErr {
        PyErr {
            kind,
            msg: msg.into(),
            span: None,
            exc: None,
        }
    }
    /// Attaches a span unless a more precise (inner) one is already there.
    pub fn with_span(mut self, span: Span) -> PyErr {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }
    /// The exception's class name: the raised instance's class, else the built-in kind's.
    pub fn type_name(&self) -> String {
        match &self.exc {
            Some(e) => e.type_name.to_string(),
            None => self.kind.name().to_string(),
        }
    }
}

impl fmt::Display for PyErr {
    /// `Type: message`, the last line of a Python traceback (just `Type` when the message is empty).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.msg.is_empty() {
            write!(f, "{}", self.type_name())
        } else {
            write!(f, "{}: {}", self.type_name(), self.msg)
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
