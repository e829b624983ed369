# Generators over 10^6 items: a generator function consumed by a for loop and by sum(), and a
# generator expression (the yield/resume path).
# Runs unmodified under `gradbook run` and `python`; prints `NAME: SECONDS s` per measurement.
import time


def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1


def median_time(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times = sorted(times)
    return times[len(times) // 2]


N = 1000000


def for_loop():
    t = 0
    for x in count_up(N):
        t += x
    assert t == N * (N - 1) // 2


def summed():
    assert sum(count_up(N)) == N * (N - 1) // 2


def genexp():
    assert sum(x * 2 for x in range(N)) == N * (N - 1)


def many_small():
    t = 0
    for i in range(20000):
        t += sum(x for x in range(3))
    assert t == 60000


print(f"generator in a for loop 1e6: {median_time(for_loop, 3):.6f} s")
print(f"sum(generator) 1e6: {median_time(summed, 3):.6f} s")
print(f"sum(generator expression) 1e6: {median_time(genexp, 3):.6f} s")
print(f"small generator expressions x20k: {median_time(many_small, 3):.6f} s")
