//! Python's `itertools`, lazily: each function returns an iterator that pulls from its inputs
//! only as it is consumed (so `count()`, `cycle` and `repeat` are infinite, and generators
//! feeding them run step by step), producing CPython's items in CPython's order.

use super::args::{as_int, bind, take_kw};
use super::interp::Interp;
use super::iter::{get_iter, next};
use super::modules::make_module;
use super::value::{Args, Object, Value};
use crate::error::{PyResult, type_error, value_error};
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

type NextFn = Box<dyn FnMut(&mut Interp) -> PyResult<Option<Value>>>;

/// `count` and `repeat`, which CPython prints by their current value (`count(7)`); the other
/// itertools are `iter::lazy` iterators.
struct ItIter {
    type_name: &'static str,
    repr: RefCell<Box<dyn Fn() -> String>>,
    next: RefCell<NextFn>,
    done: std::cell::Cell<bool>,
}

impl Object for ItIter {
    fn type_name(&self) -> String {
        self.type_name.into()
    }
    fn repr(&self) -> String {
        (self.repr.borrow())()
    }
    fn is_iterator(&self) -> bool {
        true
    }
    fn iter_next(&self, interp: &mut Interp) -> Option<PyResult<Option<Value>>> {
        if self.done.get() {
            return Some(Ok(None));
        }
        let r = match self.next.try_borrow_mut() {
            Ok(mut f) => f(interp),
            Err(_) => Err(value_error("generator already executing")),
        };
        if matches!(r, Ok(None) | Err(_)) {
            self.done.set(true);
        }
        Some(r)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn make(
    type_name: &'static str,
    f: impl FnMut(&mut Interp) -> PyResult<Option<Value>> + 'static,
) -> Value {
    super::iter::lazy(type_name, f)
}

fn arg(a: &[Option<Value>], i: usize) -> Value {
    a[i].clone().unwrap_or(Value::None)
}

fn number_repr(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => {
            if *b {
                "True".into()
            } else {
                "False".into()
            }
        }
        Value::Float(f) => super::pyfmt::float_repr(*f),
        other => other.type_name(),
    }
}

fn count(_: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("count", args, &["start", "step"], 0)?;
    let start = a[0].clone().unwrap_or(Value::Int(0));
    let step = a[1].clone().unwrap_or(Value::Int(1));
    for v in [&start, &step] {
        if !matches!(v, Value::Int(_) | Value::Float(_) | Value::Bool(_)) {
            return Err(type_error("a number is required"));
        }
    }
    let cur = Rc::new(RefCell::new(start));
    let shown = cur.clone();
    let shown_step = step.clone();
    let it = ItIter {
        type_name: "count",
        repr: RefCell::new(Box::new(move || {
            let c = number_repr(&shown.borrow());
            match &shown_step {
                Value::Int(1) => format!("count({c})"),
                s => format!("count({c}, {})", number_repr(s)),
            }
        })),
        next: RefCell::new(Box::new(move |interp| {
            let v = cur.borrow().clone();
            let n = super::ops::binary(interp, "+", &v, &step)?;
            *cur.borrow_mut() = n;
            Ok(Some(v))
        })),
        done: std::cell::Cell::new(false),
    };
    Ok(Value::Object(Rc::new(it)))
}

fn repeat(_: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("repeat", args, &["object", "times"], 1)?;
    let obj = arg(&a, 0);
    let times = match &a[1] {
        Some(t) => Some(as_int(t)?.max(0)),
        None => None,
    };
    let left = Rc::new(std::cell::Cell::new(times.unwrap_or(0)));
    let shown = ((), left.clone());
    let shown_repr = match &obj {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => number_repr(&obj),
        Value::Str(s) => super::repr::str_repr(s),
        Value::None => "None".into(),
        other => format!("<{} object>", other.type_name()),
    };
    let it = ItIter {
        type_name: "repeat",
        repr: RefCell::new(Box::new(move || {
            let o = shown_repr.clone();
            match times {
                Some(_) => format!("repeat({o}, {})", shown.1.get()),
                None => format!("repeat({o})"),
            }
        })),
        next: RefCell::new(Box::new(move |_| {
            if times.is_some() {
                if left.get() == 0 {
                    return Ok(None);
                }
                left.set(left.get() - 1);
            }
            Ok(Some(obj.clone()))
        })),
        done: std::cell::Cell::new(false),
    };
    Ok(Value::Object(Rc::new(it)))
}

fn cycle(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let src = get_iter(interp, &super::args::one("cycle", args)?)?;
    let mut saved: Vec<Value> = Vec::new();
    let mut exhausted = false;
    let mut i = 0usize;
    Ok(make("cycle", move |interp| {
        if !exhausted {
            if let Some(v) = next(interp, &src)? {
                saved.push(v.clone());
                return Ok(Some(v));
            }
            exhausted = true;
        }
        if saved.is_empty() {
            return Ok(None);
        }
        let v = saved[i % saved.len()].clone();
        i += 1;
        Ok(Some(v))
    }))
}

/// Items of each source in turn; `next_source` yields the iterables (a list for `chain(...)`,
/// a lazily read iterator for `chain.from_iterable`).
fn chain_sources(
    mut next_source: impl FnMut(&mut Interp) -> PyResult<Option<Value>> + 'static,
) -> Value {
    let mut cur: Option<Value> = None;
    make("chain", move |interp| {
        loop {
            if cur.is_none() {
                match next_source(interp)? {
                    Some(src) => cur = Some(get_iter(interp, &src)?),
                    None => return Ok(None),
                }
            }
            if let Some(c) = &cur {
                if let Some(v) = next(interp, c)? {
                    return Ok(Some(v));
                }
                cur = None;
            }
        }
    })
}

fn chain_of(its: Vec<Value>) -> Value {
    let mut its = std::collections::VecDeque::from(its);
    chain_sources(move |_| Ok(its.pop_front()))
}

fn from_iterable(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let outer = get_iter(interp, &super::args::one("from_iterable", args)?)?;
    Ok(chain_sources(move |interp| next(interp, &outer)))
}

fn accumulate(interp: &mut Interp, mut args: Args) -> PyResult<Value> {
    let initial = take_kw(&mut args, "initial").filter(|v| !matches!(v, Value::None));
    let a = bind("accumulate", args, &["iterable", "func"], 1)?;
    let src = get_iter(interp, &arg(&a, 0))?;
    let func = a[1].clone().filter(|v| !matches!(v, Value::None));
    let mut total: Option<Value> = None;
    let mut pending_initial = initial;
    Ok(make("accumulate", move |interp| {
        if let Some(init) = pending_initial.take() {
            total = Some(init.clone());
            return Ok(Some(init));
        }
        let Some(v) = next(interp, &src)? else {
            return Ok(None);
        };
        let t = match total.take() {
            None => v,
            Some(t) => match &func {
                Some(f) => interp.call_value(f, Args::new(vec![t, v]))?,
                None => super::ops::binary(interp, "+", &t, &v)?,
            },
        };
        total = Some(t.clone());
        Ok(Some(t))
    }))
}

fn predicate_iter(interp: &mut Interp, args: Args, name: &'static str) -> PyResult<(Value, Value)> {
    if args.pos.len() != 2 || !args.kw.is_empty() {
        return Err(type_error(format!(
            "{name} expected 2 arguments, got {}",
            args.pos.len()
        )));
    }
    let src = get_iter(interp, &args.pos[1])?;
    Ok((args.pos[0].clone(), src))
}

fn test(interp: &mut Interp, pred: &Value, v: &Value) -> PyResult<bool> {
    if matches!(pred, Value::None) {
        return super::ops::truthy(interp, v);
    }
    let r = interp.call_value(pred, Args::new(vec![v.clone()]))?;
    super::ops::truthy(interp, &r)
}

fn takewhile(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let (pred, src) = predicate_iter(interp, args, "takewhile")?;
    Ok(make("takewhile", move |interp| {
        let Some(v) = next(interp, &src)? else {
            return Ok(None);
        };
        Ok(if test(interp, &pred, &v)? {
            Some(v)
        } else {
            None
        })
    }))
}

fn dropwhile(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let (pred, src) = predicate_iter(interp, args, "dropwhile")?;
    let mut dropping = true;
    Ok(make("dropwhile", move |interp| {
        loop {
            let Some(v) = next(interp, &src)? else {
                return Ok(None);
            };
            if dropping && test(interp, &pred, &v)? {
                continue;
            }
            dropping = false;
            return Ok(Some(v));
        }
    }))
}

fn filterfalse(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let (pred, src) = predicate_iter(interp, args, "filterfalse")?;
    Ok(make("filterfalse", move |interp| {
        loop {
            let Some(v) = next(interp, &src)? else {
                return Ok(None);
            };
            if !test(interp, &pred, &v)? {
                return Ok(Some(v));
            }
        }
    }))
}

fn compress(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("compress", args, &["data", "selectors"], 2)?;
    let (data, sel) = (
        get_iter(interp, &arg(&a, 0))?,
        get_iter(interp, &arg(&a, 1))?,
    );
    Ok(make("compress", move |interp| {
        loop {
            let (Some(d), Some(s)) = (next(interp, &data)?, next(interp, &sel)?) else {
                return Ok(None);
            };
            if super::ops::truthy(interp, &s)? {
                return Ok(Some(d));
            }
        }
    }))
}

fn starmap(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let (func, src) = predicate_iter(interp, args, "starmap")?;
    Ok(make("starmap", move |interp| {
        let Some(v) = next(interp, &src)? else {
            return Ok(None);
        };
        let items = super::ops::iterate(interp, &v)?;
        Ok(Some(interp.call_value(&func, Args::new(items))?))
    }))
}

fn pairwise(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let src = get_iter(interp, &super::args::one("pairwise", args)?)?;
    let mut prev: Option<Value> = None;
    Ok(make("pairwise", move |interp| {
        if prev.is_none() {
            prev = next(interp, &src)?;
            if prev.is_none() {
                return Ok(None);
            }
        }
        let Some(v) = next(interp, &src)? else {
            return Ok(None);
        };
        let p = prev.replace(v.clone()).unwrap_or(Value::None);
        Ok(Some(Value::tuple(vec![p, v])))
    }))
}

fn islice_arg(v: &Value, msg: &str) -> PyResult<Option<usize>> {
    match v {
        Value::None => Ok(None),
        Value::Int(i) if *i >= 0 => Ok(Some(*i as usize)),
        Value::Bool(b) => Ok(Some(*b as usize)),
        _ => Err(value_error(msg.to_string())),
    }
}

fn islice(interp: &mut Interp, args: Args) -> PyResult<Value> {
    if !args.kw.is_empty() {
        return Err(type_error("islice() takes no keyword arguments"));
    }
    let n = args.pos.len();
    if !(2..=4).contains(&n) {
        return Err(type_error(format!(
            "islice expected {} arguments, got {}",
            if n < 2 { "at least 2" } else { "at most 4" },
            n
        )));
    }
    let stop_msg = "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
    let idx_msg = "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
    let (start, stop, step) = if n == 2 {
        (0, islice_arg(&args.pos[1], stop_msg)?, 1)
    } else {
        let start = islice_arg(&args.pos[1], idx_msg)?.unwrap_or(0);
        let stop = islice_arg(&args.pos[2], idx_msg)?;
        let step = match args.pos.get(3) {
            None | Some(Value::None) => 1,
            Some(Value::Int(s)) if *s >= 1 => *s as usize,
            Some(_) => {
                return Err(value_error(
                    "Step for islice() must be a positive integer or None.",
                ));
            }
        };
        (start, stop, step)
    };
    let src = get_iter(interp, &args.pos[0])?;
    let mut pos = 0usize;
    let mut next_at = start;
    Ok(make("islice", move |interp| {
        if stop.is_some_and(|s| next_at >= s) {
            // CPython consumes up to `stop` before finishing.
            while stop.is_some_and(|s| pos < s) {
                if next(interp, &src)?.is_none() {
                    break;
                }
                pos += 1;
            }
            return Ok(None);
        }
        loop {
            let Some(v) = next(interp, &src)? else {
                return Ok(None);
            };
            pos += 1;
            if pos - 1 == next_at {
                next_at += step;
                return Ok(Some(v));
            }
        }
    }))
}

fn zip_longest(interp: &mut Interp, mut args: Args) -> PyResult<Value> {
    let fill = take_kw(&mut args, "fillvalue").unwrap_or(Value::None);
    if let Some((k, _)) = args.kw.first() {
        return Err(type_error(format!(
            "zip_longest() got an unexpected keyword argument '{k}'"
        )));
    }
    let mut its = Vec::new();
    for v in &args.pos {
        its.push(Some(get_iter(interp, v)?));
    }
    let n = its.len();
    let mut active = n;
    Ok(make("zip_longest", move |interp| {
        if n == 0 || active == 0 {
            return Ok(None);
        }
        let mut row = Vec::with_capacity(n);
        for slot in its.iter_mut() {
            let item = match slot {
                Some(it) => match next(interp, it)? {
                    Some(v) => v,
                    None => {
                        *slot = None;
                        active -= 1;
                        if active == 0 {
                            return Ok(None);
                        }
                        fill.clone()
                    }
                },
                None => fill.clone(),
            };
            row.push(item);
        }
        Ok(Some(Value::tuple(row)))
    }))
}

fn groupby(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("groupby", args, &["iterable", "key"], 1)?;
    let src = get_iter(interp, &arg(&a, 0))?;
    let key = a[1].clone().filter(|v| !matches!(v, Value::None));
    // The first item of the next group, read ahead while the previous group was collected.
    let mut ahead: Option<(Value, Value)> = None;
    let mut started = false;
    Ok(make("groupby", move |interp| {
        let keyof = |interp: &mut Interp, v: &Value| -> PyResult<Value> {
            match &key {
                Some(f) => interp.call_value(f, Args::new(vec![v.clone()])),
                None => Ok(v.clone()),
            }
        };
        if !started {
            started = true;
            if let Some(v) = next(interp, &src)? {
                let k = keyof(interp, &v)?;
                ahead = Some((k, v));
            }
        }
        let Some((k, first)) = ahead.take() else {
            return Ok(None);
        };
        let mut group = vec![first];
        while let Some(v) = next(interp, &src)? {
            let kv = keyof(interp, &v)?;
            if super::ops::eq(interp, &kv, &k)? {
                group.push(v);
            } else {
                ahead = Some((kv, v));
                break;
            }
        }
        let g = super::objects::PyIter::value("_grouper", group);
        Ok(Some(Value::tuple(vec![k, g])))
    }))
}

/// Index tuples over `pool`, advanced by `step` until it returns false.
fn index_iter(
    name: &'static str,
    pool: Vec<Value>,
    mut idx: Vec<usize>,
    valid: bool,
    step: fn(&mut [usize], usize) -> bool,
) -> Value {
    let mut first = true;
    let mut done = !valid;
    make(name, move |_| {
        if done {
            return Ok(None);
        }
        if !first && !step(&mut idx, pool.len()) {
            done = true;
            return Ok(None);
        }
        first = false;
        Ok(Some(Value::tuple(
            idx.iter().map(|&i| pool[i].clone()).collect(),
        )))
    })
}

fn next_combination(idx: &mut [usize], n: usize) -> bool {
    let r = idx.len();
    let Some(i) = (0..r).rev().find(|&i| idx[i] != i + n - r) else {
        return false;
    };
    idx[i] += 1;
    for j in i + 1..r {
        idx[j] = idx[j - 1] + 1;
    }
    true
}

fn next_combination_wr(idx: &mut [usize], n: usize) -> bool {
    let r = idx.len();
    let Some(i) = (0..r).rev().find(|&i| idx[i] != n - 1) else {
        return false;
    };
    let v = idx[i] + 1;
    for slot in idx[i..].iter_mut() {
        *slot = v;
    }
    true
}

fn pool_and_r(
    interp: &mut Interp,
    args: Args,
    name: &str,
    r_required: bool,
) -> PyResult<(Vec<Value>, Option<i64>)> {
    let a = bind(
        name,
        args,
        &["iterable", "r"],
        if r_required { 2 } else { 1 },
    )?;
    let pool = super::ops::iterate(interp, &arg(&a, 0))?;
    let r = match &a[1] {
        None | Some(Value::None) => None,
        Some(v) => Some(as_int(v)?),
    };
    if r.is_some_and(|r| r < 0) {
        return Err(value_error("r must be non-negative"));
    }
    Ok((pool, r))
}

fn combinations(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let (pool, r) = pool_and_r(interp, args, "combinations", true)?;
    let r = r.unwrap_or(0) as usize;
    let valid = r <= pool.len();
    Ok(index_iter(
        "combinations",
        pool,
        (0..r).collect(),
        valid,
        next_combination,
    ))
}

fn combinations_wr(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let (pool, r) = pool_and_r(interp, args, "combinations_with_replacement", true)?;
    let r = r.unwrap_or(0) as usize;
    let valid = !pool.is_empty() || r == 0;
    Ok(index_iter(
        "combinations_with_replacement",
        pool,
        vec![0; r],
        valid,
        next_combination_wr,
    ))
}

fn permutations(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let (pool, r) = pool_and_r(interp, args, "permutations", false)?;
    let n = pool.len();
    let r = r.map_or(n, |r| r as usize);
    // CPython's algorithm: indices plus cycles, yielding in lexicographic index order.
    let mut indices: Vec<usize> = (0..n).collect();
    let mut cycles: Vec<usize> = (0..r).map(|i| n - i).collect();
    let mut first = true;
    let mut done = r > n;
    Ok(make("permutations", move |_| {
        if done {
            return Ok(None);
        }
        if !first {
            let mut advanced = false;
            for i in (0..r).rev() {
                cycles[i] -= 1;
                if cycles[i] == 0 {
                    let moved = indices.remove(i);
                    indices.push(moved);
                    cycles[i] = n - i;
                } else {
                    let j = cycles[i];
                    indices.swap(i, n - j);
                    advanced = true;
                    break;
                }
            }
            if !advanced {
                done = true;
                return Ok(None);
            }
        }
        first = false;
        Ok(Some(Value::tuple(
            indices[..r].iter().map(|&i| pool[i].clone()).collect(),
        )))
    }))
}

fn product(interp: &mut Interp, mut args: Args) -> PyResult<Value> {
    let repeat = match take_kw(&mut args, "repeat") {
        Some(r) => as_int(&r)?,
        None => 1,
    };
    if repeat < 0 {
        return Err(value_error("repeat argument cannot be negative"));
    }
    let mut pools = Vec::new();
    for it in &args.pos {
        pools.push(super::ops::iterate(interp, it)?);
    }
    let pools: Vec<Vec<Value>> = (0..repeat).flat_map(|_| pools.clone()).collect();
    let mut idx = vec![0usize; pools.len()];
    let mut first = true;
    let mut done = pools.iter().any(|p| p.is_empty());
    Ok(make("product", move |_| {
        if done {
            return Ok(None);
        }
        if !first {
            let mut i = idx.len();
            loop {
                if i == 0 {
                    done = true;
                    return Ok(None);
                }
                i -= 1;
                idx[i] += 1;
                if idx[i] < pools[i].len() {
                    break;
                }
                idx[i] = 0;
            }
        }
        first = false;
        Ok(Some(Value::tuple(
            idx.iter().zip(&pools).map(|(&i, p)| p[i].clone()).collect(),
        )))
    }))
}

fn tee(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("tee", args, &["iterable", "n"], 1)?;
    let n = match &a[1] {
        Some(v) => as_int(v)?,
        None => 2,
    };
    if n < 0 {
        return Err(value_error("n must be >= 0"));
    }
    let src = get_iter(interp, &arg(&a, 0))?;
    // One shared buffer; each copy keeps its own position in it.
    let buf: Rc<RefCell<Vec<Value>>> = Rc::new(RefCell::new(Vec::new()));
    let mut out = Vec::new();
    for _ in 0..n {
        let (buf, src) = (buf.clone(), src.clone());
        let mut pos = 0usize;
        out.push(make("_tee", move |interp| {
            if pos == buf.borrow().len() {
                match next(interp, &src)? {
                    Some(v) => buf.borrow_mut().push(v),
                    None => return Ok(None),
                }
            }
            let v = buf.borrow()[pos].clone();
            pos += 1;
            Ok(Some(v))
        }));
    }
    Ok(Value::tuple(out))
}

pub fn module() -> PyResult<Value> {
    type F = fn(&mut Interp, Args) -> PyResult<Value>;
    let fns: &[(&str, F)] = &[
        ("count", count),
        ("repeat", repeat),
        ("cycle", cycle),
        ("accumulate", accumulate),
        ("takewhile", takewhile),
        ("dropwhile", dropwhile),
        ("filterfalse", filterfalse),
        ("compress", compress),
        ("starmap", starmap),
        ("pairwise", pairwise),
        ("islice", islice),
        ("zip_longest", zip_longest),
        ("groupby", groupby),
        ("combinations", combinations),
        ("combinations_with_replacement", combinations_wr),
        ("permutations", permutations),
        ("product", product),
        ("tee", tee),
    ];
    let mut attrs: Vec<(&str, Value)> = fns
        .iter()
        .map(|(n, f)| (*n, Value::native(format!("itertools.{n}"), *f)))
        .collect();
    attrs.push(("chain", chain_class()?));
    Ok(make_module("itertools", attrs))
}

/// `itertools.chain` is a class so that `chain.from_iterable` is reachable; its `__new__`
/// returns the lazy iterator itself.
fn chain_class() -> PyResult<Value> {
    let dict: super::class::Dict = Rc::new(RefCell::new(vec![
        (
            Value::str("__new__"),
            Value::native("chain.__new__", |_, mut args| {
                if !args.kw.is_empty() {
                    return Err(type_error("chain() takes no keyword arguments"));
                }
                if !args.pos.is_empty() {
                    args.pos.remove(0);
                }
                Ok(chain_of(args.pos))
            }),
        ),
        (
            Value::str("from_iterable"),
            Value::native("chain.from_iterable", from_iterable),
        ),
    ]));
    let cls = super::class::Class::new("chain", "chain".into(), "itertools", Vec::new(), dict)?;
    Ok(Value::Class(cls))
}
