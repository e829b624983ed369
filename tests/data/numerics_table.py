# Generates tests/data/numerics_table.txt: PyTorch's bits for the reductions, fills, softmax and
# dot that gradbook reproduces operation for operation (tests/numerics_table.rs replays it).
# Run with the oracle's PyTorch on the reference configuration:
#   ATEN_CPU_CAPABILITY=avx2 MKL_CBWR=COMPATIBLE OMP_NUM_THREADS=2 \
#     /work/torch-venv/bin/python tests/data/numerics_table.py > tests/data/numerics_table.txt
# Inputs come from an integer hash evaluated exactly in double (no RNG, no libm), so the Rust
# side builds the same tensors.
import struct
import torch

torch.set_num_threads(2)


def gen(n, seed, dtype=torch.float32):
    vals = [((i * 2654435761 + seed * 40503) % 4294967296) / 4294967296 * 4 - 2 for i in range(n)]
    return torch.tensor(vals, dtype=torch.float64).to(dtype)


def bits(t):
    """count|FNV-1a 64 of the little-endian bytes|the first 8 values' bits in hex."""
    t = t.reshape(-1)
    fmt, width = ("<f", "%08x") if t.dtype == torch.float32 else ("<d", "%016x")
    raw = [struct.pack(fmt, v) for v in t.tolist()]
    h = 0xCBF29CE484222325
    for b in b"".join(raw):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    head = " ".join(width % int.from_bytes(r, "little") for r in raw[:8])
    return "%d|%016x|%s" % (len(raw), h, head)


DT = {"f32": torch.float32, "f64": torch.float64}
SIZES = list(range(1, 21)) + [31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 2000,
                              4097, 10000, 32767, 32768, 40000, 100000]
out = []
for dt in ("f32", "f64"):
    for n in SIZES:
        out.append(("sum1d %s %d 1" % (dt, n), gen(n, 1, DT[dt]).sum()))
    for s in (2, 3, 7):
        for n in (7, 8, 9, 17, 100, 1000, 20000):
            out.append(("sum1d %s %d %d" % (dt, n, s), gen(n * s, 2, DT[dt])[::s].sum()))
    for r, c in ((7, 9), (16, 17), (33, 65), (300, 700), (128, 257), (3, 40000), (40000, 3)):
        m = gen(r * c, 3, DT[dt]).reshape(r, c)
        for t in (0, 1):
            mm = m.t() if t else m
            out.append(("sum2d %s %d %d %d all" % (dt, r, c, t), mm.sum()))
            out.append(("sum2d %s %d %d %d 0" % (dt, r, c, t), mm.sum(0)))
            out.append(("sum2d %s %d %d %d 1" % (dt, r, c, t), mm.sum(1)))
            out.append(("mean2d %s %d %d %d 1" % (dt, r, c, t), mm.mean(1)))
    for n in (5, 9, 100, 1000, 5000):
        x = gen(n, 4, DT[dt])
        x[::7] = float("nan")
        out.append(("nansum1d %s %d" % (dt, n), x.nansum()))
    for n in (3, 8, 9, 17, 100, 1000, 10000, 33333):
        out.append(("norm1d %s %d" % (dt, n), gen(n, 5, DT[dt]).norm()))
    for r, c in ((7, 9), (16, 33), (300, 70)):
        out.append(("norm2d %s %d %d" % (dt, r, c), gen(r * c, 6, DT[dt]).reshape(r, c).norm(dim=1)))
    for a, b, n in ((-3.141592653589793, 3.141592653589793, 2000), (0.0, 1.0, 1001), (-5.0, 3.0, 123),
                    (0.1, 0.9, 100), (-1.0, 1.0, 7), (2.5, -7.25, 40001)):
        out.append(("linspace %s %r %r %d" % (dt, a, b, n), torch.linspace(a, b, n, dtype=DT[dt])))
    for a, b, h in ((0.0, 1.0, 0.001), (0.5, 100.5, 0.25), (-3.0, 7.0, 0.37), (-5.0, 3.0, 0.0123),
                    (0.0, 40.0, 0.001)):
        out.append(("arange %s %r %r %r" % (dt, a, b, h), torch.arange(a, b, h, dtype=DT[dt])))
for n in (1, 5, 8, 9, 17, 100, 1000, 10000):
    x = gen(n, 7) * 3
    out.append(("softmax %d" % n, x.softmax(0)))
    out.append(("logsoftmax %d" % n, x.log_softmax(0)))
for r, c in ((4, 9), (3, 100)):
    x = gen(r * c, 8).reshape(r, c) * 3
    out.append(("softmax2d %d %d" % (r, c), x.softmax(-1)))
    out.append(("logsoftmax2d %d %d" % (r, c), x.log_softmax(-1)))
for n in (7, 8, 9, 100, 1000):
    out.append(("log1p %d" % n, torch.log1p(gen(n, 11) * 0.5 + 1.0)))
    out.append(("log1p_small %d" % n, torch.log1p(gen(n, 12) * 0.24)))
    out.append(("expm1 %d" % n, torch.expm1(gen(n, 13) * 5)))
for n in (7, 16, 17, 100, 1000, 40001):
    out.append(("sigmoid %d" % n, torch.sigmoid(gen(n, 14) * 6)))
# MKL's sdot order is only known for lengths that are multiples of 16 (see ARCHITECTURE.md).
for n in (16, 32, 64, 128, 256, 1024, 2000, 4096, 10000):
    out.append(("dot %d" % n, torch.dot(gen(n, 9), gen(n, 10))))
for name, t in out:
    print("%s|%s" % (name, bits(t)))
