//! Random numbers: `torch.manual_seed`, generators, `rand`/`randn`/`randint`/`normal`/
//! `randperm`/`bernoulli`, their `_like` forms and the in-place `uniform_`/`normal_`/... methods.
//! Every factory is PyTorch's own composition (`rand` = `empty().uniform_()`, ...), so the
//! numbers come out of the bit-exact kernels in `array::random` in PyTorch's order.

use super::args::Bound;
use super::convert::{dtype_short_name, to_shape};
use super::objects::check_device;
use super::table::{Row, both, method, torch};
use crate::array::random::{self, DEFAULT_RNG_SEED, Generator, GeneratorRef};
use crate::array::{BinaryOp, DType, NdArray, broadcast_shapes};
use crate::autograd::{Tensor, is_grad_enabled};
use crate::error::{PyResult, runtime_error, type_error};
use crate::eval::interp::Interp;
use crate::eval::value::{Object, Value};
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

/// A `torch.Generator` value.
pub struct GeneratorObj {
    pub generator: GeneratorRef,
}

pub fn generator_value(generator: GeneratorRef) -> Value {
    Value::Object(Rc::new(GeneratorObj { generator }))
}

pub fn as_generator(v: &Value) -> Option<GeneratorRef> {
    match v {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<GeneratorObj>()
            .map(|g| g.generator.clone()),
        _ => None,
    }
}

/// A fresh nondeterministic seed (`torch.seed()`), mixed from the clock with splitmix64.
fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut z = nanos.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A Python int seed as PyTorch takes it (negative values wrap to u64).
fn seed_arg(v: &Value) -> PyResult<u64> {
    match v {
        Value::Int(i) => Ok(*i as u64),
        Value::Bool(b) => Ok(*b as u64),
        // `torch.manual_seed` calls `int(seed)` first, which truncates floats.
        Value::Float(f) if f.is_finite() => Ok(f.trunc() as i64 as u64),
        other => Err(type_error(format!(
            "manual_seed expected a long, but got {}",
            other.type_name()
        ))),
    }
}

/// The state as a tensor of byte values (int64: gradbook has no uint8).
fn state_tensor(g: &Generator) -> Value {
    let bytes: Vec<i64> = g.get_state().into_iter().map(i64::from).collect();
    let n = bytes.len();
    Value::Tensor(Tensor::new(NdArray::from_vec(bytes, vec![n])))
}

fn set_state_from(g: &mut Generator, v: &Value) -> PyResult<()> {
    let t = match v {
        Value::Tensor(t) => t,
        other => {
            return Err(type_error(format!(
                "expected a torch.ByteTensor, but got {}",
                other.type_name()
            )));
        }
    };
    let bytes: Option<Vec<u8>> = t
        .array()
        .to_vec::<i64>()
        .into_iter()
        .map(|b| u8::try_from(b).ok())
        .collect();
    let bytes = bytes.ok_or_else(|| runtime_error("Invalid mt19937 state"))?;
    g.set_state(&bytes).map_err(runtime_error)
}

