//! Elementwise functions and their in-place method forms: arithmetic, comparisons, `pow`,
//! `clamp`, `where`, `nan_to_num`, and the unary math functions.

use super::args::Bound;
use super::convert::py_number;
use super::random::check_inplace;
use super::table::{Row, both, method, torch, unary, unary_};
use crate::array::{BinaryOp, UnaryOp};
use crate::autograd::{Tensor, ops};
use crate::error::{PyResult, runtime_error};
use crate::eval::interp::Interp;
use crate::eval::value::Value;

fn t(x: Tensor) -> PyResult<Value> {
    Ok(Value::Tensor(x))
}

fn operands(b: &Bound, other: &str) -> PyResult<(Tensor, Tensor)> {
    let a = b.tensor("input")?;
    let o = b.tensor_like(other, &a)?;
    Ok((a, o))
}

fn add(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = operands(b, "other")?;
    t(ops::add(&a, &o, b.scalar("alpha")?.to_f64())?)
}
fn sub(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = operands(b, "other")?;
    t(ops::sub(&a, &o, b.scalar("alpha")?.to_f64())?)
}
fn mul(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = operands(b, "other")?;
    t(ops::mul(&a, &o)?)
}
fn div(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = operands(b, "other")?;
    let mode = if b.sig.params.iter().any(|p| p.name == "rounding_mode") {
        b.str("rounding_mode")?
    } else {
        None
    };
    match mode.as_deref() {
        None => t(ops::div(&a, &o)?),
        Some("floor") => t(ops::floor_divide(&a, &o)?),
        Some("trunc") => t(ops::unary(&ops::div(&a, &o)?, UnaryOp::Trunc)?),
        Some(m) => Err(runtime_error(format!(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{m}'"
        ))),
    }
}
fn floor_divide(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = operands(b, "other")?;
    t(ops::floor_divide(&a, &o)?)
}
fn remainder(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = operands(b, "other")?;
    t(ops::remainder(&a, &o)?)
}

/// `pow(t, 2)` → PowBackward0, `pow(t, u)` → PowBackward1, as in PyTorch.
fn pow(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let a = b.tensor("input")?;
    match b.value("exponent")? {
        Value::Tensor(e) => t(ops::pow(&a, &e)?),
        v => match py_number(&v) {
            Some(s) => t(ops::pow_scalar(&a, s)?),
            None => Err(runtime_error("pow: bad exponent")),
        },
    }
}
/// `torch.pow(2, t)` → PowBackward2.
fn scalar_pow(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::scalar_pow(b.scalar("self")?, &b.tensor("exponent")?)?)
}
fn pow_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let a = b.this()?;
    check_inplace(&a)?;
    let out = match b.value("exponent")? {
        Value::Tensor(e) => ops::pow(&a, &e)?,
        v => ops::pow_scalar(
            &a,
            py_number(&v).ok_or_else(|| runtime_error("pow_: bad exponent"))?,
        )?,
    };
    ops::copy_(&a, &out)?;
    t(a)
}

fn binary_tensor(b: &Bound, f: fn(&Tensor, &Tensor) -> PyResult<Tensor>) -> PyResult<Value> {
    let (a, o) = operands(b, "other")?;
    t(f(&a, &o)?)
}
fn maximum(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let r = binary_tensor(b, ops::maximum)?;
    write_out(b, "maximum", r)
}

/// `out=`: the result written into the given tensor (as the optimizers' `torch.maximum(a, b,
/// out=a)`), which is returned. Like PyTorch, not differentiable.
fn write_out(b: &Bound, name: &str, r: Value) -> PyResult<Value> {
    let (Some(out), Value::Tensor(r)) = (b.opt_tensor("out")?, &r) else {
        return Ok(r);
    };
    if crate::autograd::is_grad_enabled() && (r.requires_grad() || out.requires_grad()) {
        return Err(runtime_error(format!(
            "{name}(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad."
        )));
    }
    if out.shape() != r.shape() {
        return Err(runtime_error(format!(
            "{name}(): out= with a shape other than the result's ({:?} vs {:?}) is not supported",
            out.shape(),
            r.shape()
        )));
    }
    out.array().copy_from(&r.array())?;
    t(out)
}
fn minimum(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    binary_tensor(b, ops::minimum)
}
fn atan2(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    binary_tensor(b, ops::atan2)
}

