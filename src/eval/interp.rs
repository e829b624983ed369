//! The tree-walking interpreter: sessions, scopes, calls and the public API the rest of the
//! crate codes against. Statements are in `exec`, expressions in `expr`, Python operator
//! semantics in `ops`, reprs in `repr`, builtins in `builtins`.

use super::value::{Args, Value};
use crate::error::{ErrorKind, PyErr, PyResult};
use crate::syntax::ast::{FuncDef, ParamKind};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Python's default recursion limit.
pub(crate) const RECURSION_LIMIT: usize = 1000;

/// A `def` or `lambda` value with its closure.
pub struct UserFunction {
    pub name: String,
    /// `outer.<locals>.inner`, used in reprs and argument errors.
    pub qualname: Rc<str>,
    pub def: Rc<FuncDef>,
    /// Evaluated default of each parameter (None = no default), in `def.params` order.
    pub defaults: Vec<Option<Value>>,
    /// The scope the function was defined in (None at top level).
    pub closure: Env,
    /// The cell that defined it: spans inside its body belong to that cell's source.
    pub cell: u64,
    /// The class whose body defined it (for zero-argument `super()`).
    pub class_cell: Option<ClassCell>,
    /// Attributes set on the function (`f.calls = 0`, `wrapper.__name__ = ...`).
    pub attrs: super::class::Dict,
}

/// CPython's `__class__` cell: the class a method was defined in, filled once the class exists.
pub type ClassCell = Rc<RefCell<Option<Rc<super::class::Class>>>>;

/// One function call's (or comprehension's) local variables.
pub struct Frame {
    pub(crate) vars: RefCell<BTreeMap<Rc<str>, Value>>,
    /// The function whose call this is; None for a comprehension scope.
    pub(crate) def: Option<Rc<FuncDef>>,
    /// Qualified name of the enclosing function (for nested `def` qualnames).
    pub(crate) qualname: Rc<str>,
    pub(crate) parent: Env,
    /// A class body's scope: functions defined here do not close over it.
    pub(crate) class_body: bool,
    /// The `__class__` cell of the method running in this frame (or of the class body).
    pub(crate) class_cell: Option<ClassCell>,
}

/// The local scope chain; None = module (global) level.
pub type Env = Option<Rc<Frame>>;

impl Frame {
    pub(crate) fn new(def: Option<Rc<FuncDef>>, qualname: Rc<str>, parent: Env) -> Rc<Frame> {
        Rc::new(Frame {
            vars: RefCell::new(BTreeMap::new()),
            def,
            qualname,
            parent,
            class_body: false,
            class_cell: None,
        })
    }
}

/// What one notebook cell produced (IPython's display rules).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CellOutput {
    /// Everything printed, in order (each `print` ends with a newline).
    pub stdout: String,
    /// `repr` of the last expression statement, unless None or hidden by a trailing `;`.
    pub value: Option<String>,
    /// The exception that ended the cell, if any.
    pub error: Option<PyErr>,
}

pub struct Interp {
    pub(crate) globals: BTreeMap<Rc<str>, Value>,
    pub(crate) builtins: BTreeMap<Rc<str>, Value>,
    stdout: String,
    pub(crate) depth: usize,
    /// Generator bodies running now, innermost last (how `yield` finds its coroutine).
    pub(crate) generators: Vec<super::generator::Running>,
    /// Lowest stack address a running generator body may reach (0 on the main stack).
    pub(crate) stack_limit: usize,
    pub(crate) cell: u64,
    /// Imported modules by dotted name (Python's `sys.modules`).
    pub(crate) modules: BTreeMap<String, Value>,
    /// Exceptions being handled (innermost last), for a bare `raise`.
    pub(crate) handling: Vec<PyErr>,
    /// Containers whose repr is in progress, to print `[...]` for self-references.
    pub(crate) repr_stack: Vec<usize>,
}

impl Default for Interp {
    fn default() -> Self {
        Interp::new()
    }
}