impl Object for GeneratorObj {
    fn type_name(&self) -> String {
        "Generator".into()
    }
    fn repr(&self) -> String {
        "<torch._C.Generator object>".into()
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        let generator = self.generator.clone();
        Ok(Some(match name {
            "manual_seed" => Value::native("Generator.manual_seed", move |_, args| {
                let seed = args.pos.first().ok_or_else(|| {
                    type_error("manual_seed() takes exactly one argument (0 given)")
                })?;
                generator.borrow_mut().manual_seed(seed_arg(seed)?);
                Ok(generator_value(generator.clone()))
            }),
            "initial_seed" => Value::native("Generator.initial_seed", move |_, _| {
                Ok(Value::Int(generator.borrow().initial_seed() as i64))
            }),
            "seed" => Value::native("Generator.seed", move |_, _| {
                let s = fresh_seed();
                generator.borrow_mut().manual_seed(s);
                Ok(Value::Int(s as i64))
            }),
            "get_state" => Value::native("Generator.get_state", move |_, _| {
                Ok(state_tensor(&generator.borrow()))
            }),
            "set_state" => Value::native("Generator.set_state", move |_, args| {
                let v = args.pos.first().cloned().unwrap_or(Value::None);
                set_state_from(&mut generator.borrow_mut(), &v)?;
                Ok(generator_value(generator.clone()))
            }),
            "device" => super::objects::device_value(),
            _ => return Ok(None),
        }))
    }
    fn attr_names(&self) -> Vec<String> {
        [
            "device",
            "get_state",
            "initial_seed",
            "manual_seed",
            "seed",
            "set_state",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Module-level seeding.

fn manual_seed(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let seed = seed_arg(&b.value("seed")?)?;
    let g = random::default_generator();
    g.borrow_mut().manual_seed(seed);
    Ok(generator_value(g))
}

fn seed(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    let s = fresh_seed();
    random::default_generator().borrow_mut().manual_seed(s);
    Ok(Value::Int(s as i64))
}

fn initial_seed(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(Value::Int(
        random::default_generator().borrow().initial_seed() as i64,
    ))
}

fn get_rng_state(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(state_tensor(&random::default_generator().borrow()))
}

fn set_rng_state(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    set_state_from(
        &mut random::default_generator().borrow_mut(),
        &b.value("new_state")?,
    )?;
    Ok(Value::None)
}

fn new_generator(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    check_device(&b.value("device")?)?;
    Ok(generator_value(Rc::new(RefCell::new(Generator::new(
        DEFAULT_RNG_SEED,
    )))))
}

// ---------------------------------------------------------------------------------------------
// Factories.

fn generator_of(b: &Bound) -> PyResult<GeneratorRef> {
    let v = b.value("generator")?;
    Ok(as_generator(&v).unwrap_or_else(random::default_generator))
}

fn require_float(dtype: DType, kernel: &str) -> PyResult<()> {
    if dtype.is_floating() {
        Ok(())
    } else {
        Err(runtime_error(format!(
            "\"{}\" not implemented for '{}'",
            kernel,
            dtype_short_name(dtype)
        )))
    }
}

/// Wraps a fresh array as a leaf, honouring `requires_grad=` when the signature has it.
fn finish(array: NdArray, b: &Bound) -> PyResult<Value> {
    let rg = b.sig.params.iter().any(|p| p.name == "requires_grad") && b.bool("requires_grad")?;
    if b.sig.params.iter().any(|p| p.name == "device") {
        check_device(&b.value("device")?)?;
    }
    Ok(Value::Tensor(Tensor::leaf(array, rg)?))
}

fn rand(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let shape = to_shape(&b.int_list("size")?)?;
    let dtype = b.dtype("dtype")?.unwrap_or(DType::F32);
    require_float(dtype, "check_uniform_bounds")?;
    let a = NdArray::zeros(&shape, dtype);
    random::uniform_(&a, 0.0, 1.0, &mut generator_of(b)?.borrow_mut());
    finish(a, b)
}

fn randn(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let shape = to_shape(&b.int_list("size")?)?;
    let dtype = b.dtype("dtype")?.unwrap_or(DType::F32);
    require_float(dtype, "normal_kernel_cpu")?;
    let a = NdArray::zeros(&shape, dtype);
    random::normal_(&a, 0.0, 1.0, &mut generator_of(b)?.borrow_mut());
    finish(a, b)
}

fn check_range(from: i64, to: i64) -> PyResult<()> {
    if from >= to {
        return Err(runtime_error(format!(
            "random_ expects 'from' to be less than 'to', but got from={from} >= to={to}"
        )));
    }
    Ok(())
}

fn randint(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let low = if b.sig.params.iter().any(|p| p.name == "low") {
        b.int("low")?
    } else {
        0
    };
    let high = b.int("high")?;
    check_range(low, high)?;
    let shape = to_shape(&b.int_list("size")?)?;
    let dtype = b.dtype("dtype")?.unwrap_or(DType::I64);
    let a = NdArray::zeros(&shape, dtype);
    random::random_(&a, low, Some(high), &mut generator_of(b)?.borrow_mut());
    finish(a, b)
}

/// The zeros a `*_like` sampler fills in place: shaped and laid out like `input` (the
/// generator then fills memory order, as PyTorch's kernels do), in its dtype or `dtype`.
fn like_zeros(b: &Bound) -> PyResult<NdArray> {
    super::creation::like(b, NdArray::zeros)
}

fn rand_like(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let a = like_zeros(b)?;
    require_float(a.dtype(), "check_uniform_bounds")?;
    random::uniform_(&a, 0.0, 1.0, &mut generator_of(b)?.borrow_mut());
    finish(a, b)
}

fn randn_like(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let a = like_zeros(b)?;
    require_float(a.dtype(), "normal_kernel_cpu")?;
    random::normal_(&a, 0.0, 1.0, &mut generator_of(b)?.borrow_mut());
    finish(a, b)
}

fn randint_like(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let a = like_zeros(b)?;
    let low = if b.sig.params.iter().any(|p| p.name == "low") {
        b.int("low")?
    } else {
        0
    };
    let high = b.int("high")?;
    check_range(low, high)?;
    random::random_(&a, low, Some(high), &mut generator_of(b)?.borrow_mut());
    finish(a, b)
}

fn check_std(std: f64) -> PyResult<()> {
    if std < 0.0 {
        return Err(runtime_error(format!(
            "normal expects std >= 0.0, but found std {std}"
        )));
    }
    Ok(())
}

/// `normal(mean, std, size)` with Python numbers.
fn normal_scalars(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (mean, std) = (b.float("mean")?, b.float("std")?);
    check_std(std)?;
    let shape = to_shape(&b.int_list("size")?)?;
    let dtype = b.dtype("dtype")?.unwrap_or(DType::F32);
    require_float(dtype, "normal_kernel_cpu")?;
    let a = NdArray::zeros(&shape, dtype);
    random::normal_(&a, mean, std, &mut generator_of(b)?.borrow_mut());
    finish(a, b)
}

/// `normal` with a tensor mean and/or std: standard normals scaled and shifted, as PyTorch does.
fn normal_tensors(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let mean = match b.value("mean")? {
        Value::Tensor(t) => t.array(),
        v => NdArray::scalar(super::args::as_f64(&v).unwrap_or(0.0), DType::F32),
    };
    let std = match b.value("std")? {
        Value::Tensor(t) => t.array(),
        v => NdArray::scalar(super::args::as_f64(&v).unwrap_or(1.0), mean.dtype()),
    };
    if std.to_f64_vec().iter().any(|&s| s < 0.0) {
        return Err(runtime_error("normal expects all elements of std >= 0.0"));
    }
    let shape = broadcast_shapes(mean.shape(), std.shape())?;
    let dtype = DType::promote(mean.dtype(), std.dtype());
    require_float(dtype, "normal_kernel_cpu")?;
    let noise = NdArray::zeros(&shape, dtype);
    random::normal_(&noise, 0.0, 1.0, &mut generator_of(b)?.borrow_mut());
    let out = noise
        .binary(&std, BinaryOp::Mul)?
        .binary(&mean, BinaryOp::Add)?;
    Ok(Value::Tensor(Tensor::new(out)))
}

fn randperm(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let n = b.int("n")?;
    if n < 0 {
        return Err(runtime_error(format!("n must be non-negative, got{n}")));
    }
    let a = random::randperm(n as usize, &mut generator_of(b)?.borrow_mut());
    let a = match b.dtype("dtype")? {
        Some(d) if d != DType::I64 => a.to_dtype(d),
        _ => a,
    };
    finish(a, b)
}

fn bernoulli(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let input = b.tensor("input")?;
    let g = generator_of(b)?;
    let out = match b.sig.params.iter().any(|p| p.name == "p") {
        true => {
            let a = NdArray::zeros(&input.shape(), input.dtype());
            random::bernoulli_scalar_(&a, b.float("p")?, &mut g.borrow_mut());
            a
        }
        false => {
            require_float(input.dtype(), "bernoulli_tensor_cpu_self_")?;
            random::bernoulli_tensor(&input.array(), &mut g.borrow_mut())
        }
    };
    Ok(Value::Tensor(Tensor::new(out)))
}

// ---------------------------------------------------------------------------------------------
// In-place methods.

/// PyTorch refuses in-place writes to a leaf that requires grad while grad mode is on.
pub fn check_inplace(t: &Tensor) -> PyResult<()> {
    if is_grad_enabled() && t.is_leaf() && t.requires_grad() {
        return Err(runtime_error(
            "a leaf Variable that requires grad is being used in an in-place operation.",
        ));
    }
    Ok(())
}

fn uniform_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.this()?;
    check_inplace(&t)?;
    let (from, to) = (b.float("from")?, b.float("to")?);
    if from > to {
        return Err(runtime_error(format!(
            "uniform_ expects to return a [from, to) range, but found from={from} > to={to}"
        )));
    }
    require_float(t.dtype(), "check_uniform_bounds")?;
    random::uniform_(&t.array(), from, to, &mut generator_of(b)?.borrow_mut());
    Ok(Value::Tensor(t))
}

fn normal_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.this()?;
    check_inplace(&t)?;
    let (mean, std) = (b.float("mean")?, b.float("std")?);
    check_std(std)?;
    require_float(t.dtype(), "normal_kernel_cpu")?;
    random::normal_(&t.array(), mean, std, &mut generator_of(b)?.borrow_mut());
    Ok(Value::Tensor(t))
}

fn random_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.this()?;
    check_inplace(&t)?;
    let has = |n: &str| b.sig.params.iter().any(|p| p.name == n);
    let (from, to) = if has("from") {
        (b.int("from")?, b.opt_int("to")?)
    } else if has("to") {
        (0, Some(b.int("to")?))
    } else {
        (0, None)
    };
    if let Some(to) = to {
        check_range(from, to)?;
    }
    random::random_(&t.array(), from, to, &mut generator_of(b)?.borrow_mut());
    Ok(Value::Tensor(t))
}