fn compare(b: &Bound, op: BinaryOp) -> PyResult<Value> {
    let (a, o) = operands(b, "other")?;
    t(ops::compare(&a, &o, op)?)
}
fn eq(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    compare(b, BinaryOp::Eq)
}
fn ne(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    compare(b, BinaryOp::Ne)
}
fn lt(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    compare(b, BinaryOp::Lt)
}
fn le(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    compare(b, BinaryOp::Le)
}
fn gt(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    compare(b, BinaryOp::Gt)
}
fn ge(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    compare(b, BinaryOp::Ge)
}
fn logical_and(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    compare(b, BinaryOp::LogicalAnd)
}
fn logical_or(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    compare(b, BinaryOp::LogicalOr)
}
fn logical_xor(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    compare(b, BinaryOp::LogicalXor)
}

fn square(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::square(&b.tensor("input")?)?)
}
/// `round(decimals=d)` scales by 10^d around the rounding, as PyTorch does.
fn round(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let d = b.int("decimals")?;
    if d == 0 {
        return t(ops::unary(&x, UnaryOp::Round)?);
    }
    let scale = ops::scalar_tensor(crate::array::Scalar::Float(10f64.powi(d as i32)), &x);
    let scaled = ops::mul(&x, &scale)?;
    t(ops::div(&ops::unary(&scaled, UnaryOp::Round)?, &scale)?)
}
fn positive(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(b.tensor("input")?)
}

/// `torch.where(cond, x, y)`; numbers wrap next to the tensor operand (or the condition).
fn where_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let cond = b.tensor("condition")?;
    let x = b.value("input")?;
    let y = b.value("other")?;
    let like = match (&x, &y) {
        (Value::Tensor(t), _) | (_, Value::Tensor(t)) => t.clone(),
        _ => cond.clone(),
    };
    let xt = super::convert::tensor_or_scalar(&x, &like)
        .ok_or_else(|| runtime_error("where: bad input"))?;
    let yt = super::convert::tensor_or_scalar(&y, &like)
        .ok_or_else(|| runtime_error("where: bad other"))?;
    t(ops::where_(&cond, &xt, &yt)?)
}
/// `x.where(cond, y)` is `torch.where(cond, x, y)`.
fn where_method(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.this()?;
    let cond = b.tensor("condition")?;
    let y = b.tensor_like("other", &x)?;
    t(ops::where_(&cond, &x, &y)?)
}

fn clamp_bounds(b: &Bound) -> PyResult<(Option<f64>, Option<f64>)> {
    let has = |n: &str| b.sig.params.iter().any(|p| p.name == n);
    let min = if has("min") {
        b.opt_float("min")?
    } else {
        None
    };
    let max = if has("max") {
        b.opt_float("max")?
    } else {
        None
    };
    if min.is_none() && max.is_none() {
        return Err(runtime_error(
            "torch.clamp: At least one of 'min' or 'max' must not be None",
        ));
    }
    Ok((min, max))
}
fn clamp(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (min, max) = clamp_bounds(b)?;
    t(ops::clamp(&b.tensor("input")?, min, max)?)
}
/// `clamp(min=tensor, max=tensor)`: elementwise bounds through maximum/minimum.
fn clamp_tensors(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let mut x = b.tensor("input")?;
    let (min, max) = (b.opt_tensor("min")?, b.opt_tensor("max")?);
    if min.is_none() && max.is_none() {
        return Err(runtime_error(
            "torch.clamp: At least one of 'min' or 'max' must not be None",
        ));
    }
    if let Some(lo) = min {
        x = ops::maximum(&x, &lo)?;
    }
    if let Some(hi) = max {
        x = ops::minimum(&x, &hi)?;
    }
    t(x)
}
fn clamp_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (min, max) = clamp_bounds(b)?;
    let x = b.this()?;
    ops::clamp_(&x, min, max)?;
    t(x)
}