/// Globals may hold containers nested too deeply for an ordinary (recursive) drop.
impl Drop for Interp {
    fn drop(&mut self) {
        for (_, v) in std::mem::take(&mut self.globals) {
            super::deep_drop::drop_deep(v);
        }
    }
}

impl Interp {
    /// A fresh session: `torch` bound, builtins available, default print options (an empty
    /// interpreter with the session prelude installed).
    pub fn new() -> Interp {
        let mut interp = Interp::empty();
        super::prelude::install(&mut interp);
        interp
    }

    /// An interpreter with no names at all, not even the builtins (see `prelude::install`).
    pub fn empty() -> Interp {
        Interp {
            globals: BTreeMap::new(),
            builtins: BTreeMap::new(),
            stdout: String::new(),
            depth: 0,
            generators: Vec::new(),
            stack_limit: 0,
            cell: 0,
            modules: BTreeMap::new(),
            handling: Vec::new(),
            repr_stack: Vec::new(),
        }
    }

    /// Runs one cell's source (several statements); state persists across cells.
    pub fn run_cell(&mut self, code: &str) -> CellOutput {
        self.cell += 1;
        self.depth = 0;
        self.handling.clear();
        self.repr_stack.clear();
        super::exceptions::clear_raised();
        // No generator body runs between cells (a panic may have left one recorded).
        self.generators.clear();
        self.stack_limit = 0;
        let mut out = CellOutput::default();
        // An allocation refused deep inside an infallible kernel unwinds to here (`array::alloc`).
        let result = crate::array::alloc::catch_alloc(|| self.run_cell_inner(code));
        out.stdout = std::mem::take(&mut self.stdout);
        match result {
            Ok(value) => out.value = value,
            Err(e) => out.error = Some(e),
        }
        out
    }

    fn run_cell_inner(&mut self, code: &str) -> PyResult<Option<String>> {
        let body = crate::syntax::parse(code)?;
        let env: Env = None;
        let n = body.len();
        for (i, stmt) in body.iter().enumerate() {
            if i + 1 == n
                && let crate::syntax::StmtKind::Expr(e) = &stmt.kind
            {
                let v = self.eval(e, &env)?;
                if matches!(v, Value::None) || ends_with_semicolon(code) {
                    return Ok(None);
                }
                let text = self.repr(&v).map_err(|err| err.with_span(e.span))?;
                self.globals.insert(Rc::from("_"), v);
                return Ok(Some(text));
            }
            self.exec(stmt, &env)?;
        }
        Ok(None)
    }

