//! Watching the backward engine: each node it runs, with the gradients the node received and
//! the gradients it sent on, and each gradient delivered to a leaf (`AccumulateGrad`).
//! Observers are scoped (`observe` installs one for the duration of a closure) and cost one
//! thread-local check per engine run when none is installed.

use super::graph::Node;
use super::tensor::Tensor;
use std::cell::RefCell;
use std::rc::Rc;

/// One step of a backward pass, in the order the engine takes them.
pub enum EngineEvent<'a> {
    /// `node` ran: `received` holds one gradient per output (None where none arrived and the
    /// node does not materialize them), `sent` one per input edge (`next_functions` order).
    Node {
        node: &'a Rc<Node>,
        received: &'a [Option<Tensor>],
        sent: &'a [Option<Tensor>],
    },
    /// The summed gradient of `leaf` reached its accumulator (or was captured by
    /// `autograd.grad`).
    Leaf { leaf: &'a Tensor, grad: &'a Tensor },
}

type Observer = Rc<RefCell<dyn FnMut(&EngineEvent<'_>)>>;

thread_local! {
    static OBSERVERS: RefCell<Vec<Observer>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with `observer` seeing every backward pass started inside it (nested scopes
/// all see the pass, outermost first).
pub fn observe<R>(observer: impl FnMut(&EngineEvent<'_>) + 'static, f: impl FnOnce() -> R) -> R {
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            OBSERVERS.with(|o| {
                o.borrow_mut().pop();
            });
        }
    }
    let obs: Observer = Rc::new(RefCell::new(observer));
    OBSERVERS.with(|o| o.borrow_mut().push(obs));
    let _pop = Pop;
    f()
}

/// The observers of a pass that is starting (None, the common case, costs nothing later).
pub(crate) fn current() -> Option<Vec<Observer>> {
    OBSERVERS.with(|o| {
        let o = o.borrow();
        if o.is_empty() { None } else { Some(o.clone()) }
    })
}

/// Tells each observer; an observer already running (a backward started by an observer
/// itself) is skipped rather than re-entered.
pub(crate) fn notify(observers: &[Observer], ev: &EngineEvent<'_>) {
    for o in observers {
        if let Ok(mut f) = o.try_borrow_mut() {
            f(ev);
        }
    }
}