fn nan_to_num(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let nan = b.opt_float("nan")?.unwrap_or(0.0);
    t(ops::nan_to_num(
        &b.tensor("input")?,
        nan,
        b.opt_float("posinf")?,
        b.opt_float("neginf")?,
    )?)
}
fn nan_to_num_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.this()?;
    check_inplace(&x)?;
    let nan = b.opt_float("nan")?.unwrap_or(0.0);
    let out = ops::nan_to_num(&x, nan, b.opt_float("posinf")?, b.opt_float("neginf")?)?;
    ops::copy_(&x, &out)?;
    t(x)
}

/// The weight of `lerp`: a Python number (LerpBackward0) or a tensor (LerpBackward1).
fn lerp_weight(b: &Bound) -> PyResult<Result<f64, Tensor>> {
    match b.value("weight")? {
        Value::Tensor(w) => Ok(Err(w)),
        v => py_number(&v)
            .map(|s| Ok(s.to_f64()))
            .ok_or_else(|| runtime_error("lerp(): weight must be a number or a Tensor")),
    }
}
fn lerp(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let a = b.tensor("input")?;
    let end = b.tensor("end")?;
    match lerp_weight(b)? {
        Ok(w) => t(ops::lerp_scalar(&a, &end, w)?),
        Err(w) => t(ops::lerp(&a, &end, &w)?),
    }
}
fn lerp_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let a = b.this()?;
    let end = b.tensor("end")?;
    let w = lerp_weight(b)?;
    ops::lerp_(&a, &end, w.as_ref().copied())?;
    t(a)
}

fn addcmul(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, t1, t2) = (
        b.tensor("input")?,
        b.tensor("tensor1")?,
        b.tensor("tensor2")?,
    );
    t(ops::addcmul(&a, &t1, &t2, b.scalar("value")?.to_f64())?)
}
fn addcdiv(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, t1, t2) = (
        b.tensor("input")?,
        b.tensor("tensor1")?,
        b.tensor("tensor2")?,
    );
    t(ops::addcdiv(&a, &t1, &t2, b.scalar("value")?.to_f64())?)
}
fn addcmul_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, t1, t2) = (b.this()?, b.tensor("tensor1")?, b.tensor("tensor2")?);
    ops::addcmul_(&a, &t1, &t2, b.scalar("value")?.to_f64())?;
    t(a)
}
fn addcdiv_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, t1, t2) = (b.this()?, b.tensor("tensor1")?, b.tensor("tensor2")?);
    ops::addcdiv_(&a, &t1, &t2, b.scalar("value")?.to_f64())?;
    t(a)
}

// ---- in-place arithmetic (methods) ----

fn inplace_operand(b: &Bound) -> PyResult<(Tensor, Tensor)> {
    let a = b.this()?;
    let o = b.tensor_like("other", &a)?;
    Ok((a, o))
}
fn add_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = inplace_operand(b)?;
    ops::add_(&a, &o, b.scalar("alpha")?.to_f64())?;
    t(a)
}
fn sub_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = inplace_operand(b)?;
    ops::sub_(&a, &o, b.scalar("alpha")?.to_f64())?;
    t(a)
}
fn mul_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = inplace_operand(b)?;
    ops::mul_(&a, &o)?;
    t(a)
}
fn div_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = inplace_operand(b)?;
    ops::div_(&a, &o)?;
    t(a)
}

const UNARY_DOC: &str = "Elementwise.";
const INPLACE_DOC: &str = "Elementwise, in place.";

