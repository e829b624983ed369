# Python's standard modules as CPython 3.11 computes them: random (Mersenne Twister bit for bit),
# math (its own hypot, gamma, lgamma; libm elsewhere), operator, and copy with tensors.
# %%
import random
random.seed(12345)
random.random(), random.randint(1, 100), random.randrange(0, 50, 7), random.choice("abcdef"), random.getrandbits(40)
# %%
xs = list(range(20))
random.shuffle(xs)
xs, random.sample(range(100), 10), random.sample([1, 2, 3, 4, 5], 3), random.sample(range(1000), 30)
# %%
random.uniform(-1, 1), random.gauss(0, 1), random.gauss(0, 1), random.normalvariate(1, 2), random.expovariate(2.0), random.triangular(0, 10, 3)
# %%
random.choices("abc", k=5), random.choices([1, 2, 3], weights=[0.1, 0.5, 0.4], k=4), random.choices("xy", cum_weights=[1, 3], k=3)
# %%
random.gammavariate(2.5, 1.0), random.gammavariate(0.5, 2.0), random.betavariate(2, 3), random.paretovariate(3), random.weibullvariate(1, 2), random.vonmisesvariate(1, 4), random.lognormvariate(0, 1)
# %%
random.seed("hello")
a = random.random()
random.seed(3.7)
b = random.random()
random.seed(-99)
c = random.random()
random.seed(2**40 + 5)
a, b, c, random.random()
# %%
r = random.Random(7)
s = r.getstate()
first = r.random()
r.setstate(s)
first == r.random(), r.randint(0, 9), random.Random(7).random() == first
# %%
random.choice([])
# %%
random.randint(5, 3)
# %%
random.sample({1, 2}, 1)
# %%
random.randrange(0)
# %%
import math
math.hypot(3, 4), math.hypot(1.1, 2.2, 3.3), math.hypot(0.1, 0.2), math.dist((1, 2.5), (3.3, -1)), math.hypot()
# %%
[math.gamma(x) for x in (0.1, 0.5, 2.5, 7.25, 23.5, 150.5, -0.5, -2.7, 24.0)]
# %%
[math.lgamma(x) for x in (0.1, 0.5, 2.5, 7.25, 1e5, -0.5, -10.3)], math.erf(0.7), math.erfc(1.5), math.erf(-3)
# %%
math.acosh(2.5), math.asinh(-3), math.atanh(0.3), math.cbrt(27.5), math.exp2(10.5), math.fmod(7.5, -2), math.remainder(7.5, 2), math.remainder(-7, 2)
# %%
math.frexp(0.15625), math.ldexp(0.5, 3), math.modf(-3.75), math.nextafter(1.0, 2.0), math.ulp(1e300), math.isqrt(10**17 + 3), math.lcm(4, 6, 10), math.gcd(12, 18)
# %%
math.acosh(0.5)
# %%
math.gamma(-2)
# %%
math.isqrt(-1)
# %%
math.dist((1,), (1, 2))
# %%
import operator
from operator import itemgetter, attrgetter, methodcaller
pairs = [(1, "b"), (3, "a"), (2, "c")]
operator.add(2, 3), operator.mul("ab", 3), operator.floordiv(-7, 2), operator.not_(0), sorted(pairs, key=itemgetter(1)), itemgetter(0, 1)(pairs[0]), methodcaller("split", ",")("a,b")
# %%
class P:
    def __init__(self, n):
        self.n = n
    def __add__(self, o):
        return P(self.n + o.n)
attrgetter("n")(P(4)), operator.add(P(1), P(2)).n, operator.contains([1, 2], 2), operator.getitem("abc", -1)
# %%
import copy, torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = copy.deepcopy(x)
z = copy.copy(x)
y, z, y is x, z is x, y.requires_grad, y.is_leaf, z.is_leaf
# %%
copy.deepcopy(x * 2)
# %%
copy.copy(x * 2)
# %%
d = {"a": [1, 2], "t": x}
e = copy.deepcopy(d)
l = [x, x]
m = copy.deepcopy(l)
e["a"] is d["a"], e["t"] is d["t"], e, m[0] is m[1], m[0] is x
# %%
x.grad = torch.ones(2)
copy.deepcopy(x).grad
# %%
p = P([1, [2, 3]])
q = copy.copy(p)
r = copy.deepcopy(p)
q.n is p.n, r.n is p.n, r.n, type(r).__name__
# %%
class WithHooks:
    def __copy__(self):
        return "shallow"
    def __deepcopy__(self, memo):
        return "deep"
copy.copy(WithHooks()), copy.deepcopy([WithHooks()])
