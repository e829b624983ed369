//! Element types and PyTorch's type promotion.

/// The dtypes gradbook stores. Order matters: it is the promotion lattice
/// (bool < int32 < int64 < float32 < float64), as in PyTorch's category rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DType {
    Bool,
    I32,
    I64,
    F32,
    F64,
}

impl DType {
    pub fn is_floating(self) -> bool {
        matches!(self, DType::F32 | DType::F64)
    }
    pub fn is_integral(self) -> bool {
        matches!(self, DType::I32 | DType::I64)
    }
    /// `str(dtype)` in PyTorch: `torch.float32`.
    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "torch.bool",
            DType::I32 => "torch.int32",
            DType::I64 => "torch.int64",
            DType::F32 => "torch.float32",
            DType::F64 => "torch.float64",
        }
    }
    /// The C++ scalar type name PyTorch uses in error messages (`Float`, `Long`, ...).
    pub fn title(self) -> &'static str {
        match self {
            DType::Bool => "Bool",
            DType::I32 => "Int",
            DType::I64 => "Long",
            DType::F32 => "Float",
            DType::F64 => "Double",
        }
    }
    /// Size of one element in bytes (`element_size()`).
    pub fn size(self) -> usize {
        match self {
            DType::Bool => 1,
            DType::I32 | DType::F32 => 4,
            DType::I64 | DType::F64 => 8,
        }
    }
    /// Promotion of two tensor dtypes of the same "dimension category".
    pub fn promote(a: DType, b: DType) -> DType {
        a.max(b)
    }
}