/// The elementwise part of the torch table.
pub const ROWS: &[Row] = &[
    both(
        "add(Tensor input, TensorLike other, *, Scalar alpha=1)",
        "input + alpha * other.",
        add,
    ),
    both(
        "sub(Tensor input, TensorLike other, *, Scalar alpha=1)",
        "input - alpha * other.",
        sub,
    ),
    both(
        "subtract(Tensor input, TensorLike other, *, Scalar alpha=1)",
        "Alias of sub.",
        sub,
    ),
    both(
        "mul(Tensor input, TensorLike other)",
        "Elementwise product.",
        mul,
    ),
    both(
        "multiply(Tensor input, TensorLike other)",
        "Alias of mul.",
        mul,
    ),
    both(
        "div(Tensor input, TensorLike other, *, str? rounding_mode=None)",
        "Elementwise division.",
        div,
    ),
    both(
        "divide(Tensor input, TensorLike other, *, str? rounding_mode=None)",
        "Alias of div.",
        div,
    ),
    both(
        "true_divide(Tensor input, TensorLike other)",
        "True division.",
        div,
    ),
    both(
        "floor_divide(Tensor input, TensorLike other)",
        "Division rounded down.",
        floor_divide,
    ),
    both(
        "remainder(Tensor input, TensorLike other)",
        "Python-style modulus.",
        remainder,
    ),
    both(
        "pow(Tensor input, TensorLike exponent)",
        "input ** exponent.",
        pow,
    ),
    torch(
        "pow(Scalar self, Tensor exponent)",
        "self ** exponent with a number base.",
        scalar_pow,
    ),
    method(
        "pow_(Tensor self, TensorLike exponent)",
        "In-place power.",
        pow_,
    ),
    both(
        "maximum(Tensor input, Tensor other, *, Tensor? out=None)",
        "Elementwise maximum.",
        maximum,
    ),
    both(
        "minimum(Tensor input, Tensor other)",
        "Elementwise minimum.",
        minimum,
    ),
    both(
        "atan2(Tensor input, Tensor other)",
        "Elementwise atan2(input, other).",
        atan2,
    ),
    both(
        "arctan2(Tensor input, Tensor other)",
        "Alias of atan2.",
        atan2,
    ),
    both("eq(Tensor input, TensorLike other)", "Elementwise ==.", eq),
    both("ne(Tensor input, TensorLike other)", "Elementwise !=.", ne),
    both(
        "not_equal(Tensor input, TensorLike other)",
        "Alias of ne.",
        ne,
    ),
    both("lt(Tensor input, TensorLike other)", "Elementwise <.", lt),
    both("less(Tensor input, TensorLike other)", "Alias of lt.", lt),
    both("le(Tensor input, TensorLike other)", "Elementwise <=.", le),
    both(
        "less_equal(Tensor input, TensorLike other)",
        "Alias of le.",
        le,
    ),
    both("gt(Tensor input, TensorLike other)", "Elementwise >.", gt),
    both(
        "greater(Tensor input, TensorLike other)",
        "Alias of gt.",
        gt,
    ),
    both("ge(Tensor input, TensorLike other)", "Elementwise >=.", ge),
    both(
        "greater_equal(Tensor input, TensorLike other)",
        "Alias of ge.",
        ge,
    ),
    both(
        "logical_and(Tensor input, Tensor other)",
        "Elementwise logical and.",
        logical_and,
    ),
    both(
        "logical_or(Tensor input, Tensor other)",
        "Elementwise logical or.",
        logical_or,
    ),
    both(
        "logical_xor(Tensor input, Tensor other)",
        "Elementwise logical xor.",
        logical_xor,
    ),
    unary(
        "logical_not(Tensor input)",
        "Elementwise logical not.",
        UnaryOp::LogicalNot,
    ),
    torch(
        "where(Tensor condition, TensorLike input, TensorLike other)",
        "input where condition, else other.",
        where_,
    ),
    method(
        "where(Tensor self, Tensor condition, TensorLike other)",
        "self where condition, else other.",
        where_method,
    ),
    both(
        "clamp(Tensor input, Scalar? min=None, Scalar? max=None)",
        "Limits values to [min, max].",
        clamp,
    ),
    both(
        "clamp(Tensor input, Tensor? min=None, Tensor? max=None)",
        "Limits values to tensor bounds.",
        clamp_tensors,
    ),
    both(
        "clip(Tensor input, Scalar? min=None, Scalar? max=None)",
        "Alias of clamp.",
        clamp,
    ),
    both(
        "clamp_min(Tensor input, Scalar min)",
        "Limits values from below.",
        clamp,
    ),
    both(
        "clamp_max(Tensor input, Scalar max)",
        "Limits values from above.",
        clamp,
    ),
    method(
        "clamp_(Tensor self, Scalar? min=None, Scalar? max=None)",
        "In-place clamp.",
        clamp_,
    ),
    method(
        "clip_(Tensor self, Scalar? min=None, Scalar? max=None)",
        "Alias of clamp_.",
        clamp_,
    ),
    both(
        "nan_to_num(Tensor input, float? nan=0.0, float? posinf=None, float? neginf=None)",
        "Replaces NaN and infinities with finite numbers.",
        nan_to_num,
    ),
    method(
        "nan_to_num_(Tensor self, float? nan=0.0, float? posinf=None, float? neginf=None)",
        "In-place nan_to_num.",
        nan_to_num_,
    ),
    both(
        "lerp(Tensor input, Tensor end, Any weight)",
        "input + weight * (end - input).",
        lerp,
    ),
    method(
        "lerp_(Tensor self, Tensor end, Any weight)",
        "In-place lerp.",
        lerp_,
    ),
    both(
        "addcmul(Tensor input, Tensor tensor1, Tensor tensor2, *, Scalar value=1)",
        "input + value * tensor1 * tensor2.",
        addcmul,
    ),
    both(
        "addcdiv(Tensor input, Tensor tensor1, Tensor tensor2, *, Scalar value=1)",
        "input + value * tensor1 / tensor2.",
        addcdiv,
    ),
    method(
        "addcmul_(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1)",
        "In-place addcmul.",
        addcmul_,
    ),
    method(
        "addcdiv_(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1)",
        "In-place addcdiv.",
        addcdiv_,
    ),
    both("square(Tensor input)", "Elementwise square.", square),
    both("positive(Tensor input)", "Returns input.", positive),
    method(
        "add_(Tensor self, TensorLike other, *, Scalar alpha=1)",
        "In-place add.",
        add_,
    ),
    method(
        "sub_(Tensor self, TensorLike other, *, Scalar alpha=1)",
        "In-place subtract.",
        sub_,
    ),
    method(
        "mul_(Tensor self, TensorLike other)",
        "In-place multiply.",
        mul_,
    ),
    method(
        "div_(Tensor self, TensorLike other)",
        "In-place divide.",
        div_,
    ),
    unary("neg(Tensor input)", "Elementwise negation.", UnaryOp::Neg),
    unary("negative(Tensor input)", "Alias of neg.", UnaryOp::Neg),
    unary(
        "abs(Tensor input)",
        "Elementwise absolute value.",
        UnaryOp::Abs,
    ),
    unary("absolute(Tensor input)", "Alias of abs.", UnaryOp::Abs),
    unary("sign(Tensor input)", "Elementwise sign.", UnaryOp::Sign),
    unary("exp(Tensor input)", UNARY_DOC, UnaryOp::Exp),
    unary("expm1(Tensor input)", UNARY_DOC, UnaryOp::Expm1),
    unary("log(Tensor input)", UNARY_DOC, UnaryOp::Log),
    unary("log2(Tensor input)", UNARY_DOC, UnaryOp::Log2),
    unary("log10(Tensor input)", UNARY_DOC, UnaryOp::Log10),
    unary("log1p(Tensor input)", UNARY_DOC, UnaryOp::Log1p),
    unary("sqrt(Tensor input)", UNARY_DOC, UnaryOp::Sqrt),
    unary("rsqrt(Tensor input)", UNARY_DOC, UnaryOp::Rsqrt),
    unary("sin(Tensor input)", UNARY_DOC, UnaryOp::Sin),
    unary("cos(Tensor input)", UNARY_DOC, UnaryOp::Cos),
    unary("tan(Tensor input)", UNARY_DOC, UnaryOp::Tan),
    unary("asin(Tensor input)", UNARY_DOC, UnaryOp::Asin),
    unary("arcsin(Tensor input)", UNARY_DOC, UnaryOp::Asin),
    unary("acos(Tensor input)", UNARY_DOC, UnaryOp::Acos),
    unary("arccos(Tensor input)", UNARY_DOC, UnaryOp::Acos),
    unary("atan(Tensor input)", UNARY_DOC, UnaryOp::Atan),
    unary("arctan(Tensor input)", UNARY_DOC, UnaryOp::Atan),
    unary("sinh(Tensor input)", UNARY_DOC, UnaryOp::Sinh),
    unary("cosh(Tensor input)", UNARY_DOC, UnaryOp::Cosh),
    unary("tanh(Tensor input)", UNARY_DOC, UnaryOp::Tanh),
    unary("sigmoid(Tensor input)", UNARY_DOC, UnaryOp::Sigmoid),
    unary("relu(Tensor input)", UNARY_DOC, UnaryOp::Relu),
    unary("reciprocal(Tensor input)", UNARY_DOC, UnaryOp::Reciprocal),
    unary("floor(Tensor input)", UNARY_DOC, UnaryOp::Floor),
    unary("ceil(Tensor input)", UNARY_DOC, UnaryOp::Ceil),
    both(
        "round(Tensor input, *, int decimals=0)",
        "Rounds half to even (to decimals places).",
        round,
    ),
    unary("trunc(Tensor input)", UNARY_DOC, UnaryOp::Trunc),
    unary("fix(Tensor input)", UNARY_DOC, UnaryOp::Trunc),
    unary("erf(Tensor input)", UNARY_DOC, UnaryOp::Erf),
    unary("isnan(Tensor input)", "True where NaN.", UnaryOp::IsNan),
    unary(
        "isinf(Tensor input)",
        "True where infinite.",
        UnaryOp::IsInf,
    ),
    unary(
        "isfinite(Tensor input)",
        "True where finite.",
        UnaryOp::IsFinite,
    ),
    unary_("neg_(Tensor self)", INPLACE_DOC, UnaryOp::Neg),
    unary_("abs_(Tensor self)", INPLACE_DOC, UnaryOp::Abs),
    unary_("sign_(Tensor self)", INPLACE_DOC, UnaryOp::Sign),
    unary_("exp_(Tensor self)", INPLACE_DOC, UnaryOp::Exp),
    unary_("log_(Tensor self)", INPLACE_DOC, UnaryOp::Log),
    unary_("log1p_(Tensor self)", INPLACE_DOC, UnaryOp::Log1p),
    unary_("sqrt_(Tensor self)", INPLACE_DOC, UnaryOp::Sqrt),
    unary_("sin_(Tensor self)", INPLACE_DOC, UnaryOp::Sin),
    unary_("cos_(Tensor self)", INPLACE_DOC, UnaryOp::Cos),
    unary_("tanh_(Tensor self)", INPLACE_DOC, UnaryOp::Tanh),
    unary_("sigmoid_(Tensor self)", INPLACE_DOC, UnaryOp::Sigmoid),
    unary_("relu_(Tensor self)", INPLACE_DOC, UnaryOp::Relu),
    unary_("reciprocal_(Tensor self)", INPLACE_DOC, UnaryOp::Reciprocal),
    unary_("floor_(Tensor self)", INPLACE_DOC, UnaryOp::Floor),
    unary_("ceil_(Tensor self)", INPLACE_DOC, UnaryOp::Ceil),
    unary_("round_(Tensor self)", INPLACE_DOC, UnaryOp::Round),
    unary_("trunc_(Tensor self)", INPLACE_DOC, UnaryOp::Trunc),
];
