# collections and itertools as CPython 3.11 prints them: OrderedDict, defaultdict, Counter, deque,
# namedtuple, and the lazy itertools (infinite ones too, fed by generators).
# %%
from collections import OrderedDict, defaultdict, Counter, deque, namedtuple
od = OrderedDict([("b", 1), ("a", 2)])
od["c"] = 3
od, list(od), list(od.items()), od["a"], len(od), "a" in od, OrderedDict(), isinstance(od, dict), type(od).__name__
# %%
od.move_to_end("b")
od, od.popitem(), od.popitem(last=False), od, od == OrderedDict([("a", 2)]), od == {"a": 2}, od.get("zz", 9), od.copy()
# %%
OrderedDict([("x", 1), ("y", 2)]) == OrderedDict([("y", 2), ("x", 1)]), dict(OrderedDict(a=1)), OrderedDict()["q"]
# %%
dd = defaultdict(list)
dd["x"].append(1)
dd["y"]
dd["x"].append(2)
dd, dict(dd), dd["x"], len(dd), defaultdict(int, a=1), defaultdict(None), dd.get("nope")
# %%
c = Counter("abracadabra")
c, c.most_common(2), c["z"], c["a"], sorted(c.elements()), c.total()
# %%
c.update("aaz")
c.subtract({"b": 2})
c, Counter(a=3, b=1) + Counter(a=1, c=2), Counter(a=3, b=1) - Counter(a=1, b=5), Counter(), Counter([1, 1, 2]) & Counter([1, 2, 2])
# %%
d = deque([1, 2, 3], maxlen=4)
d.append(4)
d.append(5)
d.appendleft(0)
first = (repr(d), d.popleft(), d.pop())
first, d, len(d), d[0], d[-1], list(d), 2 in d, deque(), deque("ab")
# %%
d.rotate(1)
after_rotate = repr(d)
d.extend([7, 8])
after_rotate, d, d.count(7), d.index(8)
# %%
deque().pop()
# %%
Point = namedtuple("Point", ["x", "y"])
p = Point(1, y=2)
p, p.x, p[1], p._fields, p._asdict(), p._replace(x=5), Point._make([3, 4]), tuple(p), p == (1, 2)
# %%
P3 = namedtuple("P3", "x y z", defaults=[0])
P3(1, 2), P3(1, 2, 3)
# %%
Point(1)
# %%
class MyOD(OrderedDict):
    pass
m = MyOD(a=1)
m, isinstance(m, OrderedDict)
# %%
import itertools as it
from itertools import count, islice, repeat, cycle, accumulate, chain, groupby, zip_longest, permutations, combinations, product
c5 = count(5)
next(c5), next(c5), c5, count(1.5, 0.5), list(islice(count(), 3, 10, 2)), list(islice("abcdefg", 3))
# %%
list(repeat("x", 3)), repeat(1, 3), repeat(2), list(islice(cycle([1, 2, 3]), 7)), list(accumulate([1, 2, 3, 4])), list(accumulate([1, 2, 3], lambda a, b: a * b)), list(accumulate([1, 2], initial=10))
# %%
list(chain([1, 2], (3,), "ab")), list(chain.from_iterable([[1], [2, 3]])), [(k, list(g)) for k, g in groupby("aaabccaa")], [(k, len(list(g))) for k, g in groupby([1, 2, 4, 5, 7], key=lambda x: x // 3)]
# %%
list(zip_longest("abc", [1], fillvalue="-")), list(permutations([1, 2, 3])), list(permutations("abcd", 2)), list(combinations(range(5), 3)), list(it.combinations_with_replacement("ab", 3)), list(product("ab", repeat=2))
# %%
(list(it.takewhile(lambda x: x < 3, [1, 2, 3, 1])), list(it.dropwhile(lambda x: x < 3, [1, 2, 3, 1])), list(it.starmap(pow, [(2, 3), (3, 2)])),
 list(it.compress("abcd", [1, 0, 1, 1])), list(it.pairwise([1, 2, 3, 4])), list(it.filterfalse(None, [0, 1, 0, 2])))
# %%
a, b = it.tee(iter([1, 2, 3]))
def naturals():
    i = 0
    while True:
        yield i
        i += 1
list(a), list(b), list(islice(naturals(), 5)), sum(islice(count(), 100)), next(zip(count(), "xy"))
# %%
islice([], -1)
