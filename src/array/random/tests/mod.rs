//! Bit-exact checks of the public random ops against rng.md's tables, the real-torch
//! transcript `conformance/rng.session` (4-decimal printing) and values generated with the
//! verified numpy model `rng_check.py` (in `expected.rs`).

mod expected;

use super::*;
use expected::*;

fn f32_bits(a: &NdArray) -> Vec<u32> {
    a.to_vec::<f32>().iter().map(|v| v.to_bits()).collect()
}
fn f64_bits(a: &NdArray) -> Vec<u64> {
    a.to_vec::<f64>().iter().map(|v| v.to_bits()).collect()
}
/// FNV-1a over the bit patterns, as in the generator script.
fn fnv(bits: impl IntoIterator<Item = u64>) -> u64 {
    let mut h = 0xcbf29ce484222325u64;
    for b in bits {
        h ^= b;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}
fn fnv_of(a: &NdArray) -> u64 {
    match a.dtype() {
        DType::F32 => fnv(f32_bits(a).into_iter().map(u64::from)),
        _ => fnv(f64_bits(a)),
    }
}
/// The array as torch prints it (4 decimals).
fn printed(a: &NdArray) -> Vec<String> {
    a.to_f64_vec().iter().map(|v| format!("{v:.4}")).collect()
}
fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
fn gen_(seed: u64) -> Generator {
    Generator::new(seed)
}

#[test]
fn rand_and_randn_matrix_seed0() {
    let f32_cases: [(usize, &[u32], &[u32]); 5] = [
        (1, &RAND_S0_N1_F32, &RANDN_S0_N1_F32),
        (15, &RAND_S0_N15_F32, &RANDN_S0_N15_F32),
        (16, &RAND_S0_N16_F32, &RANDN_S0_N16_F32),
        (17, &RAND_S0_N17_F32, &RANDN_S0_N17_F32),
        (33, &RAND_S0_N33_F32, &RANDN_S0_N33_F32),
    ];
    for (n, r, rn) in f32_cases {
        assert_eq!(
            f32_bits(&rand(&[n], DType::F32, &mut gen_(0))),
            r,
            "rand f32 n={n}"
        );
        assert_eq!(
            f32_bits(&randn(&[n], DType::F32, &mut gen_(0))),
            rn,
            "randn f32 n={n}"
        );
    }
    let f64_cases: [(usize, &[u64], &[u64]); 5] = [
        (1, &RAND_S0_N1_F64, &RANDN_S0_N1_F64),
        (15, &RAND_S0_N15_F64, &RANDN_S0_N15_F64),
        (16, &RAND_S0_N16_F64, &RANDN_S0_N16_F64),
        (17, &RAND_S0_N17_F64, &RANDN_S0_N17_F64),
        (33, &RAND_S0_N33_F64, &RANDN_S0_N33_F64),
    ];
    for (n, r, rn) in f64_cases {
        assert_eq!(
            f64_bits(&rand(&[n], DType::F64, &mut gen_(0))),
            r,
            "rand f64 n={n}"
        );
        assert_eq!(
            f64_bits(&randn(&[n], DType::F64, &mut gen_(0))),
            rn,
            "randn f64 n={n}"
        );
    }
}

#[test]
fn rand_and_randn_matrix_seed42() {
    let f32_cases: [(usize, &[u32], &[u32]); 5] = [
        (1, &RAND_S42_N1_F32, &RANDN_S42_N1_F32),
        (15, &RAND_S42_N15_F32, &RANDN_S42_N15_F32),
        (16, &RAND_S42_N16_F32, &RANDN_S42_N16_F32),
        (17, &RAND_S42_N17_F32, &RANDN_S42_N17_F32),
        (33, &RAND_S42_N33_F32, &RANDN_S42_N33_F32),
    ];
    for (n, r, rn) in f32_cases {
        assert_eq!(
            f32_bits(&rand(&[n], DType::F32, &mut gen_(42))),
            r,
            "rand f32 n={n}"
        );
        assert_eq!(
            f32_bits(&randn(&[n], DType::F32, &mut gen_(42))),
            rn,
            "randn f32 n={n}"
        );
    }
    let f64_cases: [(usize, &[u64], &[u64]); 5] = [
        (1, &RAND_S42_N1_F64, &RANDN_S42_N1_F64),
        (15, &RAND_S42_N15_F64, &RANDN_S42_N15_F64),
        (16, &RAND_S42_N16_F64, &RANDN_S42_N16_F64),
        (17, &RAND_S42_N17_F64, &RANDN_S42_N17_F64),
        (33, &RAND_S42_N33_F64, &RANDN_S42_N33_F64),
    ];
    for (n, r, rn) in f64_cases {
        assert_eq!(
            f64_bits(&rand(&[n], DType::F64, &mut gen_(42))),
            r,
            "rand f64 n={n}"
        );
        assert_eq!(
            f64_bits(&randn(&[n], DType::F64, &mut gen_(42))),
            rn,
            "randn f64 n={n}"
        );
    }
}

#[test]
fn matrix_64x5_hashes() {
    let cases = [
        (0, DType::F32, RAND_S0_64X5_F32_FNV, RANDN_S0_64X5_F32_FNV),
        (0, DType::F64, RAND_S0_64X5_F64_FNV, RANDN_S0_64X5_F64_FNV),
        (
            42,
            DType::F32,
            RAND_S42_64X5_F32_FNV,
            RANDN_S42_64X5_F32_FNV,
        ),
        (
            42,
            DType::F64,
            RAND_S42_64X5_F64_FNV,
            RANDN_S42_64X5_F64_FNV,
        ),
    ];
    for (seed, dt, r, rn) in cases {
        let a = rand(&[64, 5], dt, &mut gen_(seed));
        assert_eq!(a.shape(), [64, 5]);
        assert_eq!(fnv_of(&a), r, "rand {dt:?} seed {seed}");
        assert_eq!(
            fnv_of(&randn(&[64, 5], dt, &mut gen_(seed))),
            rn,
            "randn {dt:?} seed {seed}"
        );
    }
}

#[test]
#[allow(clippy::excessive_precision)] // decimal values as written in rng.md §10
fn spec_table_vectors() {
    // rng.md §10: randn(3) and randn(17)[0], [16] in float32; float64 vectors for seed 0.
    let r3 = randn(&[3], DType::F32, &mut gen_(1)).to_vec::<f32>();
    assert_eq!(r3, [0.66135216, 0.26692411, 0.06167726]);
    let cases = [
        (0, 0xBF901B85u32, 0x3F6E8C30u32),
        (1, 0xBFC346BA, 0xBF4C668D),
        (42, 0x3FF6A529, 0xBE9E9482),
    ];
    for (seed, first, last) in cases {
        let b = f32_bits(&randn(&[17], DType::F32, &mut gen_(seed)));
        assert_eq!((b[0], b[16]), (first, last), "seed {seed}");
    }
    let d = randn(&[17], DType::F64, &mut gen_(0)).to_vec::<f64>();
    assert_eq!((d[0], d[16]), (-2.310411800234176, 0.6748575435940039));
}

#[test]
fn stress_randn_f32_20_seeds() {
    for (seed, want) in STRESS_FNV.iter().enumerate() {
        let a = randn(&[1000 + seed], DType::F32, &mut gen_(seed as u64));
        assert_eq!(fnv_of(&a), *want, "seed {seed}");
    }
}

/// seed, f32 results of randn(3), rand(2), randn(1), randn(20), then randn(5, f64), randint.
type Sequence = (u64, [&'static [u32]; 4], &'static [u64], &'static [i64]);

#[test]
fn cached_normal_continuity() {
    let seqs: [Sequence; 2] = [
        (
            0,
            [
                &SEQ_S0_RANDN3,
                &SEQ_S0_RAND2,
                &SEQ_S0_RANDN1,
                &SEQ_S0_RANDN20,
            ],
            &SEQ_S0_RANDN5_F64,
            &SEQ_S0_RANDINT4,
        ),
        (
            5,
            [
                &SEQ_S5_RANDN3,
                &SEQ_S5_RAND2,
                &SEQ_S5_RANDN1,
                &SEQ_S5_RANDN20,
            ],
            &SEQ_S5_RANDN5_F64,
            &SEQ_S5_RANDINT4,
        ),
    ];
    for (seed, [a, b, c, d], e, f) in seqs {
        let mut g = gen_(seed);
        assert_eq!(f32_bits(&randn(&[3], DType::F32, &mut g)), a);
        assert_eq!(f32_bits(&rand(&[2], DType::F32, &mut g)), b);
        assert_eq!(f32_bits(&randn(&[1], DType::F32, &mut g)), c);
        assert_eq!(f32_bits(&randn(&[20], DType::F32, &mut g)), d);
        assert_eq!(f64_bits(&randn(&[5], DType::F64, &mut g)), e);
        assert_eq!(randint(0, 100, &[4], DType::I64, &mut g).to_vec::<i64>(), f);
        // The 5 float64 normals used 2.5 pairs: one value stays cached.
        assert!(g.next_double_normal.is_some());
        assert_eq!((g.engine.left, g.engine.next), (563, 62));
    }
}

#[test]
fn cache_survives_block_path_and_state_round_trip() {
    let mut g = gen_(0);
    randn(&[3], DType::F32, &mut g);
    let saved = g.get_state();
    randn(&[16], DType::F32, &mut g); // block path: neither reads nor writes the cache
    let v = randn(&[1], DType::F32, &mut g);
    assert_eq!(printed(&v), ["0.5684"]);
    g.set_state(&saved).expect("valid state");
    assert_eq!(f32_bits(&randn(&[1], DType::F32, &mut g)), f32_bits(&v));
}

#[test]
fn uniform_bounds_fused() {
    let a = NdArray::zeros(&[200], DType::F32);
    uniform_(&a, -2.5, 3.7, &mut gen_(0));
    assert_eq!(f32_bits(&a)[..8], UNIFORM_S0_200_F32_HEAD);
    assert_eq!(fnv_of(&a), UNIFORM_S0_200_F32_FNV);
    let a = NdArray::zeros(&[200], DType::F64);
    uniform_(&a, -2.5, 3.7, &mut gen_(0));
    assert_eq!(f64_bits(&a)[..8], UNIFORM_S0_200_F64_HEAD);
    assert_eq!(fnv_of(&a), UNIFORM_S0_200_F64_FNV);
}

#[test]
fn normal_with_mean_and_std() {
    let f = |n, dt| normal(1.5, 0.3, &[n], dt, &mut gen_(0));
    assert_eq!(f32_bits(&f(5, DType::F32)), NORMAL_S0_N5_F32);
    assert_eq!(f32_bits(&f(40, DType::F32)), NORMAL_S0_N40_F32);
    assert_eq!(f64_bits(&f(5, DType::F64)), NORMAL_S0_N5_F64);
    assert_eq!(f64_bits(&f(40, DType::F64)), NORMAL_S0_N40_F64);
}

#[test]
fn strided_and_transposed_outputs_take_the_scalar_path_in_storage_order() {
    // torch.empty(40)[::2].normal_(): 20 elements but not contiguous.
    let base = NdArray::zeros(&[40], DType::F32);
    let view = base.with_layout(vec![20], vec![2], 0);
    normal_(&view, 0.0, 1.0, &mut gen_(0));
    assert_eq!(f32_bits(&view), SCALAR_PATH_S0_20);
    assert!(
        base.to_vec::<f32>()
            .iter()
            .skip(1)
            .step_by(2)
            .all(|&v| v == 0.0)
    );

    // randn_like(zeros(5, 4).t()): storage order of the transposed layout.
    let t = NdArray::zeros(&[5, 4], DType::F32).with_layout(vec![4, 5], vec![1, 4], 0);
    let y = randn_like(&t, DType::F32, &mut gen_(0));
    assert_eq!(y.strides(), [1, 4]);
    let in_storage: Vec<u32> = y.storage().clone().into_f32_bits();
    assert_eq!(in_storage, SCALAR_PATH_S0_20);

    // rand_like / uniform_ on a transposed view fill storage order too.
    let y = rand_like(&t, DType::F32, &mut gen_(0));
    assert_eq!(y.storage().clone().into_f32_bits(), RAND_S0_N33_F32[..20]);
    let x = NdArray::zeros(&[3, 4], DType::F32);
    let xt = x.with_layout(vec![4, 3], vec![1, 4], 0);
    uniform_(&xt, 0.0, 1.0, &mut gen_(0));
    assert_eq!(f32_bits(&x), RAND_S0_N33_F32[..12]);
}

trait StorageBits {
    fn into_f32_bits(self) -> Vec<u32>;
}
impl StorageBits for crate::array::Storage {
    fn into_f32_bits(self) -> Vec<u32> {
        match self {
            crate::array::Storage::F32(v) => v.iter().map(|x| x.to_bits()).collect(),
            _ => Vec::new(),
        }
    }
}

#[test]
fn randint_and_random_() {
    let mut g = gen_(0);
    assert_eq!(
        randint(-5, 10, &[20], DType::I64, &mut g).to_vec::<i64>(),
        RANDINT_S0_M5_10
    );
    let big = randint(-3, 1 << 40, &[7], DType::I64, &mut gen_(0));
    assert_eq!(big.to_vec::<i64>(), RANDINT_S0_BIG);
    let r32 = randint(0, 1 << 32, &[5], DType::I64, &mut gen_(0));
    assert_eq!(r32.to_vec::<i64>(), RANDINT_S0_2P32);
    // Other dtypes: the same integers, converted.
    let f = randint(-5, 10, &[20], DType::F32, &mut gen_(0)).to_vec::<f32>();
    assert_eq!(f, RANDINT_S0_M5_10.map(|v| v as f32));
    let i = randint(-5, 10, &[20], DType::I32, &mut gen_(0)).to_vec::<i32>();
    assert_eq!(i, RANDINT_S0_M5_10.map(|v| v as i32));

    let a = NdArray::zeros(&[6], DType::I64);
    random_(&a, 0, None, &mut gen_(0));
    assert_eq!(a.to_vec::<i64>(), RANDOM_I64_S0);
    let a = NdArray::zeros(&[6], DType::F32);
    random_(&a, 0, None, &mut gen_(0));
    assert_eq!(f32_bits(&a), RANDOM_F32_S0);
}

#[test]
fn randperm_100() {
    let p = randperm(100, &mut gen_(0)).to_vec::<i64>();
    assert_eq!(p, RANDPERM_S0_100);
    let mut sorted = p.clone();
    sorted.sort();
    assert_eq!(sorted, (0..100).collect::<Vec<i64>>());
}

fn mask(a: &NdArray) -> String {
    a.to_f64_vec()
        .iter()
        .map(|&v| if v == 1.0 { '1' } else { '0' })
        .collect()
}

#[test]
fn bernoulli_rules() {
    let x = NdArray::zeros(&[50], DType::F32);
    bernoulli_scalar_(&x, 0.3, &mut gen_(0));
    assert_eq!(mask(&x), BERNOULLI_S0_P03_50);

    let p32 = NdArray::from_vec(
        (0..50).map(|i| (i as f64 / 49.0) as f32).collect(),
        vec![50],
    );
    let b = bernoulli_tensor(&p32, &mut gen_(0));
    assert_eq!(b.dtype(), DType::F32);
    assert_eq!(mask(&b), BERNOULLI_T32_S0_50);

    let p64 = NdArray::from_vec((0..30).map(|i| i as f64 / 29.0).collect(), vec![30]);
    let b = bernoulli_tensor(&p64, &mut gen_(0));
    assert_eq!(b.dtype(), DType::F64);
    assert_eq!(mask(&b), BERNOULLI_T64_S0_30);
}

#[test]
fn session_transcript_values() {
    // conformance/rng.session, cell by cell.
    let mut g = gen_(0);
    assert_eq!(
        printed(&rand(&[3], DType::F32, &mut g)),
        strs(&["0.4963", "0.7682", "0.0885"])
    );
    assert_eq!(
        printed(&randn(&[3], DType::F32, &mut g)),
        strs(&["0.3643", "0.1344", "0.1642"])
    );
    g.manual_seed(0);
    assert_eq!(
        printed(&randn(&[2, 3], DType::F32, &mut g)),
        strs(&[
            "1.5410", "-0.2934", "-2.1788", "0.5684", "-1.0845", "-1.3986"
        ])
    );
    g.manual_seed(42);
    let r16 = [
        "1.9269", "1.4873", "0.9007", "-2.1055", "0.6784", "-1.2345", "-0.0431", "-1.6047",
        "-0.7521", "1.6487", "-0.3925", "-1.4036", "-0.7279", "-0.5594", "-0.7688", "0.7624",
    ];
    assert_eq!(printed(&randn(&[16], DType::F32, &mut g)), strs(&r16));
    g.manual_seed(42);
    let r20 = [
        "1.9269", "1.4873", "0.9007", "-2.1055", "-0.7581", "1.0783", "0.8008", "1.6806", "0.3559",
        "-0.6866", "-0.4934", "0.2415", "-0.2316", "0.0418", "-0.2516", "0.8599", "-0.3097",
        "-0.3957", "0.8034", "-0.6216",
    ];
    assert_eq!(printed(&randn(&[20], DType::F32, &mut g)), strs(&r20));
    g.manual_seed(1);
    let r45 = [
        "0.7576", "0.2793", "0.4031", "0.7347", "0.0293", "0.7999", "0.3971", "0.7544", "0.5695",
        "0.4388", "0.6387", "0.5247", "0.6826", "0.3051", "0.4635", "0.4550", "0.5725", "0.4980",
        "0.9371", "0.6556",
    ];
    assert_eq!(printed(&rand(&[4, 5], DType::F32, &mut g)), strs(&r45));
    g.manual_seed(2);
    assert_eq!(
        printed(&randn(&[3], DType::F64, &mut g)),
        strs(&["0.3923", "-0.2236", "-0.3195"])
    );
    g.manual_seed(2);
    assert_eq!(
        printed(&rand(&[2, 2], DType::F64, &mut g)),
        strs(&["0.9176", "0.0969", "0.7088", "0.5403"])
    );
    g.manual_seed(7);
    let ones = NdArray::full(&[2, 2], 1.0, DType::F32);
    assert_eq!(
        printed(&randn_like(&ones, DType::F32, &mut g)),
        strs(&["-0.1468", "0.7861", "0.9468", "-1.1143"])
    );
    let ones3 = NdArray::full(&[3], 1.0, DType::F32);
    assert_eq!(
        printed(&rand_like(&ones3, DType::F32, &mut g)),
        strs(&["0.3653", "0.8513", "0.8549"])
    );
    g.manual_seed(7);
    assert_eq!(
        printed(&normal(0.0, 2.0, &[3], DType::F32, &mut g)),
        strs(&["-0.2936", "1.5723", "1.8936"])
    );
    g.manual_seed(7);
    let e = NdArray::zeros(&[4], DType::F32);
    uniform_(&e, -1.0, 1.0, &mut g);
    assert_eq!(
        printed(&e),
        strs(&["0.0698", "-0.6024", "0.3184", "0.3138"])
    );
}

#[test]
fn session_transcript_values_continued() {
    let mut g = gen_(5);
    let a = randn(&[3], DType::F32, &mut g);
    let b = randn(&[17], DType::F32, &mut g);
    let c = rand(&[2], DType::F32, &mut g);
    assert_eq!(printed(&a), strs(&["-0.4868", "-0.6038", "-0.5581"]));
    let b_want = [
        "0.2583", "-0.4340", "0.3523", "-0.0646", "0.7686", "0.9233", "-0.5583", "0.7796",
        "-0.2617", "0.0317", "-1.1724", "-1.5069", "-0.1481", "0.3715", "0.2273", "-0.0647",
        "-0.1479",
    ];
    assert_eq!(printed(&b), strs(&b_want));
    assert_eq!(printed(&c), strs(&["0.3590", "0.0497"]));
    g.manual_seed(123);
    let want = [
        "0.3374", "-0.1778", "-0.3035", "-0.5880", "0.3486", "0.6603", "-0.2196", "-0.3792",
        "0.7671", "-1.1925", "0.6984", "-1.4097", "0.1794", "1.8951", "0.4954", "0.2692",
    ];
    assert_eq!(printed(&randn(&[4, 4], DType::F32, &mut g)), strs(&want));
}

#[test]
fn empty_and_wrong_dtype_do_nothing() {
    let mut g = gen_(0);
    let before = g.clone();
    assert_eq!(randn(&[0], DType::F32, &mut g).numel(), 0);
    assert_eq!(rand(&[2, 0], DType::F64, &mut g).numel(), 0);
    let ints = NdArray::zeros(&[3], DType::I64);
    normal_(&ints, 0.0, 1.0, &mut g);
    uniform_(&ints, 0.0, 1.0, &mut g);
    assert_eq!(g, before);
    assert_eq!(ints.to_vec::<i64>(), [0, 0, 0]);
}

#[test]
fn dispatched_block_transform_equals_portable() {
    let mut a = rand(&[4096], DType::F32, &mut gen_(9)).to_vec::<f32>();
    let mut b = a.clone();
    cephes::normal_fill_blocks_f32(&mut a, 0.25, 1.5);
    cephes::normal_fill_blocks_f32_portable(&mut b, 0.25, 1.5);
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&b));
}

#[test]
fn block_path_across_engine_regeneration() {
    // 10 000 elements cross many 624-word regenerations and 4096-element chunks.
    let a = randn(&[10_000], DType::F32, &mut gen_(3)).to_vec::<f32>();
    let mut g = gen_(3);
    let mut u = vec![0f32; 10_000];
    for v in u.iter_mut() {
        *v = uniform::unit_f32(g.random());
    }
    cephes::normal_fill_blocks_f32_portable(&mut u, 0.0, 1.0);
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&u));
}

#[test]
fn upper_bound_rule_at_known_stream_position() {
    // rng.md §3: for seed 0, the word at stream position 71006344 has all 24 low bits set,
    // so uniform_(1, 2) rounds up to 2.0 and torch returns 1.0 instead.
    let mut g = gen_(0);
    let mut skip = vec![0u32; 1 << 20];
    let mut left = 71_006_344usize;
    while left > 0 {
        let k = left.min(skip.len());
        g.engine.fill_u32(&mut skip[..k]);
        left -= k;
    }
    let mut probe = g.clone();
    assert_eq!(probe.random() & 0xFF_FFFF, 0xFF_FFFF);
    let cases = [((1.0, 2.0), 1.0f32), ((0.5, 1.0), 0.5), ((1.0, 3.0), 1.0)];
    for ((from, to), want) in cases {
        let a = NdArray::zeros(&[1], DType::F32);
        uniform_(&a, from, to, &mut g.clone());
        assert_eq!(a.to_vec::<f32>(), [want], "uniform_({from}, {to})");
    }
}
