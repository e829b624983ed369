//! Flat typed buffers. One variant per dtype: no per-element boxing anywhere.

use super::dtype::DType;

#[derive(Clone, Debug)]
pub enum Storage {
    Bool(Vec<bool>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
}

impl Storage {
    pub fn dtype(&self) -> DType {
        match self {
            Storage::Bool(_) => DType::Bool,
            Storage::I32(_) => DType::I32,
            Storage::I64(_) => DType::I64,
            Storage::F32(_) => DType::F32,
            Storage::F64(_) => DType::F64,
        }
    }
    pub fn len(&self) -> usize {
        match self {
            Storage::Bool(v) => v.len(),
            Storage::I32(v) => v.len(),
            Storage::I64(v) => v.len(),
            Storage::F32(v) => v.len(),
            Storage::F64(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn zeros(dtype: DType, n: usize) -> Storage {
        super::alloc::reserve_or_unwind(n, dtype.size());
        match dtype {
            DType::Bool => Storage::Bool(vec![false; n]),
            DType::I32 => Storage::I32(vec![0; n]),
            DType::I64 => Storage::I64(vec![0; n]),
            DType::F32 => Storage::F32(vec![0.0; n]),
            DType::F64 => Storage::F64(vec![0.0; n]),
        }
    }
}

/// A Rust element type that can live in a `Storage`.
pub trait Element:
    Copy + PartialEq + PartialOrd + std::fmt::Debug + Default + Send + Sync + 'static
{
    const DTYPE: DType;
    fn slice(s: &Storage) -> Option<&[Self]>;
    fn slice_mut(s: &mut Storage) -> Option<&mut Vec<Self>>;
    fn into_storage(v: Vec<Self>) -> Storage;
    fn to_f64(self) -> f64;
    /// Conversion with PyTorch's cast semantics (float→int truncates toward zero).
    fn from_f64(v: f64) -> Self;
    fn to_i64(self) -> i64;
    fn from_i64(v: i64) -> Self;
}

macro_rules! element {
    ($t:ty, $variant:ident, $to_f64:expr, $from_f64:expr, $to_i64:expr, $from_i64:expr) => {
        impl Element for $t {
            const DTYPE: DType = DType::$variant;
            fn slice(s: &Storage) -> Option<&[Self]> {
                match s {
                    Storage::$variant(v) => Some(v),
                    _ => None,
                }
            }
            fn slice_mut(s: &mut Storage) -> Option<&mut Vec<Self>> {
                match s {
                    Storage::$variant(v) => Some(v),
                    _ => None,
                }
            }
            fn into_storage(v: Vec<Self>) -> Storage {
                Storage::$variant(v)
            }
            fn to_f64(self) -> f64 {
                let f: fn($t) -> f64 = $to_f64;
                f(self)
            }
            fn from_f64(v: f64) -> Self {
                let f: fn(f64) -> $t = $from_f64;
                f(v)
            }
            fn to_i64(self) -> i64 {
                let f: fn($t) -> i64 = $to_i64;
                f(self)
            }
            fn from_i64(v: i64) -> Self {
                let f: fn(i64) -> $t = $from_i64;
                f(v)
            }
        }
    };
}

element!(
    bool,
    Bool,
    |x| x as u8 as f64,
    |v| v != 0.0,
    |x| x as i64,
    |v| v != 0
);
element!(i32, I32, |x| x as f64, |v| v as i32, |x| x as i64, |v| v
    as i32);
element!(i64, I64, |x| x as f64, |v| v as i64, |x| x, |v| v);
element!(f32, F32, |x| x as f64, |v| v as f32, |x| x as i64, |v| v
    as f32);
element!(f64, F64, |x| x, |v| v, |x| x as i64, |v| v as f64);

/// Runs `$body` with `$T` bound to the Rust element type of `$dtype`.
#[macro_export]
macro_rules! with_dtype {
    ($dtype:expr, $T:ident, $body:expr) => {
        match $dtype {
            $crate::array::DType::Bool => {
                type $T = bool;
                $body
            }
            $crate::array::DType::I32 => {
                type $T = i32;
                $body
            }
            $crate::array::DType::I64 => {
                type $T = i64;
                $body
            }
            $crate::array::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::array::DType::F64 => {
                type $T = f64;
                $body
            }
        }
    };
}
