# Attribute access on instances: reads and writes of instance attributes, a class attribute,
# a property, and a class with __setattr__/__getattr__ hooks (how torch.nn.Module is built).
# Runs unmodified under `gradbook run` and `python`; prints `NAME: SECONDS s` per measurement.
import time


class Point:
    scale = 3

    def __init__(self, x, y):
        self.x = x
        self.y = y

    @property
    def norm1(self):
        return self.x + self.y


class Hooked:
    def __init__(self):
        object.__setattr__(self, "_store", {})

    def __setattr__(self, name, value):
        self._store[name] = value

    def __getattr__(self, name):
        return self._store[name]


def median_time(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times = sorted(times)
    return times[len(times) // 2]


def plain():
    p = Point(1, 2)
    for _ in range(200000):
        p.x = p.y + p.x * p.scale
        p.x = p.x % 1000
    assert p.x < 1000


def prop():
    p = Point(1, 2)
    t = 0
    for _ in range(100000):
        t += p.norm1
    assert t == 300000


def hooked():
    h = Hooked()
    h.w = 1
    for _ in range(50000):
        h.w = h.w + 1
    assert h.w == 50001


print(f"instance attributes x200k: {median_time(plain, 5):.6f} s")
print(f"property x100k: {median_time(prop, 5):.6f} s")
print(f"__setattr__/__getattr__ hooks x50k: {median_time(hooked, 5):.6f} s")
