//! Dropping deeply nested containers without recursion. `a = [a]` a million times builds a
//! chain whose ordinary drop recurses once per level and overflows the stack (CPython's
//! "trashcan" solves the same problem); here the containers a value owns alone are emptied
//! into a work list instead.

use super::value::Value;
use std::rc::Rc;

/// Drops `v`, taking apart iteratively the lists, tuples and dicts no one else holds.
pub(crate) fn drop_deep(v: Value) {
    let mut work = vec![v];
    while let Some(v) = work.pop() {
        match v {
            Value::List(l) => {
                if let Ok(cell) = Rc::try_unwrap(l) {
                    work.extend(cell.into_inner());
                }
            }
            Value::Tuple(t) => {
                if let Ok(items) = Rc::try_unwrap(t) {
                    work.extend(items);
                }
            }
            Value::Dict(d) => {
                if let Ok(cell) = Rc::try_unwrap(d) {
                    for (k, v) in cell.into_inner() {
                        work.push(k);
                        work.push(v);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_million_nested_lists_drop_on_a_small_stack() {
        let handle = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(|| {
                let mut a = Value::list(vec![]);
                for _ in 0..1_000_000 {
                    a = Value::list(vec![a]);
                }
                drop_deep(a);
            })
            .unwrap();
        handle.join().unwrap();
    }
}