fn bernoulli_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.this()?;
    check_inplace(&t)?;
    let g = generator_of(b)?;
    match b.value("p")? {
        Value::Tensor(p) => {
            let draws = random::bernoulli_tensor(
                &p.array().broadcast_to(&t.shape())?.contiguous(),
                &mut g.borrow_mut(),
            );
            t.array().copy_from(&draws)?;
        }
        v => {
            let p = super::args::as_f64(&v).unwrap_or(0.5);
            if !(0.0..=1.0).contains(&p) {
                return Err(runtime_error(format!(
                    "bernoulli_ expects p to be in [0, 1], but got p={p}"
                )));
            }
            random::bernoulli_scalar_(&t.array(), p, &mut g.borrow_mut());
        }
    }
    Ok(Value::Tensor(t))
}

/// The random part of the torch table.
pub const ROWS: &[Row] = &[
    torch(
        "def manual_seed(seed)",
        "Seeds the default generator; returns it.",
        manual_seed,
    ),
    torch(
        "def seed()",
        "Seeds the default generator from the clock; returns the seed.",
        seed,
    ),
    torch(
        "def initial_seed()",
        "The seed the default generator was last seeded with.",
        initial_seed,
    ),
    torch(
        "def get_rng_state()",
        "The default generator's state (a tensor of bytes).",
        get_rng_state,
    ),
    torch(
        "def set_rng_state(new_state)",
        "Restores a state from get_rng_state().",
        set_rng_state,
    ),
    torch(
        "Generator(Device? device=\"cpu\")",
        "A new random generator.",
        new_generator,
    ),
    torch(
        "rand(int[] size, *, Generator? generator=None, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Uniform samples in [0, 1).",
        rand,
    ),
    torch(
        "randn(int[] size, *, Generator? generator=None, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Standard normal samples.",
        randn,
    ),
    torch(
        "randint(int high, int[] size, *, Generator? generator=None, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Random integers in [0, high).",
        randint,
    ),
    torch(
        "randint(int low, int high, int[] size, *, Generator? generator=None, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Random integers in [low, high).",
        randint,
    ),
    torch(
        "rand_like(Tensor input, *, Generator? generator=None, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Uniform samples shaped like input.",
        rand_like,
    ),
    torch(
        "randn_like(Tensor input, *, Generator? generator=None, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Standard normal samples shaped like input.",
        randn_like,
    ),
    torch(
        "randint_like(Tensor input, int high, *, Generator? generator=None, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Random integers in [0, high) shaped like input.",
        randint_like,
    ),
    torch(
        "randint_like(Tensor input, int low, int high, *, Generator? generator=None, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Random integers in [low, high) shaped like input.",
        randint_like,
    ),
    torch(
        "normal(Tensor mean, Tensor std, *, Generator? generator=None)",
        "Normal samples with tensor mean and std.",
        normal_tensors,
    ),
    torch(
        "normal(Tensor mean, float std=1, *, Generator? generator=None)",
        "Normal samples around a tensor mean.",
        normal_tensors,
    ),
    torch(
        "normal(float mean, Tensor std, *, Generator? generator=None)",
        "Normal samples with a tensor std.",
        normal_tensors,
    ),
    torch(
        "normal(float mean, float std, int[] size, *, Generator? generator=None, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Normal samples of the given size.",
        normal_scalars,
    ),
    torch(
        "randperm(int n, *, Generator? generator=None, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "A random permutation of 0..n-1.",
        randperm,
    ),
    both(
        "bernoulli(Tensor input, *, Generator? generator=None)",
        "0/1 draws with the probabilities in input.",
        bernoulli,
    ),
    both(
        "bernoulli(Tensor input, float p, *, Generator? generator=None)",
        "0/1 draws with probability p.",
        bernoulli,
    ),
    method(
        "uniform_(Tensor self, float from=0, float to=1, *, Generator? generator=None)",
        "Fills with uniform samples in [from, to).",
        uniform_,
    ),
    method(
        "normal_(Tensor self, float mean=0, float std=1, *, Generator? generator=None)",
        "Fills with normal samples.",
        normal_,
    ),
    method(
        "random_(Tensor self, *, Generator? generator=None)",
        "Fills with random integers of the dtype's range.",
        random_,
    ),
    method(
        "random_(Tensor self, int from, int? to, *, Generator? generator=None)",
        "Fills with random integers in [from, to).",
        random_,
    ),
    method(
        "random_(Tensor self, int to, *, Generator? generator=None)",
        "Fills with random integers in [0, to).",
        random_,
    ),
    method(
        "bernoulli_(Tensor self, TensorLike p=0.5, *, Generator? generator=None)",
        "Fills with 0/1 draws.",
        bernoulli_,
    ),
];
