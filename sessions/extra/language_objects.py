# The object model beyond the conformance lesson: error cases with CPython's messages,
# descriptors, hooks, reflected operators, exception classes.
# %%
class R:
    def __repr__(self):
        return repr(self)
repr(R())
# %%
class G:
    def __getattr__(self, name):
        return self.missing
G().x
# %%
class B:
    def __bool__(self):
        return 1
bool(B())
# %%
class A: pass
class C(A): pass
A.__bases__ = (C,)
# %%
class X: pass
class Y(X): pass
class Z(X, Y): pass
# %%
super()
# %%
def f():
    return super().x
f()
# %%
class P:
    def __init__(self, v):
        self.v = v
    def __radd__(self, other):
        return P(other + self.v)
    def __add__(self, other):
        if isinstance(other, P):
            return P(self.v + other.v)
        return NotImplemented
    def __repr__(self):
        return f"P({self.v})"
sum([P(1), P(2), P(3)]), 1 + P(2), P(1) + P(5)
# %%
P(1) + "a"
# %%
class Attrs:
    def __init__(self):
        object.__setattr__(self, "log", [])
    def __setattr__(self, name, value):
        self.log.append(name)
        object.__setattr__(self, name, value)
    def __getattr__(self, name):
        return "default-" + name
a = Attrs()
a.x = 1
a.y = 2
a.log, a.x, a.zzz, vars(a)
# %%
class Ro:
    @property
    def v(self):
        return 1
r = Ro()
r.v = 2
# %%
class Base:
    @classmethod
    def make(cls):
        return cls.__name__
class Sub(Base): pass
Sub.make(), Base.make(), Sub().make()
# %%
class E(Exception):
    pass
e = E("a", 1)
e, str(e), e.args, repr(E()), str(E())
# %%
try:
    try:
        1 / 0
    except ZeroDivisionError as z:
        raise ValueError("bad") from z
except ValueError as v:
    print(repr(v), repr(v.__cause__), isinstance(v.__cause__, ArithmeticError))
# %%
try:
    raise LookupError("x")
except Exception as e:
    print(type(e).__name__, e, type(e).__mro__)
# %%
class Point:
    __slots__ = ()
    def __init__(self, x):
        pass
Point(1, 2)
# %%
class Cmp:
    def __init__(self, k):
        self.k = k
    def __lt__(self, other):
        return self.k < other.k
    def __repr__(self):
        return f"Cmp({self.k})"
sorted([Cmp(3), Cmp(1), Cmp(2)]), max([Cmp(3), Cmp(1)]), Cmp(1) > Cmp(0)
# %%
Cmp(1) <= Cmp(2)
# %%
class Plain: pass
len(Plain())
# %%
Plain()[0]
# %%
Plain()()
# %%
class It:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        return self.n
list(It(3)), [x * 2 for x in It(2)], 1 in It(3), sum(It(4))
# %%
class H:
    def __eq__(self, o):
        return True
hash(H())
# %%
class Acc:
    def __init__(self):
        self.items = []
    def __iadd__(self, x):
        self.items.append(x)
        return self
acc = Acc()
acc += 1
acc += 2
acc.items
# %%
class Nope:
    def __init__(self):
        return 5
Nope()
# %%
try:
    raise TypeError
except TypeError as e:
    print(repr(e), e.args)
# %%
class K(KeyError): pass
try:
    raise K("k")
except LookupError as e:
    print(repr(e), str(e))
# %%
raise K("k")
