//! Generators: a generator function's body (or a generator expression) runs as a stackful
//! coroutine (`corosensei`) on its own stack, on the interpreter's thread. `yield` anywhere in
//! the tree walk suspends that stack; `next()` resumes it. Stacks are pooled, so making a
//! generator costs no system call in steady state.
//!
//! Soundness: the coroutine's frames hold `&mut Interp` across a suspension. The resumer passes
//! the same interpreter in on every resume and the body only runs while the resumer is blocked
//! in `resume`, so there is only ever one active user of the interpreter; a generator is never
//! resumed by an interpreter at another address (that is refused), so those frames never see a
//! dangling pointer. Deep recursion inside a body is bounded by the recursion limit and by a
//! stack-pointer check against the coroutine stack's end (`Interp::stack_limit`).

use super::interp::{Env, Interp, UserFunction};
use super::value::{Object, Value};
use crate::error::{ErrorKind, PyErr, PyResult, type_error, value_error};
use crate::syntax::ast::{Comprehension, Expr};
use corosensei::stack::{DefaultStack, Stack};
use corosensei::{Coroutine, CoroutineResult, Yielder};
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Stack of each generator body: as large as the interpreter thread's, so a body can recurse
/// to the recursion limit. Address space is reserved; pages are committed only when touched.
const GEN_STACK: usize = 256 << 20; // = session::stack::INTERP_STACK
/// Stack kept free below a body's deepest frame: the largest stretch of Rust frames between two
/// recursion checks fits in it.
const STACK_MARGIN: usize = 2 << 20;
const POOL_MAX: usize = 32;

thread_local! {
    static POOL: RefCell<Vec<DefaultStack>> = const { RefCell::new(Vec::new()) };
}

/// What a resume sends into the body: the interpreter and the value `yield` evaluates to
/// (or an exception to raise there, for `throw()`).
type Input = (*mut Interp, Result<Value, PyErr>);
type Co = Coroutine<Input, Value, PyResult<Value>, DefaultStack>;

/// The running generator bodies, innermost last: how `yield` finds its coroutine.
pub struct Running {
    yielder: *const Yielder<Input, Value>,
    /// `Interp::depth` when this body was last resumed.
    base_depth: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Created,
    Suspended,
    Running,
    Done,
}

pub struct Generator {
    pub name: String,
    pub qualname: String,
    co: RefCell<Option<Co>>,
    /// The body until the first resume starts its coroutine.
    body: RefCell<Option<Body>>,
    state: Cell<State>,
    /// The interpreter that made it (its frames point there).
    owner: usize,
    stack_limit: Cell<usize>,
}

fn take_stack() -> PyResult<DefaultStack> {
    if let Some(s) = POOL.with(|p| p.borrow_mut().pop()) {
        return Ok(s);
    }
    DefaultStack::new(GEN_STACK).map_err(|_| PyErr::new(ErrorKind::MemoryError, ""))
}

fn give_stack(s: DefaultStack) {
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() < POOL_MAX {
            p.push(s);
        }
    });
}

/// Makes a generator that runs `body` when first resumed.
type Body = Box<dyn FnOnce(&mut Interp) -> PyResult<Value>>;

/// Makes a generator that runs `body` when first resumed (its stack is taken only then, so
/// generators made and never started cost no mapping).
fn make(
    interp: &mut Interp,
    name: String,
    qualname: String,
    body: impl FnOnce(&mut Interp) -> PyResult<Value> + 'static,
) -> PyResult<Value> {
    Ok(Value::Object(Rc::new(Generator {
        name,
        qualname,
        co: RefCell::new(None),
        body: RefCell::new(Some(Box::new(body))),
        state: Cell::new(State::Created),
        owner: interp as *mut Interp as usize,
        stack_limit: Cell::new(0),
    })))
}

/// The coroutine running `body` on a pooled stack; its stack's lowest usable address.
fn start(body: Body) -> PyResult<(Co, usize)> {
    let stack = take_stack()?;
    let stack_limit = stack.limit().get() + STACK_MARGIN;
    let co: Co = Coroutine::with_stack(
        stack,
        move |yielder: &Yielder<Input, Value>, input: Input| {
            let (ip, first) = input;
            // SAFETY: see the module comment: `ip` is the resuming interpreter, alive and unused
            // by anyone else while this body runs.
            let interp = unsafe { &mut *ip };
            first?;
            interp.generators.push(Running {
                yielder: yielder as *const _,
                base_depth: interp.depth,
            });
            let result = body(interp);
            interp.generators.pop();
            result
        },
    );
    Ok((co, stack_limit))
}

