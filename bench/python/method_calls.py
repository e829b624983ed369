# Method calls on a user class: a bound-method call per iteration (the method-call path:
# attribute lookup on the class, the receiver prepended, a Python frame).
# Runs unmodified under `gradbook run` and `python`; prints `NAME: SECONDS s` per measurement.
import time


class Accumulator:
    def __init__(self, step):
        self.step = step
        self.total = 0

    def add(self, x):
        return x + self.step

    def scaled(self, x, k=2):
        return self.add(x) * k


def median_time(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times = sorted(times)
    return times[len(times) // 2]


def calls():
    a = Accumulator(1)
    x = 0
    for _ in range(200000):
        x = a.add(x)
    assert x == 200000


def nested_calls():
    a = Accumulator(1)
    x = 0
    for i in range(100000):
        x = a.scaled(i) - x
    assert x != 0


print(f"method call x200k: {median_time(calls, 5):.6f} s")
print(f"method calling a method x100k: {median_time(nested_calls, 5):.6f} s")