    /// Calls any callable value with arguments.
    pub fn call_value(&mut self, func: &Value, args: Args) -> PyResult<Value> {
        if crate::eval::take_interrupt() {
            return Err(PyErr::new(ErrorKind::KeyboardInterrupt, ""));
        }
        match func {
            Value::Function(f) => self.call_user(f, args),
            Value::Native(n) => (n.func)(self, args),
            Value::BoundMethod(m) => {
                let mut pos = Vec::with_capacity(args.pos.len() + 1);
                pos.push(m.recv.clone());
                pos.extend(args.pos);
                let args = Args { pos, kw: args.kw };
                match &m.func {
                    Value::Function(f) => self.call_user(f, args),
                    f => self.call_value(f, args),
                }
            }
            Value::Class(c) => self.instantiate(c, args),
            Value::Instance(i) => super::special::call(self, i, func, args),
            Value::Object(o) => match o.clone().call(self, args) {
                Some(r) => r,
                None => Err(crate::error::type_error(format!(
                    "'{}' object is not callable",
                    o.type_name()
                ))),
            },
            other => Err(crate::error::type_error(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    /// How deep Python calls are nested now (for limits that share the recursion limit).
    pub(crate) fn call_depth(&self) -> usize {
        self.depth
    }

    pub(crate) fn call_user(&mut self, f: &Rc<UserFunction>, args: Args) -> PyResult<Value> {
        let marker = 0u8;
        if self.depth >= RECURSION_LIMIT || (&marker as *const u8 as usize) < self.stack_limit {
            return Err(PyErr::new(
                ErrorKind::RecursionError,
                "maximum recursion depth exceeded",
            ));
        }
        let mut frame = Frame::new(Some(f.def.clone()), f.qualname.clone(), f.closure.clone());
        if let Some(fr) = Rc::get_mut(&mut frame) {
            fr.class_cell = f.class_cell.clone();
        }
        self.bind_args(f, args, &frame)?;
        if f.def.scope.is_generator {
            return super::generator::from_function(self, f, Some(frame));
        }
        self.depth += 1;
        let env = Some(frame);
        let result = self.exec_block(&f.def.body, &env);
        self.depth -= 1;
        match result {
            Ok(super::exec::Flow::Return(v)) => Ok(v),
            Ok(_) => Ok(Value::None),
            // The traceback's frame for this call; the caller's span comes next.
            Err(e) => {
                let def = &f.def;
                let params = (def.params.iter().map(|p| p.name.to_string()))
                    .chain(def.vararg.iter().map(|v| format!("*{v}")))
                    .chain(def.kwarg.iter().map(|k| format!("**{k}")))
                    .collect();
                Err(e.leave_frame(&f.name, params, f.cell))
            }
        }
    }

    /// Binds call arguments to parameters with CPython's error messages.
    fn bind_args(&mut self, f: &UserFunction, args: Args, frame: &Frame) -> PyResult<()> {
        let def = &f.def;
        let fname = &f.qualname;
        let positional: Vec<usize> = (0..def.params.len())
            .filter(|&i| def.params[i].kind == ParamKind::Positional)
            .collect();
        let mut slots: Vec<Option<Value>> = vec![None; def.params.len()];
        let mut vars = frame.vars.borrow_mut();
        let npos = args.pos.len();
        let mut extra = Vec::new();
        for (k, v) in args.pos.into_iter().enumerate() {
            match positional.get(k) {
                Some(&i) => slots[i] = Some(v),
                None => extra.push(v),
            }
        }
        if !extra.is_empty() {
            match &def.vararg {
                Some(_) => {}
                None => {
                    let max = positional.len();
                    let min = positional
                        .iter()
                        .filter(|&&i| f.defaults[i].is_none())
                        .count();
                    let takes = if min == max {
                        format!(
                            "{max} positional argument{}",
                            if max == 1 { "" } else { "s" }
                        )
                    } else {
                        format!("from {min} to {max} positional arguments")
                    };
                    let given = if npos == 1 { "was" } else { "were" };
                    return Err(crate::error::type_error(format!(
                        "{fname}() takes {takes} but {npos} {given} given"
                    )));
                }
            }
        }
        if let Some(name) = &def.vararg {
            vars.insert(name.clone(), Value::tuple(extra));
        }
        let mut kwargs = Vec::new();
        for (k, v) in args.kw {
            match def.params.iter().position(|p| *p.name == *k) {
                Some(i) => {
                    if slots[i].is_some() {
                        return Err(crate::error::type_error(format!(
                            "{fname}() got multiple values for argument '{k}'"
                        )));
                    }
                    slots[i] = Some(v);
                }
                None if def.kwarg.is_some() => kwargs.push((Value::str(&k), v)),
                None => {
                    return Err(crate::error::type_error(format!(
                        "{fname}() got an unexpected keyword argument '{k}'"
                    )));
                }
            }
        }
        if let Some(name) = &def.kwarg {
            vars.insert(name.clone(), Value::Dict(Rc::new(RefCell::new(kwargs))));
        }
        let mut missing_pos = Vec::new();
        let mut missing_kw = Vec::new();
        for (i, p) in def.params.iter().enumerate() {
            let v = match slots[i].take() {
                Some(v) => v,
                None => match &f.defaults[i] {
                    Some(d) => d.clone(),
                    None => {
                        match p.kind {
                            ParamKind::Positional => missing_pos.push(p.name.to_string()),
                            ParamKind::KeywordOnly => missing_kw.push(p.name.to_string()),
                        }
                        continue;
                    }
                },
            };
            vars.insert(p.name.clone(), v);
        }
        for (missing, what) in [(missing_pos, "positional"), (missing_kw, "keyword-only")] {
            if !missing.is_empty() {
                return Err(crate::error::type_error(format!(
                    "{fname}() missing {} required {what} argument{}: {}",
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" },
                    name_list(&missing)
                )));
            }
        }
        Ok(())
    }

    /// Python `repr(v)`.
    pub fn repr(&mut self, v: &Value) -> PyResult<String> {
        super::repr::repr(self, v)
    }
    /// Python `str(v)`.
    pub fn str(&mut self, v: &Value) -> PyResult<String> {
        super::repr::str(self, v)
    }
    /// Appends to the cell's captured stdout (what `print` writes).
    /// What the running cell printed so far, taken (a kernel sends it as a stream before a
    /// `display()` or an `input()` prompt, so the order is kept).
    pub fn take_stdout(&mut self) -> String {
        std::mem::take(&mut self.stdout)
    }

    /// Makes `import NAME` give `module` in this session (a kernel's `sys`, whose `stderr`
    /// goes to the front end).
    pub fn register_module(&mut self, name: &str, module: Value) {
        self.modules.insert(name.to_string(), module);
    }

    pub fn write_stdout(&mut self, text: &str) {
        super::stream::echo(text);
        self.stdout.push_str(text);
    }
    /// Python truthiness (`bool(v)`).
    pub fn truthy(&mut self, v: &Value) -> PyResult<bool> {
        super::ops::truthy(self, v)
    }

    /// Sorted names bound at top level (for completion and `%who`).
    pub fn global_names(&self) -> Vec<String> {
        self.globals.keys().map(|k| k.to_string()).collect()
    }
    pub fn get_global(&self, name: &str) -> Option<Value> {
        self.globals.get(name).cloned()
    }
    /// Binds a top-level name (used by the REPL and tests).
    pub fn set_global(&mut self, name: &str, value: Value) {
        self.globals.insert(Rc::from(name), value);
    }
    /// Names of the builtins, sorted (for completion).
    pub fn builtin_names(&self) -> Vec<String> {
        self.builtins.keys().map(|k| k.to_string()).collect()
    }
    /// Unbinds a top-level name (the notebook's `%reset`); returns what it was bound to.
    pub fn delete_global(&mut self, name: &str) -> Option<Value> {
        self.globals.remove(name)
    }
    /// A builtin by name (the notebook's `help` and completion look builtins up).
    pub fn get_builtin(&self, name: &str) -> Option<Value> {
        self.builtins.get(name).cloned()
    }
    /// `import name` without binding it (completion loads prelude submodules this way).
    pub fn import_module(&mut self, name: &str) -> PyResult<Value> {
        super::modules::import(self, name)
    }
    /// Sorted attribute names of a value, as `dir(v)` lists them (for completion).
    pub fn attr_names(&self, v: &Value) -> Vec<String> {
        super::attrs::attr_names(v)
    }
}

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'` as in CPython's argument errors.
fn name_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.len() {
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// IPython hides the value when the cell's last code line ends with `;` (comments ignored).
fn ends_with_semicolon(code: &str) -> bool {
    let Ok(tokens) = crate::syntax::lexer::tokenize(code) else {
        return false;
    };
    use crate::syntax::lexer::TokKind;
    tokens
        .iter()
        .rev()
        .find(|t| !matches!(t.kind, TokKind::Newline | TokKind::Dedent | TokKind::End))
        .is_some_and(|t| t.kind == TokKind::Op(";"))
}

#[cfg(test)]
mod tests;