/// Calling a generator function: the arguments are bound already (`frame`); the body waits.
pub fn from_function(interp: &mut Interp, f: &Rc<UserFunction>, env: Env) -> PyResult<Value> {
    let def = f.def.clone();
    make(
        interp,
        f.name.clone(),
        f.qualname.to_string(),
        move |interp| match interp.exec_block(&def.body, &env)? {
            super::exec::Flow::Return(v) => Ok(v),
            _ => Ok(Value::None),
        },
    )
}

/// A generator expression: the comprehension runs lazily, yielding each element.
pub fn from_genexp(
    interp: &mut Interp,
    elt: &Expr,
    comps: &[Comprehension],
    env: &Env,
) -> PyResult<Value> {
    let elt = Rc::new(elt.clone());
    let comps: Rc<[Comprehension]> = Rc::from(comps.to_vec());
    let env = env.clone();
    make(
        interp,
        "<genexpr>".into(),
        "<genexpr>".into(),
        move |interp| {
            let frame = interp.comp_frame(&env);
            interp.comprehension(&comps, &frame, &mut |interp, env| {
                let v = interp.eval(&elt, env)?;
                yield_value(interp, v)?;
                Ok(())
            })?;
            Ok(Value::None)
        },
    )
}

/// `yield v` inside a running body: suspends it; returns what the next resume sends.
pub fn yield_value(interp: &mut Interp, v: Value) -> PyResult<Value> {
    let Some(top) = interp.generators.pop() else {
        return Err(PyErr::new(
            ErrorKind::SyntaxError,
            "'yield' outside function",
        ));
    };
    let rel = interp.depth.saturating_sub(top.base_depth);
    let saved_limit = interp.stack_limit;
    // SAFETY: the yielder lives on this coroutine's stack, which is running.
    let yielder = unsafe { &*top.yielder };
    let (ip, sent) = yielder.suspend(v);
    // SAFETY: as in `make`: the resumer hands its (same) interpreter back in.
    let interp2 = unsafe { &mut *ip };
    debug_assert!(std::ptr::eq(interp2, interp));
    let base = interp2.depth;
    interp2.depth = base + rel;
    interp2.stack_limit = saved_limit;
    interp2.generators.push(Running {
        yielder: top.yielder,
        base_depth: base,
    });
    sent
}

/// `yield from it`: yields each item of `it`; evaluates to the sub-generator's return value.
pub fn yield_from(interp: &mut Interp, v: Value) -> PyResult<Value> {
    let it = super::iter::get_iter(interp, &v)?;
    if let Some(g) = super::objects::downcast::<Generator>(&it) {
        loop {
            let step = g.resume(interp, Ok(Value::None))?;
            match step {
                Step::Yielded(x) => {
                    yield_value(interp, x)?;
                }
                Step::Returned(r) => return Ok(r),
            }
        }
    }
    while let Some(x) = super::iter::next(interp, &it)? {
        yield_value(interp, x)?;
    }
    Ok(Value::None)
}

pub enum Step {
    Yielded(Value),
    Returned(Value),
}

impl Generator {
    /// Runs the body to its next `yield` (or its end).
    pub fn resume(&self, interp: &mut Interp, send: Result<Value, PyErr>) -> PyResult<Step> {
        match self.state.get() {
            State::Running => return Err(value_error("generator already executing")),
            State::Done => {
                return match send {
                    Err(e) => Err(e),
                    Ok(_) => Ok(Step::Returned(Value::None)),
                };
            }
            State::Created => {
                if matches!(&send, Ok(v) if !matches!(v, Value::None)) {
                    return Err(type_error(
                        "can't send non-None value to a just-started generator",
                    ));
                }
            }
            State::Suspended => {}
        }
        if interp as *mut Interp as usize != self.owner {
            return Err(PyErr::new(
                ErrorKind::RuntimeError,
                "a generator can only be resumed by the session that made it",
            ));
        }
        if self.state.get() == State::Created
            && self.co.borrow().is_none()
            && let Some(body) = self.body.borrow_mut().take()
        {
            let (co, limit) = start(body)?;
            *self.co.borrow_mut() = Some(co);
            self.stack_limit.set(limit);
        }
        let Some(mut co) = self.co.borrow_mut().take() else {
            return Ok(Step::Returned(Value::None));
        };
        if interp.depth >= super::interp::RECURSION_LIMIT {
            *self.co.borrow_mut() = Some(co);
            return Err(PyErr::new(
                ErrorKind::RecursionError,
                "maximum recursion depth exceeded",
            ));
        }
        self.state.set(State::Running);
        let saved_depth = interp.depth;
        let saved_limit = interp.stack_limit;
        interp.depth += 1;
        interp.stack_limit = self.stack_limit.get();
        let result = co.resume((interp as *mut Interp, send));
        interp.depth = saved_depth;
        interp.stack_limit = saved_limit;
        match result {
            CoroutineResult::Yield(v) => {
                *self.co.borrow_mut() = Some(co);
                self.state.set(State::Suspended);
                Ok(Step::Yielded(v))
            }
            CoroutineResult::Return(r) => {
                self.state.set(State::Done);
                give_stack(co.into_stack());
                match r {
                    Ok(v) => Ok(Step::Returned(v)),
                    Err(e) if e.kind == ErrorKind::StopIteration => Err(PyErr::new(
                        ErrorKind::RuntimeError,
                        "generator raised StopIteration",
                    )),
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// `close()`: a suspended body is dropped (its stack unwound).
    pub fn close(&self) {
        if self.state.get() != State::Running {
            self.co.borrow_mut().take();
            self.body.borrow_mut().take();
            self.state.set(State::Done);
        }
    }
}

fn gen_of(v: &Value) -> Option<&Generator> {
    super::objects::downcast::<Generator>(v)
}

/// `gen.send`, `gen.throw`, `gen.close`, bound to `v`.
pub fn method(v: &Value, name: &str) -> Option<Value> {
    gen_of(v)?;
    let qual = format!("generator.{name}");
    Some(match name {
        "send" => super::attrs::bound(v, qual, |interp, recv, args| {
            let g = gen_of(recv).ok_or_else(|| type_error("not a generator"))?;
            let x = args.pos.first().cloned().unwrap_or(Value::None);
            match g.resume(interp, Ok(x))? {
                Step::Yielded(x) => Ok(x),
                Step::Returned(_) => Err(PyErr::new(ErrorKind::StopIteration, "")),
            }
        }),
        "throw" => super::attrs::bound(v, qual, |interp, recv, args| {
            let g = gen_of(recv).ok_or_else(|| type_error("not a generator"))?;
            let x = args.pos.first().cloned().unwrap_or(Value::None);
            let err = super::exceptions::raise_value(interp, x)?;
            match g.resume(interp, Err(err))? {
                Step::Yielded(x) => Ok(x),
                Step::Returned(_) => Err(PyErr::new(ErrorKind::StopIteration, "")),
            }
        }),
        "close" => super::attrs::bound(v, qual, |_, recv, _| {
            if let Some(g) = gen_of(recv) {
                g.close();
            }
            Ok(Value::None)
        }),
        _ => return None,
    })
}

impl Object for Generator {
    fn type_name(&self) -> String {
        "generator".into()
    }
    fn repr(&self) -> String {
        format!("<generator object {}>", self.qualname)
    }
    fn is_iterator(&self) -> bool {
        true
    }
    fn iter_next(&self, interp: &mut Interp) -> Option<PyResult<Option<Value>>> {
        Some(match self.resume(interp, Ok(Value::None)) {
            Ok(Step::Yielded(v)) => Ok(Some(v)),
            Ok(Step::Returned(_)) => Ok(None),
            Err(e) => Err(e),
        })
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "__name__" => Some(Value::str(&self.name)),
            "__qualname__" => Some(Value::str(&self.qualname)),
            _ => None,
        })
    }
    fn attr_names(&self) -> Vec<String> {
        ["close", "send", "throw"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
